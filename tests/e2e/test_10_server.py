"""The converged server as testinfra sees it over SSH: one test per fact."""

from __future__ import annotations

import ipaddress
import json
import re
import shlex

import pytest

from app.settings import SETTINGS

PACKAGES = [
    "docker.io",
    "docker-compose",
    "nginx",
    "postgresql",
    "pgbouncer",
    "redis-server",
    "certbot",
    "python3-certbot-dns-rfc2136",
    "unattended-upgrades",
]
SERVICES = [
    "docker",
    "nginx",
    "postgresql",
    "pgbouncer",
    "redis-server",
    "certbot.timer",
    "apt-daily.timer",
    "apt-daily-upgrade.timer",
]
DATABASE_PORTS = [("postgresql", 5432), ("pgbouncer", 6432), ("redis", 6379)]
APP_SUBNET = ipaddress.ip_network("172.28.213.0/24")  # deploy.common.topology.DEFAULT_SUBNET
ADMIN_CONSOLE = "runuser -u postgres -- psql -X -h /var/run/postgresql -p 6432 -d pgbouncer -tA"
REQUIRED_SETTINGS = [s.name for s in SETTINGS if s.required]
# the operator gave these in the e2e converge (fake key and fake API address)
OPERATOR_GIVEN = ["ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"]


@pytest.mark.parametrize("package", PACKAGES)
def test_package_is_installed(host, package):
    assert host.package(package).is_installed


@pytest.mark.parametrize("service", SERVICES)
def test_service_is_enabled(host, service):
    assert host.service(service).is_enabled


@pytest.mark.parametrize("service", SERVICES)
def test_service_is_running(host, service):
    assert host.service(service).is_running


def test_unattended_upgrades_takes_the_security_archive_only(srv):
    # apt's effective settings, every file under /etc/apt/apt.conf.d merged, as unattended-upgrade reads them
    out = srv.check("apt-config dump Unattended-Upgrade::Origins-Pattern")
    patterns = re.findall(r'^Unattended-Upgrade::Origins-Pattern:: "(.*)";$', out, re.M)
    assert patterns == ["origin=Debian,codename=${distro_codename}-security,label=Debian-Security"], out


def test_unattended_upgrades_never_reboots_and_runs_daily(srv):
    out = srv.check("apt-config dump")
    assert 'Unattended-Upgrade::Automatic-Reboot "false";' in out
    assert (
        'APT::Periodic::Unattended-Upgrade "1";' in out and 'APT::Periodic::Update-Package-Lists "1";' in out
    )


def test_a_postgresql_cluster_is_online(srv):
    out = srv.check("pg_lsclusters --no-header")
    assert re.search(r"\bonline\b", out), out


def test_exactly_one_nginx_master_on_the_whole_server(srv):
    # nested containers' processes are visible here too: a leftover nginx container would show
    masters = srv.check("ps -eo pid,args --no-headers | grep -E '[n]ginx: master' || true").splitlines()
    assert len(masters) == 1, masters


def test_the_nginx_master_is_systemds(srv):
    main_pid = srv.check("systemctl show -p MainPID --value nginx").strip()
    master = srv.check("ps -eo pid,args --no-headers | grep -E '[n]ginx: master'").split()[0]
    assert main_pid == master


def _listeners(srv, port: int) -> list[str]:
    out = srv.check(f"ss -Hltn 'sport = :{port}'")
    addrs = []
    for line in out.splitlines():
        local = line.split()[3]
        addrs.append(local.rsplit(":", 1)[0].strip("[]"))
    return addrs


def _interface_addresses(srv) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for line in srv.check("ip -o addr show").splitlines():
        parts = line.split()
        result.setdefault(parts[1], []).append(parts[3].split("/")[0])
    return result


def _public_addresses(srv) -> set[str]:
    route = srv.check("ip -o route show default").split()
    dev = route[route.index("dev") + 1] if "dev" in route else "eth0"
    return set(_interface_addresses(srv).get(dev, []))


def _bridge_addresses(srv) -> set[str]:
    """Addresses of the server's Linux bridges (docker0, the app network's bridge, ...)."""
    bridges = {
        line.split(":")[1].strip().split("@")[0]
        for line in srv.check("ip -o link show type bridge").splitlines()
    }
    return {a for name, addrs in _interface_addresses(srv).items() if name in bridges for a in addrs}


def test_app_listens_on_the_port_nginx_sends_to(srv):
    assert _listeners(srv, srv.app_port()), f"nothing listens on port {srv.app_port()}"


def test_app_listens_on_loopback_only(srv):
    addrs = _listeners(srv, srv.app_port())
    assert addrs and all(ipaddress.ip_address(a).is_loopback for a in addrs), addrs


@pytest.mark.parametrize("service,port", DATABASE_PORTS)
def test_database_listens(srv, service, port):
    assert _listeners(srv, port), f"{service} does not listen on {port}"


