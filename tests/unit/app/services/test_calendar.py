"""The calendar's layout by exact output: rows of quarter hours, bookings spanning theirs, free slots."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from app.models.studio import Booking, Room
from app.services.calendar import Column, build_grid

PARIS = ZoneInfo("Europe/Paris")
A, B = Room(id=1, name="A"), Room(id=2, name="B")
DAY = date(2027, 7, 1)  # Paris is +02:00


def booking(id, room, start, end):
    return Booking(id=id, room_id=room.id, starts_at=start, ends_at=end)


def layout(grid):
    """Each column's cells top to bottom as (HH:MM, booking id or None, rows)."""
    return [
        [
            (f"{row[j].starts:%H:%M}", row[j].booking and row[j].booking.id, row[j].rows)
            for row in grid.rows
            if row[j]
        ]
        for j in range(len(grid.columns))
    ]


def test_bookings_span_their_quarter_hours_in_the_studios_zone():
    columns = [Column(A, DAY), Column(B, DAY)]
    at = lambda h, m=0: datetime(2027, 7, 1, h, m, tzinfo=UTC)  # noqa: E731
    grid = build_grid(columns, [booking(7, A, at(8), at(9, 30)), booking(8, B, at(18), at(21))], PARIS)
    # 08:00-22:00 by default, widened to 23:00 for B's booking ending at 23:00 Paris time.
    assert (grid.times[0], grid.times[-1], len(grid.times)) == (time(8), time(22, 45), 60)
    a, b = layout(grid)
    assert a[:3] == [("08:00", None, 1), ("08:15", None, 1), ("08:30", None, 1)]
    assert ("10:00", 7, 6) in a and ("11:30", None, 1) in a and len(a) == 60 - 6 + 1
    assert ("20:00", 8, 12) in b and len(b) == 60 - 12 + 1


def test_a_booking_past_midnight_shows_to_the_end_of_its_first_day_and_from_the_start_of_the_next():
    late = booking(9, A, datetime(2027, 7, 1, 20, tzinfo=UTC), datetime(2027, 7, 2, 1, tzinfo=UTC))
    first, second = (build_grid([Column(A, day)], [late], PARIS) for day in (DAY, date(2027, 7, 2)))
    assert first.times[-1] == time(23, 45) and layout(first)[0][-1] == ("22:00", 9, 8)
    assert second.times[0] == time(0) and layout(second)[0][0] == ("00:00", 9, 12)


def test_off_quarter_bookings_never_share_a_cell():
    at = lambda m: datetime(2027, 7, 1, 8, m, tzinfo=UTC)  # noqa: E731  (10:mm in Paris)
    grid = build_grid([Column(A, DAY)], [booking(1, A, at(0), at(10)), booking(2, A, at(10), at(40))], PARIS)
    cells = [cell for cell in layout(grid)[0] if cell[1]]
    assert cells == [("10:00", 1, 1), ("10:15", 2, 2)]
