"""The studio's settings page (owner only): its details on invoices, time zone, currency, language."""

from flask import url_for
from flask_babel import gettext as _

from app.auth.guards import owner_required
from app.extensions import studio_db
from app.services.studio_profile import StudioProfileInput, profile_options, studio_profile, update_profile
from app.staff import bp
from app.views import form_page


@bp.route("/settings", methods=["GET", "POST"])
@owner_required
def studio_settings():
    db = studio_db.session
    return form_page(
        "staff/form.html",
        StudioProfileInput,
        lambda form: update_profile(db, form),
        values=StudioProfileInput.shown(studio_profile(db)),
        done=lambda _profile: (_("Studio settings saved."), url_for("staff.studio_settings")),
        options=profile_options(),
        title=_("Studio settings"),
        back=(url_for("staff.dashboard"), _("Dashboard")),
        submit=_("Save"),
    )
