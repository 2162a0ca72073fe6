"""bind9: the authoritative DNS server of the test domains (one per scenario served), taking RFC 2136
updates for DNS-01."""

from __future__ import annotations

import base64
import os
import secrets
import socket
from collections.abc import Mapping

from .util import E2E_DIR, ensure_commands, pid_alive, run, spawn_daemon, stop_pid, wait_for, which

BIND_DIR = E2E_DIR / "bind"
PIDFILE = BIND_DIR / "named.pid"
KEY_NAME = "e2e-acme"


def port_free(host: str, port: int) -> bool:
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        sock = socket.socket(socket.AF_INET, kind)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        finally:
            sock.close()
    return True


def choose_port(host: str) -> int:
    for port in (53, 10053, 20053, 30053):
        if port_free(host, port):
            return port
    raise RuntimeError(f"no free DNS port on {host}")


def zone_file(domain: str, listen: str, addresses: list[str]) -> str:
    """The zone: the apex and every subdomain name each web host (several A records: a client
    tries the next address when one does not answer)."""
    records = "".join(f"@   IN A   {ip}\n*   IN A   {ip}\n" for ip in addresses)
    return f"""$TTL 5
@   IN SOA ns.{domain}. hostmaster.{domain}. ( 1 60 60 3600 5 )
    IN NS  ns.{domain}.
ns  IN A   {listen}
{records}"""


def zone_conf(domain: str) -> str:
    return f"""zone "{domain}" {{
    type primary;
    file "{domain}.zone";
    update-policy {{ grant {KEY_NAME} name _acme-challenge.{domain}. TXT; }};
}};
"""


def start(listen: str, zones: Mapping[str, list[str]]) -> dict:
    """(Re)start named on LISTEN serving each zone (domain → its web hosts' addresses); return the
    rfc2136 credentials certbot needs."""
    ensure_commands({"named": "bind9", "named-checkconf": "bind9-utils", "dig": "bind9-dnsutils"})
    stop()
    BIND_DIR.mkdir(parents=True, exist_ok=True)
    os.chmod(BIND_DIR, 0o700)
    port = choose_port(listen)
    secret = base64.b64encode(secrets.token_bytes(64)).decode()
    for domain, addresses in zones.items():
        (BIND_DIR / f"{domain}.zone").write_text(zone_file(domain, listen, addresses))
    for stale in BIND_DIR.glob("*.jnl"):
        stale.unlink()
    conf = f"""options {{
    directory "{BIND_DIR}";
    pid-file "{PIDFILE}";
    session-keyfile "{BIND_DIR}/session.key";
    managed-keys-directory "{BIND_DIR}";
    listen-on port {port} {{ {listen}; }};
    listen-on-v6 {{ none; }};
    recursion no;
    allow-query {{ any; }};
    allow-transfer {{ none; }};
    dnssec-validation no;
    notify no;
}};
controls {{ }};
key "{KEY_NAME}" {{
    algorithm hmac-sha512;
    secret "{secret}";
}};
""" + "".join(zone_conf(domain) for domain in zones)
    conf_path = BIND_DIR / "named.conf"
    fd = os.open(conf_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(conf)
    run([which("named-checkconf"), "-z", str(conf_path)])
    # -g: foreground, log to stderr (our log file); named keeps running as root here
    spawn_daemon(
        [which("named"), "-g", "-c", str(conf_path)], BIND_DIR / "named.run.pid", BIND_DIR / "named.log"
    )

    def answers():
        return all("hostmaster" in query(listen, port, domain, "SOA") for domain in zones)

    wait_for("named answering", answers, 30, 0.3)
    return {
        "dns_rfc2136_server": listen,
        "dns_rfc2136_port": port,
        "dns_rfc2136_name": KEY_NAME,
        "dns_rfc2136_secret": secret,
        "dns_rfc2136_algorithm": "HMAC-SHA512",
    }


def query(server: str, port: int, name: str, rtype: str = "A") -> str:
    """dig's short answer from SERVER:PORT."""
    return run(
        [which("dig"), f"@{server}", "-p", str(port), "+short", "+time=1", "+tries=1", rtype, name],
        check=False,
    ).stdout


def resolve(credentials: dict, name: str) -> list[str]:
    """NAME's addresses as the scenario's bind9 answers them (credentials: the state's
    dns_credentials, which say where it listens), in its order."""
    answer = query(credentials["dns_rfc2136_server"], credentials["dns_rfc2136_port"], name)
    return answer.split()


def running() -> bool:
    return pid_alive(BIND_DIR / "named.run.pid") is not None


def stop() -> bool:
    return stop_pid(BIND_DIR / "named.run.pid")
