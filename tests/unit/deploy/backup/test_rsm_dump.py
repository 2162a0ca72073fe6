"""rsm-dump against real PostgreSQL: the master database and exactly the studios' databases it
lists, whatever TENANT_DATABASE_PREFIX named them (the tests' prefix is not the default one, and a
database with that prefix that no studio names is left out).

It runs as on a database server: as root, reaching PostgreSQL as the `postgres` user (here over
TCP, with the tests' PG* connection variables, which runuser passes on).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from deploy.backup.config import DUMP_SCRIPT
from tests.conftest import POSTGRES_URL, PREFIX, drop_databases, server_engine

REPO = Path(__file__).resolve().parents[4]
SCRIPT = REPO / "deploy" / "backup" / "files" / "rsm-dump"


def _runs_here() -> str | None:
    if os.geteuid() != 0:
        return "needs root (it runs pg_dump as the postgres user, as on a server)"
    missing = [tool for tool in ("runuser", "pg_dump", "psql", "pg_restore") if not shutil.which(tool)]
    if missing:
        return f"needs {', '.join(missing)}"
    if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
        return "needs a postgres user"
    return None


def run_backup(master: str, root: Path, *args: str) -> subprocess.CompletedProcess:
    conf = root.parent / f"{root.name}.conf"
    conf.write_text(f"MASTER_DATABASE={master}\nDUMPS={root}\nRETENTION_DAYS=14\nREMOTE=\n")
    env = {
        **os.environ,
        "RSM_BACKUP_CONF": str(conf),
        "PGHOST": POSTGRES_URL.host or "127.0.0.1",
        "PGPORT": str(POSTGRES_URL.port or 5432),
        "PGUSER": POSTGRES_URL.username or "postgres",
    }
    if POSTGRES_URL.password:
        env["PGPASSWORD"] = POSTGRES_URL.password
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        cwd="/",
    )


def test_the_deploy_installs_it_where_the_timer_runs_it():
    assert SCRIPT.name == Path(DUMP_SCRIPT).name


def test_backup_dumps_the_master_and_the_studios_it_lists(app, make_studio, master_database_url, tmp_path):
    reason = _runs_here()
    if reason:
        pytest.skip(reason)
    abbey, cleo = make_studio("abbey"), make_studio("cleo")
    stray = PREFIX + "t_not_a_studio"  # the studios' prefix, but no organization names it
    with server_engine().connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{stray}"')
    drop_databases([cleo.database_name])  # an organization whose database is gone
    master = make_url(master_database_url).database

    result = run_backup(master, tmp_path / "dumps")

    assert result.returncode == 0, result.stderr
    backup = Path(result.stdout.splitlines()[-1])
    assert backup.parent == tmp_path / "dumps" and not list(backup.parent.glob("*.partial"))
    assert sorted(p.name for p in backup.iterdir()) == sorted(
        ["SHA256SUMS", "globals.sql", f"{master}.dump", f"{abbey.database_name}.dump"]
    )
    assert "CREATE ROLE" in (backup / "globals.sql").read_text()
    assert f"database {cleo.database_name}, which does not exist; skipped" in result.stderr
    assert oct(backup.stat().st_mode & 0o777) == "0o700"
    listing = subprocess.run(
        ["pg_restore", "--list", str(backup / f"{abbey.database_name}.dump")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"TABLE DATA public \w+", listing), listing  # the studio's tables, with their rows
    assert subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=backup).returncode == 0


def test_one_studio_alone_as_its_final_dump(app, make_studio, master_database_url, tmp_path):
    reason = _runs_here()
    if reason:
        pytest.skip(reason)
    abbey = make_studio("abbey")

    master = make_url(master_database_url).database

    result = run_backup(master, tmp_path / "dumps", "--studio", "abbey")

    assert result.returncode == 0, result.stderr
    backup = Path(result.stdout.splitlines()[-1])
    assert sorted(p.name for p in backup.iterdir()) == ["SHA256SUMS", f"{abbey.database_name}.dump"]
    result = run_backup(master, tmp_path / "dumps", "--studio", "nobody'; --")
    assert (result.returncode, result.stderr) == (1, "rsm-dump: no studio with subdomain 'nobody'; --'\n")


def test_backup_fails_without_the_master_database_and_leaves_nothing(tmp_path):
    reason = _runs_here()
    if reason:
        pytest.skip(reason)
    result = run_backup(PREFIX + "no_such_master", tmp_path / "backups")
    assert result.returncode != 0
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())
