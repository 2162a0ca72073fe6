"""Staff pages for bookings: the upcoming list (or one day's), booking, rescheduling, cancelling."""

from flask import render_template, request, url_for
from flask_babel import gettext as _

from app.auth.guards import current_staff, staff_required
from app.extensions import studio_db
from app.inputs import day as calendar_day
from app.models.studio import Booking
from app.security.redirects import same_site_path
from app.services.bookings import (
    BookingInput,
    bookings_between,
    cancel_booking,
    create_booking,
    upcoming_bookings,
    update_booking,
)
from app.services.clients import all_clients
from app.services.rooms import list_rooms
from app.services.studio_profile import studio_zone
from app.staff import bp
from app.staff.filters import span
from app.views import act, form_page, get_or_404, query_arg
from app.zones import day_bounds, to_wall


@bp.get("/bookings")
@staff_required
def bookings():
    db = studio_db.session
    day = query_arg("date", calendar_day, None)
    if day is not None:
        rows = bookings_between(db, *day_bounds(day, studio_zone(db)), include_cancelled=True)
    else:
        rows = upcoming_bookings(db, limit=200)
    return render_template("staff/bookings.html", bookings=rows, day=day)


def _booking_form(save, values, title: str, submit: str, done: str, booking=None):
    """The new/edit booking page; after saving, back to the calendar on the booking's day."""
    db = studio_db.session
    rooms, clients = list_rooms(db, active_only=True), all_clients(db)
    options = {
        "room_id": [(room.id, room.name) for room in rooms],
        "client_id": [
            (client.id, client.name + (f" ({client.email})" if client.email else "")) for client in clients
        ],
    }
    zone = studio_zone(db)
    return form_page(
        "staff/booking_form.html",
        BookingInput,
        save,
        values=values,
        done=lambda saved: (
            done.format(
                room=saved.room.name,
                client=saved.client.name,
                when=span(saved),  # the studio's zone and language, as the lists show it
            ),
            url_for("staff.calendar", date=to_wall(saved.starts_at, zone).date()),
        ),
        options=options,
        rooms=rooms,
        clients=clients,
        booking=booking,
        title=title,
        back=(url_for("staff.calendar"), _("Calendar")),
        submit=submit,
    )


@bp.route("/bookings/new", methods=["GET", "POST"])
@staff_required
def new_booking():
    db = studio_db.session
    return _booking_form(
        lambda form: create_booking(db, form, created_by_id=current_staff().id),
        request.args,
        _("Book a session"),
        _("Book"),
        _("Booked {room} for {client}, {when}."),
    )


@bp.route("/bookings/<int:booking_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_booking(booking_id: int):
    db = studio_db.session
    booking = get_or_404(db, Booking, booking_id)
    zone = studio_zone(db)
    shown = {
        **BookingInput.shown(booking),
        "starts_at": f"{to_wall(booking.starts_at, zone):%Y-%m-%dT%H:%M}",
        "ends_at": f"{to_wall(booking.ends_at, zone):%Y-%m-%dT%H:%M}",
    }
    return _booking_form(
        lambda form: update_booking(db, booking, form),
        shown,
        _("Reschedule or edit the session"),
        _("Save"),
        _("Saved: {room} for {client}, {when}."),
        booking,
    )


@bp.post("/bookings/<int:booking_id>/cancel", endpoint="cancel_booking")
@staff_required
def cancel(booking_id: int):
    return act(
        lambda: cancel_booking(studio_db.session, booking_id),
        lambda booking: _(
            "Cancelled %(room)s for %(client)s; the slot is free again.",
            room=booking.room.name,
            client=booking.client.name,
        ),
        same_site_path(request.form.get("back"), url_for("staff.bookings")),
    )
