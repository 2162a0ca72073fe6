"""Time zones: every instant is stored in UTC and shown, entered and reasoned about in the studio's zone.

Pure functions over `zoneinfo`; the studio's zone comes from its profile (app/services/studio_profile.py).
A wall-clock time is what a person types or reads ("2027-03-28 14:00"): naive, meaningful only with
a zone. Across a daylight-saving change a local day lasts 23 or 25 hours, a wall time may not exist
(clocks go forward) or may happen twice (clocks go back); the functions below say which.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def zone_named(name: str) -> ZoneInfo:
    """The zone of an IANA name; ValueError for anything else (a file path, an unknown name)."""
    if name not in zone_names():
        raise ValueError(f"unknown time zone: {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone: {name!r}") from None


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name known (the tzdata package's when the system has none), sorted."""
    return tuple(sorted(available_timezones() | {"UTC"}))


def exists(wall: datetime, zone: ZoneInfo) -> bool:
    """False for a wall time skipped when the clocks go forward (02:30 on a spring-forward night)."""
    there = wall.replace(tzinfo=zone)
    return there.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall


def to_utc(wall: datetime, zone: ZoneInfo) -> datetime:
    """A naive wall time in `zone` -> the aware UTC instant. A time that happens twice (clocks going
    back) is its first occurrence; ValueError for one that does not exist."""
    if not exists(wall, zone):
        raise ValueError(f"{wall:%Y-%m-%d %H:%M} does not exist in {zone.key}: the clocks go forward then")
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def to_wall(moment: datetime, zone: ZoneInfo) -> datetime:
    """An aware instant -> the naive wall time it is in `zone`."""
    return moment.astimezone(zone).replace(tzinfo=None)


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a local day as UTC instants: 23 or 25 hours apart on a day the clocks change."""
    start = datetime.combine(day, time.min).replace(tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time.min).replace(tzinfo=zone).astimezone(UTC)
    return start, end


def today(zone: ZoneInfo, now: datetime | None = None) -> date:
    """The studio's date now (or at `now`), which is not UTC's around midnight."""
    return (now or datetime.now(UTC)).astimezone(zone).date()