@pytest.mark.parametrize("service,port", DATABASE_PORTS)
def test_database_not_on_a_public_address(srv, service, port):
    public = _public_addresses(srv)
    bad = [a for a in _listeners(srv, port) if a in ("0.0.0.0", "::", "*") or a in public]
    assert not bad, f"{service} listens on {bad}; public addresses {sorted(public)}"


@pytest.mark.parametrize("service,port", DATABASE_PORTS)
def test_database_only_on_loopback_or_docker_bridge(srv, service, port):
    allowed = _bridge_addresses(srv)
    bad = [a for a in _listeners(srv, port) if not ipaddress.ip_address(a).is_loopback and a not in allowed]
    assert not bad, f"{service} listens on {bad}; bridges {sorted(allowed)}"


def _files_containing(srv, pattern: str, where: str) -> list[str]:
    # names only (-l): values never leave the server
    out = srv.run(f"grep -rlE {shlex.quote(pattern)} {where} 2>/dev/null").stdout
    return sorted(set(out.split()))


def _secret_files(srv, kind: str) -> list[str]:
    if kind == "app env file":
        return _files_containing(srv, r"^(export )?SECRET_KEY=['\"]?[^@'\"]", "/etc /srv /opt /var/lib/rsm")
    return _files_containing(srv, r"^\s*dns_rfc2136_secret\s*=", "/etc /root /srv /opt")


@pytest.mark.parametrize(
    "path", ["/etc/pgbouncer/userlist.txt", "/etc/pgbouncer/pg_hba.conf", "/etc/pgbouncer/pgbouncer.ini"]
)
def test_pgbouncer_file_is_readable_by_root_and_postgres_only(host, path):
    f = host.file(path)
    assert (f.user, f.group, f.mode) == ("root", "postgres", 0o640)


def test_pgbouncer_auth_file_holds_a_scram_verifier_not_a_password(srv):
    # counts only: the verifier never leaves the server
    assert srv.check('grep -c \'^"rsm" "SCRAM-SHA-256\\$4096:\' /etc/pgbouncer/userlist.txt').strip() == "1"


def test_pgbouncer_admin_console_answers_postgres_over_the_socket(srv):
    assert srv.check(f"{ADMIN_CONSOLE} -c 'SHOW VERSION'").startswith("PgBouncer ")


@pytest.fixture(scope="module")
def demo_database(srv, scenario, e2e_state) -> str:
    """The demo studio's database, right after its owner signed in and loaded the dashboard."""
    from e2e import demo
    from e2e.browser import Browser

    studio, _ = demo.ensure(scenario, e2e_state)
    browser = Browser(e2e_state["server_ip"], e2e_state["pebble_issuer_root"])
    form = browser.follow(browser.get(f"https://{studio.host}/login"))
    signed_in = browser.post(
        form.url, data={"csrf_token": form.csrf_token(), "email": studio.email, "password": studio.password}
    )
    assert signed_in.status == 302, signed_in.status
    assert browser.get(f"https://{studio.host}/dashboard").status == 200
    sql = "SELECT database_name FROM organizations WHERE subdomain = 'demo'"
    return srv.check(f"runuser -u postgres -- psql -X -d rsm -tAc {shlex.quote(sql)}").strip()


def test_studio_connections_reach_pgbouncer_from_the_app_network(srv, demo_database):
    # With its header (the columns differ between PgBouncer versions), without the row count.
    header, *rows = srv.check(
        ADMIN_CONSOLE.replace(" -tA", " -A -P footer=off") + " -c 'SHOW CLIENTS'"
    ).splitlines()
    clients = [dict(zip(header.split("|"), row.split("|"), strict=True)) for row in rows]
    studio = [c for c in clients if c["database"] == demo_database]
    assert studio, clients
    assert all(c["user"] == "rsm" and c["application_name"] == "rsm-studio" for c in studio), studio
    assert all(ipaddress.ip_address(c["addr"]) in APP_SUBNET for c in studio), studio


def test_no_studio_connection_bypasses_pgbouncer(srv, demo_database):
    sql = (
        "SELECT DISTINCT coalesce(host(client_addr), 'local') FROM pg_stat_activity "
        f"WHERE datname = '{demo_database}' AND backend_type = 'client backend'"
    )
    # PgBouncer connects from this host; the app's containers would come from the app network.
    sources = srv.check(f"runuser -u postgres -- psql -X -d postgres -tAc {shlex.quote(sql)}").split()
    assert set(sources) <= {"127.0.0.1"}, sources


@pytest.mark.parametrize("kind", ["app env file", "DNS credentials"])
def test_secret_file_exists(srv, kind):
    assert _secret_files(srv, kind), f"no {kind} found on the server"


@pytest.mark.parametrize("kind", ["app env file", "DNS credentials"])
def test_secret_file_is_root_only(host, srv, kind):
    wrong = {}
    for path in _secret_files(srv, kind):
        f = host.file(path)
        if (f.user, f.group, f.mode) != ("root", "root", 0o600):
            wrong[path] = (f.user, f.group, oct(f.mode))
    assert not wrong, wrong


def test_nginx_config_is_valid(srv):
    result = srv.run("nginx -t")
    assert result.rc == 0, result.stderr


