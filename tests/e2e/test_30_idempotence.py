"""A second converge of the converged server changes nothing."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def app_before(srv):
    info = srv.inspect(srv.web_container())
    return info["Id"], info["State"]["StartedAt"]


@pytest.fixture(scope="module")
def second_converge(e2e_state, converge, app_before):
    return converge(label="converge-idempotence")


def test_second_converge_succeeds(second_converge):
    assert second_converge.returncode == 0, (
        f"exit {second_converge.returncode}; log {second_converge.log}\n" + second_converge.tail(60)
    )


def test_second_converge_reports_its_operations(second_converge):
    assert second_converge.table, f"no results table in pyinfra's output; log {second_converge.log}"


def test_second_converge_changes_nothing(second_converge):
    changed = second_converge.changed
    assert not changed, (
        f"{len(changed)} operations changed on the second converge (log {second_converge.log}):\n  "
        + "\n  ".join(changed)
    )


def test_second_converge_leaves_the_app_container_alone(srv, second_converge, app_before):
    info = srv.inspect(srv.web_container())
    assert (info["Id"], info["State"]["StartedAt"]) == app_before


@pytest.fixture(scope="module")
def debug_converge(second_converge, converge):
    return converge(label="converge-debug", extra_args=["-vvv", "--debug"])


def test_debug_converge_succeeds(debug_converge):
    assert debug_converge.returncode == 0, f"log {debug_converge.log}\n" + debug_converge.tail(40)


def _secrets(srv, e2e_state) -> dict[str, str]:
    from pathlib import Path

    from e2e import fake_api as fakes

    backup_secrets = Path(e2e_state["backup_secrets_dir"])
    found = {
        "ANTHROPIC_API_KEY": fakes.api_key(),
        "TSIG secret": e2e_state["dns_credentials"]["dns_rfc2136_secret"],
        "backup cipher passphrase": (backup_secrets / "repo-cipher-pass").read_text().strip(),
        "backup SFTP private key": (backup_secrets / "sftp_ed25519").read_text().splitlines()[1],
    }
    for name in srv.check("ls /etc/rsm/secrets/").split():
        value = srv.check(f"cat /etc/rsm/secrets/{name}").strip()
        if len(value) >= 12:
            found[f"/etc/rsm/secrets/{name}"] = value
    # The app role's SCRAM verifier in PgBouncer's auth file: its salted keys (after the `$`).
    verifier = srv.check('sed -n \'s/^"rsm" "\\(.*\\)"$/\\1/p\' /etc/pgbouncer/userlist.txt').strip()
    found["PgBouncer's SCRAM verifier"] = verifier.split("$", 1)[1]
    return found


def test_no_secret_in_any_converge_output(srv, e2e_state, debug_converge):
    from e2e.util import LOG_DIR

    logs = sorted(LOG_DIR.glob("converge*.log"))
    secrets = _secrets(srv, e2e_state)
    assert logs and len(secrets) >= 3
    leaks = []
    for path in logs:
        text = path.read_text(errors="replace")
        leaks += [f"{name} in {path.name}" for name, value in secrets.items() if value in text]
    # names only: the assertion message never carries a value
    assert not leaks, leaks
