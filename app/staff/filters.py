"""Template filters for studio pages (staff and portal): money in the studio's currency and times in its zone."""

from __future__ import annotations

from datetime import date, datetime

from app.extensions import studio_db
from app.formatting import format_day
from app.services.studio_profile import formatted_money, studio_profile, studio_zone
from app.staff import bp
from app.zones import to_wall


@bp.app_template_filter("money")
def money(cents: int | None) -> str:
    """Cents in the studio's currency and language: '€1,234.50', '1 234,50 €'."""
    return formatted_money(studio_db.session, cents or 0)


@bp.app_template_filter("span")
def span(booking) -> str:
    """'14:00–16:00, Dec 1, 2026' in the studio's zone and language; both days when it crosses midnight."""
    zone, language = studio_zone(studio_db.session), studio_profile(studio_db.session).language
    start, end = to_wall(booking.starts_at, zone), to_wall(booking.ends_at, zone)
    if start.date() == end.date():
        return f"{start:%H:%M}–{end:%H:%M}, {format_day(start.date(), language)}"
    return f"{start:%H:%M}, {format_day(start.date(), language)} – {end:%H:%M}, {format_day(end.date(), language)}"


@bp.app_template_filter("wall")
def wall(moment: datetime, pattern: str = "%Y-%m-%dT%H:%M") -> str:
    """An instant as the studio's wall time (by default as a datetime-local control's value)."""
    return to_wall(moment, studio_zone(studio_db.session)).strftime(pattern)


@bp.app_template_filter("day")
def day(value: date, form: str = "medium") -> str:
    """A date as the studio's language writes it: 'Dec 1, 2026', '1 déc. 2026'; `form` is a Babel
    width or pattern (e.g. 'EEE d MMM')."""
    return format_day(value, studio_profile(studio_db.session).language, form)


@bp.app_template_global("studio_time_zone")
def studio_time_zone() -> str:
    """The studio's IANA zone name, for the labels of times."""
    return studio_profile(studio_db.session).time_zone
