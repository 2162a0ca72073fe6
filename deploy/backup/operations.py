"""pgBackRest's stanza and its first full backup, each only when the repository lacks it."""

from __future__ import annotations

from pyinfra import host
from pyinfra.api import StringCommand, operation
from pyinfra.facts.files import File

from deploy.backup.facts import STANZA_NO_BACKUP, STANZA_OK, PgBackRestStatus
from deploy.common.shell import q


def _pgbackrest(stanza: str, command: str) -> StringCommand:
    return StringCommand(f"runuser -u postgres -- pgbackrest --stanza={q(stanza)} {command}")


@operation()
def stanza(stanza: str):
    """Create the stanza in the repository (the repository checks it matches this cluster)."""
    if host.get_fact(PgBackRestStatus, stanza=stanza) not in (STANZA_OK, STANZA_NO_BACKUP):
        yield _pgbackrest(stanza, "stanza-create")


@operation()
def first_full_backup(stanza: str, done: str):
    """Check that WAL archiving works and take a full backup, unless the repository holds one:
    point-in-time recovery starts from a backup, so it should not wait for the weekly timer. `done`
    records its success for Prometheus, as the timer's unit does."""
    if host.get_fact(PgBackRestStatus, stanza=stanza) != STANZA_OK:
        yield _pgbackrest(stanza, "check")
        yield _pgbackrest(stanza, "backup --type=full")
        yield StringCommand(done)


@operation()
def first_dump(unit: str, metric: str):
    """Run the dump's unit once when no dump was ever recorded here (`metric`, its completion file):
    the BackupTooOld alert would otherwise report the dump missing until the first night."""
    if not host.get_fact(File, path=metric):
        yield StringCommand(f"systemctl start {q(unit)}")
