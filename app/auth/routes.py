"""Sign-in for a studio's staff (/login) and clients (/client/login); studio subdomains only."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import gettext
from sqlalchemy import select

from app.auth import bp, reset
from app.auth.guards import client_credential, current_client, current_staff, require_studio, start_session
from app.auth.two_factor import ask_for_code, finish_staff_sign_in
from app.extensions import studio_db
from app.models.studio import Client, StaffAccount
from app.security.passwords import hash_password, password_problem, verify_password
from app.security.rate_limits import PASSWORD_RESET, SIGN_IN, TOO_MANY, limiter, studio_and_address
from app.security.redirects import same_site_path
from app.security.throttle import LoginThrottle, wait_message
from app.tenancy.context import current_studio

throttle = LoginThrottle()


bp.before_request(require_studio)


def _sign_in(account: str, password: str, scope: str, model, active=lambda _row: True):
    """Check credentials under the throttle; return (row, error message)."""
    ip = request.remote_addr or "unknown"
    scope_key = f"{current_studio().id}:{scope}"
    wait = throttle.retry_after(scope_key, account, ip)
    if wait:
        return None, wait_message(wait), 429
    row = studio_db.session.scalar(select(model).where(model.email == account)) if account else None
    if not verify_password(row.password_hash if row else None, password) or not active(row):
        throttle.record_failure(scope_key, account, ip)
        return None, "Wrong email or password.", 401
    throttle.record_success(scope_key, account)
    return row, None, 200


def studio_home():
    """Where a studio's `/` leads: the signed-in person's home, else the staff login."""
    if current_staff() is not None:
        return redirect(url_for("staff.dashboard"))
    if current_client() is not None:
        return redirect(url_for("portal.home"))
    return redirect(url_for("auth.login"))


# Each attempt is an argon2 verification: both forms share one budget per studio and address.
sign_in_rate = limiter.shared_limit(
    SIGN_IN, scope="sign-in", key_func=studio_and_address, methods=["POST"], error_message=TOO_MANY
)


@bp.route("/login", methods=["GET", "POST"])
@sign_in_rate
def login():
    error, status, email = None, 200, ""
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()
        staff, error, status = _sign_in(
            email, request.form.get("password", ""), "staff", StaffAccount, active=lambda row: row.is_active
        )
        if staff is not None:
            target = same_site_path(request.values.get("next"), url_for("staff.dashboard"))
            if staff.totp_secret:
                return ask_for_code(staff, target)
            return finish_staff_sign_in(staff, target)
    return render_template(
        "auth/login.html",
        error=error,
        email=email,
        studio=current_studio(),
        welcome=request.args.get("welcome"),
        reset_done=request.args.get("reset") == "done",
    ), status


@bp.route("/client/login", methods=["GET", "POST"])
@sign_in_rate
def client_login():
    error, status, email = None, 200, ""
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()
        client, error, status = _sign_in(email, request.form.get("password", ""), "client", Client)
        if client is not None:
            start_session(client_id=client.id, credential=client_credential(client))
            return redirect(url_for("portal.home"))
    return render_template(
        "auth/client_login.html",
        error=error,
        email=email,
        studio=current_studio(),
        reset_done=request.args.get("reset") == "done",
    ), status


@bp.post("/logout")
def logout():
    was_client = session.get("client_id") is not None
    session.regenerate()
    return redirect(url_for("auth.client_login" if was_client else "auth.login"))


reset_rate = limiter.shared_limit(
    PASSWORD_RESET,
    scope="password-reset",
    key_func=studio_and_address,
    methods=["POST"],
    error_message=TOO_MANY,
)


def _forgot(who: str):
    sent, email = False, ""
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()
        reset.send_reset(who, email)
        # The same answer whether or not the address is someone's here.
        sent = True
    return render_template(
        "auth/forgot_password.html", sent=sent, email=email, who=who, studio=current_studio()
    )


def _reset(who: str, token: str):
    if reset.holder(who, token) is None:
        return render_template("auth/reset_password.html", dead=True, who=who, studio=current_studio()), 410
    error, status = None, 200
    if request.method == "POST":
        password = request.form.get("password", "")
        error = password_problem(password)
        if error is None:
            row = reset.holder(who, token, take=True)
            if row is None:  # taken by a concurrent request in between
                abort(410)
            # A new hash: every session opened with the old password ends (its stamp changes).
            row.password_hash = hash_password(password)
            studio_db.session.commit()
            session.regenerate()
            target = "auth.login" if who == "staff" else "auth.client_login"
            return redirect(url_for(target, reset="done"))
        status = 422
    return render_template(
        "auth/reset_password.html",
        dead=False,
        error=error and gettext(error),
        who=who,
        studio=current_studio(),
    ), status


@bp.route("/forgot-password", methods=["GET", "POST"])
@reset_rate
def forgot_password():
    return _forgot("staff")


@bp.route("/client/forgot-password", methods=["GET", "POST"])
@reset_rate
def client_forgot_password():
    return _forgot("client")


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return _reset("staff", token)


@bp.route("/client/reset-password/<token>", methods=["GET", "POST"])
def client_reset_password(token: str):
    return _reset("client", token)
