"""Kept pages on the converged server (app/pagecache.py): the clients list is served again from the
gunicorn workers' memory while the studio's data is unchanged, and a client added through one worker
is listed at once by every worker, because the data version lives in Redis."""

from __future__ import annotations

import json
import secrets
import shlex

import pytest

from e2e import demo
from e2e.browser import Browser

READS = 12  # several per gunicorn worker


@pytest.fixture(scope="module")
def owner(scenario, e2e_state) -> tuple[Browser, str]:
    return demo.signed_in_owner(scenario, e2e_state)


def kept_request_ids(srv, request_ids: list[str]) -> set[str]:
    logs = srv.check(f"docker logs {shlex.quote(srv.web_container())} 2>&1 | grep -F kept_page || true")
    lines = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
    return {line["request_id"] for line in lines if line.get("kept_page")} & set(request_ids)


def test_the_clients_list_is_served_again_from_memory(srv, owner):
    browser, base = owner
    responses = [browser.get(base + "/clients") for _ in range(READS)]
    assert {r.status for r in responses} == {200}
    ids = [r.headers["x-request-id"] for r in responses]
    assert kept_request_ids(srv, ids), "no read of the unchanged list was served from a kept page"


def test_a_client_added_through_one_worker_is_listed_by_every_worker_at_once(owner):
    browser, base = owner
    for _ in range(READS):
        assert browser.get(base + "/clients").status == 200
    name = f"Kept {secrets.token_hex(3)}"
    form = browser.get(base + "/clients/new")
    added = browser.post(base + "/clients/new", data={"csrf_token": form.csrf_token(), "name": name})
    assert added.status == 302
    pages = [browser.get(base + "/clients").body for _ in range(READS)]
    assert all(name in page for page in pages), [name in page for page in pages]
