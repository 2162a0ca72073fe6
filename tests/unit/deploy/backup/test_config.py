"""Backups on the db host: each template's exact output from its builder's context."""

import pytest

from deploy.backup import config
from deploy.common.render import render

pytestmark = pytest.mark.unit

MANAGED = "# Managed by the deploy (pyinfra); local changes are overwritten.\n"


def test_pgbackrest_writes_an_encrypted_repository_on_the_backup_host_over_pinned_sftp():
    context = config.pgbackrest_context(
        "10.0.0.9", "pgbackrest", "/var/lib/rsm-backup/pgbackrest", "s3cr3t", 2, 6, 4, "17"
    )
    assert render("backup/pgbackrest.conf.j2", context) == MANAGED + (
        "[global]\n"
        "repo1-type=sftp\n"
        "repo1-sftp-host=10.0.0.9\n"
        "repo1-sftp-host-user=pgbackrest\n"
        "repo1-sftp-private-key-file=/etc/pgbackrest/sftp_ed25519\n"
        "repo1-sftp-public-key-file=/etc/pgbackrest/sftp_ed25519.pub\n"
        "repo1-sftp-known-host=/etc/pgbackrest/known_hosts\n"
        "repo1-sftp-host-key-check-type=strict\n"
        "repo1-sftp-host-key-hash-type=sha256\n"
        "repo1-path=/var/lib/rsm-backup/pgbackrest\n"
        "repo1-bundle=y\n"
        "repo1-cipher-type=aes-256-cbc\n"
        "repo1-cipher-pass=s3cr3t\n"
        "repo1-retention-full=2\n"
        "repo1-retention-diff=6\n"
        "process-max=2\n"
        "compress-type=zst\n"
        "start-fast=y\n"
        "log-level-console=info\n"
        "log-level-file=info\n"
        "\n"
        "[rsm]\n"
        "pg1-path=/var/lib/postgresql/17/main\n"
    )


def test_one_process_on_one_core():
    assert config.pgbackrest_context("h", "u", "/r", "p", 1, 1, 1, "17")["process_max"] == 1


def test_archiving_pushes_every_segment_with_pgbackrest():
    assert render("backup/archive.conf.j2", config.archive_context()) == MANAGED + (
        "# Continuous archiving to the backup repository (pgBackRest), for point-in-time recovery.\n"
        "wal_level = replica\n"
        "archive_mode = on\n"
        "archive_command = 'pgbackrest --stanza=rsm archive-push %p'\n"
        "archive_timeout = 300\n"
    )
    assert config.archive_conf_path("17") == "/etc/postgresql/17/main/conf.d/archive.conf"


def test_known_hosts_pins_every_host_key_type_for_the_address():
    keys = ["ecdsa-sha2-nistp256 AAAAE2", "ssh-ed25519 AAAAC3"]
    assert config.known_hosts("10.0.0.9", keys) == (
        "10.0.0.9 ecdsa-sha2-nistp256 AAAAE2\n10.0.0.9 ssh-ed25519 AAAAC3\n"
    )


def test_settings_of_rsm_dump_and_rsm_restore():
    context = config.settings_context(
        "17", 14, "10.0.0.9", "pgbackrest", "/var/lib/rsm-backup/dumps", "main", home=True
    )
    assert render("backup/backup.conf.j2", context) == MANAGED + (
        "# Read by rsm-dump and rsm-restore (shell syntax; no secret here).\n"
        "MASTER_DATABASE=rsm\n"
        "SERVER_NAME=main\n"
        "PG_VERSION=17\n"
        "STANZA=rsm\n"
        "DUMPS=/var/backups/rsm\n"
        "RETENTION_DAYS=14\n"
        "REMOTE=pgbackrest@10.0.0.9\n"
        "REMOTE_DUMPS=/var/lib/rsm-backup/dumps\n"
        "PRIVATE_KEY=/etc/pgbackrest/sftp_ed25519\n"
        "KNOWN_HOSTS=/etc/pgbackrest/known_hosts\n"
    )


def test_another_db_host_has_no_master_database_to_read():
    context = config.settings_context(
        "17", 14, "10.0.0.9", "pgbackrest", "/var/lib/rsm-backup/dumps/db-2", "db-2", home=False
    )
    assert (context["master_database"], context["server_name"]) == ("", "db-2")
    assert "MASTER_DATABASE=\nSERVER_NAME=db-2\n" in render("backup/backup.conf.j2", context)


def test_timers_full_diff_and_dump():
    full, diff, dump = config.timers("Sun *-*-* 01:30:00", "Mon..Sat *-*-* 01:30:00", "*-*-* 02:30:00")
    assert [t.unit for t in (full, diff, dump)] == ["rsm-backup-full", "rsm-backup-diff", "rsm-dump"]
    assert render("backup/backup.service.j2", config.service_context(full)) == MANAGED + (
        "[Unit]\n"
        "Description=Full backup of PostgreSQL (pgBackRest)\n"
        "After=postgresql.service\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        "User=postgres\n"
        "ExecStart=/usr/bin/pgbackrest --stanza=rsm backup --type=full\n"
        "ExecStartPost=+/usr/local/sbin/rsm-backup-done full /var/lib/prometheus/node-exporter\n"
        "Nice=10\n"
        "IOSchedulingClass=idle\n"
    )
    assert config.service_context(diff)["command"] == "/usr/bin/pgbackrest --stanza=rsm backup --type=diff"
    assert config.service_context(dump) == {
        "description": "Logical dump of every database (rsm-dump)",
        "user": "root",
        "command": "/usr/local/sbin/rsm-dump",
        "done": "/usr/local/sbin/rsm-backup-done dump /var/lib/prometheus/node-exporter",
    }
    assert render("backup/backup.timer.j2", config.timer_context(diff)) == MANAGED + (
        "[Unit]\n"
        "Description=Differential backup of PostgreSQL (pgBackRest), on schedule\n"
        "\n"
        "[Timer]\n"
        "OnCalendar=Mon..Sat *-*-* 01:30:00\n"
        "RandomizedDelaySec=10min\n"
        "Persistent=true\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
