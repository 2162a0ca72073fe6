"""rsm-restore (deploy/backup/files/rsm-restore): its pure layer by exact output, and a studio's
restore from rsm-dump's dump against real PostgreSQL (in place and beside it). The cluster's
point-in-time restore needs pgBackRest and a server: tests/e2e/test_45_backups.py."""

from __future__ import annotations

import datetime as dt
import importlib.machinery
import importlib.util
import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tests.conftest import POSTGRES_URL, PREFIX, databases_with_prefix
from tests.unit.deploy.backup.test_rsm_dump import _runs_here, run_backup

pytestmark = pytest.mark.unit

SCRIPT = Path(__file__).resolve().parents[4] / "deploy" / "backup" / "files" / "rsm-restore"
_loader = importlib.machinery.SourceFileLoader("rsm_restore", str(SCRIPT))
r = importlib.util.module_from_spec(importlib.util.spec_from_loader(_loader.name, _loader))
_loader.exec_module(r)

NOW = dt.datetime(2026, 11, 30, 12, 0, 0, tzinfo=dt.UTC)


def test_settings_are_the_deploys_name_value_lines():
    assert r.parse_settings("# comment\nMASTER_DATABASE=rsm\nDUMPS=/var/backups/rsm\n\n") == {
        "MASTER_DATABASE": "rsm",
        "DUMPS": "/var/backups/rsm",
    }


def test_a_target_is_a_utc_instant_not_in_the_future():
    assert r.parse_target("2026-11-30 11:59:59+00", NOW) == dt.datetime(
        2026, 11, 30, 11, 59, 59, tzinfo=dt.UTC
    )
    for bad, why in [
        ("2026-11-30 12:00:01+00", "is in the future (now 2026-11-30 12:00:00+00)"),
        ("2026-11-30T11:00:00Z", "expected 'YYYY-MM-DD HH:MM:SS+00' (UTC)"),
        ("2026-11-30 11:00:00+01", "expected 'YYYY-MM-DD HH:MM:SS+00' (UTC)"),
        ("2026-02-30 11:00:00+00", "day is out of range for month"),
    ]:
        with pytest.raises(r.Refused) as refused:
            r.parse_target(bad, NOW)
        assert why in str(refused.value)


def test_the_restore_command():
    assert r.restore_command("rsm", dt.datetime(2026, 11, 30, 11, 30, tzinfo=dt.UTC)) == [
        "runuser",
        "-u",
        "postgres",
        "--",
        "pgbackrest",
        "--stanza=rsm",
        "--delta",
        "--type=time",
        "--target=2026-11-30 11:30:00+00",
        "--target-action=promote",
        "restore",
    ]


def test_the_end_of_archive_command():
    assert r.end_of_archive_command("rsm") == [
        "runuser",
        "-u",
        "postgres",
        "--",
        "pgbackrest",
        "--stanza=rsm",
        "--delta",
        "--type=default",
        "restore",
    ]


def _backup(label: str, stop: dt.datetime) -> dict:
    return {"label": label, "timestamp": {"start": stop.timestamp() - 60, "stop": stop.timestamp()}}


def test_the_backup_a_restore_starts_from():
    first, second = NOW - dt.timedelta(days=2), NOW - dt.timedelta(days=1)
    info = [{"name": "rsm", "backup": [_backup("F1", first), _backup("D1", second)]}]
    assert r.backup_before(info, NOW)["label"] == "D1"
    assert r.backup_before(info, second - dt.timedelta(seconds=1))["label"] == "F1"
    with pytest.raises(
        r.Refused, match="no backup ended before 2026-11-27 12:00:00\\+00; the oldest ended 2026-11-28"
    ):
        r.backup_before(info, NOW - dt.timedelta(days=3))
    with pytest.raises(r.Refused, match="holds no backup yet"):
        r.backup_before([{"name": "rsm", "backup": []}], NOW)


def test_the_latest_complete_dump_of_a_database(tmp_path):
    for stamp, names in [
        ("20261128T023000Z", ["rsm", "studio_a"]),
        ("20261129T023000Z", ["rsm", "studio_a", "studio_b"]),
        ("20261130T023000Z", ["rsm", "studio_b"]),
        ("20261130T090000Z.partial", ["studio_a"]),
    ]:
        (tmp_path / stamp).mkdir()
        for name in names:
            (tmp_path / stamp / f"{name}.dump").write_text("x")
    (tmp_path / "safety").mkdir()
    assert r.latest_dump(tmp_path, "studio_a") == tmp_path / "20261129T023000Z" / "studio_a.dump"
    assert r.latest_dump(tmp_path, "studio_b") == tmp_path / "20261130T023000Z" / "studio_b.dump"
    assert r.latest_dump(tmp_path, "studio_c") is None


