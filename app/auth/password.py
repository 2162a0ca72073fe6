"""Changing one's own password, signed in: staff (/password) and clients (/client/password).

The new hash changes the credential stamp, which ends every other session opened with the old
password (app/auth/guards.py); this session is started again under the new stamp, so it goes on.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext

from app.auth import bp
from app.auth.guards import (
    client_credential,
    client_required,
    current_client,
    current_staff,
    staff_credential,
    staff_required,
)
from app.auth.routes import sign_in_rate
from app.extensions import studio_db
from app.i18n import N_
from app.security.passwords import hash_password, password_problem, verify_password


def _change(who: str, row, credential, home: str):
    errors, status = {}, 200
    if request.method == "POST":
        if not verify_password(row.password_hash, request.form.get("current", "")):
            errors["current"] = N_("This is not your current password.")
        problem = password_problem(request.form.get("password", ""))
        if problem:
            errors["password"] = problem
        if not errors:
            row.password_hash = hash_password(request.form["password"])
            studio_db.session.commit()
            identity = {k: session[k] for k in ("staff_id", "role", "client_id") if k in session}
            studio_id = session.get("studio_id")
            session.regenerate()
            session.permanent = True
            session.update(studio_id=studio_id, credential=credential(row), **identity)
            flash(gettext("Your new password is saved. Your other sessions are signed out."), "success")
            return redirect(url_for(home))
        status = 422
    return render_template("auth/change_password.html", who=who, errors=errors), status


@bp.route("/password", methods=["GET", "POST"])
@staff_required
@sign_in_rate  # each attempt verifies the current password, as a sign-in does
def password():
    return _change("staff", current_staff(), staff_credential, "staff.dashboard")


@bp.route("/client/password", methods=["GET", "POST"])
@client_required
@sign_in_rate  # each attempt verifies the current password, as a sign-in does
def client_password():
    return _change("client", current_client(), client_credential, "portal.home")
