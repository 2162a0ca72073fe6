"""Faults: the site survives what servers do to it, and a broken deploy fails loudly and safely.

These tests change the server, so they run last (file order); each leaves it converged."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from e2e.util import REPO, wait_for


def _apex_answers(browser_factory, domain) -> int:
    return browser_factory().get(f"https://{domain}/signup").status


@pytest.fixture
def new_browser(e2e_state):
    from e2e.browser import Browser

    return lambda: Browser(e2e_state["server_ip"], e2e_state["pebble_issuer_root"])


def test_app_recovers_from_a_postgresql_restart_without_restarting(srv, new_browser, domain):
    web = srv.web_container()
    before = srv.inspect(web)
    srv.check("systemctl restart postgresql")
    wait_for(
        "readyz 200 after the PostgreSQL restart",
        lambda: srv.http_status(srv.app_url("/readyz")) == 200,
        90,
        1,
    )
    after = srv.inspect(web)
    assert after["Id"] == before["Id"], "the app container was replaced"
    assert after["State"]["StartedAt"] == before["State"]["StartedAt"], "the app container was restarted"
    assert after["RestartCount"] == before["RestartCount"]
    # and real pages that need the database answer again (pooled connections were renewed)
    wait_for("apex signup over HTTPS", lambda: _apex_answers(new_browser, domain) == 200, 60, 1)


def test_app_recovers_from_a_redis_restart_without_restarting(srv, new_browser, domain):
    web = srv.web_container()
    before = srv.inspect(web)
    srv.check("systemctl restart redis-server")
    wait_for(
        "readyz 200 after the Redis restart", lambda: srv.http_status(srv.app_url("/readyz")) == 200, 90, 1
    )
    after = srv.inspect(web)
    assert after["State"]["StartedAt"] == before["State"]["StartedAt"], "the app container was restarted"
    wait_for("apex signup over HTTPS", lambda: _apex_answers(new_browser, domain) == 200, 60, 1)


def test_docker_brings_a_killed_app_container_back(srv, new_browser, domain):
    web = srv.web_container()
    before = srv.inspect(web)
    # the process dies (OOM, crash): SIGKILL its PID 1 from the host, as the kernel would
    srv.check(f"kill -KILL {before['State']['Pid']}")

    def back():
        info = srv.inspect(web)
        return (
            (
                info["RestartCount"] > before["RestartCount"]
                or info["State"]["StartedAt"] != before["State"]["StartedAt"]
            )
            and info["State"]["Running"]
            and (info["State"].get("Health") or {}).get("Status") in (None, "healthy")
        )

    wait_for("the app container restarted and healthy", back, 180, 2)
    wait_for("apex signup over HTTPS", lambda: _apex_answers(new_browser, domain) == 200, 60, 1)


def test_an_interrupted_deploy_converges_when_run_again(srv, converge, new_browser, domain):
    # something to do: a changed operator value means a new env file, compose file and release
    changed_env = {"ANTHROPIC_TIMEOUT_SECONDS": "29"}
    seconds = os.environ.get("E2E_INTERRUPT_AFTER")
    interrupted = converge(
        label="converge-interrupted",
        extra_env=changed_env,
        # by default: killed right after the first operation that changed something
        interrupt_after=float(seconds) if seconds else None,
        interrupt_on=None if seconds else r"\] Success",
    )
    assert interrupted.interrupted, f"pyinfra finished before it could be interrupted; log {interrupted.log}"
    rerun = converge(label="converge-after-interrupt", extra_env=changed_env)
    assert rerun.returncode == 0, f"exit {rerun.returncode}; log {rerun.log}\n{rerun.tail(60)}"
    assert rerun.changed, f"the rerun had nothing left to do: the interruption came too late; log {rerun.log}"
    web = srv.web_container()
    assert srv.run(f"docker exec {web} sh -c 'test \"$ANTHROPIC_TIMEOUT_SECONDS\" = 29'").rc == 0
    wait_for("apex signup over HTTPS", lambda: _apex_answers(new_browser, domain) == 200, 120, 1)
    restore = converge(label="converge-restore")
    assert restore.returncode == 0, f"log {restore.log}"
    wait_for("apex signup over HTTPS", lambda: _apex_answers(new_browser, domain) == 200, 120, 1)


def _served_fingerprint(e2e_state, name: str) -> str:
    import hashlib
    import socket
    import ssl

    ctx = ssl.create_default_context(cafile=e2e_state["pebble_issuer_root"])
    with (
        socket.create_connection((e2e_state["server_ip"], 443), timeout=10) as sock,
        ctx.wrap_socket(sock, server_hostname=name) as tls,
    ):
        return hashlib.sha256(tls.getpeercert(binary_form=True)).hexdigest()


def test_a_renewed_certificate_is_served_after_the_deploy_hook(srv, e2e_state, domain, converge):
    before = _served_fingerprint(e2e_state, domain)
    nginx_pid = srv.check("systemctl show -p MainPID --value nginx").strip()
    # what certbot.timer does, forced (pebble's certificates are far from expiry); the deploy
    # configured the ACME CA bundle for the timer's service, the shell needs it given
    srv.check(
        "REQUESTS_CA_BUNDLE=/etc/rsm/acme-ca.pem certbot renew --force-renewal --no-random-sleep-on-renew -q"
    )
    wait_for(
        "the renewed certificate served", lambda: _served_fingerprint(e2e_state, domain) != before, 30, 1
    )
    assert _served_fingerprint(e2e_state, f"any.{domain}") != before
    assert srv.check("systemctl show -p MainPID --value nginx").strip() == nginx_pid, (
        "nginx restarted, not reloaded"
    )
    again = converge(label="converge-after-renewal")
    assert again.returncode == 0 and not again.changed, (again.changed, str(again.log))


def test_a_stray_nginx_master_is_stopped_by_the_deploy(srv, converge):
    # started by hand from an SSH login, as an operator might have done
    import random

    port = random.randint(20000, 29999)
    srv.check(
        "mkdir -p /tmp/e2e-stray && printf '%s' 'pid /tmp/e2e-stray/nginx.pid; error_log /tmp/e2e-stray/error.log; "
        f"events {{}} http {{ access_log off; server {{ listen 127.0.0.1:{port}; return 204; }} }}' "
        "> /tmp/e2e-stray/nginx.conf && nginx -c /tmp/e2e-stray/nginx.conf </dev/null >/dev/null 2>&1"
    )
    masters = srv.check("ps -eo args --no-headers | grep -c '[n]ginx: master'").strip()
    assert masters == "2", f"could not start a stray nginx master ({masters})"
    result = converge(label="converge-stray-nginx")
    assert result.returncode == 0, f"log {result.log}"
    masters = srv.check("ps -eo pid,args --no-headers | grep '[n]ginx: master'").splitlines()
    assert len(masters) == 1, masters
    assert masters[0].split()[0] == srv.check("systemctl show -p MainPID --value nginx").strip()
    # and nothing else was stopped on the way (a master started from SSH sits in ssh.service)
    assert srv.check("systemctl is-active ssh").strip() == "active"
    assert srv.check("systemctl is-enabled ssh").strip() == "enabled"


def _broken_checkout(tmp: Path) -> list[Path]:
    """A copy of the working tree whose nginx templates carry an unknown directive."""
    skip = {".git", ".venv", ".e2e", "build", "secrets", "__pycache__", ".pytest_cache"}
    shutil.copytree(REPO, tmp, ignore=lambda d, names: [n for n in names if n in skip], symlinks=True)
    for name in (".e2e", "build", "secrets", ".venv"):
        if (REPO / name).exists():
            (tmp / name).symlink_to(REPO / name)
    broken = []
    for path in sorted((tmp / "templates" / "nginx").rglob("*")):
        if path.is_file():
            text = path.read_text()
            new = re.sub(r"(server\s*\{)", r"\1\n    e2e_broken_directive on;", text, count=1)
            if new != text:
                path.write_text(new)
                broken.append(path)
    return broken


def test_a_broken_nginx_template_fails_loudly_and_keeps_the_site_up(srv, new_browser, domain, e2e_state):
    import e2e.converge as conv
    from e2e.converge import run_converge

    nginx_pid = srv.check("systemctl show -p MainPID --value nginx").strip()
    config_before = srv.check("nginx -T 2>/dev/null | md5sum")
    with tempfile.TemporaryDirectory(prefix="e2e-broken-") as tmp:
        checkout = Path(tmp) / "repo"
        broken = _broken_checkout(checkout)
        assert broken, "no nginx template with a server block to break under templates/nginx/"
        original_repo = conv.REPO
        conv.REPO = checkout
        try:
            # PYTHONPATH first: the copy's deploy/ and templates/, not the editable install's
            result = run_converge(label="converge-broken-nginx", extra_env={"PYTHONPATH": str(checkout)})
        finally:
            conv.REPO = original_repo
    assert result.returncode != 0, f"the deploy with a broken nginx template succeeded; log {result.log}"
    assert re.search(r"e2e_broken_directive|nginx.*(test failed|\[emerg\])|nginx -t", result.output), (
        f"the failure does not name nginx's complaint; log {result.log}\n{result.tail(40)}"
    )
    # the running nginx and its configuration are untouched and still serve
    assert srv.run("nginx -t").rc == 0, "a broken configuration was left in place"
    assert srv.check("nginx -T 2>/dev/null | md5sum") == config_before
    assert srv.check("systemctl show -p MainPID --value nginx").strip() == nginx_pid
    assert _apex_answers(new_browser, domain) == 200
    # and the good deploy still converges
    again = run_converge(label="converge-after-broken")
    assert again.returncode == 0, f"log {again.log}"
