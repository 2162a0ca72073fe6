"""`python -m tests.e2e.harness COMMAND`

  up        build what is missing, start a fresh server + bind9 + pebble + fake Anthropic,
            write .e2e/state.json, converge with the real deploy, print where the site is
  infra     the same without the converge (server booted, sshd, DNS, ACME, fake API)
  converge  converge the current server again (prints which operations changed)
  selfcheck issue a DOMAIN + *.DOMAIN certificate by DNS-01 from inside the server with Debian's
            certbot + rfc2136 plugin (proves the pebble/bind/TSIG set-up; state kept in /tmp)
  status    is the recorded server up and answering?
  down      remove the server container and its volume, stop bind9, pebble and the fake API
            (cached images stay)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from . import acme, dns, engine, fakes, server
from .converge import run_converge
from .util import E2E_DIR, STATE_FILE, ensure_commands, log, stage

DOMAIN = os.environ.get("E2E_DOMAIN", "studio.test")
ADMIN_EMAIL = os.environ.get("E2E_ADMIN_EMAIL", f"admin@{DOMAIN}")


def write_state(state: dict) -> None:
    E2E_DIR.mkdir(parents=True, exist_ok=True)
    tmp = STATE_FILE.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # holds the TSIG secret
    with os.fdopen(fd, "w") as fh:
        json.dump(state, fh, indent=2, sort_keys=True)
        fh.write("\n")
    tmp.replace(STATE_FILE)


def read_state() -> dict | None:
    try:
        return json.loads(STATE_FILE.read_text())
    except (OSError, ValueError):
        return None


CONVERGED_STAMP = E2E_DIR / "converged"


def infra() -> dict:
    CONVERGED_STAMP.unlink(missing_ok=True)
    with stage("host tools (apt if missing)"):
        ensure_commands({"openssl": "openssl", "tar": "tar", "ip": "iproute2"})
    with stage("docker engine"):
        engine.ensure_engine()
    with stage("image debian:trixie-slim (debootstrap)"):
        built = engine.ensure_base_image()
    log(f"  debian:trixie-slim {'built' if built else 'cached'}")
    with stage("image server (systemd + sshd)"):
        tag, built = engine.ensure_server_image()
    log(f"  {tag} {'built' if built else 'cached'}")
    with stage("docker save debian:trixie-slim"):
        archive = engine.save_base_image()
    gateway = engine.docker0_gateway()
    with stage("server container boot + sshd"):
        key, public = server.ensure_ssh_key()
        ip = server.start(tag)
        server.wait_booted()
        server.install_authorized_key(public)
        server.wait_sshd(ip)
        if not server.ssh_answers(ip, key):
            raise RuntimeError(f"ssh root@{ip} with {key} does not answer")
    with stage("bind9 (authoritative, RFC 2136)"):
        creds = dns.start(gateway, DOMAIN, ip)
    with stage("pebble (ACME test CA)"):
        pki = acme.start(gateway, gateway, creds["dns_rfc2136_port"])
    with stage("fake Anthropic API"):
        fake_url = fakes.start(gateway)
    state = {
        "server_ip": ip,
        "ssh_key": str(key),
        "domain": DOMAIN,
        "admin_email": ADMIN_EMAIL,
        "acme_directory": pki["acme_directory"],
        "acme_ca_bundle": pki["acme_ca_bundle"],
        "pebble_issuer_root": pki["pebble_issuer_root"],
        "dns_plugin": "rfc2136",
        "dns_credentials": creds,
        "dns_propagation_seconds": 2,
        "base_image_archive": str(archive),
        "anthropic_base_url": fake_url,
        "host_gateway": gateway,
        "server_container": server.CONTAINER,
    }
    write_state(state)
    return state


def converge(label: str = "converge") -> int:
    with stage(f"{label} (pyinfra inventories/e2e.py deploy.py)"):
        result = run_converge(label=label, echo=os.environ.get("E2E_VERBOSE") == "1")
    changed = result.changed
    log(f"  log: {result.log}")
    if result.returncode != 0:
        print(result.tail(80), file=sys.stderr)
        log(f"converge FAILED (exit {result.returncode}); full output in {result.log}")
        return result.returncode
    log(f"  {len(result.table)} operations, {len(changed)} changed")
    if label != "converge-1" and 0 < len(changed) <= 20:
        for name in changed:
            log(f"    changed: {name}")
    CONVERGED_STAMP.write_text("ok\n")
    return 0


def where(state: dict) -> None:
    d, ip, root = state["domain"], state["server_ip"], state["pebble_issuer_root"]
    log("the site:")
    print(f"  apex:    curl --resolve {d}:443:{ip} --cacert {root} https://{d}/")
    print(f"  studio:  curl --resolve demo.{d}:443:{ip} --cacert {root} https://demo.{d}/")
    print(f"  ssh:     ssh -i {state['ssh_key']} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@{ip}")
    print(f"  issuer root CA (changes at every pebble start): {root}")
    print(f"  browser: add '{ip} {d} demo.{d}' to /etc/hosts and trust {root}")


def status() -> bool:
    state = read_state()
    if not state:
        log("no .e2e/state.json")
        return False
    ok = (
        server.container_state() == "running"
        and server.ssh_answers(state["server_ip"], server.SSH_KEY, timeout=5)
        and dns.running()
        and acme.running()
        and fakes.running()
    )
    log(f"server {state['server_ip']}: {'up' if ok else 'not answering'}")
    return ok


def selfcheck(state: dict) -> None:
    """certbot certonly --dns-rfc2136 for DOMAIN and *.DOMAIN inside the server, out of the deploy's way."""
    creds = state["dns_credentials"]
    ini = "".join(f"{k} = {v}\n" for k, v in creds.items())
    with stage("selfcheck: certbot in the server (apt)"):
        server.exec_(["sh", "-c", "command -v certbot >/dev/null && dpkg -s python3-certbot-dns-rfc2136 >/dev/null 2>&1"
                      " || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q"
                      " --no-install-recommends certbot python3-certbot-dns-rfc2136; }"], timeout=600)
        server.exec_(["sh", "-c", "umask 077; mkdir -p /tmp/e2e-selfcheck; cat > /tmp/e2e-selfcheck/rfc2136.ini"],
                     input=ini)
        server.exec_(["sh", "-c", "cat > /tmp/e2e-selfcheck/acme-ca.pem"],
                     input=open(state["acme_ca_bundle"]).read())
    d = state["domain"]
    with stage("selfcheck: DNS-01 wildcard issuance"):
        server.exec_([
            "env", "REQUESTS_CA_BUNDLE=/tmp/e2e-selfcheck/acme-ca.pem", "certbot", "certonly", "-n",
            "--agree-tos", "-m", state["admin_email"], "--server", state["acme_directory"],
            "--config-dir", "/tmp/e2e-selfcheck/etc", "--work-dir", "/tmp/e2e-selfcheck/work",
            "--logs-dir", "/tmp/e2e-selfcheck/log", "--dns-rfc2136",
            "--dns-rfc2136-credentials", "/tmp/e2e-selfcheck/rfc2136.ini",
            "--dns-rfc2136-propagation-seconds", str(state["dns_propagation_seconds"]),
            "--cert-name", "selfcheck", "-d", d, "-d", f"*.{d}",
        ], timeout=300)
        sans = server.exec_(["openssl", "x509", "-noout", "-ext", "subjectAltName", "-in",
                             "/tmp/e2e-selfcheck/etc/live/selfcheck/cert.pem"]).stdout
    server.exec_(["rm", "-rf", "/tmp/e2e-selfcheck"])
    log("  issued: " + " ".join(sans.split()[4:] if "Name:" in sans else sans.split()))


