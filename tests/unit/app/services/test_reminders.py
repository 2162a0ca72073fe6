"""The day-before reminder, queued once per booking from the set hour in the studio's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.models.studio import Booking, BookingStatus, Client, Room
from app.periodic import run_jobs
from app.services.reminders import due_day
from app.services.studio_profile import studio_profile
from app.zones import zone_named
from e2e.fakes.smtp_sink import text_part

PARIS = zone_named("Europe/Paris")


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (datetime(2026, 12, 1, 16, 59, tzinfo=UTC), None),  # 17:59 in Paris
        (datetime(2026, 12, 1, 17, 0, tzinfo=UTC), date(2026, 12, 2)),  # 18:00 in Paris
        (datetime(2026, 12, 1, 23, 30, tzinfo=UTC), None),  # 00:30 on the 2nd in Paris: not yet for the 3rd
        (datetime(2026, 12, 2, 22, 59, tzinfo=UTC), date(2026, 12, 3)),  # 23:59 on the 2nd
    ],
)
def test_the_reminders_of_tomorrow_are_due_from_the_hour_in_the_studios_zone(now, due):
    assert due_day(now, PARIS, 18) == due


@pytest.fixture
def tomorrows_booking(db):
    """In Paris, at 18:30 on Dec 1, 2026: a booking the next day at 10:00 (09:00 UTC), one the day
    after, one cancelled."""
    studio_profile(db).time_zone = "Europe/Paris"
    studio_profile(db).language = "fr"
    room, client = Room(name="Salle A"), Client(name="Ada", email="ada@example.com")
    db.add_all([room, client])
    db.flush()

    def booking(day, status=BookingStatus.BOOKED):
        start = datetime(2026, 12, day, 9, tzinfo=UTC)
        return Booking(
            room_id=room.id,
            client_id=client.id,
            starts_at=start,
            ends_at=start.replace(hour=11),
            status=status,
        )

    tomorrow = booking(2)
    db.add_all([tomorrow, booking(3), booking(2, BookingStatus.CANCELLED)])
    db.commit()
    return tomorrow


NOW = datetime(2026, 12, 1, 17, 30, tzinfo=UTC)


def test_each_booking_of_tomorrow_is_reminded_once_even_when_the_job_runs_twice(
    app, db, tomorrows_booking, outbox
):
    with app.app_context():
        assert run_jobs(["booking-reminders"], now=NOW) == {"booking-reminders": 1}
        assert run_jobs(["booking-reminders"], now=NOW) == {"booking-reminders": 0}
    [message] = outbox.deliver()
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "Rappel : votre réservation demain"
    assert "Salle A: 10:00–12:00, 2 déc. 2026" in text_part(message)
    db.expire_all()
    assert db.get(Booking, tomorrows_booking.id).reminder_queued_at == NOW


def test_nothing_is_reminded_before_the_hour(app, db, tomorrows_booking, outbox):
    with app.app_context():
        assert run_jobs(["booking-reminders"], now=NOW.replace(hour=16)) == {"booking-reminders": 0}
    assert outbox.deliver() == []


def test_the_periodic_command_lists_and_runs_the_jobs(runner, abbey):
    assert "booking-reminders" in runner.invoke(args=["periodic", "list"]).output.split()
    result = runner.invoke(args=["periodic", "run"])
    assert result.exit_code == 0 and "booking-reminders: " in result.output
    assert runner.invoke(args=["periodic", "run", "nope"]).exit_code == 2
