"""The app role and its database, created or repaired only when the role cannot log in as it should."""

from __future__ import annotations

from pyinfra import host
from pyinfra.api import StringCommand, operation

from deploy.common.shell import q
from deploy.postgres.facts import PostgresAppRoleOk


@operation()
def postgres_app_role(role: str, database: str, password_file: str, pgpass: str, sql_file: str):
    """Create or update the app role (LOGIN CREATEDB, password from a root-only file) and its database.

    The password goes to psql on stdin, never on a command line.
    """
    if host.get_fact(PostgresAppRoleOk, role=role, database=database, pgpass=pgpass):
        return
    yield StringCommand(
        f'{{ printf "\\\\set pw \'%s\'\\n" "$(cat {q(password_file)})"; cat {q(sql_file)}; }} '
        f"| runuser -u postgres -- psql -X -q -d postgres"
    )
