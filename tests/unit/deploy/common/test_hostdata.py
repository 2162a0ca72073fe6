"""The host data table: typed values with defaults, the problems preflight names, and the
documentation block in inventories/prod.py, by exact output."""

import json
import runpy

import pytest

from deploy.common import hostdata
from deploy.common.hostdata import HostData

pytestmark = pytest.mark.unit


def test_the_inventorys_documentation_block_is_current():
    text = hostdata.INVENTORY.read_text()
    assert hostdata.docs_block() in text, (
        "inventories/prod.py is out of date: run python -m deploy.common.hostdata"
    )
    assert hostdata.with_docs_block(text) == text


def test_docs_block_lists_every_key_with_its_meaning():
    block = hostdata.docs_block()
    for d in hostdata.HOST_DATA:
        assert f"\n    {d.name} " in block
        assert " ".join(d.meaning.split()) in " ".join(block.split())
    assert "    dns_propagation_seconds  default 60; read on web hosts\n" in block
    assert "    domain                   required; read on web and db hosts\n" in block


def test_typed_values_with_defaults():
    data = hostdata.from_mapping(
        {
            "domain": "studio.test",
            "postgres_version": 16,
            "dns_propagation_seconds": "30",
            "acme_ca_bundle": None,
            "gunicorn_workers": "x",
            "ssh_user": "root",
        }
    )
    assert data == HostData(domain="studio.test", postgres_version="16", dns_propagation_seconds=30)
    assert data.app_settings == {} and data.app_network_subnet == "172.28.213.0/24"
    assert data.gunicorn_workers is None  # a wrong kind takes the default; preflight refuses it


def test_table_kinds_and_defaults():
    table = {d.name: d for d in hostdata.HOST_DATA}
    assert (table["dns_propagation_seconds"].kind, table["dns_propagation_seconds"].default) == (int, 60)
    assert (table["nginx_ipv6"].kind, table["nginx_ipv6"].default) == (bool, None)
    assert (table["app_settings"].kind, table["app_settings"].default) == (dict, {})
    assert [d.name for d in hostdata.HOST_DATA if d.required] == [
        "domain",
        "admin_email",
        "acme_directory",
        "dns_plugin",
    ]
    assert [d.name for d in hostdata.HOST_DATA if d.local_file] == [
        "dns_credentials_file",
        "acme_ca_bundle",
        "secrets_file",
        "base_image_archive",
    ]


def test_type_problems():
    assert hostdata.type_problems(
        {
            "dns_propagation_seconds": "soon",
            "nginx_ipv6": "yes",
            "app_settings": [1],
            "gunicorn_workers": 3,
            "gunicorn_threads": [8],
            "postgres_version": 17,
            "unknown": object(),
        }
    ) == [
        "host data dns_propagation_seconds as an integer (got 'soon')",
        "host data nginx_ipv6 as true or false (got 'yes')",
        "host data app_settings as a mapping (got [1])",
        "host data gunicorn_threads as an integer (got [8])",
    ]


def test_unknown_keys_name_the_nearest_known_one_and_pyinfras_own_keys_pass():
    assert hostdata.unknown_keys(
        {
            "dns_plugn": "rfc2136",
            "ssh_user": "root",
            "ssh_port": 22,
            "ssh_key": "k",
            "ssh_known_hosts_file": "/dev/null",
            "ssh_strict_host_key_checking": "no",
            "ssh_password": "p",
            "_sudo": True,
            "domain": "d",
            "colour": "blue",
        }
    ) == [
        "host data dns_plugn is not a key the deploy reads (did you mean dns_plugin?)",
        "host data colour is not a key the deploy reads (see inventories/prod.py for the keys)",
    ]


def test_package_names_fill_in_host_data():
    assert hostdata.package_names(
        ("certbot", "python3-certbot-dns-{dns_plugin}"), HostData(dns_plugin="cloudflare")
    ) == ["certbot", "python3-certbot-dns-cloudflare"]


def test_the_inventories_use_only_known_keys(tmp_path, monkeypatch):
    prod = runpy.run_path(str(hostdata.REPO_ROOT / "inventories" / "prod.py"))
    assert hostdata.unknown_keys(prod["web"][1]) == [] and hostdata.type_problems(prod["web"][1]) == []
    assert prod["backup"][0] != prod["db"][0]
    state = tmp_path / "state.json"
    state.write_text(
        json.dumps(
            {
                "server_ip": "10.0.0.2",
                "backup_ip": "10.0.0.3",
                "backup_secrets_dir": "/e2e/backup-secrets",
                "ssh_key": "k",
                "domain": "studio.test",
                "admin_email": "a@studio.test",
                "acme_directory": "https://ca/dir",
                "dns_plugin": "rfc2136",
                "dns_credentials": {},
                "dns_propagation_seconds": 1,
            }
        )
    )
    monkeypatch.setenv("E2E_STATE", str(state))
    e2e = runpy.run_path(str(hostdata.REPO_ROOT / "inventories" / "e2e.py"))
    assert hostdata.unknown_keys(e2e["web"][0][1]) == [] and hostdata.type_problems(e2e["web"][0][1]) == []
    assert (
        hostdata.unknown_keys(e2e["backup"][0][1]) == [] and hostdata.type_problems(e2e["backup"][0][1]) == []
    )
