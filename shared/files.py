"""Uploaded documents: FR.APL.01 requirement documents, payment proofs, portfolio evidence.

`check_upload` decides what a file is from its bytes, never from its name or the browser's declared
content type (both are the user's to choose). A `FileStore` keeps checked files per tenant,
content-addressed: the file id is the SHA-256 of the content, so the same file stored twice is stored
once. Embedded mode keeps them on disk, distributed mode in GridFS beside the read models.
"""
import asyncio
import contextlib
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from shared.errors import Invalid, NotFound
from shared.readstore import ReadStore, open_read_store
from shared.settings import Settings, get_settings

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",)}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"  # the IEND chunk: empty, fixed CRC
_SHA256 = re.compile(r"[0-9a-f]{64}")
_TENANT = re.compile(r"[A-Za-z0-9_-]{1,64}")  # it becomes a directory name
_NAME_MAX = 100


@dataclass(frozen=True)
class Upload:
    sha256: str
    size: int
    media_type: str  # application/pdf | image/jpeg | image/png, from the content
    filename: str  # for display only: never a path, never trusted for the type


def check_upload(content: bytes, declared_name: str, max_bytes: int | None = None) -> Upload:
    """A checked upload, or Invalid(field="file") with a message the user can act on."""
    limit = get_settings().upload_max_bytes if max_bytes is None else max_bytes
    if not content:
        raise Invalid("empty file; choose a PDF, JPG or PNG file", field="file")
    if len(content) > limit:
        raise Invalid("file exceeds the {limit} limit", field="file", limit=_size(limit))
    media_type = sniff(content)
    if media_type is None:
        raise Invalid("the file must be a PDF, JPG or PNG (its content is checked, not its name)", field="file")
    return Upload(hashlib.sha256(content).hexdigest(), len(content), media_type,
                  display_name(declared_name, media_type))


def sniff(content: bytes) -> str | None:
    """The media type by structure, not just leading magic bytes, so a truncated upload is refused too."""
    if content.startswith(b"%PDF-") and b"%%EOF" in content[-1024:]:  # header and end-of-file marker
        return PDF
    if content.startswith(PNG_SIGNATURE) and content[12:16] == b"IHDR" and content.endswith(PNG_END):
        return PNG
    if _jpeg_header_ok(content):
        return JPEG
    return None


def _jpeg_header_ok(content: bytes) -> bool:
    """SOI, then marker segments whose lengths chain up to the start of scan."""
    if not content.startswith(b"\xff\xd8"):
        return False
    pos = 2
    while pos + 4 <= len(content):
        if content[pos] != 0xFF:
            return False
        marker = content[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker == 0xDA:  # start of scan: the header held together
            return True
        length = int.from_bytes(content[pos + 2:pos + 4], "big")
        if length < 2:
            return False
        pos += 2 + length
    return False


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


class FileStore(Protocol):
    async def put(self, tenant: str, upload: Upload, content: bytes) -> str:
        """Store checked content; returns its file id (the SHA-256), the same for the same content."""

    async def get(self, tenant: str, file_id: str) -> tuple[dict[str, Any], bytes]:
        """(metadata, content); NotFound for an unknown id or another tenant's file."""


async def save_upload(store: "FileStore", tenant: str, content: bytes, declared_name: str,
                      max_bytes: int | None = None) -> tuple[str, Upload]:
    """What a form calls: check, then store; a refused file is never written. Returns (file_id, upload)."""
    upload = check_upload(content, declared_name, max_bytes)
    return await store.put(tenant, upload, content), upload


def _metadata(tenant: str, upload: Upload, content: bytes) -> dict[str, Any]:
    """Stored with the file. The filename is the first uploader's: content stored once keeps one name,
    so callers show the name they recorded themselves (Upload.filename) to their own user."""
    if not _TENANT.fullmatch(tenant):
        raise ValueError(f"not a tenant code: {tenant!r}")
    if hashlib.sha256(content).hexdigest() != upload.sha256:
        raise ValueError("content is not the content that was checked")
    return {"file_id": upload.sha256, "tenant": tenant, **asdict(upload),
            "stored_at": datetime.now(UTC).isoformat()}


def _not_found() -> NotFound:
    return NotFound("file not found", field="file_id")


class DiskFileStore:
    """Embedded mode: <root>/<tenant>/<sha256[:2]>/<sha256>, and <sha256>.json beside it.

    Each is written to a temporary file and renamed into place, so a crash never leaves half a file;
    the JSON is written last and marks the content as complete."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, tenant: str, sha256: str) -> Path:
        if not _TENANT.fullmatch(tenant):
            raise ValueError(f"not a tenant code: {tenant!r}")
        return self.root / tenant / sha256[:2] / sha256

    async def put(self, tenant: str, upload: Upload, content: bytes) -> str:
        metadata = _metadata(tenant, upload, content)
        await asyncio.to_thread(self._put, self._path(tenant, upload.sha256), metadata, content)
        return upload.sha256

    @staticmethod
    def _put(path: Path, metadata: dict[str, Any], content: bytes) -> None:
        if path.with_suffix(".json").exists():
            return  # the same content is already stored
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, content)
        _write_atomically(path.with_suffix(".json"), json.dumps(metadata, ensure_ascii=False).encode())

    async def get(self, tenant: str, file_id: str) -> tuple[dict[str, Any], bytes]:
        if not _SHA256.fullmatch(file_id or "") or not _TENANT.fullmatch(tenant):
            raise _not_found()
        path = self._path(tenant, file_id)
        try:
            return await asyncio.to_thread(lambda: (json.loads(path.with_suffix(".json").read_bytes()),
                                                    path.read_bytes()))
        except FileNotFoundError:
            raise _not_found() from None


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
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a crash, before the JSON marks it complete
    finally:
        os.close(directory)


class GridFsFileStore:
    """Distributed mode: GridFS in "<prefix>_files" (through shared.readstore), one copy per
    (tenant, sha256); every gateway process sees the same files."""

    def __init__(self, read_store: ReadStore):
        self.read_store = read_store
        self._indexed = False

    async def put(self, tenant: str, upload: Upload, content: bytes) -> str:
        metadata = _metadata(tenant, upload, content)
        key = {"tenant": tenant, "sha256": upload.sha256}
        if not self._indexed:
            await self.read_store.ensure_file_index(*key)
            self._indexed = True
        if await self.read_store.find_file(key) is None:
            await self.read_store.put_file(upload.filename, content, metadata)  # False: a racing twin won
        return upload.sha256

    async def get(self, tenant: str, file_id: str) -> tuple[dict[str, Any], bytes]:
        found = None
        if _SHA256.fullmatch(file_id or ""):
            found = await self.read_store.find_file({"tenant": tenant, "sha256": file_id})
        if found is None:
            raise _not_found()
        return found["metadata"], await self.read_store.read_file(found["_id"])


def open_file_store(settings: Settings, read_store: ReadStore | None = None) -> FileStore:
    """Disk in embedded mode; GridFS in distributed mode (pass the process's read store to share its client)."""
    if settings.mode == "embedded":
        return DiskFileStore(settings.data_dir / "files")
    return GridFsFileStore(read_store or open_read_store(settings.resolved_read_store_uri(), settings.read_db_prefix))
