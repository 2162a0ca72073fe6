"""The calendar page: a day (rooms side by side) or a week (one room's seven days) of quarter hours,
bookings in place, every free slot a link to the booking form prefilled with it."""

from datetime import timedelta

from flask import render_template, request

from app.auth.guards import staff_required
from app.extensions import studio_db
from app.inputs import day as calendar_day
from app.services.bookings import bookings_between
from app.services.calendar import Column, build_grid
from app.services.rooms import list_rooms
from app.services.studio_profile import studio_zone
from app.staff import bp
from app.views import query_arg
from app.zones import day_bounds, today


@bp.get("/calendar")
@staff_required
def calendar():
    db = studio_db.session
    zone = studio_zone(db)
    day = query_arg("date", calendar_day, today(zone))
    view = "week" if request.args.get("view") == "week" else "day"
    rooms = list_rooms(db, active_only=True)
    room = next((r for r in rooms if str(r.id) == request.args.get("room_id")), rooms[0] if rooms else None)
    if view == "week":
        monday = day - timedelta(days=day.weekday())
        days = [monday + timedelta(days=n) for n in range(7)]
        columns = [Column(room, d) for d in days] if room else []
    else:
        days = [day]
        columns = [Column(r, day) for r in rooms]
    start, end = day_bounds(days[0], zone)[0], day_bounds(days[-1], zone)[1]
    step = timedelta(days=7 if view == "week" else 1)
    return render_template(
        "staff/calendar.html",
        grid=build_grid(columns, bookings_between(db, start, end), zone),
        view=view,
        day=day,
        days=days,
        rooms=rooms,
        room=room,
        previous=day - step,
        next=day + step,
        today=today(zone),
        hour=timedelta(hours=1),
    )