def test_nginx_config_has_no_warnings(srv):
    result = srv.run("nginx -t")
    assert "[warn]" not in result.stderr, result.stderr


def _served_certificate_path(srv, domain: str) -> str:
    config = srv.check("nginx -T 2>/dev/null")
    paths = re.findall(r"^\s*ssl_certificate\s+([^;\s]+);", config, re.M)
    paths = [p for p in paths if domain in p] or paths
    assert paths, "no ssl_certificate in nginx -T"
    return paths[0]


def _sans(srv, path: str) -> set[str]:
    out = srv.check(f"openssl x509 -noout -ext subjectAltName -in {shlex.quote(path)}")
    return set(re.findall(r"DNS:([^,\s]+)", out))


@pytest.mark.parametrize("name", ["{d}", "*.{d}"])
def test_certificate_covers(srv, domain, name):
    assert name.format(d=domain) in _sans(srv, _served_certificate_path(srv, domain))


def test_certificate_is_issued_by_the_configured_acme_ca(srv, domain):
    issuer = srv.check(f"openssl x509 -noout -issuer -in {_served_certificate_path(srv, domain)}")
    assert "Pebble" in issuer, issuer


@pytest.mark.parametrize("sub", ["", "some-studio."])
def test_nginx_serves_that_certificate(srv, e2e_state, domain, sub):
    import hashlib
    import socket
    import ssl

    path = _served_certificate_path(srv, domain)
    on_disk = srv.check(f"openssl x509 -noout -fingerprint -sha256 -in {shlex.quote(path)}")
    on_disk = on_disk.strip().split("=", 1)[1].replace(":", "").lower()
    ctx = ssl.create_default_context(cafile=e2e_state["pebble_issuer_root"])
    with (
        socket.create_connection((e2e_state["server_ip"], 443), timeout=10) as sock,
        ctx.wrap_socket(sock, server_hostname=f"{sub}{domain}") as tls,
    ):
        served = hashlib.sha256(tls.getpeercert(binary_form=True)).hexdigest()
    assert served == on_disk


def test_certbot_renewal_has_a_deploy_hook_reloading_nginx(srv, domain):
    confs = srv.check("ls /etc/letsencrypt/renewal/").split()
    assert confs, "no renewal configuration"
    text = srv.check(
        "cat /etc/letsencrypt/renewal/*.conf; ls /etc/letsencrypt/renewal-hooks/deploy/ 2>/dev/null;"
        " cat /etc/letsencrypt/renewal-hooks/deploy/* 2>/dev/null || true"
    )
    assert "nginx" in text, "no deploy hook mentioning nginx"


def test_app_containers_are_running(srv):
    names = srv.app_containers()
    not_running = [n for n in names if not srv.inspect(n)["State"]["Running"]]
    assert names and not not_running, not_running


def test_app_containers_are_healthy(srv):
    names = srv.app_containers()
    unhealthy = {}
    for name in names:
        health = (srv.inspect(name)["State"].get("Health") or {}).get("Status")
        if health != "healthy":
            unhealthy[name] = health
    assert not unhealthy, unhealthy


def test_app_container_logged_no_gunicorn_error(srv):
    # gunicorn's own lines are "[time] [pid] [LEVEL] message"; the app's are JSON.
    log = srv.check(f"docker logs {shlex.quote(srv.web_container())} 2>&1")
    errors = [line for line in log.splitlines() if "] [ERROR] " in line]
    assert not errors, errors


def test_app_container_has_a_restart_policy(srv):
    policy = srv.inspect(srv.web_container())["HostConfig"]["RestartPolicy"]["Name"]
    assert policy in ("always", "unless-stopped", "on-failure"), policy


def test_app_container_logs_are_bounded(srv):
    log_config = srv.inspect(srv.web_container())["HostConfig"]["LogConfig"]
    assert log_config["Type"] == "local" or log_config.get("Config", {}).get("max-size"), log_config


@pytest.mark.parametrize("name", REQUIRED_SETTINGS + OPERATOR_GIVEN)
def test_app_container_has_variable(srv, name):
    container = srv.web_container()
    # exit status only: the value is never printed
    result = srv.run(f"docker exec {shlex.quote(container)} printenv {shlex.quote(name)} >/dev/null")
    assert result.rc == 0, f"{name} is not set in {container}"


def test_app_is_ready(srv):
    assert srv.http_status(srv.app_url("/readyz")) == 200


def test_readiness_reports_the_assistant_on_as_the_inventory_declares(srv):
    read = "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())"
    out = srv.check(f"python3 -c {shlex.quote(read)} {shlex.quote(srv.app_url('/readyz'))}")
    assert json.loads(out)["features"]["assistant"] == "on"


def test_secrets_are_not_in_the_process_list(srv, e2e_state):
    from e2e import fake_api as fakes

    key = fakes.api_key()
    out = srv.check("ps -eo args --no-headers")
    assert key not in out
    assert e2e_state["dns_credentials"]["dns_rfc2136_secret"] not in out
