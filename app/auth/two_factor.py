"""Two-step sign-in for staff: the code asked after the password, and each staff member's own page
to turn it on (QR code, confirmed by a code, ten recovery codes shown once) or off.

Between the password and the code the session holds only the pending account (`pending_*` keys,
for PENDING_SECONDS), never `staff_id`: nothing is signed in until the code is right. Code attempts
are limited per studio and address (SECOND_FACTOR) and their failures counted per account by the
login throttle, as passwords are.
"""

from __future__ import annotations

import time

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth import bp
from app.auth.guards import current_staff, staff_credential, staff_required, start_session
from app.extensions import studio_db
from app.models.studio import AccountRole, StaffAccount
from app.security.rate_limits import SECOND_FACTOR, TOO_MANY, limiter, studio_and_address
from app.security.throttle import LoginThrottle, wait_message
from app.services import two_factor as totp
from app.services.studio_profile import studio_profile
from app.tenancy.context import current_studio

PENDING_SECONDS = 300
PENDING_KEYS = ("pending_staff_id", "pending_credential", "pending_next", "pending_until")
# The enrolment key and the recovery codes must not stay in a browser's or proxy's cache.
NO_STORE = {"Cache-Control": "no-store"}
throttle = LoginThrottle()
code_rate = limiter.shared_limit(
    SECOND_FACTOR,
    scope="second-factor",
    key_func=studio_and_address,
    methods=["POST"],
    error_message=TOO_MANY,
)


def _scope() -> str:
    return str(current_studio().id)


def _owners_need_it(staff: StaffAccount) -> bool:
    return staff.role == AccountRole.OWNER and studio_profile(studio_db.session).owners_need_totp


def finish_staff_sign_in(staff: StaffAccount, target: str):
    start_session(staff_id=staff.id, role=staff.role, credential=staff_credential(staff))
    if staff.totp_secret is None and _owners_need_it(staff):
        session["enrol_2fa"] = True
        return redirect(url_for("auth.two_factor"))
    return redirect(target)


def ask_for_code(staff: StaffAccount, target: str):
    session.regenerate()
    session.update(
        studio_id=str(current_studio().id),
        pending_staff_id=staff.id,
        pending_credential=staff_credential(staff),
        pending_next=target,
        pending_until=time.time() + PENDING_SECONDS,
    )
    return redirect(url_for("auth.second_factor"))


def _pending_staff() -> StaffAccount | None:
    """The account whose password was right a moment ago, locked for this transaction (a recovery
    code is spent once); None when there is none, it expired, or the account changed since."""
    if session.get("studio_id") != _scope() or session.get("pending_until", 0) < time.time():
        return None
    staff = studio_db.session.scalar(
        select(StaffAccount).where(StaffAccount.id == session.get("pending_staff_id")).with_for_update()
    )
    if staff is None or not staff.is_active or staff.totp_secret is None:
        return None
    return staff if session.get("pending_credential") == staff_credential(staff) else None


def _attempt(staff: StaffAccount, code: str) -> tuple[str | None, int]:
    """Check a code or a recovery code (spent if it is one) under the throttle: (None, 200) when
    accepted, else the message and status."""
    account, ip = f"second-factor:{staff.id}", request.remote_addr or "unknown"
    wait = throttle.retry_after(_scope(), account, ip)
    if wait:
        return wait_message(wait), 429
    if totp.accept_code(_scope(), staff.id, staff.totp_secret, code):
        throttle.record_success(_scope(), account)
        return None, 200
    if totp.use_recovery_code(staff, code):
        # Whom the audit log names for the spent code.
        studio_db.session.info["staff_id"] = staff.id
        studio_db.session.commit()
        throttle.record_success(_scope(), account)
        g.recovery_codes_left = len(staff.recovery_code_hashes)
        return None, 200
    throttle.record_failure(_scope(), account, ip)
    return _("That code is not right. Type the 6 digits your app shows now, or a recovery code."), 401


@bp.route("/login/code", methods=["GET", "POST"])
@code_rate
def second_factor():
    staff = _pending_staff()
    if staff is None:
        for key in PENDING_KEYS:
            session.pop(key, None)
        return redirect(url_for("auth.login"))
    error, status = None, 200
    if request.method == "POST":
        error, status = _attempt(staff, request.form.get("code", ""))
        if error is None:
            signed_in = finish_staff_sign_in(staff, session.get("pending_next") or url_for("staff.dashboard"))
            if "recovery_codes_left" in g:
                left = g.recovery_codes_left
                flash(_("A recovery code was used; %(left)s left.", left=left), "success")
            return signed_in
    return render_template("auth/second_factor.html", error=error, studio=current_studio()), status


def _enrol_page(staff: StaffAccount, error: str | None = None, status: int = 200):
    secret = session.get("totp_pending")
    if secret is None:
        secret = session["totp_pending"] = totp.new_secret()
    uri = totp.provisioning_uri(secret, staff.email, current_studio().name)
    return (
        render_template(
            "auth/two_factor.html",
            staff=staff,
            qr_svg=totp.qr_svg(uri),
            secret=totp.grouped(secret),
            required=session.get("enrol_2fa", False),
            error=error,
        ),
        status,
        NO_STORE,
    )


@bp.route("/account/two-step", methods=["GET", "POST"])
@staff_required
@code_rate
def two_factor():
    """The signed-in staff member's own second factor: turn it on, or off."""
    staff = current_staff()
    db = studio_db.session
    if staff.totp_secret is None:
        if request.method == "GET":
            return _enrol_page(staff)
        secret = session.get("totp_pending")
        if secret is None or not totp.accept_code(_scope(), staff.id, secret, request.form.get("code", "")):
            return _enrol_page(staff, _("That code is not right. Type the 6 digits your app shows now."), 422)
        codes = totp.enrol(staff, secret)
        db.commit()
        session.pop("totp_pending", None)
        session.pop("enrol_2fa", None)
        return render_template("auth/recovery_codes.html", codes=codes), 200, NO_STORE
    error, status = None, 200
    if request.method == "POST":
        if _owners_need_it(staff):
            error, status = _("This studio requires two-step sign-in for its owners."), 403
        else:
            error, status = _attempt(staff, request.form.get("code", ""))
            if error is None:
                totp.disable(staff)
                db.commit()
                flash(_("Two-step sign-in is off."), "success")
                return redirect(url_for("auth.two_factor"))
    return render_template(
        "auth/two_factor_on.html",
        staff=staff,
        left=len(staff.recovery_code_hashes or []),
        error=error,
    ), status
