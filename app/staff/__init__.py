from flask import Blueprint

from app.auth.guards import require_studio

bp = Blueprint("staff", __name__)
bp.before_request(require_studio)

from app.staff import (  # noqa: E402,F401
    accounts,
    audit,
    bookings,
    calendar,
    clients,
    equipment,
    filters,
    invoices,
    profile,
    rooms,
    routes,
)
