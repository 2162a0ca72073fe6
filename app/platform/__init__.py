from flask import Blueprint

bp = Blueprint("platform", __name__)

from app.platform import routes  # noqa: E402,F401
