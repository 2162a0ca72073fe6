"""Preflight: every missing or invalid item named at once, by exact output."""

import pytest

from app.settings import SETTINGS
from deploy.preflight import checks

pytestmark = pytest.mark.unit

DATA = {
    "domain": "studio.test",
    "admin_email": "admin@studio.test",
    "acme_directory": "https://ca.test/dir",
    "dns_plugin": "rfc2136",
    "dns_credentials": {"dns_rfc2136_server": "10.0.0.1"},
}


def check(data, groups=None, operator=None, exists=lambda p: True):
    groups = groups or {"web": {"s1": data}, "db": {"s1": data}, "backup": {"b1": {}}}
    operator = {"ASSISTANT_ENABLED": "false", **(operator or {})}
    return checks.missing_items("s1", data, groups, operator, SETTINGS, exists, "secrets/prod.env")


def test_preflight_passes_with_complete_data():
    assert check(DATA) == []


def test_a_named_secrets_file_that_cannot_be_read_stops_the_deploy():
    data = {**DATA, "secrets_file": "secrets/prod.env"}
    assert check(data, exists=lambda p: p != "secrets/prod.env") == [
        "readable file secrets/prod.env (host data secrets_file)"
    ]


def test_preflight_refuses_what_the_app_would_refuse_at_start():
    assert check(DATA, operator={"ASSISTANT_ENABLED": "true"}) == [
        "setting ASSISTANT_ENABLED is true but ANTHROPIC_API_KEY is not set (give the key, or set "
        "ASSISTANT_ENABLED=false to run without the assistant)"
    ]
    assert check(DATA, operator={"ASSISTANT_ENABLED": "<true|false>", "AI_TRIAL_CREDITS": "many"}) == [
        "setting ASSISTANT_ENABLED must be true or false",
        "setting AI_TRIAL_CREDITS must be a positive integer",
    ]


def test_preflight_names_every_missing_item_at_once():
    data = {"domain": "Not A Domain", "dns_plugin": "rfc2136", "acme_ca_bundle": "/nope.pem"}
    assert check(data, operator={"ANTHROPIC_API_KEY": "it's"}, exists=lambda p: False) == [
        "host data admin_email (the ACME account's contact address)",
        "host data acme_directory (the ACME directory URL (Let's Encrypt production/staging or a test CA))",
        "host data domain as a lower-case DNS name (got 'Not A Domain')",
        "host data dns_credentials (mapping) or dns_credentials_file (local path)",
        "readable file /nope.pem (host data acme_ca_bundle)",
        "setting ANTHROPIC_API_KEY contains a single quote",
    ]


def test_preflight_separate_hosts_need_addresses_and_shared_passwords():
    groups = {"web": {"w1": {}}, "db": {"d1": {"private_address": "10.0.0.5"}}, "backup": {"b1": {}}}
    operator = {"ASSISTANT_ENABLED": "false"}
    assert checks.missing_items("w1", DATA, groups, operator, SETTINGS, lambda p: True, None) == [
        "host data private_address of w1 (the web and db hosts reach each other there)",
        "secret RSM_POSTGRES_PASSWORD (several web and db hosts: each needs the same one)",
        "secret RSM_REDIS_PASSWORD (several web and db hosts: each needs the same one)",
    ]


def test_preflight_groups():
    assert check(DATA, groups={"web": {}, "db": {}}) == [
        "host s1 in group web or db or backup or monitoring",
        "at least one host in group db (found 0)",
    ]


def test_preflight_wants_one_backup_host_other_than_the_db_host():
    assert check(DATA, groups={"web": {"s1": DATA}, "db": {"s1": DATA}}) == [
        "exactly one host in group backup (found 0): it keeps the backups off the database's disk "
        "(README, Backups)"
    ]
    assert check(DATA, groups={"web": {"s1": DATA}, "db": {"s1": DATA}, "backup": {"s1": DATA}}) == [
        "a backup host other than the db hosts (backups must leave the databases' disks)"
    ]


def test_preflight_holds_a_backup_host_only_to_its_own_data():
    groups = {"web": {"s1": DATA}, "db": {"s1": DATA}, "backup": {"b1": {}}}
    assert checks.missing_items("b1", {}, groups, {}, SETTINGS, lambda p: True, None) == []


def test_the_monitoring_host_may_be_the_web_and_db_host():
    together = {"web": {"s1": DATA}, "db": {"s1": DATA}, "backup": {"b1": {}}, "monitoring": {"s1": DATA}}
    assert check(DATA, groups=together) == []


def test_a_monitoring_only_host_scrapes_the_others_at_their_private_addresses():
    server = {**DATA, "private_address": "10.0.0.5"}
    watcher = {"private_address": "10.0.0.9"}
    apart = {"web": {"s1": server}, "db": {"s1": server}, "backup": {"b1": {}}, "monitoring": {"m1": watcher}}
    assert checks.missing_items("m1", {}, apart, {}, SETTINGS, lambda p: True, None) == []
    assert check(server, groups=apart) == []
    without = {**apart, "web": {"s1": DATA}, "db": {"s1": DATA}}
    assert checks.missing_items("m1", {}, without, {}, SETTINGS, lambda p: True, None) == [
        "host data private_address of s1 (the monitoring host m1 scrapes its exporters there)"
    ]


