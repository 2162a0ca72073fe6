"""Staff pages for equipment: create, edit, refused input, counts per status."""

from __future__ import annotations

from app.models.studio import Equipment, Room
from tests.unit.app.staff.pages import add_room, field_error, ids


def test_equipment_create_edit_and_validation(open_db, abbey):
    add_room(abbey)
    room_id = ids(open_db, abbey.organization, Room)[0]
    response = abbey.post_form("/equipment/new", {"name": "", "status": "lost"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (
        field_error(page, "name") == "Enter a name."
        and field_error(page, "status") == "Choose a status from the list."
    )
    abbey.post_form(
        "/equipment/new",
        {"name": "SM57", "category": "Microphone", "status": "available", "room_id": room_id},
    )
    item_id = ids(open_db, abbey.organization, Equipment)[0]
    abbey.post_form(f"/equipment/{item_id}/edit", {"name": "SM57", "status": "out_of_service", "room_id": ""})
    with open_db(abbey.organization) as db:
        item = db.get(Equipment, item_id)
        assert (item.status, item.room_id, item.category) == ("out_of_service", None, None)
    assert "Out of service (1)" in abbey.get("/equipment").get_data(as_text=True)
