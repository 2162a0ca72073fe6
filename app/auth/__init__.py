from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import password, routes, two_factor  # noqa: E402,F401
