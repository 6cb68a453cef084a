"""Event store configuration and the base class of every service's eventsourcing Application."""
from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, TypeVar
from uuid import UUID

import psycopg
from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.postgres import PostgresProcessRecorder, PostgresTrackingRecorder
from psycopg import sql

from shared.aggregate import YearlySequence, as_uuid
from shared.errors import Conflict, NotFound
from shared.messaging.envelopes import timeline_entry
from shared.settings import Settings

T = TypeVar("T")


def schema_name(settings: Settings, service: str) -> str:
    return f"{settings.postgres_schema_prefix}{service}"


def event_store_env(settings: Settings, service: str) -> dict[str, str]:
    """SQLite file per service (embedded) or one PostgreSQL schema per service (distributed)."""
    common = {"SINGLE_ROW_TRACKING": "n"}  # multi-row: an older event arriving late is not mistaken for a duplicate
    if settings.resolved_event_store() == "sqlite":
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return {**common, "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(settings.data_dir / f"{service}.sqlite"), "SQLITE_LOCK_TIMEOUT": "10"}
    schema = schema_name(settings, service)
    ensure_postgres_schema(settings, schema)
    return {**common, "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": settings.postgres_db, "POSTGRES_HOST": settings.postgres_host,
            "POSTGRES_PORT": str(settings.postgres_port), "POSTGRES_USER": settings.postgres_user,
            "POSTGRES_PASSWORD": settings.postgres_password, "POSTGRES_SCHEMA": schema,
            "POSTGRES_ENABLE_DB_FUNCTIONS": "y", "POSTGRES_POOL_SIZE": "4",
            "PROCESS_RECORDER_TOPIC": "shared.eventstore:TrackingPostgresProcessRecorder"}


def ensure_postgres_schema(settings: Settings, schema: str) -> None:
    """Create the database and the schema if missing; safe with any number of processes starting at once.

    CREATE DATABASE and CREATE SCHEMA IF NOT EXISTS are not atomic against each other in PostgreSQL:
    racing starters fail with UniqueViolation on the catalogue's unique index (not DuplicateDatabase).
    So starters take turns through an advisory lock, and check again once they hold it."""
    base = dict(host=settings.postgres_host, port=settings.postgres_port,
                user=settings.postgres_user, password=settings.postgres_password or None)
    with psycopg.connect(dbname="postgres", autocommit=True, **base) as conn:
        exists = "SELECT 1 FROM pg_database WHERE datname=%s"
        if not conn.execute(exists, (settings.postgres_db,)).fetchone():
            with _advisory_lock(conn, f"create-database:{settings.postgres_db}"):
                if not conn.execute(exists, (settings.postgres_db,)).fetchone():
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings.postgres_db)))
    with psycopg.connect(dbname=settings.postgres_db, autocommit=True, **base) as conn:
        with _advisory_lock(conn, f"create-schema:{schema}"):
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def _advisory_lock(conn: psycopg.Connection, name: str) -> Iterator[None]:
    """A session-level advisory lock on this connection, released however the block ends."""
    key = _lock_key(name)
    conn.execute("SELECT pg_advisory_lock(%s)", (key,))
    try:
        yield
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


@contextlib.contextmanager
def setup_lock(env: dict[str, str]) -> Iterator[None]:
    """Serialises schema set-up (DDL) of one PostgreSQL schema across processes; nothing for SQLite."""
    schema = env.get("POSTGRES_SCHEMA")
    if not schema:
        yield
        return
    with psycopg.connect(host=env["POSTGRES_HOST"], port=int(env["POSTGRES_PORT"]), user=env["POSTGRES_USER"],
                         password=env.get("POSTGRES_PASSWORD") or None, dbname=env["POSTGRES_DBNAME"],
                         autocommit=True) as conn, _advisory_lock(conn, f"setup:{env['POSTGRES_DBNAME']}.{schema}"):
        yield


class TrackingPostgresProcessRecorder(PostgresProcessRecorder):
    """eventsourcing 9.5.6 ignores kwargs["tracking"] when POSTGRES_ENABLE_DB_FUNCTIONS=y (which
    doubles write throughput), so inbound events would never be marked as processed. Write the
    tracking row and call the insert function in one transaction. Covered by
    tests/integration/shared/test_inbox_postgres.py; re-check when upgrading eventsourcing."""

    def insert_events(self, stored_events: Any, **kwargs: Any) -> Any:
        tracking = kwargs.get("tracking")
        if tracking is None or not self.datastore.enable_db_functions:
            return super().insert_events(stored_events, **kwargs)
        rows = [self.construct_pg_stored_event(originator_id=e.originator_id, originator_version=e.originator_version,
                                               topic=e.topic, state=e.state) for e in stored_events]
        with self.datastore.transaction(commit=True) as cursor:
            self._insert_tracking(cursor, tracking)
            if not rows:
                return []
            cursor.execute(self.sql_invoke_pg_function_insert_events, (rows,), prepare=True)
            return [row[self.pg_function_name_insert_events] for row in cursor.fetchall()]


