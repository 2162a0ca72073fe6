"""Helpers of the staff pages' tests: form values, field errors, and rows added through the pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

DAY = (datetime.now(UTC) + timedelta(days=7)).replace(hour=0, minute=0, second=0, microsecond=0)


def local(hour: int, minute: int = 0) -> str:
    """A datetime-local input value on DAY (the studio's zone, UTC unless a test changes it)."""
    return (DAY + timedelta(hours=hour, minutes=minute)).strftime("%Y-%m-%dT%H:%M")


def count(open_db, organization, model) -> int:
    with open_db(organization) as db:
        return db.query(model).count()


def field_error(page: str, name: str) -> str | None:
    match = re.search(rf'id="{re.escape(name)}-error">([^<]*)<', page)
    return match.group(1) if match else None


def add_room(browser, name="Room A", rate="45"):
    response = browser.post_form("/rooms/new", {"name": name, "hourly_rate": rate, "is_active": "on"})
    assert response.status_code == 302, response.get_data(as_text=True)


def add_client(browser, name="Ada Lovelace", email="ada@example.com"):
    response = browser.post_form("/clients/new", {"name": name, "email": email})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/clients/(\d+)/edit", response.headers["Location"]).group(1))


def ids(open_db, organization, model, **where):
    with open_db(organization) as db:
        return [row.id for row in db.query(model).filter_by(**where).order_by(model.id)]


def book(browser, room_id, client_id, start, end):
    return browser.post_form(
        "/bookings/new",
        {"room_id": room_id, "client_id": client_id, "starts_at": local(start), "ends_at": local(end)},
    )
