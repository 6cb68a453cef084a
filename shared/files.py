"""Uploaded documents: FR.APL.01 requirement documents, payment proofs, portfolio evidence.

`check_upload` decides what a file is from its bytes, never from its name or the browser's declared
content type (both are the user's to choose), and parses the whole file with a real parser (pypdf,
Pillow) so a damaged file, active content, a hidden archive or a decompression bomb is refused.

A `FileStore` keeps checked files per tenant, content-addressed: the file id is the SHA-256 of the
content, so the same file stored twice is stored once. Embedded mode keeps them on disk, distributed
mode in GridFS beside the read models. Bytes are kept only once the command that refers to them is
accepted (`keep_if_accepted`): staged first, then promoted, or deleted if the command says no.
"""
import asyncio
import contextlib
import hashlib
import io
import json
import os
import re
import struct
import tempfile
import threading
import time
import unicodedata
from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from uuid import uuid4

from PIL import Image
from pypdf import PdfReader
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.generic import IndirectObject

from shared.errors import DomainError, Invalid, NotFound, ServiceUnavailable
from shared.readstore import ReadStore, open_read_store
from shared.settings import Settings, get_settings

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",)}
KIND = {PDF: "PDF", JPEG: "JPG", PNG: "PNG"}  # as the user knows the type, in messages
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_TENANT = re.compile(r"[A-Za-z0-9_-]{1,64}")  # it becomes a directory name
_NAME_MAX = 100
# A ZIP record anywhere makes the file a polyglot that archive tools open too: a local file header
# (signature, version, flags, a known method, times, sizes, a name of 1-1023 bytes) or an end of central
# directory (on disk 0, its entry count twice). Beyond the signature, which turns up by chance about once
# in 4 GB of compressed data, the fields make a chance match practically impossible.
_ZIP_RECORD = re.compile(rb"PK\x03\x04[\x00-\x3f].{3}[\x00\x08\x09\x0c\x0e\x5d\x5f\x62\x63]\x00"
                         rb".{16}(?!\x00\x00).[\x00-\x03]|PK\x05\x06\x00{4}(..)\1", re.DOTALL)
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")  # the marker after a JPEG scan (not 0xFF00, RSTn, fill)
# PDF names that run code, start programs, open or send other files, or carry files or media; any
# object holding one (as a key, an action type /S, or a /Subtype or /Type) is refused.
_PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/RichMediaContent", "/XFA"}
_PDF_ACTIVE_NAMES = {"/JavaScript", "/Launch", "/GoToE", "/GoToR", "/ImportData", "/SubmitForm", "/Rendition",
                     "/RichMediaExecute", "/Movie", "/Sound", "/FileAttachment", "/RichMedia", "/Screen", "/3D",
                     "/EmbeddedFile"}
# A 500-page scan has about 2,000 objects and parses in 0.1 s; 10 MB of the smallest objects would take
# 10 s and more, so parsing stops at either bound (CPU time: the same on a busy machine as on an idle one).
_PDF_MAX_OBJECTS = 100_000
_PDF_CPU_SECONDS = 2.0
# Checking is CPU work: more at once than there are cores only queues, and each check of an image may
# hold its decoded pixels (4 bytes each), so this also bounds the memory uploads take.
_checking = threading.BoundedSemaphore(os.cpu_count() or 1)


@dataclass(frozen=True)
class Upload:
    sha256: str
    size: int
    media_type: str  # application/pdf | image/jpeg | image/png, from the content
    filename: str  # for display only: never a path, never trusted for the type


def check_upload(content: bytes, declared_name: str, max_bytes: int | None = None) -> Upload:
    """A checked upload, or Invalid(field="file") with a message the user can act on.

    CPU work (about 0.1 s for a 40-megapixel photo or a 10 MB scan, a few seconds at most for a PDF made
    to be slow): call `checked` from async code, never this on the event loop."""
    settings = get_settings()
    limit = settings.upload_max_bytes if max_bytes is None else max_bytes
    if not content:
        raise Invalid("empty file; choose a PDF, JPG or PNG file", field="file")
    if len(content) > limit:
        raise Invalid("file exceeds the {limit} limit", field="file", limit=_size(limit))
    media_type = sniff(content)
    if media_type is None:
        raise Invalid("the file must be a PDF, JPG or PNG (its content is checked, not its name)", field="file")
    if _ZIP_RECORD.search(content):
        raise Invalid("the file also holds a ZIP archive; save it again as a plain {kind} and upload that",
                      field="file", kind=KIND[media_type])
    with _checking, _parsing(media_type):
        if media_type == PDF:
            _check_pdf(content, settings.upload_max_pages)
        else:
            _check_image(content, media_type, settings.upload_max_pixels)
    return Upload(hashlib.sha256(content).hexdigest(), len(content), media_type,
                  display_name(declared_name, media_type))


