"""Signup waits for its owner's email: the studio's database is created only when the mailed link
is followed.

The finished wizard is kept in Redis under the SHA-256 of a random token (the link carries the
token) with the owner's password already hashed, never in clear, for PENDING_HOURS; unconfirmed, it
simply expires: nothing was created, nothing needs sweeping. The link opens a page whose button
creates the studio (a mail scanner fetching the link creates nothing), once: the token is taken.
The studio's name is checked again then, since someone else may have confirmed it first.
"""

from __future__ import annotations

import hashlib
import json
import secrets

from flask import url_for

from app import mail
from app.extensions import redis_store
from app.i18n import N_
from app.platform.urls import apex_url, studio_url
from app.security.passwords import hash_password
from app.tenancy.provisioning import NewStudio

PENDING_HOURS = 24
KEPT = ("studio_name", "subdomain", "owner_name", "email")


def _key(token: str) -> str:
    return "signup:pending:" + hashlib.sha256(token.encode()).hexdigest()


def hold(studio: NewStudio) -> str:
    """Keep the parsed signup until its owner confirms; the link's token."""
    token = secrets.token_urlsafe(32)
    pending = {name: getattr(studio, name) for name in KEPT}
    pending["password_hash"] = hash_password(studio.password)
    redis_store.client.set(_key(token), json.dumps(pending), ex=PENDING_HOURS * 3600)
    return token


def pending(token: str, *, take: bool = False) -> dict | None:
    """The signup a live token holds (taken, so it works once, when `take`), else None."""
    stored = (redis_store.client.getdel if take else redis_store.client.get)(_key(token))
    return json.loads(stored) if stored else None


def send_link(studio: NewStudio, token: str) -> None:
    mail.send(
        mail.render(
            "signup_verification",
            studio.email,
            N_("Confirm your studio %(studio)s"),
            subject_args={"studio": studio.studio_name},
            studio_name=None,
            studio=None,
            owner_name=studio.owner_name,
            new_studio=studio.studio_name,
            address=studio_url(studio.subdomain, "/"),
            link=apex_url(url_for("platform.verify_signup", token=token)),
            hours=PENDING_HOURS,
        )
    )
