"""A studio whose trial ended: reads work, every write is refused (pages, API, the assistant's
writing tools), nothing is deleted, and every page says what happened."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select

from app.extensions import master_db
from app.models.master import OrganizationStatus
from app.models.studio import Booking, Client
from app.plans.access import READ_ONLY, ReadOnlyNotice, read_only_notice
from app.security.passwords import hash_password
from e2e.fakes.anthropic_server import fake_text, fake_tool_use
from tests.unit.app.assistant.test_tools import TOMORROW, furnish, tool_result

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
OWNER_NOTICE = "Your trial ended on"


@pytest.fixture
def ended(app, runner, staff_client, open_db):
    """abbey's owner, signed in, with a room, client and booking; then its trial is ended by the operator."""
    browser = staff_client("abbey")
    furnish(open_db, browser.organization, "Abbey")
    result = runner.invoke(args=["plans", "end-trial", "abbey"])
    assert result.exit_code == 0, result.output
    return browser


def clients(open_db, organization) -> int:
    with open_db(organization) as db:
        return db.scalar(select(func.count()).select_from(Client))


def test_pages_still_read_and_say_the_trial_ended(ended):
    for path in ("/dashboard", "/clients", "/bookings", "/calendar"):
        response = ended.get(path)
        assert response.status_code == 200, path
        assert OWNER_NOTICE in response.get_data(as_text=True), path
    assert "Abbey Client" in ended.get("/clients").get_data(as_text=True)


def test_a_form_write_is_refused_with_403_and_nothing_changes(ended, open_db):
    response = ended.post_form("/clients/new", {"name": "New"}, token_from="/clients/new")
    assert response.status_code == 403
    assert "read-only" in response.get_data(as_text=True)
    assert clients(open_db, ended.organization) == 1


def test_an_api_write_is_refused_as_json(ended):
    token = ended.csrf_token("/dashboard")
    # Any write outside the chat: the API has none yet, so a path that would be a 404 or 405 shows
    # the hook answers first, for every writing method.
    response = ended.open("/api/ai/history", method="DELETE", headers={"X-CSRFToken": token})
    assert response.status_code == 403
    assert response.get_json() == {"error": "studio_read_only", "message": READ_ONLY}


def test_the_assistant_reads_but_its_booking_tool_is_refused(ended, open_db, fake_anthropic, ask):
    starts = TOMORROW + timedelta(hours=3)
    fake_anthropic.queue(
        fake_tool_use(
            "create_booking",
            {
                "room_id": 1,
                "client_id": 1,
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=1)).isoformat(),
            },
        ),
        fake_text("I could not book it."),
    )
    response = ask(ended, "Book Abbey Room")
    assert response.status_code == 200
    result = tool_result(fake_anthropic)
    assert result["is_error"] is True
    assert json.loads(result["content"]) == {"errors": {"form": READ_ONLY}}
    with open_db(ended.organization) as db:
        assert db.scalar(select(func.count()).select_from(Booking)) == 1


def test_the_assistant_still_runs_a_reading_tool(ended, fake_anthropic, ask):
    fake_anthropic.queue(fake_tool_use("count_clients", {}), fake_text("One client."))
    assert ask(ended, "How many clients?").status_code == 200
    assert json.loads(tool_result(fake_anthropic)["content"]) == {"count": 1}


def test_signing_in_still_works_and_the_owner_is_told_what_to_do(ended, studio_client, sign_in):
    browser = studio_client("abbey")
    assert sign_in(browser).status_code == 302
    page = browser.get("/dashboard").get_data(as_text=True)
    assert OWNER_NOTICE in page and "choose a plan" in page


def test_a_client_sees_the_portal_read_only(ended, open_db, studio_client, sign_in):
    with open_db(ended.organization) as db:
        db.get(Client, 1).password_hash = hash_password("cleo's password")
    browser = studio_client("abbey")
    assert (
        sign_in(browser, "client@abbey.example", "cleo's password", path="/client/login").status_code == 302
    )
    page = browser.get("/client/").get_data(as_text=True)
    assert "This studio is read-only for now" in page


def test_a_new_plan_makes_the_studio_writable_again(ended, runner, open_db):
    assert runner.invoke(args=["plans", "set", "abbey", "studio"]).exit_code == 0
    response = ended.post_form("/clients/new", {"name": "New"}, token_from="/clients/new")
    assert response.status_code == 302
    assert OWNER_NOTICE not in ended.get("/dashboard").get_data(as_text=True)
    assert clients(open_db, ended.organization) == 2


def test_a_running_trial_writes_and_shows_no_notice(staff_client):
    browser = staff_client("abbey")
    assert browser.post_form("/clients/new", {"name": "New"}, token_from="/clients/new").status_code == 302
    assert OWNER_NOTICE not in browser.get("/dashboard").get_data(as_text=True)


def studio(status=OrganizationStatus.TRIAL, ends=NOW, moving=False):
    return SimpleNamespace(
        status=status,
        is_moving=moving,
        trial_ends_at=ends,
        trial_ended=lambda now: status == OrganizationStatus.TRIAL and ends is not None and ends <= now,
    )


LATER = NOW + timedelta(days=1)


@pytest.mark.parametrize(
    ("organization", "expected"),
    [
        (None, None),
        (studio(ends=LATER + timedelta(seconds=1)), None),
        (studio(status=OrganizationStatus.ACTIVE, ends=None), None),
        (studio(ends=NOW), ReadOnlyNotice("owner", date(2026, 12, 1))),
        # Shown as the studio's date: 23:00 UTC is already the next day in Paris.
        (studio(ends=NOW.replace(hour=23)), ReadOnlyNotice("owner", date(2026, 12, 2))),
        # A move to another server: the same notice for everyone, whatever the trial.
        (studio(status=OrganizationStatus.ACTIVE, ends=None, moving=True), ReadOnlyNotice("moving", None)),
    ],
)
def test_read_only_notice(organization, expected):
    assert read_only_notice(organization, "owner", ZoneInfo("Europe/Paris"), LATER) == expected


def test_deciding_costs_no_master_query_once_the_studio_is_cached(app, ended):
    ended.get("/dashboard")  # the resolver caches the studio's row
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(master_db.engine, "before_cursor_execute", count)
    try:
        assert ended.post_form("/clients/new", {"name": "New"}, token_from="/clients/new").status_code == 403
        assert OWNER_NOTICE in ended.get("/dashboard").get_data(as_text=True)
    finally:
        event.remove(master_db.engine, "before_cursor_execute", count)
    assert statements == []
