"""The studio's rooms: unique names and an hourly rate."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.studio import Room
from app.services.validation import FormError, flush_unique, money_value, text_value


class RoomError(FormError):
    """Room details refused; `errors` maps field (name, hourly_rate, description) to message."""


def list_rooms(db: Session, *, active_only: bool = False) -> list[Room]:
    query = select(Room)
    if active_only:
        query = query.where(Room.is_active.is_(True))
    return list(db.scalars(query.order_by(func.lower(Room.name), Room.id)))


def _clean(db: Session, values: dict, room_id: int | None) -> dict:
    errors: dict[str, str] = {}
    cleaned = {
        "name": text_value(values.get("name"), errors, "name", "the room's name", max_length=80, required=True),
        "description": text_value(values.get("description"), errors, "description", "a description",
                                  max_length=2000),
        "hourly_rate_cents": money_value(values.get("hourly_rate"), errors, "hourly_rate"),
        "is_active": bool(values.get("is_active", True)),
    }
    if cleaned["name"] and "name" not in errors:
        other = db.scalar(select(Room.id).where(func.lower(Room.name) == cleaned["name"].lower()))
        if other is not None and other != room_id:
            errors["name"] = "Another room already has this name."
    if errors:
        raise RoomError(errors)
    return cleaned


def create_room(db: Session, *, name: str, hourly_rate, description: str | None = None,
                is_active: bool = True) -> Room:
    """`hourly_rate` as typed ('45' or '45.50'); stored in cents."""
    room = Room(**_clean(db, {"name": name, "hourly_rate": hourly_rate, "description": description,
                              "is_active": is_active}, None))
    db.add(room)
    flush_unique(db, RoomError({"name": "Another room already has this name."}))
    return room


def update_room(db: Session, room: Room, *, name: str, hourly_rate, description: str | None = None,
                is_active: bool = True) -> Room:
    cleaned = _clean(db, {"name": name, "hourly_rate": hourly_rate, "description": description,
                          "is_active": is_active}, room.id)
    for key, value in cleaned.items():
        setattr(room, key, value)
    flush_unique(db, RoomError({"name": "Another room already has this name."}))
    return room
