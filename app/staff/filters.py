"""Template filters for studio pages (staff and portal): money in cents and a booking's time span."""

from __future__ import annotations

from app.inputs import format_cents
from app.services.bookings import describe_span
from app.staff import bp


@bp.app_template_filter("money")
def money(cents: int | None) -> str:
    return format_cents(cents or 0)


@bp.app_template_filter("span")
def span(booking) -> str:
    return describe_span(booking.starts_at, booking.ends_at)
