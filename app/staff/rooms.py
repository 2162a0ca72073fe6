"""Staff pages for rooms: list, create, edit."""

from flask import render_template, url_for

from app.auth.guards import staff_required
from app.extensions import studio_db
from app.models.studio import Room
from app.services.rooms import RoomInput, create_room, list_rooms, update_room
from app.staff import bp
from app.views import form_page, get_or_404


def _form(save, values: dict, title: str, submit: str, done: str):
    return form_page(
        "staff/form.html",
        RoomInput,
        save,
        values=values,
        done=lambda room: (done.format(name=room.name), url_for("staff.rooms")),
        title=title,
        back=(url_for("staff.rooms"), "Rooms"),
        submit=submit,
    )


@bp.get("/rooms")
@staff_required
def rooms():
    return render_template("staff/rooms.html", rooms=list_rooms(studio_db.session))


@bp.route("/rooms/new", methods=["GET", "POST"])
@staff_required
def new_room():
    db = studio_db.session
    return _form(
        lambda form: create_room(db, form), {"is_active": True}, "New room", "Add room", "{name} added."
    )


@bp.route("/rooms/<int:room_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_room(room_id: int):
    db = studio_db.session
    room = get_or_404(db, Room, room_id)
    return _form(
        lambda form: update_room(db, room, form), RoomInput.shown(room), room.name, "Save", "{name} saved."
    )
