"""The studio's equipment: inventory, status, and which room it is in."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload

from app.models.studio import Equipment, Room
from app.services.validation import FormError, text_value

STATUSES = {"available": "Available", "in_use": "In use", "maintenance": "In maintenance",
            "out_of_service": "Out of service"}
# What the dashboard flags: gear that can't be used right now.
UNUSABLE = ("maintenance", "out_of_service")


class EquipmentError(FormError):
    """Equipment details refused; `errors` maps field (name, category, serial_number, status, room_id, notes)."""


def equipment_status(db: Session, *, status: str | None = None) -> list[Equipment]:
    """All equipment (or one status's), unusable first, then by name, with its room loaded."""
    query = select(Equipment).options(joinedload(Equipment.room))
    if status:
        query = query.where(Equipment.status == status)
    order = case((Equipment.status.in_(UNUSABLE), 0), else_=1)
    return list(db.scalars(query.order_by(order, func.lower(Equipment.name), Equipment.id)))


def status_counts(db: Session) -> dict[str, int]:
    """Number of items per status, every status present (0 when none)."""
    counts = dict(db.execute(select(Equipment.status, func.count()).group_by(Equipment.status)).all())
    return {status: counts.get(status, 0) for status in STATUSES}


def unusable_equipment(db: Session) -> list[Equipment]:
    """Equipment in maintenance or out of service."""
    return [item for item in equipment_status(db) if item.status in UNUSABLE]


def _clean(db: Session, values: dict) -> dict:
    errors: dict[str, str] = {}
    cleaned = {
        "name": text_value(values.get("name"), errors, "name", "a name", max_length=120, required=True),
        "category": text_value(values.get("category"), errors, "category", "a category", max_length=60),
        "serial_number": text_value(values.get("serial_number"), errors, "serial_number", "a serial number",
                                    max_length=80),
        "notes": text_value(values.get("notes"), errors, "notes", "notes", max_length=5000),
        "status": values.get("status") or "available",
        "room_id": values.get("room_id"),
    }
    if cleaned["status"] not in STATUSES:
        errors["status"] = "Choose a status from the list."
    if cleaned["room_id"] is not None and db.get(Room, cleaned["room_id"]) is None:
        errors["room_id"] = "Choose one of the studio's rooms, or none."
    if errors:
        raise EquipmentError(errors)
    return cleaned


def create_equipment(db: Session, **values) -> Equipment:
    item = Equipment(**_clean(db, values))
    db.add(item)
    db.flush()
    return item


def update_equipment(db: Session, item: Equipment, **values) -> Equipment:
    for key, value in _clean(db, values).items():
        setattr(item, key, value)
    db.flush()
    return item
