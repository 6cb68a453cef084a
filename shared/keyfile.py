"""Secrets generated on first start and kept in the data directory (embedded mode, local development).

Processes starting together must all end up with the same secret, and nobody else may read it: the
file is written completely under a private temporary name with mode 0600, then linked into place,
which is atomic, so of several starters exactly one wins and the others read the winner's file.
"""
import os
import threading
from collections.abc import Callable
from pathlib import Path


def read_or_create(path: Path, make: Callable[[], str]) -> tuple[str, bool]:
    """The file's text (stripped), and whether this call created it from make()."""
    created = False
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(make() + "\n")
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(tmp, path)
            created = True
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip(), created
