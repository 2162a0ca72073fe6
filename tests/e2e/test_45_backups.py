"""Backups on the converged server: pgBackRest's WAL archive and timers, the encrypted repository
on the backup host, root-only dumps, and two restore drills through the operator's commands.

The drills write bookings and invoices into the demo studio (rows tagged with this run's tag),
take a backup, write more, note the time, write more after it, destroy, restore, and compare row
by row: everything up to the noted time is back, nothing after it. Seconds of data, not minutes.
"""

from __future__ import annotations

import os
import secrets
import shlex
import time

import pytest

from e2e import demo
from e2e.util import REPO, run

PG = "17"
DATA_DIR = f"/var/lib/postgresql/{PG}/main"
TAG = secrets.token_hex(4)


def operator_script(state: dict, script: str, *args: str, **env: str):
    """`scripts/SCRIPT root@SERVER ARGS...` with the harness's SSH key, as an operator runs it."""
    ssh_opts = (
        f"-i {state['ssh_key']} -o BatchMode=yes -o StrictHostKeyChecking=no "
        "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
    )
    return run(
        [str(REPO / "scripts" / script), f"root@{state['server_ip']}", *args],
        env=dict(os.environ, SSH_OPTS=ssh_opts, **env),
        timeout=900,
        check=False,
    )


class Studio:
    """The demo studio's database, through psql as postgres on the server."""

    def __init__(self, srv, database: str):
        self.srv, self.database = srv, database
        self.batches = 0

    def sql(self, sql: str, database: str | None = None) -> str:
        database = shlex.quote(database or self.database)
        return self.srv.check(
            f"runuser -u postgres -- psql -AtX -v ON_ERROR_STOP=1 -d {database} -c {shlex.quote(sql)}"
        ).strip()

    def setup(self) -> None:
        self.sql(
            f"INSERT INTO rooms (name, hourly_rate_cents, is_active) VALUES ('Drill {TAG}', 5000, true);"
            f"INSERT INTO clients (name, email) VALUES ('Drill {TAG}', 'drill-{TAG}@example.com');"
        )

    def write(self) -> int:
        """One batch: a booking and an invoice, committed together."""
        self.batches += 1
        n = self.batches
        self.sql(
            "BEGIN;"
            "INSERT INTO bookings (room_id, client_id, starts_at, ends_at, status, notes) SELECT r.id, c.id, "
            f"timestamptz '2031-01-01 10:00+00' + interval '3 hours' * {n}, "
            f"timestamptz '2031-01-01 11:00+00' + interval '3 hours' * {n}, 'booked', 'drill {TAG} {n}' "
            f"FROM rooms r, clients c WHERE r.name = 'Drill {TAG}' AND c.email = 'drill-{TAG}@example.com';"
            "INSERT INTO invoices (number, client_id, status, tax_rate_bp, subtotal_cents, tax_cents, "
            f"total_cents, notes) SELECT 'D-{TAG}-{n}', c.id, 'draft', 0, {n * 100}, 0, {n * 100}, "
            f"'drill {TAG} {n}' FROM clients c WHERE c.email = 'drill-{TAG}@example.com';"
            "COMMIT;"
        )
        return n

    def rows(self, database: str | None = None) -> list[str]:
        """This run's bookings and invoices, every column, in id order."""
        bookings = self.sql(
            f"SELECT b.* FROM bookings b WHERE b.notes LIKE 'drill {TAG} %' ORDER BY b.id", database
        )
        invoices = self.sql(
            f"SELECT i.* FROM invoices i WHERE i.notes LIKE 'drill {TAG} %' ORDER BY i.id", database
        )
        return [f"booking {line}" for line in bookings.splitlines()] + [
            f"invoice {line}" for line in invoices.splitlines()
        ]


@pytest.fixture(scope="module")
def studio(srv, scenario, e2e_state) -> Studio:
    demo.ensure(scenario, e2e_state)
    database = srv.check(
        "runuser -u postgres -- psql -AtX -d rsm -c "
        + shlex.quote(f"SELECT database_name FROM organizations WHERE subdomain = '{demo.SUBDOMAIN}'")
    ).strip()
    assert database
    studio = Studio(srv, database)
    studio.setup()
    return studio


def test_backup_timers_are_active_and_enabled(host, backup_host):
    for unit in ("rsm-backup-full.timer", "rsm-backup-diff.timer", "rsm-dump.timer"):
        assert host.service(unit).is_running and host.service(unit).is_enabled, unit
    assert backup_host.service("rsm-prune-dumps.timer").is_running
    assert backup_host.service("rsm-prune-dumps.timer").is_enabled


