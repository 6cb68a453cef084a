"""Processes of one service start together and each makes sure its PostgreSQL schema exists."""
import secrets
import threading

from shared.eventstore import ensure_postgres_schema


def test_many_processes_creating_the_same_schema_at_once_all_start(settings):
    schema = f"{settings.postgres_schema_prefix}race_{secrets.token_hex(3)}"
    start, failures = threading.Barrier(12), []

    def create() -> None:
        start.wait()
        try:
            ensure_postgres_schema(settings, schema)
        except Exception as error:  # noqa: BLE001  (any failure is what this test is about)
            failures.append(repr(error))

    for _ in range(5):  # the window is narrow: give it several chances
        workers = [threading.Thread(target=create) for _ in range(12)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        schema += "x"
        start.reset()
    assert failures == []


def test_many_processes_creating_the_same_event_tables_at_once_all_start(settings):
    from typing import ClassVar

    from shared.eventstore import ServiceApplication, event_store_env

    failures, apps = [], []
    for round_ in range(3):
        class Racer(ServiceApplication):
            name = f"racer{round_}{secrets.token_hex(2)}"
            commands: ClassVar[tuple[str, ...]] = ()
        start = threading.Barrier(8)

        def build(start: threading.Barrier = start, racer: type = Racer) -> None:
            start.wait()
            try:
                apps.append(racer(env=event_store_env(settings, racer.name)))
            except Exception as error:  # noqa: BLE001
                failures.append(repr(error))

        workers = [threading.Thread(target=build) for _ in range(8)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    for app in apps:
        app.close()
    assert failures == [] and len(apps) == 24


def test_many_processes_opening_the_same_vault_at_once_all_start(settings):
    from shared.privacy import Vault

    service = f"vault{secrets.token_hex(2)}"
    start, failures, vaults = threading.Barrier(8), [], []

    def open_vault() -> None:
        start.wait()
        try:
            vaults.append(Vault.for_service(settings.model_copy(update={"privacy_insecure_dev_key": True}), service))
        except Exception as error:  # noqa: BLE001
            failures.append(repr(error))

    workers = [threading.Thread(target=open_vault) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    for vault in vaults:
        vault.close()
    assert failures == [] and len(vaults) == 8
