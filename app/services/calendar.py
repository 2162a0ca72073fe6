"""The calendar: bookings laid on a grid of quarter hours (rows) by room and day (columns).

Pure layout over bookings already loaded: each booking becomes one cell spanning its rows (an HTML
rowspan, so the page needs neither script nor inline style), every other cell is a free slot the
page links to the booking form. Rows are the studio's wall-clock times; a day shows 08:00-22:00,
widened to the hours its bookings use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.models.studio import Booking, Room
from app.zones import to_wall

SLOT = timedelta(minutes=15)
OPENING_HOURS = (8, 22)


@dataclass(frozen=True)
class Column:
    room: Room
    day: date


@dataclass
class Cell:
    column: Column
    starts: datetime  # wall time of the slot's start
    booking: Booking | None = None
    rows: int = 1


@dataclass
class Grid:
    columns: list[Column]
    times: list[time]
    # rows[i][j]: the cell starting at times[i] in columns[j], or None where a booking above covers it.
    rows: list[list[Cell | None]] = field(default_factory=list)


@dataclass(frozen=True)
class _Placed:
    column: Column
    booking: Booking
    start: datetime  # wall times, clipped to the column's day
    end: datetime


def _hours(placed: list[_Placed]) -> tuple[int, int]:
    """Opening hours widened to every booking shown: a booking running past midnight shows to 24:00."""
    first, last = OPENING_HOURS
    for item in placed:
        column, start, end = item.column, item.start, item.end
        if start.date() == column.day:
            first = min(first, start.hour)
        last = 24 if end.date() > column.day else max(last, end.hour + (1 if end.minute else 0))
    return first, last


def build_grid(columns: list[Column], bookings: list[Booking], zone: ZoneInfo) -> Grid:
    """Lay `bookings` (not cancelled) out in `columns`; a booking goes to its room's column of each
    day it covers, clipped to that day."""
    placed = []
    for column in columns:
        for booking in bookings:
            start, end = to_wall(booking.starts_at, zone), to_wall(booking.ends_at, zone)
            day_start = datetime.combine(column.day, time.min)
            if (
                booking.room_id == column.room.id
                and start < day_start + timedelta(days=1)
                and end > day_start
            ):
                clipped = max(start, day_start), min(end, day_start + timedelta(days=1))
                placed.append(_Placed(column, booking, *clipped))
    first, last = _hours(placed)
    count = (last - first) * 4
    times = [(datetime.min + timedelta(hours=first) + SLOT * i).time() for i in range(count)]
    grid = Grid(columns, times, [[None] * len(columns) for _ in range(count)])
    taken = [[False] * len(columns) for _ in range(count)]
    for item in sorted(placed, key=lambda item: item.start):
        j = columns.index(item.column)
        origin = datetime.combine(item.column.day, time(first))
        top = max(0, (item.start - origin) // SLOT)
        bottom = min(count, -((origin - item.end) // SLOT))  # ceiling: a part-slot shows as a whole one
        while top < count and taken[top][j]:  # only off-quarter times can share a slot
            top += 1
        if top >= count:
            continue
        bottom = max(bottom, top + 1)
        bottom = next((i for i in range(top + 1, bottom) if taken[i][j]), bottom)
        grid.rows[top][j] = Cell(item.column, origin + SLOT * top, item.booking, bottom - top)
        for i in range(top, bottom):
            taken[i][j] = True
    for i in range(count):
        for j, column in enumerate(columns):
            if not taken[i][j]:
                grid.rows[i][j] = Cell(column, datetime.combine(column.day, times[i]))
    return grid
