"""How long a restarted mailer takes to find what it must still send, as registration's log grows.

    .venv/bin/python bench/mailer_restart.py [--notices 5000] [--pending 10]

In registration's own store (an SQLite file, as `make run` keeps it) it records N notices, each
queued and sent (two events), plus a few more still queued; then it starts a new Mailer twice:
  - from its checkpoint (how the mailer starts now: just before the oldest notice still pending);
  - from the start of the log (how it started before the checkpoint existed).
and prints how many events each read and how long the first scan took. Asserts nothing.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.registration.application import build_application  # noqa: E402
from shared.aggregate import system_actor  # noqa: E402
from shared.notices import Mailer, Notice  # noqa: E402
from shared.settings import Settings  # noqa: E402

ACTOR = system_actor("bench")


class Sink:
    name = "bench"

    def send(self, message) -> None:
        pass


def queue(app, tenant: str, n: int, offset: int) -> None:
    for i in range(offset, offset + n):
        asesi = f"asesi-{i}"
        notice = Notice(id=Notice.create_id(tenant, f"case-{i}", "accepted", 1), tenant=tenant, actor=ACTOR,
                        caused_by=f"bench-{i}", case_id=f"case-{i}", kind="accepted", asesi_id=asesi,
                        recipient=app.vault.seal(asesi, f"{asesi}@contoh.id"), subject="Permohonan diterima",
                        body=app.vault.seal(asesi, "Yth. Bapak/Ibu ...\n"))
        app.save(notice)


def first_scan(app, from_start: bool) -> tuple[int, float, int]:
    mailer = Mailer(app, Sink())
    if from_start:
        mailer.position = 0
    began = time.perf_counter()
    read = mailer.scan()
    return read, time.perf_counter() - began, len(mailer.pending)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=5000)
    parser.add_argument("--pending", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        app = build_application(Settings(data_dir=Path(data_dir), mode="embedded"))
        began = time.perf_counter()
        queue(app, "JKT01", args.notices, 0)
        mailer = Mailer(app, Sink())
        mailer.scan()
        mailer.send_due()
        mailer.scan()
        mailer.checkpoint()
        queue(app, "JKT01", args.pending, args.notices)
        print(f"recorded {args.notices} sent notices + {args.pending} pending "
              f"({app.recorder.max_notification_id()} events) in {time.perf_counter() - began:.1f} s")
        for label, from_start in (("from checkpoint", False), ("from the start", True)):
            read, seconds, pending = first_scan(app, from_start)
            print(f"{label:16}  events read {read:6d}  first scan {seconds * 1000:8.1f} ms  pending {pending}")
        app.close()


if __name__ == "__main__":
    main()
