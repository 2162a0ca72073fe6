"""Shell commands of the PgBouncer step (pure): the auth file's text, made on the server."""

from __future__ import annotations

from deploy.common.shell import q

# The admin console's user, let in only by peer over the Unix socket (pg_hba.conf.j2); PgBouncer
# wants every user it lets in listed in the auth file, so it has a line, with no password.
ADMIN_LINE = '"postgres" ""'


def auth_file_text_command(role: str) -> str:
    """Prints the auth file's text: `role` and its SCRAM verifier from pg_authid, each in double
    quotes, then the admin's line; prints nothing (and fails) when the role has no SCRAM verifier."""
    sql = (
        'SELECT format(\'"%s" "%s"\', rolname, rolpassword) FROM pg_authid '
        f"WHERE rolname = '{role}' AND rolpassword LIKE 'SCRAM-SHA-256$%'"
    )
    return (
        f'line="$(runuser -u postgres -- psql -X -q -tA -d postgres -c {q(sql)})" '
        f'&& [ -n "$line" ] && printf \'%s\\n%s\\n\' "$line" {q(ADMIN_LINE)}'
    )


def write_auth_file_command(role: str, path: str, owner: str, mode: str) -> str:
    """Writes the auth file on the server, the verifier never on a command line or in any output;
    fails, leaving the old file, when the role has no SCRAM verifier."""
    temp = q(f"{path}.new")
    return (
        f'umask 077 && text="$({auth_file_text_command(role)})" '
        f"&& printf '%s\\n' \"$text\" > {temp} && chown {q(owner)} {temp} && chmod {q(mode)} {temp} "
        f"&& mv -f {temp} {q(path)}"
    )
