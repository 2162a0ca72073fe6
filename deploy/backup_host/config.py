"""The backup host (pure): the SFTP-only user that holds pgBackRest's repository and the copies
of the logical dumps, and what its files contain. Everything under HOME is that user's, 0700."""

from __future__ import annotations

USER = "pgbackrest"
HOME = "/var/lib/rsm-backup"
REPOSITORY = f"{HOME}/pgbackrest"
DUMPS = f"{HOME}/dumps"
AUTHORIZED_KEYS = f"{HOME}/.ssh/authorized_keys"
SSHD_DROPIN = "/etc/ssh/sshd_config.d/rsm-backup.conf"
LIMITS = "/etc/security/limits.d/rsm-backup.conf"  # applied by sshd's PAM session (pam_limits)
OPEN_FILES = 16384  # below systemd's default hard limit (524288) and this harness's (20000)
PRUNE_UNIT = "rsm-prune-dumps"
PRUNE_SCHEDULE = "*-*-* 05:00:00"


def authorized_keys(public_key: str) -> str:
    """The db host's key, for SFTP only (`restrict`: no shell, no forwarding, no terminal)."""
    return f"restrict {public_key.strip()}\n"


def sshd_context() -> dict:
    """For templates/backup_host/sshd.conf.j2."""
    return {"user": USER}


def limits_context() -> dict:
    """For templates/backup_host/limits.conf.j2."""
    return {"user": USER, "open_files": OPEN_FILES}


def repository_of(db_host: str, home: str) -> str:
    """pgBackRest's repository of a db host's cluster: the first db host's is REPOSITORY, as it
    always was (moving it would strand its backups); each other's beside it, named for it, so two
    clusters never write into one repository."""
    return REPOSITORY if db_host == home else f"{REPOSITORY}-{db_host}"


def dumps_of(db_host: str, home: str) -> str:
    """Where a db host's logical dumps are copied: DUMPS for the first, beside it for each other."""
    return DUMPS if db_host == home else f"{DUMPS}-{db_host}"


def directories(db_hosts: list[str]) -> list[str]:
    """Every directory the repository's user holds, each db host's repository and dumps included."""
    home = db_hosts[0] if db_hosts else ""
    return [
        HOME,
        f"{HOME}/.ssh",
        *(repository_of(name, home) for name in db_hosts or [home]),
        *(dumps_of(name, home) for name in db_hosts or [home]),
    ]


def prune_context(retention_days: int, db_hosts: list[str]) -> dict:
    """For templates/backup_host/prune-dumps.service.j2: dumps' copies older than the retention go,
    in every db host's dumps directory."""
    home = db_hosts[0] if db_hosts else ""
    return {
        "dumps": " ".join(dumps_of(name, home) for name in db_hosts or [home]),
        "retention_days": int(retention_days),
    }


def prune_timer_context() -> dict:
    """For templates/backup/backup.timer.j2."""
    return {"description": "Remove logical dumps older than their retention", "schedule": PRUNE_SCHEDULE}
