"""Staff pages for equipment: create, edit, refused input, counts per status."""

from __future__ import annotations

from app.models.studio import AuditEntry, Equipment, Room
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


def test_archived_equipment_is_kept_but_left_out_of_lists_counts_and_dashboard(open_db, abbey):
    for name in ("SM57", "U87"):
        abbey.post_form("/equipment/new", {"name": name, "status": "out_of_service"})
    sm57, _ = ids(open_db, abbey.organization, Equipment)
    edit = f"/equipment/{sm57}/edit"
    response = abbey.post_form(f"/equipment/{sm57}/archive", {"archived": "1"}, token_from=edit)
    assert response.status_code == 302
    row = f'<a href="/equipment/{sm57}/edit">SM57</a>'
    listed = abbey.get("/equipment").get_data(as_text=True)
    assert row not in listed and "Out of service (1)" in listed and "Archived (1)" in listed
    assert row in abbey.get("/equipment?archived=1").get_data(as_text=True)
    assert "SM57" not in abbey.get("/dashboard").get_data(as_text=True)
    with open_db(abbey.organization) as db:
        assert db.get(Equipment, sm57).archived_at is not None
        audit = [(e.entity, e.entity_id, e.action) for e in db.query(AuditEntry).order_by(AuditEntry.id)]
    assert audit[-1] == ("equipment", sm57, "archive")
    abbey.post_form(f"/equipment/{sm57}/archive", {"archived": "0"}, token_from=edit)
    assert row in abbey.get("/equipment").get_data(as_text=True)
    assert "Out of service (2)" in abbey.get("/equipment").get_data(as_text=True)
