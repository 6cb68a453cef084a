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