async def checked(content: bytes, declared_name: str, max_bytes: int | None = None) -> Upload:
    """check_upload in a worker thread, so the event loop goes on serving other requests."""
    return await asyncio.to_thread(check_upload, content, declared_name, max_bytes)


def sniff(content: bytes) -> str | None:
    """The type the leading bytes claim; check_upload then parses the whole file as that type."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(PNG_SIGNATURE):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


@contextlib.contextmanager
def _parsing(media_type: str) -> Iterator[None]:
    """Whatever a parser raises on bad input (its own errors, ValueError, KeyError, RecursionError on
    deep nesting, ...) tells the user one thing: the file is damaged."""
    try:
        yield
    except Invalid:
        raise
    except Exception as error:
        raise Invalid("the {kind} file is damaged or incomplete; save or export it again and upload the new file",
                      field="file", kind=KIND[media_type]) from error


def _trailing(media_type: str) -> Invalid:
    return Invalid("the {kind} file has extra data after its end (another file joined to it); save it again as "
                   "a plain {kind} and upload that", field="file", kind=KIND[media_type])


def _check_pdf(content: bytes, max_pages: int) -> None:
    """Every object parsed (pypdf, strict), no encryption, no active content, a bounded page count."""
    end = content.rfind(b"%%EOF")
    if end < 0:
        raise ValueError("no end-of-file marker")
    if content[end + 5:].strip(b" \t\r\n\x0c\x00"):  # an incremental update ends with its own %%EOF
        raise _trailing(PDF)
    deadline = time.thread_time() + _PDF_CPU_SECONDS
    try:
        reader = PdfReader(io.BytesIO(content), strict=True, xref_stream_maximum_entries=_PDF_MAX_OBJECTS)
        if reader.is_encrypted:
            raise Invalid("the PDF is encrypted or password-protected, so it cannot be checked; save it again as "
                          "a plain PDF without a password and upload that", field="file")
        found = sorted(_pdf_active_content(reader, deadline))
        pages = len(reader.pages)
    except PyPdfError as error:  # pypdf's own bounds (entries, array and dictionary sizes, page tree depth),
        if isinstance(error, LimitReachedError) or isinstance(error.__cause__, LimitReachedError):  # at times
            raise _too_complex() from error  # wrapped in a read error
        raise
    if found:
        raise Invalid("the PDF contains active content or attached files ({found}); print it to a new PDF "
                      "(Print, then Save as PDF) and upload that", field="file", found=found)
    if pages > max_pages:
        raise Invalid("the PDF has more than {limit} pages; upload only the pages needed", field="file",
                      limit=max_pages)
    if not pages:
        raise ValueError("no pages")


def _pdf_active_content(reader: PdfReader, deadline: float) -> set[str]:
    """The active names in any object: those of the cross-reference table (including those inside
    object streams), the trailer, and any other object one of them refers to."""
    pending: list[Any] = [reader.trailer, *(IndirectObject(number, generation, reader)
                                            for generation, numbers in reader.xref.items() for number in numbers),
                          *(IndirectObject(number, 0, reader) for number in reader.xref_objStm)]
    seen: set[tuple[int, int]] = set()
    found: set[str] = set()
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            if len(seen) > _PDF_MAX_OBJECTS or time.thread_time() > deadline:
                raise _too_complex()
            item = item.get_object()  # parses it; a broken object raises
        if isinstance(item, dict):
            found |= _PDF_ACTIVE_KEYS & item.keys()
            found |= {name for key in ("/S", "/Subtype", "/Type")
                      if (name := _direct(dict.get(item, key))) in _PDF_ACTIVE_NAMES}
            pending.extend(dict.values(item))  # references unresolved: each is visited once, above
        elif isinstance(item, list):
            pending.extend(item)
    return found


def _too_complex() -> Invalid:
    return Invalid("the PDF is too complex to check; print it to a new PDF (Print, then Save as PDF) and upload "
                   "that", field="file")


def _direct(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _check_image(content: bytes, media_type: str, max_pixels: int) -> None:
    """Parsed to its last byte, then decoded (Pillow), within max_pixels.

    The pixel count is checked from the header, before anything is decoded. Pillow's own guard
    (DecompressionBombError, above twice Image.MAX_IMAGE_PIXELS) refuses the same way; below that it
    only warns, and warnings filters are process-wide (not thread-safe to switch per check), so the
    limit here, not a warning, is what refuses."""
    end = _png_end(content) if media_type == PNG else _jpeg_end(content, 0)
    if end is None:
        raise ValueError("no end of image")
    if media_type == PNG and end != len(content) or media_type == JPEG and not _jpegs_only(content, end):
        raise _trailing(media_type)
    too_many = Invalid("the image has too many pixels (at most {limit} megapixels); reduce its resolution and "
                       "upload it again", field="file", limit=max_pixels // 1_000_000)
    try:
        image = Image.open(io.BytesIO(content), formats=["PNG" if media_type == PNG else "JPEG"])
    except Image.DecompressionBombError:
        raise too_many from None
    with image:
        if image.width * image.height > max_pixels:
            raise too_many
        if media_type == JPEG:  # libjpeg still decodes every block of every scan, so truncated or corrupt
            # data fails alike, but transforms each to 1 pixel: 4x faster, 1/64 of the memory
            image.draft(image.mode, (image.width // 8, image.height // 8))
        image.load()  # the whole image: truncated or corrupt data fails here


def _png_end(content: bytes) -> int | None:
    """Where the IEND chunk ends, walking the chunks by their lengths."""
    pos = len(PNG_SIGNATURE)
    while pos + 12 <= len(content):
        length, kind = struct.unpack_from(">I4s", content, pos)
        pos += 12 + length  # length, type, data, CRC
        if kind == b"IEND":
            return pos if pos <= len(content) else None
    return None


def _jpeg_end(content: bytes, pos: int) -> int | None:
    """Where the JPEG starting at pos ends (after its EOI marker): segments by their lengths, each
    scan's entropy-coded data up to the next real marker."""
    if not content.startswith(b"\xff\xd8", pos):
        return None
    pos += 2
    while pos + 2 <= len(content):
        if content[pos] != 0xFF:
            return None
        marker = content[pos + 1]
        if marker == 0xD9:  # end of image
            return pos + 2
        if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:  # fill byte, RSTn, TEM: no length
            pos += 1 if marker == 0xFF else 2
            continue
        if pos + 4 > len(content) or int.from_bytes(content[pos + 2:pos + 4], "big") < 2:
            return None
        pos += 2 + int.from_bytes(content[pos + 2:pos + 4], "big")
        if marker == 0xDA:  # start of scan
            after_scan = _SCAN_END.search(content, pos)
            if after_scan is None:
                return None
            pos = after_scan.start()
    return None


