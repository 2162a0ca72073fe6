"""Staff pages for rooms: unique names, and editing a room."""

from __future__ import annotations

from app.models.studio import Room
from tests.unit.app.staff.pages import add_room, count, field_error, ids


def test_duplicate_room_name_is_refused(open_db, abbey):
    add_room(abbey)
    response = abbey.post_form("/rooms/new", {"name": "room a", "hourly_rate": "12.345"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "name") == "Another room already has this name."
    assert field_error(page, "hourly_rate") == "Enter an amount such as 45 or 45.50 (at most 2 decimals)."
    assert count(open_db, abbey.organization, Room) == 1


def test_room_edit_shows_the_room_and_saves_changes(open_db, abbey):
    add_room(abbey, rate="45.5")
    room_id = ids(open_db, abbey.organization, Room)[0]
    page = abbey.get(f"/rooms/{room_id}/edit").get_data(as_text=True)
    assert 'value="Room A"' in page and 'value="45.50"' in page and 'name="is_active" checked' in page
    response = abbey.post_form(f"/rooms/{room_id}/edit", {"name": "Room A", "hourly_rate": "50"})
    assert response.status_code == 302
    with open_db(abbey.organization) as db:
        room = db.get(Room, room_id)
        assert (room.hourly_rate_cents, room.is_active) == (5000, False)
    assert abbey.get("/rooms/999/edit").status_code == 404
