"""Staff pages for equipment: inventory with status and room."""

from flask import abort, flash, redirect, render_template, request, url_for

from app.auth.guards import staff_required
from app.models.studio import Equipment
from app.services.equipment import STATUSES, EquipmentError, create_equipment, equipment_status, status_counts, update_equipment
from app.services.rooms import list_rooms
from app.staff import bp
from app.staff.forms import int_or_none, refused
from app.extensions import studio_db

FIELDS = ("name", "category", "serial_number", "status", "room_id", "notes")


def _values() -> dict:
    values = {field: request.form.get(field, "") for field in FIELDS}
    values["room_id"] = int_or_none(values["room_id"])
    return values


def _form(values: dict, item: Equipment | None, errors: dict | None = None):
    room_options = [(room.id, room.name) for room in list_rooms(studio_db.session)]
    context = dict(values=values, item=item, room_options=room_options, statuses=STATUSES)
    if errors:
        return refused("staff/equipment_form.html", errors, **context)
    return render_template("staff/equipment_form.html", errors={}, **context)


@bp.get("/equipment")
@staff_required
def equipment():
    db = studio_db.session
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    return render_template("staff/equipment.html", items=equipment_status(db, status=status),
                           counts=status_counts(db), statuses=STATUSES, status=status)


@bp.route("/equipment/new", methods=["GET", "POST"])
@staff_required
def new_equipment():
    if request.method == "POST":
        values = _values()
        try:
            item = create_equipment(studio_db.session, **values)
        except EquipmentError as exc:
            return _form(values, None, exc.errors)
        studio_db.session.commit()
        flash(f"{item.name} added.", "success")
        return redirect(url_for("staff.equipment"))
    return _form({"status": "available"}, None)


@bp.route("/equipment/<int:item_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_equipment(item_id: int):
    item = studio_db.session.get(Equipment, item_id)
    if item is None:
        abort(404, description="There is no such item.")
    if request.method == "POST":
        values = _values()
        try:
            update_equipment(studio_db.session, item, **values)
        except EquipmentError as exc:
            return _form(values, item, exc.errors)
        studio_db.session.commit()
        flash(f"{item.name} saved.", "success")
        return redirect(url_for("staff.equipment"))
    return _form({field: getattr(item, field) or "" for field in FIELDS}, item)
