"""A scenario's life: infrastructure up, converge, demo studio, where it answers, down.

One line per stage with its time; `python -m e2e` and the end-to-end suite's fixtures call these.
"""

from __future__ import annotations

import os
import sys

from . import acme, alert_webhook, demo, dns, engine, fake_api, server, smtp_relay
from .converge import run_converge
from .scenario import BACKUP, PRIVATE_SUBNET, Scenario
from .util import ensure_commands, log, stage


def infra(scenario: Scenario) -> dict:
    """Images, the scenario's fresh servers (its backup host among them), bind9, pebble and the
    fake API; writes and returns the state."""
    scenario.converged_stamp.unlink(missing_ok=True)
    domain = scenario.domain
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
    names = {role: scenario.container(role) for role in scenario.servers()}
    with stage(f"server containers {', '.join(names.values())} boot + sshd"):
        servers = boot_servers(scenario, tag)
    web_ips = [servers[role]["ip"] for role in scenario.servers("web")]
    with stage("bind9 (authoritative, RFC 2136)"):
        creds = dns.start(gateway, {domain: web_ips})
    with stage("pebble (ACME test CA)"):
        pki = acme.start(gateway, gateway, creds["dns_rfc2136_port"])
    with stage("fake Anthropic API"):
        fake_url = fake_api.start(gateway)
    with stage("alert webhook receiver"):
        webhook_url = alert_webhook.start(gateway)
    with stage("SMTP sink (the operator's relay)"):
        smtp_relay.start(gateway)
    first_web = scenario.servers("web")[0]
    state = {
        "server_ip": servers[first_web]["ip"],
        "backup_ip": servers[BACKUP]["ip"],
        "backup_container": names[BACKUP],
        "backup_secrets_dir": str(scenario.dir / "backup-secrets"),
        "ssh_key": str(server.SSH_KEY),
        "domain": domain,
        "admin_email": os.environ.get("E2E_ADMIN_EMAIL", f"admin@{domain}"),
        "acme_directory": pki["acme_directory"],
        "acme_ca_bundle": pki["acme_ca_bundle"],
        "pebble_issuer_root": pki["pebble_issuer_root"],
        "dns_plugin": "rfc2136",
        "dns_credentials": creds,
        "dns_propagation_seconds": 2,
        "base_image_archive": str(archive),
        "anthropic_base_url": fake_url,
        "alert_webhook_url": webhook_url,
        "host_gateway": gateway,
        "scenario": scenario.name,
        "server_container": names[first_web],
    }
    if not scenario.default:
        state["servers"] = servers
    scenario.write_state(state)
    return state


def boot_servers(scenario: Scenario, tag: str) -> dict[str, dict]:
    """Start every server of the scenario side by side, then wait for each: name → its container,
    inventory groups, address on the bridge (SSH, HTTPS) and on the private network (if any)."""
    key, public = server.ensure_ssh_key()
    network = scenario.private_network
    if network:
        server.ensure_network(network, PRIVATE_SUBNET)
    servers = {}
    for role, groups in scenario.layout.items():
        name = scenario.container(role)
        ip = server.start(name, tag, volume=scenario.volume(role), hostname=scenario.hostname(role))
        private = server.connect(name, network) if network else ""
        servers[role] = {"container": name, "groups": list(groups), "ip": ip, "private_address": private}
    for found in servers.values():
        server.wait_booted(found["container"])
        server.install_authorized_key(found["container"], public)
        server.wait_sshd(found["ip"])
        if not server.ssh_answers(found["ip"], key):
            raise RuntimeError(f"ssh root@{found['ip']} with {key} does not answer")
    return servers


def converge(scenario: Scenario, label: str = "converge") -> int:
    with stage(f"{label} (pyinfra {scenario.inventory} deploy.py)"):
        result = run_converge(scenario=scenario, label=label, echo=os.environ.get("E2E_VERBOSE") == "1")
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
    scenario.converged_stamp.write_text("ok\n")
    return 0


class FirstConvergeFailed(RuntimeError):
    pass


def down_unless_kept(scenario: Scenario) -> None:
    if os.environ.get("E2E_KEEP") != "1":
        down(scenario)


def ready_for_tests(scenario: Scenario, state: dict | None = None) -> dict:
    """A test session's set-up: the scenario's converged servers (STATE, when reused; else up from
    nothing and a first converge) and the demo studio. Taken down on failure unless E2E_KEEP=1."""
    try:
        if state is None:
            state = infra(scenario)
            rc = converge(scenario, "converge-1")
            if rc != 0:
                raise FirstConvergeFailed(f"the first converge failed (exit {rc}); see .e2e/logs/")
        demo_studio(scenario, state)
    except BaseException:
        down_unless_kept(scenario)
        raise
    return state


def demo_studio(scenario: Scenario, state: dict) -> demo.Demo:
    with stage(f"demo studio {demo.SUBDOMAIN}.{state['domain']} (scripts/tenants)"):
        studio, created = demo.ensure(scenario, state)
    log(f"  {'created' if created else 'already there'}")
    return studio


