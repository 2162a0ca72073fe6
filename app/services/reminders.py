"""The day-before reminder: from MAIL_REMINDER_HOUR in each studio's zone, every booking of the
studio's next day gets one reminder mail, queued once (bookings.reminder_queued_at)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import g
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, joinedload

from app import logs
from app.extensions import master_db, studio_db
from app.i18n import N_
from app.mail import send_after_commit
from app.models.master import Organization, OrganizationStatus
from app.models.studio import Booking, BookingStatus
from app.periodic import periodic
from app.services.booking_mail import booking_mail
from app.services.studio_profile import studio_zone
from app.settings import app_settings
from app.zones import day_bounds, to_wall


def due_day(now: datetime, zone, hour: int):
    """The day whose bookings are reminded at `now`: tomorrow in `zone` once its clock reads
    `hour`; None before."""
    wall = to_wall(now, zone)
    return wall.date() + timedelta(days=1) if wall.hour >= hour else None


def remind_studio(db: Session, studio: Organization, now: datetime, hour: int) -> int:
    """Queue the reminders due in this studio; how many bookings were marked reminded."""
    zone = studio_zone(db)
    day = due_day(now, zone, hour)
    if day is None:
        return 0
    start, end = day_bounds(day, zone)
    # Locked and skipped when locked: two runs at once each take different bookings, never the same.
    due = db.scalars(
        select(Booking)
        .where(
            Booking.starts_at >= max(start, now),
            Booking.starts_at < end,
            Booking.status == BookingStatus.BOOKED,
            Booking.reminder_queued_at.is_(None),
        )
        .options(joinedload(Booking.room), joinedload(Booking.client))
        .with_for_update(of=Booking, skip_locked=True)
    ).all()
    for booking in due:
        booking.reminder_queued_at = now
        reminder = booking_mail(
            db, booking, "booking_reminder", N_("Reminder: your booking tomorrow"), studio
        )
        if reminder is not None:
            send_after_commit(db, reminder)
    db.commit()
    return len(due)


@periodic("booking-reminders")
def queue_reminders(now: datetime) -> int:
    hour = app_settings().MAIL_REMINDER_HOUR
    studios = master_db.session.scalars(
        # A studio being moved takes no write (its copy is read-only); the next run reminds it.
        select(Organization).where(
            Organization.status != OrganizationStatus.SUSPENDED, Organization.moving_to.is_(None)
        )
    ).all()
    count, failed = 0, 0
    for studio in studios:
        g.studio = studio
        try:
            with Session(studio_db.studio_engine(studio), expire_on_commit=False) as db:
                count += remind_studio(db, studio, now, hour)
        except SQLAlchemyError as exc:  # one studio's database down: the others still get theirs
            logs.event(
                "reminders_failed", logging.ERROR, reminders_studio=studio.subdomain, error=type(exc).__name__
            )
            failed += 1
        finally:
            g.pop("studio", None)
    if failed:
        raise RuntimeError(f"the reminders of {failed} studio(s) failed")
    return count