def _jpegs_only(content: bytes, pos: int) -> bool:
    """Whether the rest is more whole JPEG images: phones store HDR gain maps and depth maps that way
    (the Multi-Picture Format); anything else after the end (a video, an archive) is not an image."""
    while pos < len(content):
        end = _jpeg_end(content, pos)
        if end is None:
            return False
        pos = end
    return True


def display_name(declared: str | None, media_type: str) -> str:
    """The user's name for display: last path part, no control or invisible characters (newlines,
    NUL, right-to-left overrides that make 'fdp.exe' read 'exe.pdf'), not hidden, at most 100
    characters, and ending in an extension that matches the content so a download opens right."""
    name = " ".join(unicodedata.normalize("NFC", declared or "").split())  # newlines, tabs -> one space
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    name = re.split(r"[/\\]", name)[-1].strip(" .")[:_NAME_MAX].strip(" .")
    if not name.lower().endswith(EXTENSIONS[media_type]):
        name = f"{name or 'berkas'}{EXTENSIONS[media_type][0]}"
    return name


def _size(n: int) -> str:
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0").replace(".", ",") + f" {unit}"
    return f"{n} byte"


@dataclass(frozen=True)
class Staged:
    """Content written but not yet kept: the command that refers to it has not answered yet."""
    tenant: str
    sha256: str
    token: str  # this upload's own, so a concurrent upload of the same content never touches its copy