class ServiceApplication(Application):
    """One per service. Records inbound-event tracking atomically with the events it causes."""

    name: ClassVar[str]

    def __init__(self, env: dict[str, str] | None = None):
        super().__init__(env)
        self.listeners: list[Any] = []  # called after each save (wakes this process's relay/projector)

    def _notify(self, recordings: Any) -> None:
        super()._notify(recordings)
        for listener in self.listeners:
            listener()

    def case_parts(self, tenant: str | None, case_id: str) -> list[UUID]:
        """The ids of the aggregates this service holds for a case, the case's own first (its id is the
        case id); a service whose case has several parts lists them all (ids derived from the case id,
        shared.aggregate.case_part_id), so the per-case log needs no index."""
        return [as_uuid(case_id, "case_id")]

    def case_timeline(self, tenant: str | None, case_id: str) -> list[dict[str, Any]]:
        """This service's part of a case's history, straight from its event log: the events of every
        aggregate of the case, merged in the order they happened (time; at the same instant the order of
        case_parts, which is the order a case moves through them; within a part, its versions)."""
        parts = [list(self.events.get(part_id)) for part_id in self.case_parts(tenant, case_id)]
        if not parts[0] or (tenant is not None and parts[0][0].tenant != tenant):
            return []
        merged = sorted(((event.timestamp, rank, event.originator_version, event)
                         for rank, events in enumerate(parts) for event in events
                         if tenant is None or event.tenant == tenant), key=lambda row: row[:3])
        return [timeline_entry(self.name, row[3]) for row in merged]

    def construct_recorder(self) -> Any:
        # A service, its other processes and its projector start together and all create the
        # tables and functions. PostgreSQL's CREATE ... IF NOT EXISTS / OR REPLACE is not atomic
        # (unique violations, "already exists", "tuple concurrently updated"), so take turns.
        with setup_lock(self.env):
            return self.factory.process_recorder()

    def get_owned(self, aggregate_id: UUID, tenant: str | None, what: str, kind: type | None = None) -> Any:
        """The aggregate, if it exists in this tenant. Another branch's record answers 404 too."""
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound("{what} not found", what=what) from None
        if (tenant is not None and aggregate.tenant != tenant) or (kind and not isinstance(aggregate, kind)):
            raise NotFound("{what} not found", what=what)
        return aggregate

    def exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.repository

    def save_checked(self, *aggregates: Any) -> None:
        """Save; a concurrent writer that got there first is a 409, never a lost update."""
        try:
            self.save(*aggregates)
        except IntegrityError as error:
            raise Conflict("the record was changed by someone else; reload and retry") from error

    def sequence(self, tenant: str, actor: Any, kind: str, year: int) -> YearlySequence:
        """This branch's numbering for a kind of document this year (opened on first use)."""
        sequence_id = YearlySequence.create_id(tenant, kind, year)
        if self.exists(sequence_id):
            return self.repository.get(sequence_id)
        return YearlySequence(tenant=tenant, actor=actor, kind=kind, year=year)

    def retry_on_conflict(self, attempt: Callable[[], T], attempts: int = 5) -> T:
        """Run a load-decide-save command again when a concurrent writer got there first
        (e.g. two officers taking the next number at the same moment)."""
        for _ in range(attempts):
            try:
                return attempt()
            except IntegrityError:
                continue
        raise Conflict("the record is busy; retry in a moment")

    def save_tracked(self, tracking: Tracking, *aggregates: Any) -> None:
        """New events and the inbound position in one transaction: an effect happens once."""
        processing = ProcessingEvent(tracking)
        processing.collect_events(*aggregates)
        recordings = self._record(processing)
        self._notify(recordings)

    def is_tracked(self, tracking: Tracking) -> bool:
        """Exact match (the library's has_tracking_id answers 'max >= id', wrong for multi-row)."""
        recorder = self.recorder
        if isinstance(recorder, PostgresTrackingRecorder):
            table = f'"{recorder.datastore.schema}"."{recorder.tracking_table_name}"'
            sql = f"SELECT 1 FROM {table} WHERE application_name=%s AND notification_id=%s"
        else:
            sql = "SELECT 1 FROM tracking WHERE application_name=? AND notification_id=?"
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(sql, (tracking.application_name, tracking.notification_id))
            return cursor.fetchone() is not None

    def stored_events(self, aggregate_id: UUID) -> list[Any]:
        return list(self.events.get(aggregate_id))
