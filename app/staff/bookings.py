"""Staff pages for bookings: the upcoming list (or one day's), booking, cancelling."""

from datetime import date, datetime, time, timedelta, timezone

from flask import flash, redirect, render_template, request, url_for

from app.auth.guards import current_staff, staff_required
from app.services.bookings import BookingError, bookings_between, cancel_booking, create_booking, upcoming_bookings
from app.services.clients import all_clients
from app.services.rooms import list_rooms
from app.staff import bp
from app.staff.forms import int_or_none, refused, utc_from_input
from app.extensions import studio_db

FIELDS = ("room_id", "client_id", "starts_at", "ends_at", "notes")


@bp.get("/bookings")
@staff_required
def bookings():
    db = studio_db.session
    day = None
    try:
        day = date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        pass
    if day is not None:
        start = datetime.combine(day, time(0), tzinfo=timezone.utc)
        rows = bookings_between(db, start, start + timedelta(days=1), include_cancelled=True)
    else:
        rows = upcoming_bookings(db, limit=200)
    return render_template("staff/bookings.html", bookings=rows, day=day)


def _form(values: dict, errors: dict | None = None):
    db = studio_db.session
    rooms, clients = list_rooms(db, active_only=True), all_clients(db)
    context = dict(values=values, rooms=rooms, clients=clients,
                   room_options=[(room.id, room.name) for room in rooms],
                   client_options=[(client.id, client.name + (f" ({client.email})" if client.email else ""))
                                   for client in clients])
    if errors:
        return refused("staff/booking_form.html", errors, **context)
    return render_template("staff/booking_form.html", errors={}, **context)


@bp.route("/bookings/new", methods=["GET", "POST"])
@staff_required
def new_booking():
    if request.method == "GET":
        values = {field: request.args.get(field, "") for field in FIELDS}
        return _form(values)
    values = {field: request.form.get(field, "") for field in FIELDS}
    starts_at, ends_at = utc_from_input(values["starts_at"]), utc_from_input(values["ends_at"])
    errors = {}
    if starts_at is None:
        errors["starts_at"] = "Enter the start date and time."
    if ends_at is None:
        errors["ends_at"] = "Enter the end date and time."
    if errors:
        return _form(values, errors)
    try:
        booking = create_booking(
            studio_db.session, room_id=int_or_none(values["room_id"]), client_id=int_or_none(values["client_id"]),
            starts_at=starts_at, ends_at=ends_at, notes=values["notes"], created_by_id=current_staff().id,
        )
    except BookingError as exc:
        return _form(values, exc.errors)
    studio_db.session.commit()
    flash(f"Booked {booking.room.name} for {booking.client.name}, {booking.starts_at:%Y-%m-%d %H:%M} UTC.", "success")
    return redirect(url_for("staff.bookings"))


@bp.post("/bookings/<int:booking_id>/cancel", endpoint="cancel_booking")
@staff_required
def cancel_booking_page(booking_id: int):
    try:
        booking = cancel_booking(studio_db.session, booking_id)
    except BookingError as exc:
        flash(exc.message, "error")
        return redirect(url_for("staff.bookings"))
    studio_db.session.commit()
    flash(f"Cancelled {booking.room.name} for {booking.client.name}; the slot is free again.", "success")
    return redirect(request.form.get("back") if request.form.get("back", "").startswith("/bookings")
                    else url_for("staff.bookings"))