class FileStore(Protocol):
    async def stage(self, tenant: str, upload: Upload, content: bytes) -> Staged:
        """Write checked content as pending (get() already serves it)."""

    async def promote(self, staged: Staged) -> None:
        """Keep staged content under its file id (the SHA-256), once per tenant; the staged copy goes."""

    async def discard(self, staged: Staged) -> None:
        """Delete this staged copy; never another upload's copy, staged or kept."""

    async def get(self, tenant: str, file_id: str) -> tuple[dict[str, Any], bytes]:
        """(metadata, content): the kept copy, else a staged one; NotFound for an unknown id or another
        tenant's file."""


@contextlib.asynccontextmanager
async def keep_if_accepted(store: FileStore, tenant: str, upload: Upload, content: bytes) -> AsyncIterator[None]:
    """Stage the bytes, run the caller's command inside, then keep them; if the command says no, delete them.

    Crash-safe: until the promotion completes, get() serves the staged copy, so an event that refers to
    the file never points at nothing. Only the command's refusal deletes: after any other failure (an RPC
    timeout, a lost broker, a crash) the command may have been saved, so the staged copy stays."""
    staged = await store.stage(tenant, upload, content)
    try:
        yield
    except DomainError as error:
        if not isinstance(error, ServiceUnavailable):  # the command's own answer: nothing refers to the file
            await store.discard(staged)
        raise
    await store.promote(staged)


async def save_upload(store: FileStore, tenant: str, content: bytes, declared_name: str,
                      max_bytes: int | None = None) -> tuple[str, Upload]:
    """Check and keep at once, for a caller with no command to wait for. Returns (file_id, upload)."""
    upload = await checked(content, declared_name, max_bytes)
    async with keep_if_accepted(store, tenant, upload, content):
        pass
    return upload.sha256, upload


def _metadata(tenant: str, upload: Upload, content: bytes) -> dict[str, Any]:
    """Stored with the file. The filename is the first uploader's: content stored once keeps one name,
    so callers show the name they recorded themselves (Upload.filename) to their own user."""
    if not _TENANT.fullmatch(tenant):
        raise ValueError(f"not a tenant code: {tenant!r}")
    if hashlib.sha256(content).hexdigest() != upload.sha256:
        raise ValueError("content is not the content that was checked")
    return {"file_id": upload.sha256, "tenant": tenant, **asdict(upload),
            "stored_at": datetime.now(UTC).isoformat()}


def _staged(tenant: str, upload: Upload) -> Staged:
    return Staged(tenant, upload.sha256, uuid4().hex)


def _not_found() -> NotFound:
    return NotFound("file not found", field="file_id")


def _known(tenant: str, file_id: str) -> bool:
    return bool(_SHA256.fullmatch(file_id or "") and _TENANT.fullmatch(tenant or ""))


