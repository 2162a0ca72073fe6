"""Staff pages for equipment: inventory with status and room."""

from flask import render_template, request, url_for

from app.auth.guards import staff_required
from app.extensions import studio_db
from app.models.studio import Equipment, EquipmentStatus
from app.services.equipment import (
    EquipmentInput,
    create_equipment,
    equipment_status,
    status_counts,
    update_equipment,
)
from app.services.rooms import list_rooms
from app.staff import bp
from app.views import form_page, get_or_404


def _form(save, values: dict, title: str, submit: str, done: str):
    rooms = list_rooms(studio_db.session)
    return form_page(
        "staff/form.html",
        EquipmentInput,
        save,
        values=values,
        done=lambda item: (done.format(name=item.name), url_for("staff.equipment")),
        options={"room_id": [(room.id, room.name) for room in rooms]},
        title=title,
        back=(url_for("staff.equipment"), "Equipment"),
        submit=submit,
    )


@bp.get("/equipment")
@staff_required
def equipment():
    db = studio_db.session
    status = request.args.get("status") if request.args.get("status") in EquipmentStatus.values() else None
    return render_template(
        "staff/equipment.html",
        items=equipment_status(db, status=status),
        counts=status_counts(db),
        statuses=EquipmentStatus,
        status=status,
    )


@bp.route("/equipment/new", methods=["GET", "POST"])
@staff_required
def new_equipment():
    db = studio_db.session
    return _form(
        lambda form: create_equipment(db, form),
        {"status": EquipmentStatus.AVAILABLE},
        "New equipment",
        "Add equipment",
        "{name} added.",
    )


@bp.route("/equipment/<int:item_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_equipment(item_id: int):
    db = studio_db.session
    item = get_or_404(db, Equipment, item_id)
    return _form(
        lambda form: update_equipment(db, item, form),
        EquipmentInput.shown(item),
        item.name,
        "Save",
        "{name} saved.",
    )
