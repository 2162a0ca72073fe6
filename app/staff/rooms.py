"""Staff pages for rooms: list, create, edit."""

from flask import abort, flash, redirect, render_template, request, url_for

from app.auth.guards import staff_required
from app.models.studio import Room
from app.services.rooms import RoomError, create_room, list_rooms, update_room
from app.services.validation import format_cents
from app.staff import bp
from app.staff.forms import refused
from app.extensions import studio_db


def _values() -> dict:
    return {
        "name": request.form.get("name", ""),
        "hourly_rate": request.form.get("hourly_rate", ""),
        "description": request.form.get("description", ""),
        "is_active": request.form.get("is_active") == "on",
    }


@bp.get("/rooms")
@staff_required
def rooms():
    return render_template("staff/rooms.html", rooms=list_rooms(studio_db.session))


@bp.route("/rooms/new", methods=["GET", "POST"])
@staff_required
def new_room():
    if request.method == "POST":
        values = _values()
        try:
            room = create_room(studio_db.session, **values)
        except RoomError as exc:
            return refused("staff/room_form.html", exc.errors, values=values, room=None)
        studio_db.session.commit()
        flash(f"{room.name} added.", "success")
        return redirect(url_for("staff.rooms"))
    values = {"name": "", "hourly_rate": "", "description": "", "is_active": True}
    return render_template("staff/room_form.html", errors={}, values=values, room=None)


@bp.route("/rooms/<int:room_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_room(room_id: int):
    room = studio_db.session.get(Room, room_id)
    if room is None:
        abort(404, description="There is no such room.")
    if request.method == "POST":
        values = _values()
        try:
            update_room(studio_db.session, room, **values)
        except RoomError as exc:
            return refused("staff/room_form.html", exc.errors, values=values, room=room)
        studio_db.session.commit()
        flash(f"{room.name} saved.", "success")
        return redirect(url_for("staff.rooms"))
    values = {"name": room.name, "hourly_rate": format_cents(room.hourly_rate_cents).replace(",", ""),
              "description": room.description or "", "is_active": room.is_active}
    return render_template("staff/room_form.html", errors={}, values=values, room=room)
