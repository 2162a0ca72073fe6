"""The staff blueprint as a whole: every page renders for the owner, needs a sign-in, shows one
studio only; and the dashboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from app.extensions import master_db, studio_db
from app.models.studio import Booking, Client, Equipment, EquipmentStatus, Invoice, InvoiceStatus, Room
from tests.unit.app.staff.pages import DAY, add_client, add_room, book, ids


def test_every_staff_page_renders(abbey):
    for path in (
        "/dashboard",
        "/clients",
        "/clients/new",
        "/rooms",
        "/rooms/new",
        "/bookings",
        "/bookings/new",
        "/invoices",
        "/invoices/new",
        "/equipment",
        "/equipment/new",
        "/accounts",
    ):
        response = abbey.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert "Sign out" in page and ">Staff</a>" in page, path


def test_pages_need_a_signed_in_staff_member(studio_client, make_studio):
    make_studio("abbey")
    response = studio_client("abbey").get("/clients")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=/clients")


def test_a_studio_never_shows_another_studios_clients(app, open_db, staff_client):
    abbey, olympic = staff_client("abbey"), staff_client("olympic")
    add_client(abbey, "Abbey Secret", "secret@abbey.example")
    client_id = ids(open_db, abbey.organization, Client)[0]
    assert "Abbey Secret" not in olympic.get("/clients").get_data(as_text=True)
    assert "Abbey Secret" not in olympic.get("/clients?q=secret").get_data(as_text=True)
    assert olympic.get(f"/clients/{client_id}/edit").status_code == 404
    # Abbey's session cookie is host-only and bound to abbey: replayed on olympic it signs nobody in.
    cookie = abbey.http.get_cookie("rsm_session", domain="abbey.studio.test")
    intruder = type(olympic)(app, olympic.host)
    intruder.http.set_cookie("rsm_session", cookie.value, domain="olympic.studio.test")
    assert intruder.get("/clients").status_code == 302


def test_dashboard_shows_sessions_unpaid_invoices_and_broken_equipment(open_db, abbey):
    add_room(abbey)
    client_id = add_client(abbey)
    room_id = ids(open_db, abbey.organization, Room)[0]
    now = datetime.now(UTC)
    with open_db(abbey.organization) as db:
        db.add(
            Booking(
                room_id=room_id,
                client_id=client_id,
                starts_at=now + timedelta(minutes=5),
                ends_at=now + timedelta(minutes=6),
            )
        )
        db.commit()
    book(abbey, room_id, client_id, 14, 16)
    abbey.post_form("/equipment/new", {"name": "Tape machine", "status": "maintenance", "room_id": room_id})
    abbey.post_form("/equipment/new", {"name": "Neumann U87", "status": "available"})
    invoice = abbey.post_form(
        "/invoices/new",
        {
            "client_id": client_id,
            "tax_rate": "0",
            "lines-0-description": "Tracking",
            "lines-0-unit_price": "100",
        },
    )
    invoice_id = int(invoice.headers["Location"].rsplit("/", 1)[1])
    abbey.post_form(
        f"/invoices/{invoice_id}/status", {"status": "sent"}, token_from=f"/invoices/{invoice_id}"
    )
    page = abbey.get("/dashboard").get_data(as_text=True)
    today, rest = page.split("Upcoming", 1)
    assert "Ada Lovelace" in today and "No sessions today" not in today
    assert f"14:00–16:00, {DAY:%b} {DAY.day}, {DAY.year}" in rest
    assert "INV-0001" in rest and "€100.00" in rest
    assert "Tape machine" in rest and "Neumann" not in rest


def test_a_404_keeps_the_studios_name_and_menu_for_its_staff(abbey, studio_client):
    page = abbey.get("/no-such-page")
    assert page.status_code == 404
    text = page.get_data(as_text=True)
    assert (
        f"{abbey.organization.name}</a>" in text
        and ">Calendar</a>" in text
        and ">Back to the dashboard</a>" in text
    )
    assert ">Calendar</a>" not in studio_client("abbey").get("/no-such-page").get_data(as_text=True)


class Statements:
    """The statements an engine runs, counted by SQLAlchemy's event."""

    def __init__(self, engine) -> None:
        self.seen: list[str] = []
        event.listen(
            engine, "before_cursor_execute", lambda _c, _cur, statement, *_: self.seen.append(statement)
        )


@pytest.mark.parametrize("ai_settings", [{"PAGE_CACHE_SECONDS": "0"}])  # rendered, not kept
def test_a_signed_in_dashboard_costs_six_studio_statements_and_no_master_one(app, open_db, abbey):
    """The staff member, the studio's profile, and the dashboard's four lists: however many rows
    the filters (money, span, day) format, each in the studio's profile."""
    add_room(abbey)
    client_id = add_client(abbey)
    room_id = ids(open_db, abbey.organization, Room)[0]
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    with open_db(abbey.organization) as db:
        for hour in range(12):
            at = start + timedelta(hours=hour)
            db.add(
                Booking(
                    room_id=room_id, client_id=client_id, starts_at=at, ends_at=at + timedelta(minutes=30)
                )
            )
        for number in range(5):
            db.add(
                Invoice(
                    client_id=client_id, status=InvoiceStatus.SENT, number=f"INV-{number}", due_on=DAY.date()
                )
            )
        db.add(Equipment(name="Tape machine", status=EquipmentStatus.MAINTENANCE, room_id=room_id))
    assert abbey.get("/dashboard").status_code == 200
    with app.app_context():
        studio, master = (
            Statements(studio_db.studio_engine(abbey.organization)),
            Statements(master_db.engine),
        )
    page = abbey.get("/dashboard").get_data(as_text=True)
    assert page.count("INV-") == 5 and page.count("€0.00") == 5 and "Tape machine" in page
    assert len(studio.seen) == 6, studio.seen
    assert master.seen == []
