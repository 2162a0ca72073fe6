"""Emailed links that let a staff member or client choose a password: a reset (forgot password),
or a client's invitation to the portal (sent by staff, who never set a client's password).

The link's token is random and shown only in the mail; Redis keeps its SHA-256 (someone reading
Redis cannot use a link), with the account's id and the credential stamp at the time, for a
limited time. Following it through once takes the token (GETDEL): single-use. A password changed
in between (the stamp differs) kills every earlier link too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

from flask import url_for
from sqlalchemy import select

from app import mail
from app.auth.guards import client_credential, staff_credential
from app.extensions import redis_store, studio_db
from app.i18n import N_
from app.models.studio import Client, StaffAccount
from app.tenancy.context import current_studio

RESET_MINUTES = 60
INVITATION_DAYS = 7
WHO = {"staff": StaffAccount, "client": Client}


def _key(who: str, token: str) -> str:
    digest = hashlib.sha256(token.encode()).hexdigest()
    return f"reset:{current_studio().id}:{who}:{digest}"


def _stamp(who: str, row) -> str:
    return staff_credential(row) if who == "staff" else client_credential(row)


def account_for(who: str, email: str):
    """Whom a reset may be sent to: an active staff account, or a client with portal access."""
    model = WHO[who]
    row = studio_db.session.scalar(select(model).where(model.email == email)) if email else None
    if (
        row is None
        or (who == "staff" and not row.is_active)
        or (who == "client" and row.password_hash is None)
    ):
        return None
    return row


def issue(who: str, row, seconds: int = RESET_MINUTES * 60) -> str:
    """A new link's token for `row`, alive `seconds`."""
    token = secrets.token_urlsafe(32)
    entry = json.dumps({"id": row.id, "stamp": _stamp(who, row)})
    redis_store.client.set(_key(who, token), entry, ex=seconds)
    return token


def send_reset(who: str, email: str) -> None:
    """Mail a reset link when `email` is someone's here; nothing otherwise (the page says the same)."""
    row = account_for(who, email)
    if row is None:
        return
    token = issue(who, row)
    endpoint = "auth.reset_password" if who == "staff" else "auth.client_reset_password"
    studio = current_studio()
    mail.send(
        mail.render(
            "password_reset",
            row.email,
            N_("Choose a new password"),
            studio_name=studio.name,
            studio=studio.subdomain,
            email=row.email,
            link=url_for(endpoint, token=token, _external=True),
            minutes=RESET_MINUTES,
        )
    )


def holder(who: str, token: str, *, take: bool = False):
    """The account a live token was issued for (taking the token when `take`), else None."""
    key = _key(who, token)
    stored = redis_store.client.getdel(key) if take else redis_store.client.get(key)
    if stored is None:
        return None
    entry = json.loads(stored)
    row = studio_db.session.get(WHO[who], entry["id"])
    if row is None or not hmac.compare_digest(entry["stamp"], _stamp(who, row)):
        return None
    return row


def invite_client(client) -> None:
    """Mail `client` a link to choose their portal password (a new one kills none before it:
    each works until used or expired, and any use changes the stamp the others carry)."""
    token = issue("client", client, INVITATION_DAYS * 24 * 3600)
    studio = current_studio()
    mail.send(
        mail.render(
            "portal_invitation",
            client.email,
            N_("Your client portal at %(studio)s"),
            subject_args={"studio": studio.name},
            studio_name=studio.name,
            studio=studio.subdomain,
            client_name=client.name,
            email=client.email,
            link=url_for("auth.client_reset_password", token=token, _external=True),
            login=url_for("auth.client_login", _external=True),
            days=INVITATION_DAYS,
        )
    )
