"""Backups on the db host (pure): pgBackRest's settings, the archiving settings, the timers and the
settings rsm-dump and rsm-restore read; paths and names of the concern.

pgBackRest keeps its repository on the backup host over SFTP (deploy/backup_host), encrypted with a
passphrase kept on the controller (deploy/backup/keys.py); the backup host's SSH host keys are
pinned in a known-hosts file the deploy writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from deploy.app.config import APP_DATABASE
from deploy.common.paths import ETC
from deploy.monitoring.config import TEXTFILE_DIR

STANZA = "rsm"
PGBACKREST_DIR = "/etc/pgbackrest"
PGBACKREST_CONF = f"{PGBACKREST_DIR}/pgbackrest.conf"
PRIVATE_KEY = f"{PGBACKREST_DIR}/sftp_ed25519"  # postgres:postgres 0600: pgBackRest runs as postgres
PUBLIC_KEY = f"{PRIVATE_KEY}.pub"
KNOWN_HOSTS = f"{PGBACKREST_DIR}/known_hosts"
SETTINGS = f"{ETC}/backup.conf"  # read by rsm-dump and rsm-restore
DUMPS = "/var/backups/rsm"
DUMP_SCRIPT = "/usr/local/sbin/rsm-dump"
RESTORE_SCRIPT = "/usr/local/sbin/rsm-restore"
# Each backup unit runs it after a success: the completion time the BackupTooOld alert reads.
DONE_SCRIPT = "/usr/local/sbin/rsm-backup-done"
ARCHIVE_COMMAND = f"pgbackrest --stanza={STANZA} archive-push %p"


@dataclass(frozen=True)
class Timer:
    unit: str  # rsm-backup-full: .service and .timer
    description: str
    command: str
    schedule: str  # systemd OnCalendar
    kind: str  # the `kind` label of its completion metric


def pg_data(version: str) -> str:
    return f"/var/lib/postgresql/{version}/main"


def archive_conf_path(version: str) -> str:
    return f"/etc/postgresql/{version}/main/conf.d/archive.conf"


def archive_context() -> dict:
    """For templates/backup/archive.conf.j2: every WAL segment to the repository as it is written."""
    return {"archive_command": ARCHIVE_COMMAND}


def pgbackrest_context(
    repo_host: str,
    repo_user: str,
    repo_path: str,
    cipher_pass: str,
    retention_full: int,
    retention_diff: int,
    cores: int,
    pg_version: str,
) -> dict:
    """For templates/backup/pgbackrest.conf.j2 (root:postgres 0640: it holds the cipher passphrase)."""
    return {
        "stanza": STANZA,
        "repo_host": repo_host,
        "repo_user": repo_user,
        "repo_path": repo_path,
        "private_key": PRIVATE_KEY,
        "public_key": PUBLIC_KEY,
        "known_hosts": KNOWN_HOSTS,
        "cipher_pass": cipher_pass,
        "retention_full": int(retention_full),
        "retention_diff": int(retention_diff),
        "process_max": max(1, int(cores) // 2),  # leave the other half to the app and PostgreSQL
        "pg_data": pg_data(pg_version),
    }


def known_hosts(address: str, host_keys: list[str]) -> str:
    """The backup host's every SSH host key ("type base64" each), pinned for its address.

    Every type, not one: libssh2 (pgBackRest) and OpenSSH (rsm-dump's copy) negotiate different
    ones, and a known host listed under another type counts as a mismatch.
    """
    return "".join(f"{address} {key}\n" for key in host_keys)


def settings_context(
    pg_version: str,
    retention_days: int,
    repo_host: str,
    repo_user: str,
    repo_dumps: str,
    server_name: str,
    home: bool,
) -> dict:
    """For templates/backup/backup.conf.j2: what rsm-dump and rsm-restore read (no secret). Only the
    home db host holds the master database; `server_name` is the app's name for this server."""
    return {
        "master_database": APP_DATABASE if home else "",
        "server_name": server_name,
        "pg_version": pg_version,
        "stanza": STANZA,
        "dumps": DUMPS,
        "retention_days": int(retention_days),
        "remote": f"{repo_user}@{repo_host}",
        "remote_dumps": repo_dumps,
        "private_key": PRIVATE_KEY,
        "known_hosts": KNOWN_HOSTS,
    }


def timers(full_schedule: str, diff_schedule: str, dump_schedule: str) -> list[Timer]:
    backup = f"/usr/bin/pgbackrest --stanza={STANZA} backup --type"
    return [
        Timer(
            "rsm-backup-full",
            "Full backup of PostgreSQL (pgBackRest)",
            f"{backup}=full",
            full_schedule,
            "full",
        ),
        Timer(
            "rsm-backup-diff",
            "Differential backup of PostgreSQL (pgBackRest)",
            f"{backup}=diff",
            diff_schedule,
            "diff",
        ),
        Timer("rsm-dump", "Logical dump of every database (rsm-dump)", DUMP_SCRIPT, dump_schedule, "dump"),
    ]


def done_command(kind: str) -> str:
    """What records a backup of this kind as just succeeded, for Prometheus."""
    return f"{DONE_SCRIPT} {kind} {TEXTFILE_DIR}"


def done_metric(kind: str) -> str:
    """The file rsm-backup-done writes for this kind."""
    return f"{TEXTFILE_DIR}/rsm_backup_{kind}.prom"


def service_context(timer: Timer) -> dict:
    """For templates/backup/backup.service.j2: pgBackRest runs as postgres, rsm-dump as root; the
    completion is recorded as root (`+`) in the node exporter's directory, only after a success."""
    return {
        "description": timer.description,
        "user": "root" if timer.command == DUMP_SCRIPT else "postgres",
        "command": timer.command,
        "done": done_command(timer.kind),
    }


def timer_context(timer: Timer) -> dict:
    """For templates/backup/backup.timer.j2."""
    return {"description": timer.description, "schedule": timer.schedule}
