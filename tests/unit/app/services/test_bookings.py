"""The booking rules on a real studio database: overlaps refused by the service and by PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.formatting import format_day
from app.inputs import FormError
from app.models.studio import Booking, Client, Room
from app.services.bookings import (
    ENTER_END,
    ENTER_START,
    BookingInput,
    bookings_between,
    cancel_booking,
    create_booking,
    upcoming_bookings,
)
from app.services.studio_profile import studio_profile
from app.zones import day_bounds
from e2e.fakes.smtp_sink import text_part

DAY = (datetime.now(UTC) + timedelta(days=10)).replace(hour=0, minute=0, second=0, microsecond=0)


def at(hour: int, minute: int = 0) -> datetime:
    return DAY + timedelta(hours=hour, minutes=minute)


@pytest.fixture
def room_and_client(db):
    room, client = (
        Room(name="Room A", hourly_rate_cents=4500),
        Client(name="Ada Lovelace", email="ada@example.com"),
    )
    db.add_all([room, client])
    db.commit()
    return room, client


def book(db, room, client, start, end):
    booking = create_booking(
        db, {"room_id": room.id, "client_id": client.id, "starts_at": start, "ends_at": end}
    )
    db.commit()
    return booking


def test_overlap_is_refused_with_the_conflicting_time(db, room_and_client):
    room, client = room_and_client
    book(db, room, client, at(14), at(16))
    with pytest.raises(FormError) as refused:
        book(db, room, client, at(15), at(17))
    assert refused.value.errors == {"starts_at": f"Room A is already booked 14:00–16:00 on {DAY:%Y-%m-%d}."}
    db.rollback()
    assert db.query(Booking).count() == 1


def test_adjacent_bookings_are_allowed(db, room_and_client):
    room, client = room_and_client
    book(db, room, client, at(14), at(16))
    book(db, room, client, at(16), at(18))
    assert [b.starts_at for b in bookings_between(db, at(0), at(24))] == [at(14), at(16)]


def test_another_room_is_free_at_the_same_time(db, room_and_client):
    room, client = room_and_client
    other = Room(name="Room B", hourly_rate_cents=0)
    db.add(other)
    db.commit()
    book(db, room, client, at(14), at(16))
    book(db, other, client, at(14), at(16))
    assert len(bookings_between(db, at(0), at(24))) == 2


def test_cancelled_booking_frees_the_slot(db, room_and_client):
    room, client = room_and_client
    first = book(db, room, client, at(14), at(16))
    cancel_booking(db, first.id)
    db.commit()
    second = book(db, room, client, at(14), at(16))
    assert second.status == "booked"
    assert [b.id for b in bookings_between(db, at(0), at(24))] == [second.id]
    assert {b.id for b in bookings_between(db, at(0), at(24), include_cancelled=True)} == {
        first.id,
        second.id,
    }


def test_database_constraint_refuses_a_direct_overlapping_insert(db, room_and_client):
    room, client = room_and_client
    book(db, room, client, at(14), at(16))
    db.add(
        Booking(room_id=room.id, client_id=client.id, starts_at=at(15), ends_at=at(15, 30), status="booked")
    )
    with pytest.raises(IntegrityError) as refused:
        db.commit()
    assert refused.value.orig.diag.constraint_name == "bookings_no_overlap"


def test_lost_race_becomes_the_same_booking_error(db, room_and_client):
    """A real race: another transaction holds the slot uncommitted while we check, then commits."""
    room, client = room_and_client
    rival = Session(db.get_bind(), expire_on_commit=False)
    rival_commits = threading.Timer(0.5, rival.commit)
    try:
        create_booking(
            rival, {"room_id": room.id, "client_id": client.id, "starts_at": at(14), "ends_at": at(16)}
        )
        # Our check can't see the rival's uncommitted row, so our insert waits on the constraint
        # until the rival commits, then fails; the service must report it like a plain overlap.
        rival_commits.start()
        with pytest.raises(FormError) as refused:
            create_booking(
                db, {"room_id": room.id, "client_id": client.id, "starts_at": at(15), "ends_at": at(17)}
            )
    finally:
        # Our insert is released when PostgreSQL commits the rival's row, while the rival's
        # commit() may still be finishing in its thread (queueing the confirmation mail).
        rival_commits.join()
        rival.close()
    assert refused.value.errors == {"starts_at": f"Room A is already booked 14:00–16:00 on {DAY:%Y-%m-%d}."}
    db.rollback()
    assert db.query(Booking).count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"room_id": 999}, "room_id", "Choose one of the studio's rooms."),
        ({"client_id": 999}, "client_id", "Choose a client."),
        ({"starts_at": "tomorrow"}, "starts_at", ENTER_START),
        ({"room_id": "one"}, "room_id", "Choose one of the studio's rooms."),
        ({"ends_at": at(13)}, "ends_at", "The session must end after it starts."),
        ({"ends_at": at(14)}, "ends_at", "The session must end after it starts."),
        (
            {"ends_at": at(14) + timedelta(hours=25)},
            "ends_at",
            "A session lasts at most 24 hours; book several for longer projects.",
        ),
        (
            {"starts_at": at(14) - timedelta(days=60), "ends_at": at(16) - timedelta(days=60)},
            "starts_at",
            "That start is more than a month ago.",
        ),
    ],
)
def test_invalid_bookings_are_refused_before_the_database(db, room_and_client, changes, field, message):
    room, client = room_and_client
    values = {"room_id": room.id, "client_id": client.id, "starts_at": at(14), "ends_at": at(16), **changes}
    with pytest.raises(FormError) as refused:
        create_booking(db, values)
    assert refused.value.errors == {field: message}
    assert db.query(Booking).count() == 0


def test_inactive_room_cannot_be_booked(db, room_and_client):
    room, client = room_and_client
    room.is_active = False
    db.commit()
    with pytest.raises(FormError, match="Choose one of the studio's rooms"):
        book(db, room, client, at(14), at(16))


def test_upcoming_bookings_of_one_client(db, room_and_client):
    room, client = room_and_client
    other = Client(name="Bob")
    db.add(other)
    db.commit()
    mine = book(db, room, client, at(10), at(11))
    book(db, room, other, at(12), at(13))
    assert [b.id for b in upcoming_bookings(db, client_id=client.id)] == [mine.id]
    assert len(upcoming_bookings(db)) == 2


def test_the_form_and_the_assistant_give_a_booking_the_same_way(db, room_and_client):
    """Form strings (a datetime-local value, read as UTC) and JSON values parse to the same booking."""
    room, client = room_and_client
    form = {
        "room_id": str(room.id),
        "client_id": str(client.id),
        "starts_at": f"{at(14):%Y-%m-%dT%H:%M}",
        "ends_at": f"{at(16):%Y-%m-%dT%H:%M}",
        "notes": "  ",
    }
    plus_one = timezone(timedelta(hours=1))
    tool = {
        "room_id": room.id,
        "client_id": client.id,
        "starts_at": at(14).astimezone(plus_one).isoformat(),
        "ends_at": at(16).isoformat(),
    }
    parsed_form, parsed_tool = BookingInput.parse(form, db), BookingInput.parse(tool, db)
    assert parsed_form.values() == {
        "room_id": room.id,
        "client_id": client.id,
        "starts_at": at(14),
        "ends_at": at(16),
        "notes": None,
    }
    assert (parsed_tool.starts_at, parsed_tool.room_id) == (at(14), room.id)


def test_every_refused_field_is_named_at_once(db):
    with pytest.raises(FormError) as refused:
        create_booking(db, {"room_id": 999, "client_id": "", "starts_at": "soon", "notes": "x" * 2001})
    assert refused.value.errors == {
        "room_id": "Choose one of the studio's rooms.",
        "client_id": "Choose a client.",
        "starts_at": ENTER_START,
        "ends_at": ENTER_END,
        "notes": "Use at most 2000 characters.",
    }


def next_spring_forward(after: date) -> date:
    """The next last Sunday of March (Europe/Paris goes from +01:00 to +02:00 at 02:00 that night)."""
    year = after.year if after < date(after.year, 3, 20) else after.year + 1
    last = date(year, 3, 31)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def test_a_booking_across_the_spring_forward_night_in_paris(db, room_and_client):
    room, client = room_and_client
    studio_profile(db).time_zone = "Europe/Paris"
    night = next_spring_forward(datetime.now(UTC).date())
    wall = f"{night:%Y-%m-%d}T"
    booking = book(db, room, client, wall + "01:00", wall + "04:00")
    # 01:00 is still +01:00, 04:00 already +02:00: two real hours, stored in UTC.
    assert (booking.starts_at, booking.ends_at) == (
        datetime.combine(night, time(0), tzinfo=UTC),
        datetime.combine(night, time(2), tzinfo=UTC),
    )
    with pytest.raises(FormError) as refused:
        book(db, room, client, wall + "02:30", wall + "05:00")
    assert refused.value.errors == {
        "starts_at": f"{night:%Y-%m-%d} 02:30 does not exist in Europe/Paris: the clocks go forward then."
    }
    db.rollback()
    with pytest.raises(FormError) as refused:
        book(db, room, client, wall + "03:30", wall + "05:00")
    assert refused.value.errors == {"starts_at": f"Room A is already booked 01:00–04:00 on {night:%Y-%m-%d}."}
    db.rollback()
    # The local day is 23 hours long and holds the booking; the UTC day before does not.
    assert bookings_between(db, *day_bounds(night, ZoneInfo("Europe/Paris"))) == [booking]
    assert bookings_between(db, *day_bounds(night - timedelta(days=1), UTC)) == []


def test_the_client_gets_a_confirmation_once_the_booking_is_committed(db, room_and_client, outbox):
    room, client = room_and_client
    create_booking(db, {"room_id": room.id, "client_id": client.id, "starts_at": at(14), "ends_at": at(16)})
    assert outbox.deliver() == []  # not before the commit
    db.commit()
    [message] = outbox.deliver()
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "Your booking is confirmed"
    assert message["From"].startswith("Abbey <")
    text = text_part(message)
    assert f"Room A: 14:00–16:00, {format_day(DAY.date(), 'en')}" in text
    assert "Hello " + client.name in text


def test_a_refused_or_rolled_back_booking_sends_nothing(db, room_and_client, outbox):
    room, client = room_and_client
    create_booking(db, {"room_id": room.id, "client_id": client.id, "starts_at": at(14), "ends_at": at(16)})
    db.rollback()
    db.commit()
    assert outbox.deliver() == []