def test_names():
    assert r.restoring_name("studio_" + "x" * 60) == "studio_" + "x" * 43 + "_restoring"
    assert r.ident('a"b') == '"a""b"'


# --- Against real PostgreSQL, as on a db host ---------------------------------------------------


def _restore(conf: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "RSM_BACKUP_CONF": str(conf),
        "PGHOST": POSTGRES_URL.host or "127.0.0.1",
        "PGPORT": str(POSTGRES_URL.port or 5432),
        "PGUSER": POSTGRES_URL.username or "postgres",
    }
    if POSTGRES_URL.password:
        env["PGPASSWORD"] = POSTGRES_URL.password
    return subprocess.run(["python3", str(SCRIPT), *args], env=env, capture_output=True, text=True, cwd="/")


def _rows(database: str) -> list[tuple]:
    engine = create_engine(POSTGRES_URL.set(database=database), poolclass=NullPool)
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text("SELECT id, name, email FROM clients ORDER BY id"))]


def _add_client(database: str, name: str) -> None:
    engine = create_engine(POSTGRES_URL.set(database=database), poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO clients (name, email) VALUES (:n, :e)"), {"n": name, "e": f"{name}@x.test"}
        )


def test_a_studio_from_its_latest_dump_in_place_and_beside(app, make_studio, master_database_url, tmp_path):
    reason = _runs_here()
    if reason:
        pytest.skip(reason)
    abbey = make_studio("abbey")
    _add_client(abbey.database_name, "before")
    master = make_url(master_database_url).database
    assert run_backup(master, tmp_path / "dumps").returncode == 0
    dumped = _rows(abbey.database_name)
    _add_client(abbey.database_name, "after")
    conf = tmp_path / "dumps.conf"  # run_backup's, naming the same dumps directory

    beside = PREFIX + "abbey_copy"
    result = _restore(conf, "studio", "abbey", "--as", beside)
    assert result.returncode == 0, result.stderr
    assert _rows(beside) == dumped and _rows(abbey.database_name) != dumped

    result = _restore(conf, "studio", "abbey")
    assert result.returncode == 0, result.stderr
    assert _rows(abbey.database_name) == dumped
    assert [p.name.split("-")[0] for p in (tmp_path / "dumps" / "safety").iterdir()] == [abbey.database_name]
    assert not [name for name in databases_with_prefix() if name.endswith("_restoring")]
    assert "rsm-restore: done: abbey's database" in result.stdout


def test_refusals(app, make_studio, master_database_url, tmp_path):
    reason = _runs_here()
    if reason:
        pytest.skip(reason)
    abbey = make_studio("abbey")
    master = make_url(master_database_url).database
    conf = tmp_path / "dumps.conf"
    conf.write_text(f"MASTER_DATABASE={master}\nDUMPS={tmp_path / 'dumps'}\nSTANZA=rsm\nPG_VERSION=17\n")

    result = _restore(conf, "studio", "nobody")
    assert (result.returncode, result.stderr) == (
        1,
        "rsm-restore: stopped: no studio with subdomain 'nobody'\n",
    )
    result = _restore(conf, "studio", "abbey")
    assert result.returncode == 1
    assert f"no dump of {abbey.database_name} in {tmp_path / 'dumps'} yet" in result.stderr
    result = _restore(conf, "studio", "abbey", "--as", "Bad-Name")
    assert "--as 'Bad-Name': lower-case letters, digits and _ only" in result.stderr
    result = _restore(conf, "cluster", "--to", "2999-01-01 00:00:00+00")
    assert result.returncode == 1 and "is in the future" in result.stderr
    conf.write_text(f"MASTER_DATABASE=\nDUMPS={tmp_path / 'dumps'}\nSTANZA=rsm\nPG_VERSION=17\n")
    result = _restore(conf, "studio", "abbey")
    assert result.returncode == 1
    assert "this db host does not hold the master database" in result.stderr
