"""Inventory of the end-to-end `multi` scenario: two web hosts and two db hosts, read from
`.e2e/scenarios/multi/state.json` (E2E_STATE; written by `E2E_SCENARIO=multi scripts/e2e`).

    web         web-1, web-2: nginx, Docker and the app, each with its own wildcard certificate
    db          db-1, db-2: PostgreSQL and PgBouncer; the first (db-1) also holds the master
                database, Redis and the backups
    monitoring  db-1 (Prometheus and Alertmanager scrape every host at its private address)
    backup      the backup host

Every host's `private_address` is its address on the scenario's own Docker network
(`rsm-e2e-multi-private`), apart from the bridge where SSH and HTTPS arrive. The host data keys
are inventories/e2e.py's, plus in the state file `servers`: name → {container, groups, ip,
private_address}. The passwords the separate hosts share (RSM_POSTGRES_PASSWORD,
RSM_REDIS_PASSWORD) come in the environment from the harness.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from e2e.inventory import backup_data, read_state, site_data  # noqa: E402

_state = read_state(Path(__file__).resolve().parent.parent / ".e2e" / "scenarios" / "multi" / "state.json")
_servers = _state["servers"]


def _hosts(group: str) -> list:
    # named as the scenario names them: the app names each database server by its db host's name
    return [
        (name, {**site_data(_state), "ssh_hostname": s["ip"], "private_address": s["private_address"]})
        for name, s in _servers.items()
        if group in s["groups"]
    ]


web = _hosts("web")
db = _hosts("db")
monitoring = _hosts("monitoring")
backup = [
    (name, {**backup_data(_state, s["private_address"]), "ssh_hostname": s["ip"]})
    for name, s in _servers.items()
    if "backup" in s["groups"]
]
