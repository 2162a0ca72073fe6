"""Who is signed in on this studio, and decorators that require it."""

from __future__ import annotations

import hmac
from functools import wraps

from flask import abort, g, redirect, request, session, url_for

from app.extensions import studio_db
from app.models.studio import AccountRole, Client, StaffAccount
from app.security.sessions import credential_stamp
from app.tenancy.context import current_studio


def require_studio():
    """before_request of every studio blueprint: on the apex, send the visitor to the studio finder."""
    if g.get("studio") is None:
        if request.path.startswith("/api/"):
            abort(404, description="This address belongs to a studio: use https://YOUR-STUDIO.<domain>/.")
        path = request.path if request.path in ("/login", "/client/login") else "/login"
        return redirect(url_for("platform.find_studio", next=path))
    return None


def _bound_to_this_studio() -> bool:
    return g.get("studio") is not None and session.get("studio_id") == str(current_studio().id)


def staff_credential(staff: StaffAccount) -> str:
    """What a staff session rests on: its password and its role."""
    return credential_stamp(staff.password_hash, staff.role)


def client_credential(client: Client) -> str:
    return credential_stamp(client.password_hash)


def _same_credential(stamp: str) -> bool:
    return hmac.compare_digest(session.get("credential", ""), stamp)


def current_staff() -> StaffAccount | None:
    if "current_staff" not in g:
        staff = None
        if _bound_to_this_studio() and session.get("staff_id") is not None:
            staff = studio_db.session.get(StaffAccount, session["staff_id"])
            # Deactivated, or signed in before a password or role change: the session has ended.
            if staff is not None and (not staff.is_active or not _same_credential(staff_credential(staff))):
                staff = None
        if staff is not None:
            # Whom the audit log names for this request's changes.
            studio_db.session.info["staff_id"] = staff.id
        g.current_staff = staff
    return g.current_staff


def current_client() -> Client | None:
    if "current_client" not in g:
        client = None
        if _bound_to_this_studio() and session.get("client_id") is not None:
            client = studio_db.session.get(Client, session["client_id"])
            # Portal access revoked, or a new password set since: the session has ended.
            if client is not None and (
                client.password_hash is None or not _same_credential(client_credential(client))
            ):
                client = None
        g.current_client = client
    return g.current_client


def start_session(**identity) -> None:
    """A new session (a new id: no fixation) bound to this studio, holding who signed in."""
    session.regenerate()
    session.permanent = True
    session.update(studio_id=str(current_studio().id), **identity)


def staff_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_staff() is None:
            if request.path.startswith("/api/"):
                abort(401, description="Sign in as staff first.")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        # An owner of a studio that requires a second factor, signed in without one: enrol first.
        if session.get("enrol_2fa") and request.endpoint != "auth.two_factor":
            if request.path.startswith("/api/"):
                abort(403, description="Set up two-step sign-in first.")
            return redirect(url_for("auth.two_factor"))
        return view(*args, **kwargs)

    return wrapped


def owner_required(view):
    @wraps(view)
    @staff_required
    def wrapped(*args, **kwargs):
        if current_staff().role != AccountRole.OWNER:
            abort(403, description="Only the studio's owner can do this.")
        return view(*args, **kwargs)

    return wrapped


def client_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_client() is None:
            return redirect(url_for("auth.client_login"))
        return view(*args, **kwargs)

    return wrapped
