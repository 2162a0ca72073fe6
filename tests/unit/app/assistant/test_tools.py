"""Every assistant tool sees only the current studio's rows, and booking keeps the form's rules."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.models.studio import Booking, Client, Equipment, Invoice, Room, StudioProfile
from app.services.bookings import ENTER_START, describe_span
from e2e.fakes.anthropic_server import fake_text, fake_tool_use

TOMORROW = datetime.combine(datetime.now(UTC).date() + timedelta(days=1), time(10), tzinfo=UTC)


def furnish(open_db, organization, tag: str, extra_clients: int = 0) -> None:
    """One room, client, booking, unpaid invoice and piece of equipment, all named after `tag`."""
    with open_db(organization) as db:
        room = Room(name=f"{tag} Room", hourly_rate_cents=5000, is_active=True)
        client = Client(name=f"{tag} Client", email=f"client@{tag.lower()}.example")
        db.add_all([room, client] + [Client(name=f"{tag} Extra {n}") for n in range(extra_clients)])
        db.flush()
        db.add_all(
            [
                Booking(
                    room_id=room.id,
                    client_id=client.id,
                    starts_at=TOMORROW,
                    ends_at=TOMORROW + timedelta(hours=2),
                    status="booked",
                ),
                Invoice(
                    number=f"INV-{tag}",
                    client_id=client.id,
                    status="sent",
                    subtotal_cents=10000,
                    tax_cents=2000,
                    total_cents=12000,
                ),
                Equipment(name=f"{tag} U87", category="microphone", status="maintenance", room_id=room.id),
            ]
        )


@pytest.fixture
def studios(open_db, staff_client):
    abbey, olympic = staff_client("abbey"), staff_client("olympic")
    furnish(open_db, abbey.organization, "Abbey")
    furnish(open_db, olympic.organization, "Olympic", extra_clients=4)
    return abbey, olympic


def tool_result(fake) -> dict:
    """The tool_result block the app sent back to the model (in the request after the tool_use)."""
    (block,) = fake.requests[1]["body"]["messages"][-1]["content"]
    assert block["type"] == "tool_result"
    return block


SPAN = {
    "start": (TOMORROW - timedelta(days=1)).date().isoformat(),
    "end": (TOMORROW + timedelta(days=2)).date().isoformat(),
}


@pytest.mark.parametrize(
    "tool, tool_input, key",
    [
        ("search_clients", {"query": ""}, "clients"),
        ("search_clients", {"query": "client"}, "clients"),
        ("list_rooms", {}, "rooms"),
        ("list_bookings", SPAN, "bookings"),
        ("unpaid_invoices", {}, "invoices"),
        ("equipment_status", {}, "equipment"),
    ],
)
def test_each_tool_sees_only_this_studios_rows(studios, fake_anthropic, tool, tool_input, key, ask):
    abbey, olympic = studios
    for browser, mine, theirs in ((abbey, "Abbey", "Olympic"), (olympic, "Olympic", "Abbey")):
        fake_anthropic.reset()
        fake_anthropic.queue(fake_tool_use(tool, tool_input), fake_text("done"))
        assert ask(browser, f"use {tool}").status_code == 200
        result = tool_result(fake_anthropic)
        assert result["is_error"] is False
        rows = json.loads(result["content"])[key]
        assert rows, f"{tool} found nothing in {mine}"
        assert mine in result["content"]
        assert theirs not in result["content"]


def test_count_clients_counts_this_studio_only(studios, fake_anthropic, ask):
    abbey, olympic = studios
    assert ask(abbey, "How many clients do I have?").get_json()["answer"] == "You have 1 clients."
    fake_anthropic.reset()
    assert ask(olympic, "How many clients do I have?").get_json()["answer"] == "You have 5 clients."
    assert json.loads(tool_result(fake_anthropic)["content"]) == {"count": 5}


def booking_count(open_db, organization) -> int:
    with open_db(organization) as db:
        return db.scalar(select(func.count()).select_from(Booking))


def test_create_booking_books_in_this_studio_only(open_db, studios, fake_anthropic, ask):
    abbey, olympic = studios
    starts = TOMORROW + timedelta(hours=3)
    fake_anthropic.queue(
        fake_tool_use(
            "create_booking",
            {
                "room_id": 1,
                "client_id": 1,
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=1)).isoformat(),
                "notes": "Overdubs",
            },
        ),
        fake_text("Booked."),
    )
    assert ask(abbey, "Book Abbey Room").get_json()["answer"] == "Booked."
    result = tool_result(fake_anthropic)
    assert result["is_error"] is False
    booked = json.loads(result["content"])["booked"]
    assert booked["room"]["name"] == "Abbey Room" and booked["notes"] == "Overdubs"
    assert (booking_count(open_db, abbey.organization), booking_count(open_db, olympic.organization)) == (
        2,
        1,
    )
    with open_db(abbey.organization) as db:
        assert db.get(Booking, booked["id"]).created_by_id == 1


def test_create_booking_refuses_an_overlap_with_the_booking_message(open_db, studios, fake_anthropic, ask):
    abbey, _ = studios
    fake_anthropic.queue(
        fake_tool_use(
            "create_booking",
            {
                "room_id": 1,
                "client_id": 1,
                "starts_at": (TOMORROW + timedelta(hours=1)).isoformat(),
                "ends_at": (TOMORROW + timedelta(hours=3)).isoformat(),
            },
        )
    )
    response = ask(abbey, "Book Abbey Room at 11")
    assert response.status_code == 200
    result = tool_result(fake_anthropic)
    assert result["is_error"] is True
    expected = f"Abbey Room is already booked {describe_span(TOMORROW, TOMORROW + timedelta(hours=2), UTC)}."
    assert json.loads(result["content"]) == {"errors": {"starts_at": expected}}
    assert expected in response.get_json()["answer"], "the model got the refusal and relayed it"
    assert booking_count(open_db, abbey.organization) == 1


@pytest.mark.parametrize(
    "tool_input, field, message",
    [
        (
            {"room_id": 1, "client_id": 1, "starts_at": "tomorrow at ten", "ends_at": "2030-01-01"},
            "starts_at",
            ENTER_START,
        ),
        (
            {"room_id": "one", "client_id": 1, "starts_at": "2030-01-01", "ends_at": "2030-01-02"},
            "room_id",
            "Choose one of the studio's rooms.",
        ),
        (
            {"room_id": 99, "client_id": 1, "starts_at": "2030-01-01", "ends_at": "2030-01-02"},
            "room_id",
            "Choose one of the studio's rooms.",
        ),
        (
            {"room_id": 10**30, "client_id": 1, "starts_at": "2030-01-01", "ends_at": "2030-01-02"},
            "room_id",
            "Choose one of the studio's rooms.",
        ),
        (
            {"room_id": 1, "client_id": 1, "starts_at": "9999-12-31T23:00", "ends_at": "9999-12-31T23:30"},
            "starts_at",
            ENTER_START,
        ),
    ],
)
def test_create_booking_reports_bad_arguments_to_the_model(
    open_db, studios, fake_anthropic, tool_input, field, message, ask
):
    """The same refusals, field by field, as the booking form's."""
    abbey, _ = studios
    fake_anthropic.queue(fake_tool_use("create_booking", tool_input))
    assert ask(abbey, "Book something").status_code == 200
    result = tool_result(fake_anthropic)
    assert result["is_error"] is True
    assert json.loads(result["content"])["errors"][field] == message
    assert booking_count(open_db, abbey.organization) == 1


