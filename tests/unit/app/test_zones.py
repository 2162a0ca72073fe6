"""Time zones by exact output, around Europe/Paris's daylight-saving changes of 2027."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from app.zones import day_bounds, exists, to_utc, to_wall, today, zone_named

PARIS = ZoneInfo("Europe/Paris")


def test_a_local_day_lasts_23_or_25_hours_when_the_clocks_change():
    assert day_bounds(date(2027, 3, 28), PARIS) == (
        datetime(2027, 3, 27, 23, tzinfo=UTC),
        datetime(2027, 3, 28, 22, tzinfo=UTC),
    )
    assert day_bounds(date(2027, 10, 31), PARIS) == (
        datetime(2027, 10, 30, 22, tzinfo=UTC),
        datetime(2027, 10, 31, 23, tzinfo=UTC),
    )


def test_wall_times_and_instants():
    assert to_utc(datetime(2027, 7, 1, 14), PARIS) == datetime(2027, 7, 1, 12, tzinfo=UTC)
    assert to_utc(datetime(2027, 1, 1, 14), PARIS) == datetime(2027, 1, 1, 13, tzinfo=UTC)
    assert to_wall(datetime(2027, 7, 1, 12, tzinfo=UTC), PARIS) == datetime(2027, 7, 1, 14)
    assert not exists(datetime(2027, 3, 28, 2, 30), PARIS)
    assert exists(datetime(2027, 10, 31, 2, 30), PARIS)
    with pytest.raises(ValueError, match="does not exist in Europe/Paris"):
        to_utc(datetime(2027, 3, 28, 2, 30), PARIS)


def test_the_studio_day_is_not_the_utc_day_around_midnight():
    assert today(PARIS, datetime(2027, 7, 1, 22, 30, tzinfo=UTC)) == date(2027, 7, 2)
    assert today(ZoneInfo("America/New_York"), datetime(2027, 7, 1, 2, tzinfo=UTC)) == date(2027, 6, 30)


def test_only_iana_names_are_zones():
    assert zone_named("Europe/Paris").key == "Europe/Paris"
    assert zone_named("UTC").key == "UTC"
    for bad in ("Mars/Olympus", "/etc/passwd", "../../etc/passwd", "", "europe/paris"):
        with pytest.raises(ValueError, match="unknown time zone"):
            zone_named(bad)
