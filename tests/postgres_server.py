"""A second, private PostgreSQL server for the tests of studios spread over several servers:
initdb and pg_ctl from the local PostgreSQL's binaries, run as the postgres OS user, in a temporary
directory, on a free loopback port, trust authentication; stopped and removed at the end."""

from __future__ import annotations

import glob
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.redis_server import _free_port


def postgres_bin() -> Path | None:
    """The newest local PostgreSQL's binaries directory, None when there is no initdb."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def _as_postgres(*command: str) -> None:
    subprocess.run(
        ["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True, timeout=120
    )


@contextmanager
def private_postgres() -> Iterator[str]:
    """Yield the URL (role postgres, database postgres) of a fresh PostgreSQL server."""
    binaries = postgres_bin()
    if binaries is None:
        raise FileNotFoundError("no initdb under /usr/lib/postgresql/*/bin")
    directory = Path(tempfile.mkdtemp(prefix="rsm-second-postgres-"))
    shutil.chown(directory, "postgres", "postgres")
    data, port = directory / "data", _free_port()
    _as_postgres(str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync")
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {directory} -c fsync=off -c full_page_writes=off"
    _as_postgres(
        str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(directory / "log"), "-w", "start"
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        _as_postgres(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(directory, ignore_errors=True)