def test_wal_archiving_succeeds(srv):
    srv.check("runuser -u postgres -- pgbackrest --stanza=rsm check")  # switches and archives a segment
    query = "SELECT archived_count, failed_count FROM pg_stat_archiver"
    archived, failed = srv.check(f"runuser -u postgres -- psql -AtX -F ' ' -c {shlex.quote(query)}").split()
    assert int(archived) > 0 and int(failed) == 0, (archived, failed)


def test_the_deploy_took_a_first_full_backup_into_an_encrypted_repository(srv):
    info = srv.check("runuser -u postgres -- pgbackrest --stanza=rsm info")
    assert "status: ok" in info and "cipher: aes-256-cbc" in info, info
    assert "full backup:" in info, info


def test_the_repository_is_on_the_backup_host_encrypted_and_its_users_only(backup_host):
    home = "/var/lib/rsm-backup"
    info = backup_host.file(f"{home}/pgbackrest/backup/rsm/backup.info")
    assert info.exists and info.user == "pgbackrest"
    # a plain info file starts with "[backrest]"; the encrypted one is ciphertext
    assert b"[backrest]" not in info.content[:200] and b"[db]" not in info.content
    for path in (home, f"{home}/pgbackrest", f"{home}/dumps", f"{home}/.ssh"):
        d = backup_host.file(path)
        assert (d.user, d.group, d.mode) == ("pgbackrest", "pgbackrest", 0o700), path
    readable = backup_host.check_output(f"find {home} -perm /007 -o ! -user pgbackrest")
    assert readable == "", readable


def test_the_db_host_pins_the_backup_hosts_keys_and_keeps_its_secrets_root_only(host, e2e_state):
    conf = host.file("/etc/pgbackrest/pgbackrest.conf")
    assert (conf.user, conf.group, conf.mode) == ("root", "postgres", 0o640)
    assert "repo1-sftp-host-key-check-type=strict" in conf.content_string
    key = host.file("/etc/pgbackrest/sftp_ed25519")
    assert (key.user, key.group, key.mode) == ("postgres", "postgres", 0o600)
    pinned = host.file("/etc/pgbackrest/known_hosts").content_string.splitlines()
    assert pinned and all(line.startswith(e2e_state["backup_ip"] + " ") for line in pinned)


def test_a_dump_is_root_only_here_and_copied_to_the_backup_host(srv, host, backup_host, e2e_state):
    result = operator_script(e2e_state, "backup", "dump")
    assert result.returncode == 0, result.stderr
    # scripts/backup shows rsm-dump's lines on stderr; the last one names the dump
    local = [line for line in result.stderr.splitlines() if line.startswith("/var/backups/rsm/")][-1]
    stamp = local.rsplit("/", 1)[1]
    assert host.file("/var/backups/rsm").mode == 0o700
    assert host.check_output("find /var/backups/rsm -perm /077") == ""
    names = host.check_output(f"ls {local}").split()
    assert "rsm.dump" in names and "globals.sql" in names and "SHA256SUMS" in names
    assert (
        backup_host.check_output(f"cd /var/lib/rsm-backup/dumps/{stamp} && sha256sum -c --quiet SHA256SUMS")
        == ""
    )
    assert (
        host.file(f"{local}/SHA256SUMS").content
        == backup_host.file(f"/var/lib/rsm-backup/dumps/{stamp}/SHA256SUMS").content
    )


def test_restore_drill_the_cluster_to_a_point_in_time(srv, studio, e2e_state):
    studio.write()
    srv.check("systemctl start rsm-backup-diff.service")  # the timer's own unit: a differential backup
    studio.write()
    time.sleep(1.2)
    noted = srv.check(
        "runuser -u postgres -- psql -AtX -c "
        + shlex.quote("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00'")
    ).strip()
    expected = studio.rows()
    time.sleep(1.2)
    studio.write()
    srv.check("runuser -u postgres -- pgbackrest --stanza=rsm check")  # the last write is archived
    assert len(studio.rows()) == len(expected) + 2

    srv.check(f"systemctl stop postgresql@{PG}-main && find {DATA_DIR} -mindepth 1 -delete")
    assert srv.check(f"ls -A {DATA_DIR}").strip() == ""
    result = operator_script(e2e_state, "restore", "cluster", "--to", noted)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"rsm-restore: done: the cluster is as it was at {noted}" in result.stdout

    assert studio.rows() == expected  # everything up to the noted time, nothing after


