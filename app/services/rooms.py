"""The studio's rooms: unique names and an hourly rate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.i18n import N_
from app.inputs import Field, FormError, Input, checkbox, flush_unique, money, show_money, text
from app.models.studio import Room

NAME_TAKEN = "Another room already has this name."


class RoomInput(Input):
    name = Field("Name", text(80), required=N_("Enter the room's name."), attrs='maxlength="80" autofocus')
    hourly_rate = Field(
        "Hourly rate",
        money,
        required=N_("Enter an amount, e.g. 45.00."),
        attr="hourly_rate_cents",
        show=show_money,
        hint=N_("e.g. 45 or 45.50"),
        attrs='inputmode="decimal"',
    )
    description = Field("Description", text(2000), widget="textarea")
    is_active = Field("Bookable", checkbox, empty=False, widget="checkbox", schema={"type": "boolean"})

    def check(self, db: Session, errors: dict[str, str]) -> None:
        if "name" not in errors:
            other = db.scalar(select(Room.id).where(func.lower(Room.name) == self.name.lower()))
            if other is not None and (self.row is None or other != self.row.id):
                errors["name"] = NAME_TAKEN


def list_rooms(db: Session, *, active_only: bool = False) -> list[Room]:
    query = select(Room)
    if active_only:
        query = query.where(Room.is_active.is_(True))
    return list(db.scalars(query.order_by(func.lower(Room.name), Room.id)))


def create_room(db: Session, data: Mapping[str, Any]) -> Room:
    room = RoomInput.parse(data, db).apply(Room())
    db.add(room)
    flush_unique(db, FormError({"name": NAME_TAKEN}))
    return room


def update_room(db: Session, room: Room, data: Mapping[str, Any]) -> Room:
    RoomInput.parse(data, db, row=room).apply(room)
    flush_unique(db, FormError({"name": NAME_TAKEN}))
    return room