def down() -> None:
    with stage("tear down (server, volume, bind9, pebble, fake API)"):
        server.destroy()
        dns.stop()
        acme.stop()
        fakes.stop()
        STATE_FILE.unlink(missing_ok=True)
        CONVERGED_STAMP.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tests.e2e.harness", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["up", "infra", "converge", "selfcheck", "status", "down"])
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        log("run as root (it starts dockerd, installs packages, binds DNS)")
        return 2
    t0 = time.monotonic()
    if args.command == "down":
        down()
        return 0
    if args.command == "status":
        return 0 if status() else 1
    if args.command == "selfcheck":
        state = read_state()
        if not state:
            log("no .e2e/state.json: run scripts/e2e infra first")
            return 1
        selfcheck(state)
        return 0
    if args.command == "converge":
        state = read_state()
        if not state:
            log("no .e2e/state.json: run scripts/e2e first")
            return 1
        rc = converge()
        if rc == 0:
            where(state)
        return rc
    state = infra()
    if args.command == "infra":
        log(f"infra ready in {time.monotonic() - t0:.1f}s; state in {STATE_FILE}")
        where(state)
        return 0
    rc = converge()
    if rc == 0:
        log(f"converged from nothing in {time.monotonic() - t0:.1f}s")
        where(state)
    return rc


if __name__ == "__main__":
    sys.exit(main())
