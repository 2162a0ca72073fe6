"""pebble: Let's Encrypt's ACME test server, with a throwaway CA for its own HTTPS listener."""

from __future__ import annotations

import json
import os
import ssl
import urllib.request
from pathlib import Path

from .util import E2E_DIR, ensure_commands, pid_alive, run, spawn_daemon, stop_pid, wait_for, which

PEBBLE_DIR = E2E_DIR / "pebble"
PIDFILE = PEBBLE_DIR / "pebble.pid"
ACME_PORT = 14000
MGMT_PORT = 15000


def _listener_pki(listen: str) -> Path:
    """A throwaway CA and a certificate for pebble's listener; returns the CA bundle path."""
    ca_key, ca_crt = PEBBLE_DIR / "listener-ca.key", PEBBLE_DIR / "listener-ca.pem"
    key, csr, crt = PEBBLE_DIR / "listener.key", PEBBLE_DIR / "listener.csr", PEBBLE_DIR / "listener.pem"
    openssl = which("openssl")
    run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            str(ca_key),
            "-out",
            str(ca_crt),
            "-days",
            "30",
            "-subj",
            "/CN=e2e pebble listener CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]
    )
    run(
        [
            openssl,
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(csr),
            "-subj",
            "/CN=pebble",
        ]
    )
    ext = PEBBLE_DIR / "listener.ext"
    ext.write_text(
        f"subjectAltName=IP:{listen},IP:127.0.0.1,DNS:localhost,DNS:pebble\n"
        "basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n"
        "keyUsage=critical,digitalSignature\n"
    )
    run(
        [
            openssl,
            "x509",
            "-req",
            "-in",
            str(csr),
            "-CA",
            str(ca_crt),
            "-CAkey",
            str(ca_key),
            "-CAcreateserial",
            "-out",
            str(crt),
            "-days",
            "30",
            "-extfile",
            str(ext),
        ]
    )
    for path in (ca_key, key):
        os.chmod(path, 0o600)
    return ca_crt


def start(listen: str, dns_server: str, dns_port: int) -> dict:
    """(Re)start pebble; return its directory URL, listener CA and the issuer root path."""
    ensure_commands({"pebble": "pebble", "openssl": "openssl"})
    stop()
    PEBBLE_DIR.mkdir(parents=True, exist_ok=True)
    os.chmod(PEBBLE_DIR, 0o700)
    ca_bundle = _listener_pki(listen)
    config = {
        "pebble": {
            "listenAddress": f"{listen}:{ACME_PORT}",
            "managementListenAddress": f"{listen}:{MGMT_PORT}",
            "certificate": str(PEBBLE_DIR / "listener.pem"),
            "privateKey": str(PEBBLE_DIR / "listener.key"),
            "httpPort": 5002,
            "tlsPort": 5001,
            "ocspResponderURL": "",
            "externalAccountBindingRequired": False,
        }
    }
    (PEBBLE_DIR / "pebble-config.json").write_text(json.dumps(config, indent=2))
    env = dict(os.environ, PEBBLE_VA_NOSLEEP="1", PEBBLE_WFE_NONCEREJECT="0", PEBBLE_AUTHZREUSE="0")
    spawn_daemon(
        [
            which("pebble"),
            "-config",
            str(PEBBLE_DIR / "pebble-config.json"),
            "-dnsserver",
            f"{dns_server}:{dns_port}",
        ],
        PIDFILE,
        PEBBLE_DIR / "pebble.log",
        env=env,
    )
    ctx = ssl.create_default_context(cafile=str(ca_bundle))
    directory = f"https://{listen}:{ACME_PORT}/dir"

    def answers():
        with urllib.request.urlopen(directory, context=ctx, timeout=3) as resp:
            return json.load(resp).get("newOrder")

    wait_for("pebble directory", answers, 30, 0.3)
    issuer_root = PEBBLE_DIR / "issuer-root.pem"
    with urllib.request.urlopen(f"https://{listen}:{MGMT_PORT}/roots/0", context=ctx, timeout=5) as resp:
        issuer_root.write_bytes(resp.read())
    return {
        "acme_directory": directory,
        "acme_ca_bundle": str(ca_bundle),
        "pebble_issuer_root": str(issuer_root),
    }


def running() -> bool:
    return pid_alive(PIDFILE) is not None


def stop() -> bool:
    return stop_pid(PIDFILE)
