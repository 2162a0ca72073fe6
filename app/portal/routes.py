"""The clients' portal of a studio."""

from flask import render_template

from app.auth.guards import client_required, current_client
from app.portal import bp


@bp.get("/")
@client_required
def home():
    return render_template("portal/home.html", client=current_client())
