"""The audit log's page (owner only): who changed what and when, in the studio's zone."""

from flask import render_template, request

from app.auth.guards import owner_required
from app.extensions import studio_db
from app.inputs import page_number
from app.services.audit import ACTION_LABELS, ENTITY_LABELS, audit_entries, audited_entities
from app.staff import bp
from app.views import query_arg

PER_PAGE = 50


@bp.get("/audit")
@owner_required
def audit_log():
    db = studio_db.session
    entity = request.args.get("entity") or None
    page = query_arg("page", page_number, 1)
    entries, total = audit_entries(db, entity, page=page, per_page=PER_PAGE)
    return render_template(
        "staff/audit.html",
        entries=entries,
        entity=entity,
        entities=audited_entities(db),
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        entity_labels=ENTITY_LABELS,
        action_labels=ACTION_LABELS,
    )
