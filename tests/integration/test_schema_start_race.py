"""Processes of one service (and its projector, and the gateway's vault) start together and each
sets up the same PostgreSQL schema: none of them may fail for it."""
import secrets
import threading
from collections.abc import Callable
from typing import Any, ClassVar

from shared.eventstore import ServiceApplication, ensure_postgres_schema, event_store_env
from shared.privacy import Vault


def race(threads: int, start_up: Callable[[], Any]) -> tuple[list[Any], list[str]]:
    """Run start_up in that many threads released at once: (what they built, how they failed)."""
    barrier, built, failures = threading.Barrier(threads), [], []

    def one() -> None:
        barrier.wait()
        try:
            built.append(start_up())
        except Exception as error:  # noqa: BLE001  (any failure is what these tests are about)
            failures.append(repr(error))

    workers = [threading.Thread(target=one) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return built, failures


def test_many_processes_creating_the_same_schema_at_once_all_start(settings):
    for _ in range(5):  # the window is narrow: give it several chances
        schema = f"{settings.postgres_schema_prefix}race_{secrets.token_hex(3)}"
        _, failures = race(12, lambda schema=schema: ensure_postgres_schema(settings, schema))
        assert failures == []


def test_many_processes_creating_the_same_event_tables_at_once_all_start(settings):
    for _ in range(3):
        class Racer(ServiceApplication):
            name = f"racer{secrets.token_hex(3)}"
            commands: ClassVar[tuple[str, ...]] = ()
        apps, failures = race(8, lambda racer=Racer: racer(env=event_store_env(settings, racer.name)))
        for app in apps:
            app.close()
        assert failures == [] and len(apps) == 8


def test_many_processes_opening_the_same_vault_at_once_all_start(settings):
    service = f"vault{secrets.token_hex(2)}"
    dev = settings.model_copy(update={"privacy_insecure_dev_key": True})
    vaults, failures = race(8, lambda: Vault.for_service(dev, service))
    for vault in vaults:
        vault.close()
    assert failures == [] and len(vaults) == 8
