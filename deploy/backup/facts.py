"""What the db host's pgBackRest says about its stanza, and the backup host's SSH host keys."""

from __future__ import annotations

import json

from pyinfra.api import FactBase

from deploy.common.factcache import kept
from deploy.common.shell import q

# `pgbackrest info` status codes (its --output=json): the stanza exists when one of these
STANZA_OK, STANZA_NO_BACKUP = 0, 2


# asked by the stanza's operation and the first backup's: one `pgbackrest info` (over SFTP) when
# nothing ran between them
@kept
class PgBackRestStatus(FactBase):
    """The stanza's status code from `pgbackrest info` (0 ok, 2 no valid backup, other: missing or
    unreachable), or None when pgBackRest cannot answer at all (not installed or configured yet)."""

    def requires_command(self, *args, **kwargs):
        return "pgbackrest"

    def command(self, stanza):
        return (
            f"runuser -u postgres -- pgbackrest --stanza={q(stanza)} --output=json "
            "--log-level-console=off info 2>/dev/null || true"
        )

    def process(self, output):
        try:
            return json.loads("\n".join(output))[0]["status"]["code"]
        except (ValueError, LookupError, TypeError):
            return None


class SshHostKeys(FactBase):
    """The host's SSH host public keys, "type base64" each, sorted."""

    def command(self):
        return "cat /etc/ssh/ssh_host_*_key.pub"

    def process(self, output):
        return sorted(" ".join(line.split()[:2]) for line in output if line.strip())
