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
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from deploy.backup.config import DUMP_SCRIPT
from tests.conftest import POSTGRES_URL, PREFIX, drop_databases, server_engine
from tests.postgres_server import postgres_bin, private_postgres

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


def run_backup(
    master: str, root: Path, *args: str, server: str = "main", url=POSTGRES_URL
) -> subprocess.CompletedProcess:
    conf = root.parent / f"{root.name}.conf"
    conf.write_text(
        f"MASTER_DATABASE={master}\nSERVER_NAME={server}\nDUMPS={root}\nRETENTION_DAYS=14\nREMOTE=\n"
    )
    env = {
        **os.environ,
        "RSM_BACKUP_CONF": str(conf),
        "PGHOST": url.host or "127.0.0.1",
        "PGPORT": str(url.port or 5432),
        "PGUSER": url.username or "postgres",
    }
    if url.password:
        env["PGPASSWORD"] = url.password
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
    abbey, cleo, dora = make_studio("abbey"), make_studio("cleo"), make_studio("dora")
    stray = PREFIX + "t_not_a_studio"  # the studios' prefix, but no organization names it
    with server_engine().connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{stray}"')
    drop_databases([cleo.database_name])  # an organization whose database is gone
    with create_engine(master_database_url).begin() as conn:  # dora's lives on another server
        conn.execute(text("UPDATE organizations SET database_server = 'db-2' WHERE subdomain = 'dora'"))
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
    assert dora.database_name not in result.stderr
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


def test_another_db_host_dumps_every_database_it_holds(tmp_path):
    """A db host without the master database: the studios' databases placed on it, whatever
    their names, and none of PostgreSQL's own (postgres, the templates)."""
    reason = _runs_here() or (postgres_bin() is None and "needs initdb for a second server")
    if reason:
        pytest.skip(reason)
    with private_postgres() as url:
        empty = run_backup("", tmp_path / "empty", server="db-2", url=make_url(url))
        engine = create_engine(
            make_url(url).set(drivername="postgresql+psycopg"),
            poolclass=NullPool,
            isolation_level="AUTOCOMMIT",
        )
        with engine.connect() as conn:
            for name in ("studio_7", "studio_9"):
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        engine.dispose()

        result = run_backup("", tmp_path / "dumps", server="db-2", url=make_url(url))
        refused = run_backup("", tmp_path / "dumps", "--studio", "abbey", server="db-2", url=make_url(url))
        one = run_backup("", tmp_path / "dumps", "--database", "studio_9", server="db-2", url=make_url(url))
        missing = run_backup("", tmp_path / "dumps", "--database", "nope", server="db-2", url=make_url(url))

    assert empty.returncode == 0, empty.stderr  # no studio placed here yet: the roles alone
    assert sorted(p.name for p in Path(empty.stdout.splitlines()[-1]).iterdir()) == [
        "SHA256SUMS",
        "globals.sql",
    ]
    assert result.returncode == 0, result.stderr
    backup = Path(result.stdout.splitlines()[-1])
    assert sorted(p.name for p in backup.iterdir()) == [
        "SHA256SUMS",
        "globals.sql",
        "studio_7.dump",
        "studio_9.dump",
    ]
    assert refused.returncode == 1 and "rsm-dump --database NAME" in refused.stderr
    assert one.returncode == 0, one.stderr
    assert sorted(p.name for p in Path(one.stdout.splitlines()[-1]).iterdir()) == [
        "SHA256SUMS",
        "studio_9.dump",
    ]
    assert (missing.returncode, missing.stderr) == (1, "rsm-dump: no database 'nope' on this server\n")
