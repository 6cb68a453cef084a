"""Login throttle counters and revoked tokens, in two small tables beside the identity event store.

They live in the identity store's own database (its SQLite file, or its PostgreSQL schema), so every
gateway process sees the same state, and every change is one atomic statement (UPSERT ... RETURNING):
requests racing in one process or in many can never both pass the same check. Times are Unix seconds
(every process shares the wall clock); rows that mean nothing any more are purged now and then.
"""
import contextlib
import re
from collections.abc import Iterator
from typing import Any

from eventsourcing.postgres import PostgresDatastore

# One attempt on a counter. A locked counter stays as it is. A counter whose window is over starts a
# new window. Otherwise it counts one more, and the attempt past the limit locks it: the lock is also
# the window's new end, so once the lock is over the counter starts afresh.
RESERVE = """
INSERT INTO {table} AS t (key, attempts, window_end, locked_until) VALUES (:key, 1, :window_end, 0)
ON CONFLICT (key) DO UPDATE SET
  attempts = CASE WHEN t.locked_until > :now THEN t.attempts
                  WHEN t.window_end <= :now THEN 1 ELSE t.attempts + 1 END,
  window_end = CASE WHEN t.locked_until > :now THEN t.window_end
                    WHEN t.window_end <= :now THEN :window_end
                    WHEN t.attempts + 1 > :limit THEN :locked_until ELSE t.window_end END,
  locked_until = CASE WHEN t.locked_until > :now THEN t.locked_until
                      WHEN t.window_end > :now AND t.attempts + 1 > :limit THEN :locked_until
                      ELSE t.locked_until END
RETURNING locked_until
"""


class AuthStore:
    def __init__(self, datastore: Any):
        self.datastore = datastore
        self._pg = isinstance(datastore, PostgresDatastore)
        prefix = f'"{datastore.schema}".' if self._pg else ""
        self.counters, self.revoked = f"{prefix}login_throttle", f"{prefix}revoked_tokens"
        self._create_tables()

    @classmethod
    def for_application(cls, app: Any) -> "AuthStore":
        """The store beside a running Application's events (shares its connection pool)."""
        return cls(app.recorder.datastore)

    # -- throttle counters ----------------------------------------------------------------------

    def reserve(self, key: str, limit: int, window: float, lock: float, now: float) -> float:
        """Count an attempt; returns when the counter is locked until (<= now: the attempt may go ahead)."""
        row = self._execute(RESERVE.format(table=self.counters), key=key, now=now, limit=limit,
                            window_end=now + window, locked_until=now + lock)
        return float(row["locked_until"])

    def release(self, key: str) -> None:
        """Take back an attempt that was not a failure."""
        self._execute(f"UPDATE {self.counters} SET attempts = attempts - 1 WHERE key = :key AND attempts > 0",
                      key=key)

    def reset(self, key: str) -> None:
        self._execute(f"DELETE FROM {self.counters} WHERE key = :key", key=key)

    # -- revoked tokens -------------------------------------------------------------------------

    def revoke(self, jti: str, expires_at: float) -> None:
        self._execute(f"INSERT INTO {self.revoked} (jti, expires_at) VALUES (:jti, :expires_at)"
                      " ON CONFLICT (jti) DO NOTHING", jti=jti, expires_at=expires_at)

    def is_revoked(self, jti: str) -> bool:
        """One primary-key lookup; it runs on every authenticated request."""
        with self._cursor(commit=False) as cursor:
            cursor.execute(self._sql(f"SELECT 1 FROM {self.revoked} WHERE jti = :jti"), {"jti": jti})
            return cursor.fetchone() is not None

    def purge(self, now: float) -> None:
        """Forget expired counters and revocations of tokens that have expired anyway."""
        self._execute(f"DELETE FROM {self.counters} WHERE window_end < :now AND locked_until < :now", now=now)
        self._execute(f"DELETE FROM {self.revoked} WHERE expires_at < :now", now=now)

    # -- storage (the same SQL on SQLite and PostgreSQL) ----------------------------------------

    def _sql(self, sql: str) -> str:
        return re.sub(r":(\w+)", r"%(\1)s", sql) if self._pg else sql

    def _execute(self, sql: str, **params: Any) -> Any:
        with self._cursor(commit=True) as cursor:
            cursor.execute(self._sql(sql), params)
            return cursor.fetchone() if "RETURNING" in sql else None

    @contextlib.contextmanager
    def _cursor(self, commit: bool) -> Iterator[Any]:
        """For one statement, atomic by itself. PostgreSQL: straight on the pool's autocommit connection,
        one round trip instead of three (BEGIN, statement, COMMIT). SQLite: in the datastore's own
        transaction, which keeps its reader and writer locks."""
        if self._pg:
            with self.datastore.get_connection() as connection:
                yield connection.cursor()
        else:
            with self.datastore.transaction(commit=commit) as cursor:
                yield cursor

    def _create_tables(self) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            if self._pg:  # gateways starting together collide in PostgreSQL's catalog: take turns
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"setup:{self.counters}",))
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {self.counters} (key TEXT PRIMARY KEY,"
                           " attempts INTEGER NOT NULL, window_end DOUBLE PRECISION NOT NULL,"
                           " locked_until DOUBLE PRECISION NOT NULL)")
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {self.revoked} (jti TEXT PRIMARY KEY,"
                           " expires_at DOUBLE PRECISION NOT NULL)")
