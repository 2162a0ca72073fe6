from flask import Blueprint

from app.auth.guards import require_studio

bp = Blueprint("portal", __name__, url_prefix="/client")
bp.before_request(require_studio)

from app.portal import routes  # noqa: E402,F401