def test_a_host_missing_its_private_address_is_named_once():
    groups = {
        "web": {"w1": {}},
        "db": {"d1": {"private_address": "10.0.0.5"}},
        "backup": {"b1": {}},
        "monitoring": {"m1": {"private_address": "10.0.0.9"}},
    }
    assert checks.missing_items("m1", {}, groups, {}, SETTINGS, lambda p: True, None) == [
        "host data private_address of w1 (the web and db hosts reach each other there)",
        "secret RSM_POSTGRES_PASSWORD (several web and db hosts: each needs the same one)",
        "secret RSM_REDIS_PASSWORD (several web and db hosts: each needs the same one)",
    ]


def test_one_monitoring_host_at_most():
    two = {
        "web": {"s1": DATA},
        "db": {"s1": DATA},
        "backup": {"b1": {}},
        "monitoring": {"s1": DATA, "m1": {}},
    }
    assert check(DATA, groups=two) == [
        "at most one host in group monitoring (found 2): its Prometheus alerts for all"
    ]


def test_preflight_message():
    assert checks.preflight_message("s1", ["a", "b"]) == (
        "Refusing to deploy s1: 2 missing or invalid item(s); nothing was changed.\n  - a\n  - b"
    )


def test_preflight_names_unknown_keys_and_values_of_the_wrong_kind():
    data = {
        **DATA,
        "dns_propagation_second": 5,
        "gunicorn_workers": "many",
        "ssh_user": "root",
        "_sudo": True,
    }
    assert check(data) == [
        "host data gunicorn_workers as an integer (got 'many')",
        "host data dns_propagation_second is not a key the deploy reads (did you mean dns_propagation_seconds?)",
    ]


def test_the_monitoring_host_apart_needs_its_own_private_address_for_the_firewalls():
    server = {**DATA, "private_address": "10.0.0.5"}
    apart = {"web": {"s1": server}, "db": {"s1": server}, "backup": {"b1": {}}, "monitoring": {"m1": {}}}
    assert checks.missing_items("m1", {}, apart, {}, SETTINGS, lambda p: True, None) == [
        "host data private_address of m1 (the hosts it scrapes let it in from there)"
    ]


FOUR = {"private_address": "10.0.0.1"}


def test_several_web_hosts_need_one_secret_key_of_the_apps_length():
    groups = {"web": {"w1": FOUR, "w2": FOUR}, "db": {"d1": FOUR}, "backup": {"b1": {}}}
    operator = {"ASSISTANT_ENABLED": "false", "RSM_POSTGRES_PASSWORD": "p", "RSM_REDIS_PASSWORD": "r"}
    assert checks.missing_items("w1", DATA, groups, operator, SETTINGS, lambda p: True, None) == [
        "secret RSM_SECRET_KEY (several web hosts: each signs the same sessions)"
    ]
    short = {**operator, "RSM_SECRET_KEY": "k" * 31}
    assert checks.missing_items("w1", DATA, groups, short, SETTINGS, lambda p: True, None) == [
        "secret RSM_SECRET_KEY of at least 32 characters"
    ]
    given = {**operator, "RSM_SECRET_KEY": "k" * 32}
    assert checks.missing_items("w1", DATA, groups, given, SETTINGS, lambda p: True, None) == []


def test_four_hosts_need_every_private_address_and_valid_server_names():
    groups = {
        "web": {"web-1": FOUR, "web-2": {}},
        "db": {"db-1": FOUR, "DB_2": {}},
        "backup": {"b1": {}},
    }
    operator = {
        "ASSISTANT_ENABLED": "false",
        "RSM_POSTGRES_PASSWORD": "p",
        "RSM_REDIS_PASSWORD": "r",
        "RSM_SECRET_KEY": "k" * 32,
    }
    assert checks.missing_items("web-1", DATA, groups, operator, SETTINGS, lambda p: True, None) == [
        "db host DB_2 named in lower-case letters, digits, dots and hyphens (the app names its "
        "database server so)",
        "host data private_address of DB_2 (the web and db hosts reach each other there)",
        "host data private_address of web-2 (the web and db hosts reach each other there)",
    ]


def test_a_backup_host_may_be_none_of_the_db_hosts():
    groups = {"web": {"w1": FOUR}, "db": {"d1": FOUR, "d2": FOUR}, "backup": {"d2": FOUR}}
    operator = {"ASSISTANT_ENABLED": "false", "RSM_POSTGRES_PASSWORD": "p", "RSM_REDIS_PASSWORD": "r"}
    assert checks.missing_items("w1", DATA, groups, operator, SETTINGS, lambda p: True, None) == [
        "a backup host other than the db hosts (backups must leave the databases' disks)"
    ]


def test_a_web_host_without_a_mail_relay_is_warned_that_mail_waits_in_the_queue():
    groups = {"web": {"w1": {}}, "db": {"d1": {}}, "backup": {"b1": {}}}
    (warning,) = checks.warnings("w1", groups, {"ASSISTANT_ENABLED": "false"})
    assert warning.startswith("MAIL_SMTP_URL is not set: sign-up verification")
    assert checks.warnings("w1", groups, {"MAIL_SMTP_URL": "smtp://relay.example.com"}) == []
    assert checks.warnings("d1", groups, {}) == []
