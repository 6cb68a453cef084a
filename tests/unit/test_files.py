"""shared/files.py: uploads judged by content, stored once per tenant, never across tenants."""
import hashlib
import io
import os
import struct
import zipfile
import zlib

import pytest
from mongomock_motor import enabled_gridfs_integration

from services.gateway.web.i18n import error_message
from shared import files
from shared.errors import Invalid, NotFound
from shared.files import DiskFileStore, GridFsFileStore, check_upload, display_name, open_file_store, save_upload
from shared.readstore import open_read_store
from shared.settings import Settings

WRONG_TYPE = "Berkas harus PDF, JPG atau PNG (isi berkas diperiksa, bukan namanya)"


# Real files, built here byte by byte (checked to decode with Pillow and pypdf in strict mode).

def tiny_pdf(padding: int = 0) -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>"]
    out, offsets = b"%PDF-1.4\n" + b"%" + b"x" * padding + b"\n" * bool(padding), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def pdf_of_size(size: int) -> bytes:
    overhead = len(tiny_pdf(padding=size)) - size  # offsets of about this size have as many digits
    content = tiny_pdf(padding=size - overhead)
    assert len(content) == size
    return content


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def tiny_png() -> bytes:  # one red pixel
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + _chunk(b"IEND", b""))


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def tiny_jpeg() -> bytes:  # 8x8 grey baseline JPEG: one-code Huffman tables, DC 0 then end of block
    one_code = bytes([1] + [0] * 15) + b"\x00"
    return (b"\xff\xd8" + _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
            + _segment(0xDB, b"\x00" + bytes([1] * 64))
            + _segment(0xC0, b"\x08" + struct.pack(">HH", 8, 8) + b"\x01\x01\x11\x00")
            + _segment(0xC4, b"\x00" + one_code) + _segment(0xC4, b"\x10" + one_code)
            + _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00") + b"\x3f" + b"\xff\xd9")


def tiny_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("KTP.pdf", tiny_pdf())
    return buffer.getvalue()


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


@pytest.mark.parametrize("content", [EXE, tiny_zip(), HTML, b"hello, this is plain text",
                                     tiny_pdf()[:-40],  # a PDF cut off in transfer
                                     b"\xff\xd8\xff\xe0" + b"\x00" * 40,  # JPEG magic bytes and nothing else
                                     tiny_png()[:-12]],  # a PNG without its end
                         ids=["exe", "zip", "html", "text", "truncated-pdf", "jpeg-magic-only", "truncated-png"])
def test_other_content_named_pdf_is_refused_on_field_file(content):
    with pytest.raises(Invalid) as refused:
        check_upload(content, "dokumen.pdf", max_bytes=1 << 20)
    assert refused.value.field == "file" and refused.value.status == 422
    assert error_message(refused.value, "id") == WRONG_TYPE  # what the asesi reads


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
        await file_store.put("JKT01", upload, EXE)
    assert await stored_copies(file_store, "JKT01") == 0


async def test_a_crash_while_writing_leaves_no_half_file(tmp_path, monkeypatch):
    store = DiskFileStore(tmp_path / "files")
    upload = check_upload(tiny_png(), "a.png", max_bytes=1024)
    real_replace = os.replace

    def crash_on_metadata(source, target):
        if str(target).endswith(".json"):
            raise OSError("disk full")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", crash_on_metadata)
    with pytest.raises(OSError):
        await store.put("JKT01", upload, tiny_png())
    leftovers = [p.name for p in (tmp_path / "files").rglob("*") if p.is_file()]
    assert leftovers == [upload.sha256]  # the whole content, no temporary file, no metadata
    with pytest.raises(NotFound):  # without its metadata the file is not complete, so not served
        await store.get("JKT01", upload.sha256)
    monkeypatch.setattr(os, "replace", real_replace)
    assert await store.put("JKT01", upload, tiny_png()) == upload.sha256
    assert (await store.get("JKT01", upload.sha256))[1] == tiny_png()


async def test_gridfs_refuses_a_concurrent_second_copy_and_removes_its_chunks():
    with enabled_gridfs_integration():
        read_store = open_read_store("memory", "unit")
        await read_store.ensure_file_index("tenant", "sha256")
        key = {"tenant": "JKT01", "sha256": "ab" * 32}
        # both racers checked find_file before either stored: the unique index decides
        assert await read_store.put_file("a.pdf", b"x" * 300_000, key) is True
        assert await read_store.put_file("a.pdf", b"x" * 300_000, key) is False
        database = read_store.client["unit_files"]
        assert await database["fs.files"].count_documents({}) == 1
        assert await database["fs.chunks"].count_documents({}) == 2  # one file's 255 KiB chunks


def test_open_file_store_follows_the_mode(tmp_path):
    disk = open_file_store(Settings(mode="embedded", data_dir=tmp_path))
    assert isinstance(disk, DiskFileStore) and disk.root == tmp_path / "files"
    gridfs = open_file_store(Settings(mode="distributed", read_store_uri="memory", read_db_prefix="x"))
    assert isinstance(gridfs, GridFsFileStore) and gridfs.read_store.prefix == "x"
