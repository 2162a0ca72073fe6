"""Staff pages of a studio."""

from flask import render_template

from app.auth.guards import current_staff, staff_required
from app.staff import bp


@bp.get("/dashboard")
@staff_required
def dashboard():
    return render_template("staff/dashboard.html", staff=current_staff())
