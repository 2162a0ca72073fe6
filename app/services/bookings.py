"""Bookings (recording sessions): a room for a client, the overlap rule, listing and cancelling.

Times are timezone-aware datetimes; the studio's pages show and read them in UTC.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from app.models.studio import Booking, Client, Room

MAX_LENGTH = timedelta(hours=24)
# Staff may record a booking that already happened this month, not rewrite old history.
MAX_PAST = timedelta(days=31)
MAX_AHEAD = timedelta(days=2 * 366)
OVERLAP_CONSTRAINT = "bookings_no_overlap"


class BookingError(ValueError):
    """A booking refused; `field` is the form field to show `message` next to (None: the whole form)."""

    def __init__(self, field: str | None, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(message)

    @property
    def errors(self) -> dict[str, str]:
        return {self.field or "form": self.message}


def describe_span(starts_at: datetime, ends_at: datetime) -> str:
    """'14:00–16:00 on 2026-12-01' in UTC; both dates when the span crosses midnight."""
    start, end = starts_at.astimezone(timezone.utc), ends_at.astimezone(timezone.utc)
    if start.date() == end.date():
        return f"{start:%H:%M}–{end:%H:%M} on {start:%Y-%m-%d}"
    return f"{start:%H:%M} on {start:%Y-%m-%d} – {end:%H:%M} on {end:%Y-%m-%d}"


def _conflict(db: Session, room_id: int, starts_at: datetime, ends_at: datetime) -> Booking | None:
    return db.scalar(
        select(Booking)
        .where(
            Booking.room_id == room_id,
            Booking.status != "cancelled",
            Booking.starts_at < ends_at,
            Booking.ends_at > starts_at,
        )
        .order_by(Booking.starts_at)
        .limit(1)
    )


def _conflict_error(room: Room, conflict: Booking | None) -> BookingError:
    if conflict is None:
        return BookingError("starts_at", f"{room.name} was just booked by someone else for this time.")
    return BookingError("starts_at", f"{room.name} is already booked {describe_span(conflict.starts_at, conflict.ends_at)}.")


def create_booking(
    db: Session,
    *,
    room_id: int,
    client_id: int,
    starts_at: datetime,
    ends_at: datetime,
    notes: str | None = None,
    created_by_id: int | None = None,
) -> Booking:
    """Book `room_id` for `client_id`; raise BookingError when refused. Flushes; the caller commits."""
    room = db.get(Room, room_id) if room_id is not None else None
    if room is None or not room.is_active:
        raise BookingError("room_id", "Choose one of the studio's rooms.")
    if client_id is None or db.get(Client, client_id) is None:
        raise BookingError("client_id", "Choose a client.")
    if starts_at is None or starts_at.tzinfo is None or starts_at.utcoffset() is None:
        raise BookingError("starts_at", "Give the start as a date and time with its time zone.")
    if ends_at is None or ends_at.tzinfo is None or ends_at.utcoffset() is None:
        raise BookingError("ends_at", "Give the end as a date and time with its time zone.")
    if ends_at <= starts_at:
        raise BookingError("ends_at", "The session must end after it starts.")
    if ends_at - starts_at > MAX_LENGTH:
        raise BookingError("ends_at", "A session lasts at most 24 hours; book several for longer projects.")
    now = datetime.now(timezone.utc)
    if starts_at < now - MAX_PAST:
        raise BookingError("starts_at", "That start is more than a month ago.")
    if starts_at > now + MAX_AHEAD:
        raise BookingError("starts_at", "Book at most two years ahead.")
    notes = (notes or "").strip() or None
    if notes is not None and len(notes) > 2000:
        raise BookingError("notes", "Use at most 2000 characters.")

    conflict = _conflict(db, room.id, starts_at, ends_at)
    if conflict is not None:
        raise _conflict_error(room, conflict)
    booking = Booking(room_id=room.id, client_id=client_id, starts_at=starts_at, ends_at=ends_at,
                      status="booked", notes=notes, created_by_id=created_by_id)
    try:
        # A savepoint, so a lost race leaves the caller's transaction usable.
        with db.begin_nested():
            db.add(booking)
            db.flush()
    except IntegrityError as exc:
        # Another request booked the slot between our check and our insert: the database's
        # exclusion constraint is the final word, reported like the check above.
        if getattr(getattr(exc.orig, "diag", None), "constraint_name", None) != OVERLAP_CONSTRAINT:
            raise
        raise _conflict_error(room, _conflict(db, room.id, starts_at, ends_at)) from None
    return booking


def _with_people(query):
    return query.options(joinedload(Booking.room), joinedload(Booking.client))


def bookings_between(db: Session, start: datetime, end: datetime, *, include_cancelled: bool = False) -> list[Booking]:
    """Bookings overlapping [start, end), earliest first, with room and client loaded."""
    query = select(Booking).where(Booking.starts_at < end, Booking.ends_at > start)
    if not include_cancelled:
        query = query.where(Booking.status != "cancelled")
    return list(db.scalars(_with_people(query).order_by(Booking.starts_at, Booking.id)))


def upcoming_bookings(db: Session, *, after: datetime | None = None, client_id: int | None = None,
                      limit: int = 50) -> list[Booking]:
    """Bookings not yet over, earliest first; only `client_id`'s when given."""
    after = after or datetime.now(timezone.utc)
    query = select(Booking).where(Booking.ends_at > after, Booking.status == "booked")
    if client_id is not None:
        query = query.where(Booking.client_id == client_id)
    return list(db.scalars(_with_people(query).order_by(Booking.starts_at, Booking.id).limit(limit)))


def cancel_booking(db: Session, booking_id: int) -> Booking:
    """Mark a booking cancelled, which frees its slot; cancelling twice is harmless."""
    booking = db.get(Booking, booking_id)
    if booking is None:
        raise BookingError(None, f"There is no booking #{booking_id}.")
    booking.status = "cancelled"
    db.flush()
    return booking
