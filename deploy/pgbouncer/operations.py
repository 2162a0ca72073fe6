"""PgBouncer's auth file: the app role's SCRAM verifier, rewritten only when it differs."""

from __future__ import annotations

from pyinfra import host
from pyinfra.api import StringCommand, operation

from deploy.pgbouncer.commands import write_auth_file_command
from deploy.pgbouncer.facts import PgbouncerAuthFileCurrent


@operation()
def pgbouncer_auth_file(role: str, path: str, owner: str, mode: str, refresh: bool = False):
    """Copy the role's verifier from pg_authid into `path`. `refresh`: the role's password is being
    set in this very run (after the facts were read), so write it whatever the file holds now."""
    if not refresh and host.get_fact(PgbouncerAuthFileCurrent, role=role, path=path, owner=owner, mode=mode):
        return
    yield StringCommand(write_auth_file_command(role, path, owner, mode))