def test_the_app_serves_again_after_the_cluster_restore(srv):
    deadline = time.monotonic() + 90
    while srv.http_status(srv.app_url("/readyz")) != 200:
        assert time.monotonic() < deadline, "/readyz did not come back after the restore"
        time.sleep(1)


def test_prometheus_holds_each_backup_s_completion_and_the_drill_s_differential_is_the_newest(srv):
    """rsm-backup-done after the converge's first full backup and dump, and after the drill's
    differential (its unit's ExecStartPost), read by Prometheus through the node exporter."""
    deadline = time.monotonic() + 60  # a few scrape intervals after the drill's backup
    while True:
        result = srv.prometheus("query", query="rsm_backup_last_success_timestamp_seconds")["result"]
        done = {r["metric"]["kind"]: float(r["value"][1]) for r in result}
        if set(done) == {"full", "diff", "dump"} or time.monotonic() > deadline:
            break
        time.sleep(5)
    assert set(done) == {"full", "diff", "dump"}, done
    assert done["full"] <= done["diff"] and time.time() - done["diff"] < 3600, done


def test_restore_drill_one_studio_from_its_dump(srv, studio, e2e_state):
    studio.write()
    result = operator_script(e2e_state, "backup", "dump")
    assert result.returncode == 0, result.stderr
    expected = studio.rows()
    studio.write()
    assert len(studio.rows()) == len(expected) + 2

    beside = f"drill_{TAG}"
    result = operator_script(e2e_state, "restore", "studio", demo.SUBDOMAIN, "--as", beside)
    assert result.returncode == 0, result.stdout + result.stderr
    assert studio.rows(beside) == expected
    studio.sql(f"DROP DATABASE {beside}", "postgres")

    studio.sql(f'DROP DATABASE "{studio.database}" WITH (FORCE)', "postgres")
    result = operator_script(e2e_state, "restore", "studio", demo.SUBDOMAIN)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert studio.rows() == expected


def test_restore_refuses_bad_input(e2e_state):
    for args, message in [
        (("studio", "no-such-studio"), "no studio with subdomain 'no-such-studio'"),
        (("cluster", "--to", "2999-01-01 00:00:00+00"), "is in the future"),
        (("cluster", "--to", "yesterday"), "expected 'YYYY-MM-DD HH:MM:SS+00' (UTC)"),
    ]:
        result = operator_script(e2e_state, "restore", *args)
        assert result.returncode == 1 and message in result.stderr, (args, result.stderr)


def test_deleting_a_studio_takes_its_final_dump_first(studio, host, backup_host, e2e_state):
    subdomain, password = f"gone{TAG}", secrets.token_urlsafe(12)
    demo.create(e2e_state, subdomain, "Gone", f"owner@{subdomain}.example.com", password)
    database = studio.sql(f"SELECT database_name FROM organizations WHERE subdomain = '{subdomain}'", "rsm")
    assert database

    result = operator_script(e2e_state, "tenants", "delete", subdomain, "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    final = [line for line in result.stderr.splitlines() if line.startswith("/var/backups/rsm/")][-1]
    assert host.file(f"{final}/{database}.dump").size > 0
    stamp = final.rsplit("/", 1)[1]
    assert backup_host.file(f"/var/lib/rsm-backup/dumps/{stamp}/{database}.dump").size > 0
    assert subdomain not in demo.subdomains(e2e_state)
    assert studio.sql(f"SELECT count(*) FROM pg_database WHERE datname = '{database}'", "postgres") == "0"


def test_no_final_dump_no_deletion(e2e_state):
    subdomain, password = f"kept{TAG}", secrets.token_urlsafe(12)
    demo.create(e2e_state, subdomain, "Kept", f"owner@{subdomain}.example.com", password)
    # the backup host has no rsm-dump: the dump fails there
    result = operator_script(
        e2e_state, "tenants", "delete", subdomain, "--yes", DB_HOST=f"root@{e2e_state['backup_ip']}"
    )
    assert result.returncode == 1
    assert f"the final dump of {subdomain} failed: nothing was deleted" in result.stderr
    assert subdomain in demo.subdomains(e2e_state)
    assert operator_script(e2e_state, "tenants", "delete", subdomain, "--yes").returncode == 0


def test_deleting_an_unknown_studio_says_so(e2e_state):
    result = operator_script(e2e_state, "tenants", "delete", "no-such-studio", "--yes")
    assert (result.returncode, result.stderr.strip()) == (1, "no studio with subdomain 'no-such-studio'")
