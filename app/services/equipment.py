"""The studio's equipment: inventory, status, which room it is in, and archive (gear sold or gone is
kept in the records but left out of the lists, counts, dashboard and assistant)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload

from app.i18n import N_
from app.inputs import Field, FormError, Input, choice, identifier, text
from app.models.studio import Equipment, EquipmentStatus, Room

# What the dashboard flags: gear that can't be used right now.
UNUSABLE = (EquipmentStatus.MAINTENANCE, EquipmentStatus.OUT_OF_SERVICE)
CHOOSE_ROOM = "Choose one of the studio's rooms, or none."


class EquipmentInput(Input):
    name = Field("Name", text(120), required=N_("Enter a name."), attrs='maxlength="120" autofocus')
    category = Field("Category", text(60), hint=N_("e.g. Microphone"), attrs='maxlength="60"')
    serial_number = Field("Serial number", text(80), attrs='maxlength="80"')
    status = Field(
        "Status",
        choice(EquipmentStatus, "Choose a status from the list."),
        empty=EquipmentStatus.AVAILABLE,
        widget="select",
        choices=EquipmentStatus,
        schema={"type": "string", "enum": EquipmentStatus.values()},
    )
    room_id = Field(
        "Room",
        identifier(CHOOSE_ROOM),
        widget="select",
        blank=N_("— not in a room —"),
        schema={"type": "integer"},
    )
    notes = Field("Notes", text(5000), widget="textarea")

    def check(self, db: Session, errors: dict[str, str]) -> None:
        if self.room_id is not None and "room_id" not in errors and db.get(Room, self.room_id) is None:
            errors["room_id"] = CHOOSE_ROOM


def equipment_status(
    db: Session, *, status: EquipmentStatus | None = None, archived: bool = False
) -> list[Equipment]:
    """All equipment not archived (or the archived, with `archived`; or one status's), unusable
    first, then by name, with its room loaded."""
    shown = Equipment.archived_at.is_not(None) if archived else Equipment.archived_at.is_(None)
    query = select(Equipment).options(joinedload(Equipment.room)).where(shown)
    if status:
        query = query.where(Equipment.status == status)
    order = case((Equipment.status.in_(UNUSABLE), 0), else_=1)
    return list(db.scalars(query.order_by(order, func.lower(Equipment.name), Equipment.id)))


def status_counts(db: Session) -> dict[EquipmentStatus, int]:
    """Number of items not archived per status, every status present (0 when none)."""
    query = select(Equipment.status, func.count()).where(Equipment.archived_at.is_(None))
    counts = dict(db.execute(query.group_by(Equipment.status)).all())
    return {status: counts.get(status, 0) for status in EquipmentStatus}


def unusable_equipment(db: Session) -> list[Equipment]:
    """Equipment in maintenance or out of service, by name, with its room loaded; chosen by the
    query, not by loading every item the studio owns on each dashboard."""
    query = select(Equipment).options(joinedload(Equipment.room))
    query = query.where(Equipment.archived_at.is_(None), Equipment.status.in_(UNUSABLE))
    return list(db.scalars(query.order_by(func.lower(Equipment.name), Equipment.id)))


def create_equipment(db: Session, data: Mapping[str, Any]) -> Equipment:
    item = EquipmentInput.parse(data, db).apply(Equipment())
    db.add(item)
    db.flush()
    return item


def update_equipment(db: Session, item: Equipment, data: Mapping[str, Any]) -> Equipment:
    EquipmentInput.parse(data, db, row=item).apply(item)
    db.flush()
    return item


def count_archived(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Equipment).where(Equipment.archived_at.is_not(None)))


def set_archived(db: Session, item_id: int, archived: bool) -> Equipment:
    """Archive an item (or bring it back); archiving twice is harmless."""
    item = db.get(Equipment, item_id)
    if item is None:
        raise FormError({"form": f"There is no equipment #{item_id}."})
    if archived != (item.archived_at is not None):
        item.archived_at = datetime.now(UTC) if archived else None
    db.flush()
    return item
