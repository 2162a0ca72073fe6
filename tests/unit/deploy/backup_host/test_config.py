"""The backup host: each template's exact output from its builder's context."""

import pytest

from deploy.backup_host import config
from deploy.common.render import render

pytestmark = pytest.mark.unit

MANAGED = "# Managed by the deploy (pyinfra); local changes are overwritten.\n"


def test_the_db_hosts_key_may_only_transfer_files():
    assert (
        config.authorized_keys("ssh-ed25519 AAAAC3 rsm-backup\n")
        == "restrict ssh-ed25519 AAAAC3 rsm-backup\n"
    )
    assert render("backup_host/sshd.conf.j2", config.sshd_context()) == MANAGED + (
        "# The backup repository's user may only transfer files.\n"
        "Match User pgbackrest\n"
        "    ForceCommand internal-sftp\n"
        "    AllowTcpForwarding no\n"
        "    X11Forwarding no\n"
        "    PermitTTY no\n"
    )


def test_dumps_older_than_the_retention_are_removed():
    assert render("backup_host/prune-dumps.service.j2", config.prune_context(14, ["s1"])) == MANAGED + (
        "[Unit]\n"
        "Description=Remove logical dumps older than 14 days\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        "ExecStart=/usr/bin/find /var/lib/rsm-backup/dumps -mindepth 1 -maxdepth 1 -mtime +14 "
        "-exec rm -rf -- {} +\n"
    )


def test_each_db_host_has_a_repository_and_dumps_directory_of_its_own():
    assert [config.repository_of(name, "db-1") for name in ("db-1", "db-2")] == [
        "/var/lib/rsm-backup/pgbackrest",
        "/var/lib/rsm-backup/pgbackrest-db-2",
    ]
    assert config.directories(["db-1", "db-2"]) == [
        "/var/lib/rsm-backup",
        "/var/lib/rsm-backup/.ssh",
        "/var/lib/rsm-backup/pgbackrest",
        "/var/lib/rsm-backup/pgbackrest-db-2",
        "/var/lib/rsm-backup/dumps",
        "/var/lib/rsm-backup/dumps-db-2",
    ]
    assert config.directories(["s1"]) == [
        "/var/lib/rsm-backup",
        "/var/lib/rsm-backup/.ssh",
        "/var/lib/rsm-backup/pgbackrest",
        "/var/lib/rsm-backup/dumps",
    ]


def test_every_db_hosts_dumps_are_pruned():
    assert render("backup_host/prune-dumps.service.j2", config.prune_context(7, ["db-1", "db-2"])).endswith(
        "ExecStart=/usr/bin/find /var/lib/rsm-backup/dumps /var/lib/rsm-backup/dumps-db-2 -mindepth 1 "
        "-maxdepth 1 -mtime +7 -exec rm -rf -- {} +\n"
    )


def test_the_sftp_sessions_may_open_enough_files_for_a_restore():
    assert render("backup_host/limits.conf.j2", config.limits_context()) == MANAGED + (
        "# pgBackRest's restore keeps each file it reads over SFTP open until it ends: the SFTP server of\n"
        "# pgbackrest needs more than the default 1024 open files.\n"
        "pgbackrest soft nofile 16384\n"
    )
