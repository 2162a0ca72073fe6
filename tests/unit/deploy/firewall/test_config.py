"""The firewall's rules, rendered from the inventory's roles, by exact output."""

import pytest

from deploy.common.render import render
from deploy.firewall import config

pytestmark = pytest.mark.unit

HEAD = (
    "#!/usr/sbin/nft -f\n"
    "# Managed by the deploy (pyinfra); local changes are overwritten.\n"
    "# Only the deploy's table is replaced, in one transaction: never `flush ruleset`, which would take\n"
    "# Docker's tables (the app's address translation) with it.\n"
    "table inet rsm\n"
    "delete table inet rsm\n"
    "table inet rsm {\n"
    "\tchain input {\n"
    "\t\ttype filter hook input priority filter; policy drop;\n"
    '\t\tiif "lo" accept\n'
    "\t\tct state established,related accept\n"
    "\t\tct state invalid drop\n"
    "\t\tmeta l4proto { icmp, ipv6-icmp } accept\n"
)
TAIL = "\t}\n}\n"
SSH = '\t\ttcp dport 22 accept comment "SSH (the deploy, and the db hosts\' backups on the backup host)"\n'
SITE = '\t\ttcp dport { 80, 443 } accept comment "the site (nginx)"\n'
SUBNET = "172.28.213.0/24"
CONTAINERS = (
    "\t\tip saddr 172.28.213.0/24 ip daddr 172.28.213.1 tcp dport { 5432, 6432, 6379 } accept "
    'comment "the app\'s containers to PostgreSQL, PgBouncer and Redis"\n'
)

ONE_SERVER = {"web": {"s1": ""}, "db": {"s1": ""}, "backup": {"b1": "10.0.0.9"}, "monitoring": {"s1": ""}}
# web-1, web-2, db-1 (home: master database and Redis), db-2; monitoring on db-1, backups apart.
FOUR_HOSTS = {
    "web": {"web-1": "10.0.0.11", "web-2": "10.0.0.12"},
    "db": {"db-1": "10.0.0.21", "db-2": "10.0.0.22"},
    "backup": {"b1": "10.0.0.9"},
    "monitoring": {"db-1": "10.0.0.21"},
}


def ruleset(host_name, groups, ssh_port=22):
    return render("firewall/nftables.conf.j2", config.ruleset_context(host_name, groups, ssh_port, SUBNET))


def test_one_server_lets_in_ssh_the_site_and_its_own_containers_to_the_databases():
    assert ruleset("s1", ONE_SERVER) == HEAD + SSH + SITE + CONTAINERS + TAIL


def test_the_backup_host_lets_in_ssh_only_on_its_port():
    assert ruleset("b1", ONE_SERVER, ssh_port=2222) == HEAD + SSH.replace("22 ", "2222 ") + TAIL


def test_a_web_host_lets_in_the_site_and_the_monitoring_host_to_its_exporters():
    assert (
        ruleset("web-2", FOUR_HOSTS)
        == HEAD
        + SSH
        + SITE
        + (
            "\t\tip saddr 10.0.0.21 tcp dport { 9100, 9113, 9201, 9202 } accept "
            'comment "the monitoring host to the exporters and the app\'s metrics"\n'
        )
        + TAIL
    )


def test_the_home_db_host_lets_the_web_hosts_in_to_postgresql_pgbouncer_and_redis_over_tls():
    assert (
        ruleset("db-1", FOUR_HOSTS)
        == HEAD
        + SSH
        + (
            "\t\tip saddr { 10.0.0.11, 10.0.0.12 } tcp dport { 5432, 6432, 6380 } accept "
            'comment "the other web hosts to PostgreSQL, PgBouncer and Redis (TLS)"\n'
        )
        + TAIL
    )


def test_another_db_host_has_no_redis_and_is_scraped_by_the_monitoring_host():
    assert (
        ruleset("db-2", FOUR_HOSTS)
        == HEAD
        + SSH
        + (
            "\t\tip saddr { 10.0.0.11, 10.0.0.12 } tcp dport { 5432, 6432 } accept "
            'comment "the other web hosts to PostgreSQL, PgBouncer and Redis (TLS)"\n'
            "\t\tip saddr 10.0.0.21 tcp dport { 9100, 9187 } accept "
            'comment "the monitoring host to the exporters and the app\'s metrics"\n'
        )
        + TAIL
    )


def test_a_db_host_that_also_serves_the_app_lets_in_its_containers_and_the_other_web_hosts():
    groups = {"web": {"s1": "10.0.0.5", "w2": "fd00::12"}, "db": {"s1": "10.0.0.5"}, "monitoring": {}}
    assert (
        ruleset("s1", groups)
        == HEAD
        + SSH
        + SITE
        + CONTAINERS
        + (
            "\t\tip6 saddr fd00::12 tcp dport { 5432, 6432, 6380 } accept "
            'comment "the other web hosts to PostgreSQL, PgBouncer and Redis (TLS)"\n'
        )
        + TAIL
    )


def test_stopping_the_service_removes_only_the_deploys_table():
    assert render("firewall/service.conf.j2", config.dropin_context()) == (
        "# Managed by the deploy (pyinfra); local changes are overwritten.\n"
        "[Service]\n"
        "# Debian's unit flushes the whole ruleset on stop, Docker's tables too: remove only the deploy's.\n"
        "ExecStop=\n"
        "ExecStop=-/usr/sbin/nft delete table inet rsm\n"
    )
