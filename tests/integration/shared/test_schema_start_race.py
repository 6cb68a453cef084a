"""Processes of one service (and its projector, and the gateway's vault) start together and each
sets up the same PostgreSQL schema: none of them may fail for it."""
import secrets
import threading
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any, ClassVar

import psycopg

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


@contextmanager
def new_database(settings):
    """Settings naming a database that does not exist yet (a fresh machine); dropped afterwards."""
    fresh = settings.model_copy(update={"postgres_db": f"{settings.postgres_schema_prefix}db_{secrets.token_hex(3)}"})
    try:
        yield fresh
    finally:
        with psycopg.connect(host=fresh.postgres_host, user=fresh.postgres_user, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{fresh.postgres_db}" WITH (FORCE)')


def test_many_services_starting_on_a_database_that_does_not_exist_yet_all_start(settings):
    """A fresh machine: every service (and its projector) creates the database at once."""
    for _ in range(3):  # a new name each round: the race is on the first creation only
        with new_database(settings) as fresh:
            class Starter(ServiceApplication):
                name = f"starter{secrets.token_hex(3)}"
                commands: ClassVar[tuple[str, ...]] = ()
            apps, failures = race(10, lambda fresh=fresh, starter=Starter:
                                  starter(env=event_store_env(fresh, starter.name)))
            for app in apps:
                app.close()
            assert failures == [] and len(apps) == 10


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


def test_many_processes_opening_the_same_vault_at_once_all_start(settings, tmp_path):
    service = f"vault{secrets.token_hex(2)}"
    dev = settings.model_copy(update={"privacy_insecure_dev_key": True, "data_dir": tmp_path})  # its key file
    vaults, failures = race(8, lambda: Vault.for_service(dev, service))
    for vault in vaults:
        vault.close()
    assert failures == [] and len(vaults) == 8
