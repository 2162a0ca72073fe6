"""The host data of a scenario's servers, from its state file: what `inventories/e2e.py` and
`inventories/e2e_multi.py` give pyinfra (the keys are described in inventories/e2e.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def read_state(default: Path) -> dict:
    """The state file E2E_STATE names (the harness sets it), else DEFAULT."""
    path = Path(os.environ.get("E2E_STATE") or default)
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise SystemExit(
            f"{path} not found: start the end-to-end servers first (scripts/e2e infra)"
        ) from None


def ssh_data(state: dict) -> dict:
    # a disposable server: its host key is new each time, so don't record or check it
    return {
        "ssh_user": "root",
        "ssh_port": 22,
        "ssh_key": state["ssh_key"],
        "ssh_known_hosts_file": "/dev/null",
        "ssh_strict_host_key_checking": "no",
    }


def site_data(state: dict) -> dict:
    """A web or db host's data: the site, its certificate's ACME and DNS, the fakes standing in
    for the operator's services."""
    return {
        **ssh_data(state),
        "backup_secrets_dir": state["backup_secrets_dir"],
        "domain": state["domain"],
        "admin_email": state["admin_email"],
        "acme_directory": state["acme_directory"],
        "acme_ca_bundle": state.get("acme_ca_bundle"),
        "dns_plugin": state["dns_plugin"],
        "dns_credentials": state["dns_credentials"],
        "dns_propagation_seconds": int(state.get("dns_propagation_seconds", 0)),
        "base_image_archive": state.get("base_image_archive"),
        "alert_webhook_url": state.get("alert_webhook_url", ""),
        "alert_for": "10s",  # alerts fire within a test's patience
        # the harness gives the fake API's key and address in the environment
        "app_settings": {"ASSISTANT_ENABLED": "true"},
    }


def backup_data(state: dict, private_address: str = "") -> dict:
    data = {**ssh_data(state), "backup_secrets_dir": state["backup_secrets_dir"]}
    return {**data, "private_address": private_address} if private_address else data