def site_lines(state: dict, studio: demo.Demo | None = None) -> list[str]:
    """What `scripts/e2e` prints about the site: `label: text` lines, the studio's only with one."""
    d, ip, root = state["domain"], state["server_ip"], state["pebble_issuer_root"]
    lines = [f"apex:    curl -L --resolve {d}:443:{ip} --cacert {root} https://{d}/"]
    if studio:
        lines += [
            f"studio:  curl -L --resolve {studio.host}:443:{ip} --cacert {root} {studio.url}",
            f"sign in: {studio.url} as {studio.email} with password {studio.password}"
            f" (kept in {studio.password_file})",
        ]
    lines += [
        f"ssh:     ssh -i {state['ssh_key']} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@{ip}",
        f"issuer:  {root} (the root CA of the site's certificate; changes at every pebble start)",
        f"browser: add '{' '.join([ip, d] + ([studio.host] if studio else []))}' to /etc/hosts and trust {root}",
    ]
    return lines


def where(state: dict, studio: demo.Demo | None = None) -> None:
    log("the site:")
    for line in site_lines(state, studio):
        print(f"  {line}")


def services_running() -> bool:
    return (
        dns.running()
        and acme.running()
        and fake_api.running()
        and alert_webhook.running()
        and smtp_relay.running()
    )


def status(scenario: Scenario) -> bool:
    state = scenario.read_state()
    if not state:
        log(f"no {scenario.state_file}")
        return False
    ok = (
        all(server.container_state(scenario.container(role)) == "running" for role in scenario.servers())
        and server.ssh_answers(state["server_ip"], server.SSH_KEY, timeout=5)
        and services_running()
    )
    log(f"server {state['server_ip']}: {'up' if ok else 'not answering'}")
    return ok


def selfcheck(scenario: Scenario, state: dict) -> None:
    """certbot certonly --dns-rfc2136 for DOMAIN and *.DOMAIN inside the server, out of the deploy's way."""
    name = scenario.container()
    creds = state["dns_credentials"]
    ini = "".join(f"{k} = {v}\n" for k, v in creds.items())
    with stage("selfcheck: certbot in the server (apt)"):
        server.exec_(
            name,
            [
                "sh",
                "-c",
                "command -v certbot >/dev/null && dpkg -s python3-certbot-dns-rfc2136 >/dev/null 2>&1"
                " || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q"
                " --no-install-recommends certbot python3-certbot-dns-rfc2136; }",
            ],
            timeout=600,
        )
        server.exec_(
            name,
            ["sh", "-c", "umask 077; mkdir -p /tmp/e2e-selfcheck; cat > /tmp/e2e-selfcheck/rfc2136.ini"],
            input=ini,
        )
        with open(state["acme_ca_bundle"]) as bundle:
            server.exec_(name, ["sh", "-c", "cat > /tmp/e2e-selfcheck/acme-ca.pem"], input=bundle.read())
    d = state["domain"]
    with stage("selfcheck: DNS-01 wildcard issuance"):
        server.exec_(
            name,
            [
                "env",
                "REQUESTS_CA_BUNDLE=/tmp/e2e-selfcheck/acme-ca.pem",
                "certbot",
                "certonly",
                "-n",
                "--agree-tos",
                "-m",
                state["admin_email"],
                "--server",
                state["acme_directory"],
                "--config-dir",
                "/tmp/e2e-selfcheck/etc",
                "--work-dir",
                "/tmp/e2e-selfcheck/work",
                "--logs-dir",
                "/tmp/e2e-selfcheck/log",
                "--dns-rfc2136",
                "--dns-rfc2136-credentials",
                "/tmp/e2e-selfcheck/rfc2136.ini",
                "--dns-rfc2136-propagation-seconds",
                str(state["dns_propagation_seconds"]),
                "--cert-name",
                "selfcheck",
                "-d",
                d,
                "-d",
                f"*.{d}",
            ],
            timeout=300,
        )
        sans = server.exec_(
            name,
            [
                "openssl",
                "x509",
                "-noout",
                "-ext",
                "subjectAltName",
                "-in",
                "/tmp/e2e-selfcheck/etc/live/selfcheck/cert.pem",
            ],
        ).stdout
    server.exec_(name, ["rm", "-rf", "/tmp/e2e-selfcheck"])
    log("  issued: " + " ".join(sans.split()[4:] if "Name:" in sans else sans.split()))


def down(scenario: Scenario) -> None:
    with stage("tear down (servers, volumes, bind9, pebble, fake API, alert webhook, SMTP sink)"):
        for role in scenario.servers():
            server.destroy(scenario.container(role), scenario.volume(role))
        if scenario.private_network:
            server.remove_network(scenario.private_network)
        dns.stop()
        acme.stop()
        fake_api.stop()
        alert_webhook.stop()
        smtp_relay.stop()
        scenario.state_file.unlink(missing_ok=True)
        scenario.converged_stamp.unlink(missing_ok=True)
