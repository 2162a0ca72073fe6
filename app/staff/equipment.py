"""Staff pages for equipment: inventory with status and room, and archive."""

from flask import render_template, request, url_for
from flask_babel import gettext as _

from app.auth.guards import staff_required
from app.extensions import studio_db
from app.models.studio import Equipment, EquipmentStatus
from app.services.equipment import (
    EquipmentInput,
    count_archived,
    create_equipment,
    equipment_status,
    set_archived,
    status_counts,
    update_equipment,
)
from app.services.rooms import list_rooms
from app.staff import bp
from app.views import act, form_page, get_or_404


def _form(save, values: dict, title: str, submit: str, done: str, item: Equipment | None = None):
    rooms = list_rooms(studio_db.session)
    return form_page(
        "staff/equipment_form.html",
        EquipmentInput,
        save,
        values=values,
        done=lambda item: (done.format(name=item.name), url_for("staff.equipment")),
        options={"room_id": [(room.id, room.name) for room in rooms]},
        title=title,
        back=(url_for("staff.equipment"), "Equipment"),
        submit=submit,
        item=item,
    )


@bp.get("/equipment")
@staff_required
def equipment():
    db = studio_db.session
    status = request.args.get("status") if request.args.get("status") in EquipmentStatus.values() else None
    archived = request.args.get("archived") == "1"
    return render_template(
        "staff/equipment.html",
        items=equipment_status(db, status=None if archived else status, archived=archived),
        archived=archived,
        archived_count=count_archived(db),
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
        item,
    )


@bp.post("/equipment/<int:item_id>/archive", endpoint="archive_equipment")
@staff_required
def archive(item_id: int):
    archived = request.form.get("archived") != "0"
    return act(
        lambda: set_archived(studio_db.session, item_id, archived),
        lambda item: (
            _("%(name)s is archived: kept in the records, left out of the lists.", name=item.name)
            if archived
            else _("%(name)s is back in the equipment list.", name=item.name)
        ),
        url_for("staff.edit_equipment", item_id=item_id),
    )
