"""What the db host says about PgBouncer's auth file."""

from __future__ import annotations

from pyinfra.api import FactBase

from deploy.common.shell import q
from deploy.pgbouncer.commands import auth_file_text_command


class PgbouncerAuthFileCurrent(FactBase):
    """True when the auth file holds the role's current SCRAM verifier, with the wanted owner and mode.

    The verifier is compared on the server; only "current" or "stale" comes back.
    """

    def requires_command(self, *args, **kwargs):
        return "psql"

    def command(self, role, path, owner, mode):
        return (
            f'want="$({auth_file_text_command(role)})" && [ -n "$want" ] '
            f'&& [ "$(cat {q(path)} 2>/dev/null)" = "$want" ] '
            f'&& [ "$(stat -c "%a %U:%G" {q(path)})" = {q(f"{mode} {owner}")} ] '
            f"&& echo current || echo stale"
        )

    def process(self, output):
        return bool(output) and output[0].strip() == "current"
