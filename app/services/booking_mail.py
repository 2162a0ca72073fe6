"""The mail a booking sends its client: the confirmation when it is made (and the reminder the day
before, app/services/reminders.py). Rendered in the studio's language with its name and zone."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app import mail
from app.formatting import format_day
from app.i18n import N_
from app.models.studio import Booking
from app.services.studio_profile import studio_profile, studio_zone
from app.zones import to_wall


def when(db: Session, booking: Booking) -> str:
    """'14:00–16:00, Dec 1, 2026' in the studio's zone and language (both days across midnight)."""
    zone, language = studio_zone(db), studio_profile(db).language
    start, end = to_wall(booking.starts_at, zone), to_wall(booking.ends_at, zone)
    if start.date() == end.date():
        return f"{start:%H:%M}–{end:%H:%M}, {format_day(start.date(), language)}"
    return f"{start:%H:%M}, {format_day(start.date(), language)} – {end:%H:%M}, {format_day(end.date(), language)}"


def booking_mail(db: Session, booking: Booking, kind: str, subject: str, studio) -> mail.Mail | None:
    """The mail `kind` about `booking` to its client; None when the client has no address."""
    client = booking.client
    if client is None or not client.email or client.erased_at is not None:
        return None
    return mail.render(
        kind,
        client.email,
        subject,
        studio_name=studio.name,
        studio=studio.subdomain,
        language=studio_profile(db).language,
        client_name=client.name,
        room=booking.room.name,
        when=when(db, booking),
    )


def confirm(db: Session, booking: Booking, studio) -> None:
    """Queue the booking's confirmation, sent once the booking is committed."""
    confirmation = booking_mail(db, booking, "booking_confirmation", N_("Your booking is confirmed"), studio)
    if confirmation is not None:
        mail.send_after_commit(db, confirmation)