def test_unknown_tool_is_an_error_result(studios, fake_anthropic, ask):
    abbey, _ = studios
    fake_anthropic.queue(fake_tool_use("drop_database", {}))
    assert ask(abbey, "do something odd").status_code == 200
    assert tool_result(fake_anthropic)["is_error"] is True


def test_an_absurd_page_number_is_refused_to_the_model(studios, fake_anthropic, ask):
    abbey, _ = studios
    fake_anthropic.queue(fake_tool_use("search_clients", {"page": 10**30}))
    assert ask(abbey, "Show page ten to the thirtieth").status_code == 200
    result = tool_result(fake_anthropic)
    assert result["is_error"] is True
    assert json.loads(result["content"]) == {"errors": {"page": "page must be an integer from 1 to 10000."}}


def test_tools_read_and_give_times_in_the_studios_zone(studios, open_db, fake_anthropic, ask):
    abbey, _ = studios
    with open_db(abbey.organization) as db:
        db.get(StudioProfile, 1).time_zone = "Asia/Tokyo"  # +09:00, no daylight saving
    local_ten = TOMORROW.astimezone(ZoneInfo("Asia/Tokyo")).replace(tzinfo=None)
    day = {"start": local_ten.isoformat(), "end": (local_ten + timedelta(minutes=1)).isoformat()}
    fake_anthropic.queue(fake_tool_use("list_bookings", day), fake_text("done"))
    assert ask(abbey, "What is booked?").status_code == 200
    (row,) = json.loads(tool_result(fake_anthropic)["content"])["bookings"]
    assert (row["starts_at"], row["ends_at"]) == (
        f"{local_ten:%Y-%m-%dT%H:%M}:00+09:00",
        f"{local_ten + timedelta(hours=2):%Y-%m-%dT%H:%M}:00+09:00",
    )
    system = fake_anthropic.requests[0]["body"]["system"]
    assert "The studio's time zone is Asia/Tokyo" in system


def test_reschedule_booking_moves_it_with_the_booking_rules(studios, open_db, fake_anthropic, ask):
    abbey, olympic = studios
    local = TOMORROW.replace(tzinfo=None)  # the studios work in UTC here
    moved = {"booking_id": 1, "starts_at": f"{local + timedelta(hours=4):%Y-%m-%dT%H:%M}"}
    moved["ends_at"] = f"{local + timedelta(hours=5):%Y-%m-%dT%H:%M}"
    fake_anthropic.queue(fake_tool_use("reschedule_booking", moved), fake_text("Moved."))
    assert ask(abbey, "Move it to 14:00").status_code == 200
    result = json.loads(tool_result(fake_anthropic)["content"])
    assert result["rescheduled"]["starts_at"] == (TOMORROW + timedelta(hours=4)).isoformat()
    with open_db(abbey.organization) as db:
        assert db.get(Booking, 1).starts_at == TOMORROW + timedelta(hours=4)
    with open_db(olympic.organization) as db:
        assert db.get(Booking, 1).starts_at == TOMORROW  # the other studio's booking #1 is untouched
    fake_anthropic.reset()
    fake_anthropic.queue(fake_tool_use("reschedule_booking", {**moved, "booking_id": 99}), fake_text("No."))
    ask(abbey, "Move #99")
    assert json.loads(tool_result(fake_anthropic)["content"]) == {
        "errors": {"booking_id": "There is no booking #99."}
    }
