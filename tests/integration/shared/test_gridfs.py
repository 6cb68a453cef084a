"""GridFsFileStore over the wire: motor's GridFS against nx-27017, the MongoDB stand-in that
`deploy/run_local.py --mongo-standin` runs. Needs neither RabbitMQ nor PostgreSQL."""
import subprocess

import pytest

from deploy.run_local import ensure_standin_venv, tcp_open, wait_for
from shared.errors import Conflict, NotFound
from shared.files import GridFsFileStore, check_upload, keep_if_accepted, save_upload
from shared.readstore import open_read_store
from tests.conftest import free_port, unavailable
from tests.support.samples import pdf_of_size, tiny_jpeg, tiny_pdf

pytestmark = pytest.mark.integration



@pytest.fixture(scope="module")
def standin_uri(tmp_path_factory):
    data = tmp_path_factory.mktemp("nx")
    try:
        exe = ensure_standin_venv()
    except (OSError, subprocess.CalledProcessError) as error:
        unavailable(f"cannot install the nx-27017 stand-in: {error}")
    port = free_port()
    # --db <file>, as run_local.py starts it
    proc = subprocess.Popen([str(exe), "--data-dir", str(data), "--host", "127.0.0.1", "-p", str(port),
                             "--log-file", str(data / "nx.log"), "--pid-file", str(data / "nx.pid")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: tcp_open("127.0.0.1", port), 30, "nx-27017")
        yield f"mongodb://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@pytest.fixture
async def read_store(standin_uri, request):
    store = open_read_store(standin_uri, f"gridfs_{request.node.name[:40]}")
    yield store
    store.close()


async def copies(read_store, tenant: str, sha256: str) -> int:
    # by content as well as tenant: with --db <file> nx-27017 shares one fs.files table among all
    # databases, so other tests' files (other prefixes) show up here too
    return len(await read_store.client[f"{read_store.prefix}_files"]["fs.files"].find(
        {"metadata.tenant": tenant, "metadata.sha256": sha256}).to_list(length=None))


async def test_round_trip_of_a_file_of_several_chunks(read_store):
    store = GridFsFileStore(read_store)
    content = pdf_of_size(700_000)  # three 255 KiB GridFS chunks
    file_id, upload = await save_upload(store, "JKT01", content, "portofolio/laporan.pdf", max_bytes=1 << 20)
    meta, got = await store.get("JKT01", file_id)
    assert got == content
    assert (meta["tenant"], meta["sha256"], meta["media_type"], meta["filename"], meta["size"]) == (
        "JKT01", upload.sha256, "application/pdf", "laporan.pdf", 700_000)


async def test_same_content_once_per_tenant_and_no_other_tenant_reads_it(read_store):
    store = GridFsFileStore(read_store)
    first, _ = await save_upload(store, "JKT01", tiny_jpeg(), "a.jpg")
    second, _ = await save_upload(store, "JKT01", tiny_jpeg(), "b.jpg")
    assert first == second and await copies(read_store, "JKT01", first) == 1
    with pytest.raises(NotFound):
        await store.get("SBY01", first)
    await save_upload(store, "SBY01", tiny_jpeg(), "a.jpg")
    assert await copies(read_store, "SBY01", first) == 1
    assert (await store.get("SBY01", first))[1] == tiny_jpeg()


async def test_staged_uploads_are_served_then_kept_once_or_deleted(read_store):
    """The staged path over the wire: a staged copy is served (a crash before promotion loses nothing),
    promotion keeps one copy per tenant and content, and a refused command leaves nothing."""
    store = GridFsFileStore(read_store)
    content = pdf_of_size(300_001)  # two GridFS chunks, content no other test stores
    upload = check_upload(content, "bukti.pdf", max_bytes=1 << 20)
    staged = await store.stage("JKT01", upload, content)  # the command is saved; the gateway dies here
    metadata, got = await store.get("JKT01", upload.sha256)
    assert got == content and metadata["pending"] == staged.token
    refused = await store.stage("JKT01", upload, content)  # the same file uploaded again, refused
    await store.discard(refused)
    assert await copies(read_store, "JKT01", upload.sha256) == 1
    await store.promote(staged)  # after the restart, or the next upload of the same file
    metadata, got = await store.get("JKT01", upload.sha256)
    assert got == content and "pending" not in metadata and metadata["filename"] == "bukti.pdf"
    twin = await store.stage("JKT01", upload, content)
    await store.promote(twin)  # kept already: the twin's copy goes
    assert await copies(read_store, "JKT01", upload.sha256) == 1

    other = check_upload(tiny_pdf(padding=7), "a.pdf", max_bytes=1024)
    with pytest.raises(Conflict):
        async with keep_if_accepted(store, "JKT01", other, tiny_pdf(padding=7)):
            raise Conflict("not possible while the application is '{status}'", status="paid")
    assert await copies(read_store, "JKT01", other.sha256) == 0
    with pytest.raises(NotFound):
        await store.get("JKT01", other.sha256)


async def test_a_concurrent_second_copy_is_refused_by_the_unique_index(read_store):
    await read_store.ensure_file_index("tenant", "sha256", "pending")
    indexes = await read_store.client[f"{read_store.prefix}_files"]["fs.files"].index_information()
    if not any(spec.get("unique") for spec in indexes.values()):
        pytest.skip("nx-27017 0.8.1 creates no index on GridFS collections: handler.py sends createIndexes "
                    "on fs.files to GridFSAdapter.create_indexes(), which drops the index spec and answers ok "
                    f"(indexes now: {sorted(indexes)}). So on the stand-in two uploads racing past find_file "
                    "both store a copy; MongoDB enforces the index (unit test on mongomock).")
    upload = check_upload(tiny_pdf(), "a.pdf", max_bytes=1024)
    metadata = {"tenant": "JKT01", "sha256": upload.sha256}
    assert await read_store.put_file("a.pdf", tiny_pdf(), metadata) is True
    assert await read_store.put_file("a.pdf", tiny_pdf(), metadata) is False
    assert await copies(read_store, "JKT01", upload.sha256) == 1
