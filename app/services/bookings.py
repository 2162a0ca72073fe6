"""Bookings (recording sessions): a room for a client, the overlap rule, listing and cancelling.

Times are stored as UTC instants; pages, the assistant and refusals read and show them as wall
times in the studio's zone (its profile), so "14:00" means 14:00 there, summer or winter.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from app.i18n import N_
from app.inputs import WHEN, Field, FormError, Input, identifier, place_in_zone, text, wall_time
from app.models.studio import Booking, BookingStatus, Client, Room
from app.services import booking_mail
from app.services.studio_profile import studio_zone
from app.tenancy.context import current_studio
from app.zones import to_wall

MAX_LENGTH = timedelta(hours=24)
# Staff may record a booking that already happened this month, not rewrite old history.
MAX_PAST = timedelta(days=31)
MAX_AHEAD = timedelta(days=2 * 366)
OVERLAP_CONSTRAINT = "bookings_no_overlap"
CHOOSE_ROOM = N_("Choose one of the studio's rooms.")
CHOOSE_CLIENT = N_("Choose a client.")
ENTER_START = N_("Enter the start date and time, e.g. 2026-12-01T14:00.")
ENTER_END = N_("Enter the end date and time, e.g. 2026-12-01T16:00.")


class BookingInput(Input):
    """A booking as the form and the assistant's create_booking tool give it."""

    room_id = Field(
        "Room",
        identifier(CHOOSE_ROOM),
        required=CHOOSE_ROOM,
        widget="select",
        blank=N_("Choose a room"),
        schema={"type": "integer"},
    )
    client_id = Field(
        "Client",
        identifier(CHOOSE_CLIENT),
        required=CHOOSE_CLIENT,
        widget="select",
        blank=N_("Choose a client"),
        schema={"type": "integer"},
    )
    starts_at = Field(
        "Starts",
        wall_time(ENTER_START),
        required=ENTER_START,
        widget="datetime-local",
        attrs='step="900"',
        schema={"type": "string", "description": WHEN},
    )
    ends_at = Field(
        "Ends",
        wall_time(ENTER_END),
        required=ENTER_END,
        widget="datetime-local",
        attrs='step="900"',
        schema={"type": "string", "description": WHEN},
    )
    notes = Field("Notes", text(2000), widget="textarea")

    def check(self, db: Session, errors: dict[str, str]) -> None:
        if "room_id" not in errors:
            room = db.get(Room, self.room_id)
            if room is None or not room.is_active:
                errors["room_id"] = CHOOSE_ROOM
        if "client_id" not in errors and not _bookable_client(db, self.client_id, self.row):
            errors["client_id"] = CHOOSE_CLIENT
        place_in_zone(self, ("starts_at", "ends_at"), studio_zone(db), errors)
        if "starts_at" in errors or "ends_at" in errors:
            return
        if self.ends_at <= self.starts_at:
            errors["ends_at"] = N_("The session must end after it starts.")
        elif self.ends_at - self.starts_at > MAX_LENGTH:
            errors["ends_at"] = N_("A session lasts at most 24 hours; book several for longer projects.")
        now = datetime.now(UTC)
        if self.starts_at < now - MAX_PAST:
            errors["starts_at"] = N_("That start is more than a month ago.")
        elif self.starts_at > now + MAX_AHEAD:
            errors["starts_at"] = N_("Book at most two years ahead.")


def _bookable_client(db: Session, client_id: int, row: Booking | None) -> bool:
    """An existing client, not archived, unless the booking being edited already has them."""
    client = db.get(Client, client_id)
    return client is not None and (
        client.archived_at is None or (row is not None and row.client_id == client_id)
    )


def describe_span(starts_at: datetime, ends_at: datetime, zone: ZoneInfo) -> str:
    """'14:00–16:00 on 2026-12-01' in `zone`; both dates when the span crosses its midnight."""
    start, end = to_wall(starts_at, zone), to_wall(ends_at, zone)
    if start.date() == end.date():
        return f"{start:%H:%M}–{end:%H:%M} on {start:%Y-%m-%d}"
    return f"{start:%H:%M} on {start:%Y-%m-%d} – {end:%H:%M} on {end:%Y-%m-%d}"


