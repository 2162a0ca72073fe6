"""Template filters for studio pages (staff and portal): money in cents and UTC times."""

from __future__ import annotations

from datetime import timezone

from app.services.bookings import describe_span
from app.services.validation import format_cents
from app.staff import bp


@bp.app_template_filter("money")
def money(cents: int | None) -> str:
    return format_cents(cents or 0)


@bp.app_template_filter("when")
def when(moment) -> str:
    """'Tue 1 Dec 2026, 14:00' in UTC, the time zone the forms use."""
    moment = moment.astimezone(timezone.utc)
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M}"


@bp.app_template_filter("span")
def span(booking) -> str:
    return describe_span(booking.starts_at, booking.ends_at)


@bp.app_template_filter("local_input")
def local_input(moment) -> str:
    """A datetime as a datetime-local input's value (UTC)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M") if moment else ""
