"""The studio's JSON API under /api: answers JSON only, studio hosts only."""

from flask import Blueprint

from app.auth.guards import require_studio

bp = Blueprint("api", __name__, url_prefix="/api")
bp.before_request(require_studio)

from app.api import routes  # noqa: E402,F401
