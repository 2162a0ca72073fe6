"""Staff pages for bookings: the upcoming list (or one day's), booking, cancelling."""

from datetime import UTC, datetime, time, timedelta

from flask import render_template, request, url_for

from app.auth.guards import current_staff, staff_required
from app.extensions import studio_db
from app.inputs import day as calendar_day
from app.security.redirects import same_site_path
from app.services.bookings import (
    BookingInput,
    bookings_between,
    cancel_booking,
    create_booking,
    upcoming_bookings,
)
from app.services.clients import all_clients
from app.services.rooms import list_rooms
from app.staff import bp
from app.views import act, form_page, query_arg


@bp.get("/bookings")
@staff_required
def bookings():
    db = studio_db.session
    day = query_arg("date", calendar_day, None)
    if day is not None:
        start = datetime.combine(day, time(0), tzinfo=UTC)
        rows = bookings_between(db, start, start + timedelta(days=1), include_cancelled=True)
    else:
        rows = upcoming_bookings(db, limit=200)
    return render_template("staff/bookings.html", bookings=rows, day=day)


@bp.route("/bookings/new", methods=["GET", "POST"])
@staff_required
def new_booking():
    db = studio_db.session
    rooms, clients = list_rooms(db, active_only=True), all_clients(db)
    options = {
        "room_id": [(room.id, room.name) for room in rooms],
        "client_id": [
            (client.id, client.name + (f" ({client.email})" if client.email else "")) for client in clients
        ],
    }
    return form_page(
        "staff/booking_form.html",
        BookingInput,
        lambda form: create_booking(db, form, created_by_id=current_staff().id),
        values=request.args,
        done=lambda booking: (
            f"Booked {booking.room.name} for {booking.client.name}, {booking.starts_at:%Y-%m-%d %H:%M} UTC.",
            url_for("staff.bookings"),
        ),
        options=options,
        rooms=rooms,
        clients=clients,
        title="Book a session",
        back=(url_for("staff.bookings"), "Sessions"),
        submit="Book",
    )


@bp.post("/bookings/<int:booking_id>/cancel", endpoint="cancel_booking")
@staff_required
def cancel(booking_id: int):
    return act(
        lambda: cancel_booking(studio_db.session, booking_id),
        lambda booking: f"Cancelled {booking.room.name} for {booking.client.name}; the slot is free again.",
        same_site_path(request.form.get("back"), url_for("staff.bookings")),
    )