def _conflict(
    db: Session, room_id: int, starts_at: datetime, ends_at: datetime, *, other_than: int | None = None
) -> Booking | None:
    query = select(Booking).where(
        Booking.room_id == room_id,
        Booking.status != BookingStatus.CANCELLED,
        Booking.starts_at < ends_at,
        Booking.ends_at > starts_at,
    )
    if other_than is not None:
        query = query.where(Booking.id != other_than)
    return db.scalar(query.order_by(Booking.starts_at).limit(1))


def _conflict_error(room: Room, conflict: Booking | None, zone: ZoneInfo) -> FormError:
    if conflict is None:
        return FormError({"starts_at": f"{room.name} was just booked by someone else for this time."})
    when = describe_span(conflict.starts_at, conflict.ends_at, zone)
    return FormError({"starts_at": f"{room.name} is already booked {when}."})


def _save(db: Session, booking: Booking, wanted: BookingInput) -> Booking:
    """Check the room is free, then write `wanted` into `booking` (new or being rescheduled)."""
    room = db.get(Room, wanted.room_id)
    conflict = _conflict(db, room.id, wanted.starts_at, wanted.ends_at, other_than=booking.id)
    if conflict is not None:
        raise _conflict_error(room, conflict, studio_zone(db))
    try:
        # A savepoint, so a lost race leaves the caller's transaction usable.
        with db.begin_nested():
            wanted.apply(booking)
            db.add(booking)
            db.flush()
    except IntegrityError as exc:
        # Another request booked the slot between our check and our write: the database's
        # exclusion constraint is the final word, reported like the check above.
        if getattr(getattr(exc.orig, "diag", None), "constraint_name", None) != OVERLAP_CONSTRAINT:
            raise
        conflict = _conflict(db, room.id, wanted.starts_at, wanted.ends_at, other_than=booking.id)
        raise _conflict_error(room, conflict, studio_zone(db)) from None
    return booking


def create_booking(db: Session, data: Mapping[str, Any], *, created_by_id: int | None = None) -> Booking:
    """Book a room from `data` (read by BookingInput); FormError when refused. Flushes; the caller
    commits, which queues the client's confirmation mail."""
    wanted = BookingInput.parse(data, db)
    booking = _save(db, Booking(status=BookingStatus.BOOKED, created_by_id=created_by_id), wanted)
    booking_mail.confirm(db, booking, current_studio())
    return booking


def update_booking(db: Session, booking: Booking, data: Mapping[str, Any]) -> Booking:
    """Reschedule or edit a booking with the same rules as a new one; a cancelled one stays cancelled.

    FormError when refused (the booking is then left as it was). Flushes; the caller commits.
    """
    if booking.status == BookingStatus.CANCELLED:
        raise FormError({"form": "This session is cancelled: book a new one instead."})
    wanted = BookingInput.parse(data, db, row=booking)
    try:
        return _save(db, booking, wanted)
    except FormError:
        db.refresh(booking)  # the refused values were written into the row before the savepoint rolled back
        raise


def _with_people(query):
    return query.options(joinedload(Booking.room), joinedload(Booking.client))


def bookings_between(
    db: Session, start: datetime, end: datetime, *, include_cancelled: bool = False
) -> list[Booking]:
    """Bookings overlapping [start, end), earliest first, with room and client loaded."""
    query = select(Booking).where(Booking.starts_at < end, Booking.ends_at > start)
    if not include_cancelled:
        query = query.where(Booking.status != BookingStatus.CANCELLED)
    return list(db.scalars(_with_people(query).order_by(Booking.starts_at, Booking.id)))


def upcoming_bookings(
    db: Session, *, after: datetime | None = None, client_id: int | None = None, limit: int = 50
) -> list[Booking]:
    """Bookings not yet over, earliest first; only `client_id`'s when given."""
    after = after or datetime.now(UTC)
    query = select(Booking).where(Booking.ends_at > after, Booking.status == BookingStatus.BOOKED)
    if client_id is not None:
        query = query.where(Booking.client_id == client_id)
    return list(db.scalars(_with_people(query).order_by(Booking.starts_at, Booking.id).limit(limit)))


def cancel_booking(db: Session, booking_id: int) -> Booking:
    """Mark a booking cancelled, which frees its slot; cancelling twice is harmless."""
    booking = db.get(Booking, booking_id)
    if booking is None:
        raise FormError({"form": f"There is no booking #{booking_id}."})
    booking.status = BookingStatus.CANCELLED
    db.flush()
    return booking
