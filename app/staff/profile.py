"""The studio's settings page (owner only): its details on invoices, time zone, currency, language;
and the CSV exports of its clients, bookings and invoices."""

from flask import abort, g, url_for
from flask_babel import gettext as _

from app.auth.guards import owner_required
from app.extensions import studio_db
from app.services.export import EXPORTS
from app.services.studio_profile import (
    StudioProfileInput,
    profile_options,
    studio_profile,
    studio_zone,
    update_profile,
)
from app.staff import bp
from app.views import form_page
from app.zones import today


@bp.route("/settings", methods=["GET", "POST"])
@owner_required
def studio_settings():
    db = studio_db.session
    return form_page(
        "staff/settings.html",
        StudioProfileInput,
        lambda form: update_profile(db, form),
        values=StudioProfileInput.shown(studio_profile(db)),
        done=lambda _profile: (_("Studio settings saved."), url_for("staff.studio_settings")),
        options=profile_options(),
        title=_("Studio settings"),
        back=(url_for("staff.dashboard"), _("Dashboard")),
        submit=_("Save"),
    )


@bp.get("/export/<name>.csv")
@owner_required
def export_csv(name: str):
    if name not in EXPORTS:
        abort(404, description="There is no such export.")
    filename = f"{g.studio.subdomain}-{name}-{today(studio_zone(studio_db.session)).isoformat()}.csv"
    return (
        EXPORTS[name](studio_db.session),
        200,
        {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )
