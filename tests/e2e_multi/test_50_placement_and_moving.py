"""A studio signed up through web-1 goes to the db host with the fewest studios (db-2, db-1 holding
the demo studio), and `flask tenants move` takes it to db-1 with every row, its pages answering all
along."""

from __future__ import annotations

import re
import secrets
import threading
import time

import pytest

from e2e import demo, smtp_relay
from e2e.fakes.smtp_sink import text_part
from e2e.util import log
from tests.e2e_multi.conftest import SCENARIO
from tests.e2e_multi.test_30_sessions import sign_in

DB = SCENARIO.servers("db")
CLIENTS = 10_000  # the studio of 10,000 rows
# every table's exact row count in one query (the database's own tables, public schema)
ROW_COUNTS = (
    "SELECT table_name, (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I', "
    "table_name), false, true, '')))[1]::text FROM information_schema.tables "
    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
)


def psql(host, sql: str, database: str = "postgres") -> str:
    return host.check_output(f'runuser -u postgres -- psql -X -At -d {database} -c "{sql}"')


def has_database(host, name: str) -> bool:
    return psql(host, f"SELECT count(*) FROM pg_database WHERE datname = '{name}'") == "1"


def studios_per_server(state: dict) -> dict[str, int]:
    counts = dict.fromkeys(DB, 0)
    for line in demo.tenants(state, "list").stdout.splitlines():
        fields = line.split("\t")
        if len(fields) >= 4:
            counts[fields[2]] = counts.get(fields[2], 0) + 1
    return counts


def where(state: dict, subdomain: str) -> tuple[str, str, str]:
    """(server, database, the rest of the line) of the studio in `tenants list`."""
    for line in demo.tenants(state, "list").stdout.splitlines():
        fields = line.split("\t")
        if fields[0] == subdomain:
            return fields[2], fields[3], "\t".join(fields[4:])
    raise AssertionError(f"{subdomain} not in tenants list")


@pytest.fixture(scope="module")
def new_studio(scenario, multi_state, browser_to):
    """A studio signed up after the demo one through web-1, as a browser would (the wizard, then the
    link mailed through the harness's SMTP sink): (subdomain, owner's Demo, placement counts before)."""
    demo.ensure(scenario, multi_state)
    before = studios_per_server(multi_state)
    subdomain = "move" + secrets.token_hex(3)
    domain = multi_state["domain"]
    owner = demo.Demo(
        host=f"{subdomain}.{domain}",
        email=f"owner@{subdomain}.{domain}",
        password=secrets.token_urlsafe(12),
        password_file="",
    )
    browser, apex = browser_to("web-1"), f"https://{domain}"
    page = browser.get(f"{apex}/signup")
    step = browser.post(
        f"{apex}/signup",
        data={"csrf_token": page.csrf_token(), "studio_name": "Moving Studio", "subdomain": subdomain},
    )
    page = browser.follow(step)
    step = browser.post(
        page.url, data={"csrf_token": page.csrf_token(), "owner_name": "Moving Owner", "email": owner.email}
    )
    page = browser.follow(step)
    sent = len(smtp_relay.messages())
    step = browser.post(
        page.url,
        data={
            "csrf_token": page.csrf_token(),
            "password": owner.password,
            "password_confirm": owner.password,
        },
    )
    assert step.status == 200, (step.status, step.body[:300])
    message = smtp_relay.wait_for_mail(owner.email, "Confirm your studio Moving Studio", after=sent)
    link = re.search(r"https://\S+/signup/verify/\S+", text_part(message)).group(0)
    confirm = browser.get(link)
    confirmed = browser.post(link, data={"csrf_token": confirm.csrf_token()})
    assert confirmed.status == 302, (confirmed.status, confirmed.body[:300])
    return subdomain, owner, before


def test_the_demo_studio_is_on_the_first_db_host(multi_state, new_studio):
    assert where(multi_state, demo.SUBDOMAIN)[0] == DB[0]


def test_a_new_studio_goes_to_the_db_host_with_fewest_studios(multi_state, new_studio):
    subdomain, _, before = new_studio
    fewest = min(DB, key=lambda name: (before[name], DB.index(name)))
    assert before[DB[0]] > before[DB[1]], before  # db-1 holds the demo studio
    assert where(multi_state, subdomain)[0] == fewest == DB[1]


@pytest.mark.parametrize("name", DB)
def test_the_new_studios_database_is_on_its_db_host_only(hosts, multi_state, new_studio, name):
    subdomain = new_studio[0]
    server, database, _ = where(multi_state, subdomain)
    assert has_database(hosts[name], database) == (name == server)


def test_a_move_keeps_every_row_and_every_page_answers(hosts, multi_state, browser_to, new_studio):
    subdomain, owner, _ = new_studio
    source, database, _ = where(multi_state, subdomain)
    target = next(name for name in DB if name != source)
    psql(
        hosts[source],
        f"INSERT INTO clients (name, email) SELECT 'Client ' || g, 'client' || g || '@example.test' "
        f"FROM generate_series(1, {CLIENTS}) g",
        database,
    )
    rows_before = psql(hosts[source], ROW_COUNTS, database)
    assert f"clients|{CLIENTS}" in rows_before.splitlines()

    browser = browser_to("web-2")
    sign_in(browser, owner)
    clients_page = owner.url.rstrip("/") + "/clients"
    assert browser.get(clients_page).status == 200

    done: dict = {}

    def move() -> None:
        started = time.monotonic()
        done["result"] = hosts["web-1"].run(
            "docker exec $(/usr/local/sbin/rsm-release container) flask --app app tenants move "
            f"{subdomain} {target}"
        )
        done["seconds"] = time.monotonic() - started

    mover = threading.Thread(target=move)
    mover.start()
    statuses = []
    while mover.is_alive():
        statuses.append(browser.get(clients_page).status)
        time.sleep(0.5)
    mover.join()
    result = done["result"]
    log(
        f"  moving {subdomain} {source} → {target} ({CLIENTS} clients): {done['seconds']:.1f}s; {len(statuses)} reads"
    )
    assert result.rc == 0, result.stdout + result.stderr
    assert statuses and set(statuses) == {200}, statuses

    server, database_after, rest = where(multi_state, subdomain)
    assert (server, rest) == (target, "")
    assert psql(hosts[target], ROW_COUNTS, database_after) == rows_before
    assert not has_database(hosts[source], database)
    assert browser.get(clients_page).status == 200


def test_deleting_a_studio_on_db_2_takes_its_final_dump_there(hosts, multi_state, new_studio):
    """After the move db-1 holds two studios and db-2 none: the next goes to db-2, and its final dump
    is taken on db-2 by database name (only db-1 knows the subdomains) before it is deleted."""
    subdomain, password = "gone" + secrets.token_hex(3), secrets.token_urlsafe(12)
    demo.create(multi_state, subdomain, "Gone", f"owner@{subdomain}.example.com", password)
    server, database, _ = where(multi_state, subdomain)
    assert server == DB[1]
    db_2 = multi_state["servers"][DB[1]]["ip"]
    result = demo.operator_script(
        multi_state, "tenants", "delete", subdomain, "--yes", check=False, env={"DB_HOST": f"root@{db_2}"}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    final = [line for line in result.stderr.splitlines() if line.startswith("/var/backups/rsm/")][-1]
    assert hosts[DB[1]].file(f"{final}/{database}.dump").size > 0
    assert not has_database(hosts[DB[1]], database)
    assert subdomain not in demo.subdomains(multi_state)