class DiskFileStore:
    """Embedded mode: <root>/<tenant>/<sha256[:2]>/<sha256>, and <sha256>.json beside it; staged
    uploads in <root>/<tenant>/pending/<sha256>-<token> (and .json).

    Each file is written to a temporary file and renamed into place, so a crash never leaves half a
    file; the JSON is written last and marks the content as complete."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, tenant: str, sha256: str) -> Path:
        if not _TENANT.fullmatch(tenant):
            raise ValueError(f"not a tenant code: {tenant!r}")
        return self.root / tenant / sha256[:2] / sha256

    def _pending(self, staged: Staged) -> Path:
        return self._path(staged.tenant, staged.sha256).parent.parent / "pending" / f"{staged.sha256}-{staged.token}"

    async def stage(self, tenant: str, upload: Upload, content: bytes) -> Staged:
        metadata, staged = _metadata(tenant, upload, content), _staged(tenant, upload)
        await asyncio.to_thread(_write_complete, self._pending(staged), content,
                                json.dumps(metadata, ensure_ascii=False).encode())
        return staged

    async def promote(self, staged: Staged) -> None:
        await asyncio.to_thread(_promote, self._pending(staged), self._path(staged.tenant, staged.sha256))

    async def discard(self, staged: Staged) -> None:
        await asyncio.to_thread(_remove, self._pending(staged))

    async def get(self, tenant: str, file_id: str) -> tuple[dict[str, Any], bytes]:
        if not _known(tenant, file_id):
            raise _not_found()
        return await asyncio.to_thread(self._read, tenant, file_id)

    def _read(self, tenant: str, sha256: str) -> tuple[dict[str, Any], bytes]:
        """The kept copy, else a staged one: a command accepted just before a crash cut its promotion short."""
        kept = self._path(tenant, sha256)
        staged = sorted((kept.parent.parent / "pending").glob(f"{sha256}-*.json"))
        for path in (kept, *(p.with_suffix("") for p in staged)):
            with contextlib.suppress(FileNotFoundError):
                return json.loads(_json(path).read_bytes()), path.read_bytes()
        raise _not_found()


def _json(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _write_complete(path: Path, content: bytes, metadata: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(path, content)
    _write_atomically(_json(path), metadata)


def _promote(pending: Path, kept: Path) -> None:
    """A hard link, not a move: the staged copy stays complete until the kept one is (its JSON written)."""
    if not _json(kept).exists():  # else the same content is kept already
        kept.parent.mkdir(parents=True, exist_ok=True)
        temporary = kept.with_name(f".partial-{uuid4().hex}")
        os.link(pending, temporary)
        os.replace(temporary, kept)  # a no-op when both name one file already (a retried promotion) ...
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()  # ... which leaves the temporary name
        _sync_directory(kept.parent)
        _write_atomically(_json(kept), _json(pending).read_bytes())
    _remove(pending)


def _remove(pending: Path) -> None:
    for path in (_json(pending), pending):  # the JSON first: without it a copy is incomplete, never served
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _write_atomically(path: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())  # the bytes are on disk before the name points at them
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_directory(path.parent)  # the rename itself survives a crash, before the JSON marks it complete


def _sync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class GridFsFileStore:
    """Distributed mode: GridFS in "<prefix>_files" (through shared.readstore); every gateway process
    sees the same files. A staged upload is a GridFS file whose metadata has "pending": <token>;
    promoting it drops that field (one update of its fs.files document, the bytes stay put)."""

    def __init__(self, read_store: ReadStore):
        self.read_store = read_store
        self._indexed = False

    async def stage(self, tenant: str, upload: Upload, content: bytes) -> Staged:
        metadata, staged = _metadata(tenant, upload, content), _staged(tenant, upload)
        if not self._indexed:
            # one kept copy per (tenant, sha256) on MongoDB; the nx-27017 stand-in ignores the index, so
            # correctness never depends on it: at worst two racing promotions keep two equal copies
            await self.read_store.ensure_file_index("tenant", "sha256", "pending")
            self._indexed = True
        await self.read_store.put_file(upload.filename, content, {**metadata, "pending": staged.token})
        return staged

    async def promote(self, staged: Staged) -> None:
        pending = _pending_key(staged)
        if await self.read_store.find_file(_kept_key(staged.tenant, staged.sha256)) is None:
            found = await self.read_store.find_file(pending)
            if found is None:
                return  # promoted already (a retried promotion)
            kept = {k: v for k, v in found["metadata"].items() if k != "pending"}
            if await self.read_store.set_file_metadata(found["_id"], kept):
                return
        await self.read_store.delete_files(pending)  # the same content is kept already

    async def discard(self, staged: Staged) -> None:
        await self.read_store.delete_files(_pending_key(staged))

    async def get(self, tenant: str, file_id: str) -> tuple[dict[str, Any], bytes]:
        found = None
        if _known(tenant, file_id):
            # the kept copy, else a staged one: a command accepted just before a crash cut its promotion short
            found = (await self.read_store.find_file(_kept_key(tenant, file_id))
                     or await self.read_store.find_file({"tenant": tenant, "sha256": file_id}))
        if found is None:
            raise _not_found()
        return found["metadata"], await self.read_store.read_file(found["_id"])


def _kept_key(tenant: str, sha256: str) -> dict[str, Any]:
    return {"tenant": tenant, "sha256": sha256, "pending": None}  # None matches a missing field


def _pending_key(staged: Staged) -> dict[str, Any]:
    return {"tenant": staged.tenant, "sha256": staged.sha256, "pending": staged.token}


def open_file_store(settings: Settings, read_store: ReadStore | None = None) -> FileStore:
    """Disk in embedded mode; GridFS in distributed mode (pass the process's read store to share its client)."""
    if settings.mode == "embedded":
        return DiskFileStore(settings.data_dir / "files")
    return GridFsFileStore(read_store or open_read_store(settings.resolved_read_store_uri(), settings.read_db_prefix))
