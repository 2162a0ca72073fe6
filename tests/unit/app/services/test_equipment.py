"""Equipment: counts per status, the unusable list, and refused input."""

from __future__ import annotations

import pytest

from app.inputs import FormError
from app.models.studio import Equipment, Room
from app.services.equipment import create_equipment, status_counts, unusable_equipment


def test_equipment_counts_and_unusable_list(db):
    room = Room(name="A", hourly_rate_cents=0)
    db.add(room)
    db.flush()
    create_equipment(db, {"name": "Neumann U87", "status": "available", "room_id": room.id})
    create_equipment(db, {"name": "Tape machine", "status": "maintenance"})
    create_equipment(db, {"name": "Old desk", "status": "out_of_service"})
    assert status_counts(db) == {"available": 1, "in_use": 0, "maintenance": 1, "out_of_service": 1}
    assert [e.name for e in unusable_equipment(db)] == ["Old desk", "Tape machine"]
    with pytest.raises(FormError) as refused:
        create_equipment(db, {"name": "X", "status": "lost", "room_id": 999})
    assert refused.value.errors == {
        "status": "Choose a status from the list.",
        "room_id": "Choose one of the studio's rooms, or none.",
    }
    assert db.query(Equipment).count() == 3
