"""Read models. The only module that touches motor: moving to PyMongo's async client is one file.

"memory" gives mongomock-motor (embedded mode, unit tests); a mongodb:// URI gives motor.
One database per service ("<prefix>_<service>"); every document carries its tenant.
"""
import contextlib
from typing import Any

from gridfs.errors import FileExists, NoFile
from pymongo.errors import DuplicateKeyError


class ReadStore:
    def __init__(self, client: Any, prefix: str):
        self.client = client
        self.prefix = prefix

    def _coll(self, service: str, collection: str) -> Any:
        return self.client[f"{self.prefix}_{service}"][collection]

    async def upsert_versioned(self, service: str, collection: str, doc_id: str, version: int,
                               fields: dict[str, Any], on_insert: dict[str, Any] | None = None,
                               guard: str = "version") -> bool:
        """Apply an aggregate's event once: documents only move forward in version. `guard` names the
        field holding it: a document several aggregates write keeps one per aggregate (e.g.
        "versions.payment", which must exist, as 0, before that aggregate's first event)."""
        update: dict[str, Any] = {"$set": {**fields, guard: version}}
        if on_insert:
            update["$setOnInsert"] = on_insert
        try:
            result = await self._coll(service, collection).update_one(
                {"_id": doc_id, guard: {"$lt": version}}, update, upsert=True)
        except DuplicateKeyError:
            return False  # the document is already at this version or later
        return bool(result.matched_count or result.upserted_id is not None)

    async def find(self, service: str, collection: str, query: dict[str, Any],
                   sort: list[tuple[str, int]] | None = None, limit: int | None = 200) -> list[dict[str, Any]]:
        """Matching documents, at most `limit` (None: all of them)."""
        cursor = self._coll(service, collection).find(query)
        if sort:
            cursor = cursor.sort(sort)
        return await cursor.to_list(length=limit)

    async def find_one(self, service: str, collection: str, query: dict[str, Any]) -> dict[str, Any] | None:
        return await self._coll(service, collection).find_one(query)

    async def get_position(self, service: str, name: str) -> int:
        doc = await self._coll(service, "_positions").find_one({"_id": name})
        return doc["position"] if doc else 0

    async def set_position(self, service: str, name: str, position: int) -> None:
        await self._coll(service, "_positions").update_one(
            {"_id": name}, {"$max": {"position": position}}, upsert=True)

    async def drop(self, service: str) -> None:
        await self.client.drop_database(f"{self.prefix}_{service}")

    async def ping(self) -> bool:
        await self.client[f"{self.prefix}_health"]["ping"].find_one({})
        return True

    def close(self) -> None:
        self.client.close()

    # Uploaded files (shared.files.GridFsFileStore): GridFS in the database "<prefix>_files".

    def _files_db(self) -> Any:
        return self.client[f"{self.prefix}_files"]

    async def ensure_file_index(self, *metadata_keys: str) -> None:
        """Unique over these metadata fields, so a concurrent second copy is refused. A unique index
        over other fields (an earlier layout's) is dropped: it would refuse what this one allows."""
        files = self._files_db()["fs.files"]
        keys = [(f"metadata.{key}", 1) for key in metadata_keys]
        await files.create_index(keys, unique=True)  # first: nx-27017 sets GridFS up on it, not on listing
        for name, spec in (await files.index_information()).items():
            if spec.get("unique") and [tuple(k) for k in spec["key"]] != keys:
                await files.drop_index(name)

    async def put_file(self, filename: str, content: bytes, metadata: dict[str, Any]) -> bool:
        """Store a file; False when the unique index says it is already there."""
        from motor.motor_asyncio import AsyncIOMotorGridFSBucket
        grid_in = AsyncIOMotorGridFSBucket(self._files_db()).open_upload_stream(filename, metadata=metadata)
        try:
            await grid_in.write(content)
            await grid_in.close()
        except Exception as error:
            await grid_in.abort()  # GridFS writes the chunks first; remove them, or they stay orphaned
            if isinstance(error, FileExists):
                return False
            raise
        return True

    @staticmethod
    def _by_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
        return {f"metadata.{k}": v for k, v in metadata.items()}  # a None value matches a missing field too

    async def find_file(self, metadata: dict[str, Any]) -> dict[str, Any] | None:
        """The fs.files document whose metadata has these values, or None."""
        return await self._files_db()["fs.files"].find_one(self._by_metadata(metadata))

    async def set_file_metadata(self, gridfs_id: Any, metadata: dict[str, Any]) -> bool:
        """Replace a file's metadata (the whole of it: the stand-in nx-27017 updates nothing finer);
        False when the unique index refuses it, because another file has that metadata already."""
        try:
            await self._files_db()["fs.files"].update_one({"_id": gridfs_id}, {"$set": {"metadata": metadata}})
        except DuplicateKeyError:
            return False
        return True

    async def delete_files(self, metadata: dict[str, Any]) -> None:
        """Delete each file whose metadata has these values: its fs.files document, then its chunks."""
        from motor.motor_asyncio import AsyncIOMotorGridFSBucket
        bucket = AsyncIOMotorGridFSBucket(self._files_db())
        for found in await self._files_db()["fs.files"].find(self._by_metadata(metadata)).to_list(length=None):
            with contextlib.suppress(NoFile):  # deleted meanwhile by a twin's retry
                await bucket.delete(found["_id"])

    async def read_file(self, gridfs_id: Any) -> bytes:
        from motor.motor_asyncio import AsyncIOMotorGridFSBucket
        stream = await AsyncIOMotorGridFSBucket(self._files_db()).open_download_stream(gridfs_id)
        return await stream.read()


def open_read_store(uri: str, prefix: str) -> ReadStore:
    if uri == "memory":
        from mongomock_motor import AsyncMongoMockClient
        _look_ids_up_directly()
        return ReadStore(AsyncMongoMockClient(), prefix)
    from motor.motor_asyncio import AsyncIOMotorClient
    return ReadStore(AsyncIOMotorClient(uri, serverSelectionTimeoutMS=5000, tz_aware=True), prefix)


def _look_ids_up_directly() -> None:
    """mongomock scans every document even to find one by _id, so each projected event cost
    O(documents) and the embedded start-up rebuild grew quadratically (measured: 8.6k events took
    64 s to start). Serve _id equality from its dict; every other filter still scans."""
    from mongomock.collection import Collection
    from mongomock.filtering import filter_applies

    if getattr(Collection, "_id_lookup_patched", False):
        return
    scan = Collection._iter_documents

    def iter_documents(self: Any, query: Any) -> Any:
        doc_id = query.get("_id") if isinstance(query, dict) else None
        if doc_id is None or isinstance(doc_id, dict | list):
            return scan(self, query)
        candidates = [self._store[doc_id]] if doc_id in self._store else []
        return (document for document in candidates if filter_applies(query, document))

    Collection._iter_documents = iter_documents
    Collection._id_lookup_patched = True
