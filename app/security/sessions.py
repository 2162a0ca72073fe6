"""Server-side sessions in Redis: the cookie holds only a random id, regenerated at login.

A signed-in session also holds the stamp of the credential it was opened with (`credential_stamp`):
the pages compare it with the account's current one on every request, so a new password, a
revoked one or a new role ends every session opened before the change, wherever it is.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets

from flask import current_app
from flask.sessions import SecureCookieSession, SessionInterface

from app.extensions import redis_store

_SID = re.compile(r"[A-Za-z0-9_-]{43}")


def credential_stamp(*credential: object) -> str:
    """A keyed digest of what a sign-in rests on (password hash, role): equal values, equal stamps.

    Keyed, so a stamp reveals nothing of the hash even to someone who reads Redis."""
    message = "\x00".join(str(part) for part in credential).encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), message, hashlib.sha256).hexdigest()


class RedisSession(SecureCookieSession):
    def __init__(self, initial=None, sid: str | None = None, stored: str | None = None) -> None:
        super().__init__(initial)
        self.sid = sid
        # The session as Redis held it when the request began: equal strings, equal sessions.
        self.stored = stored
        self.previous_sid: str | None = None

    def regenerate(self) -> None:
        """Start a fresh session under a new id (call at login: defeats session fixation)."""
        self.clear()
        self.previous_sid, self.sid = self.sid, None
        self.modified = True


class RedisSessionInterface(SessionInterface):
    key_prefix = "session:"

    def open_session(self, app, request):
        sid = request.cookies.get(self.get_cookie_name(app), "")
        if _SID.fullmatch(sid):
            # Read and renew the expiry in one round trip, so an unchanged session needs no write.
            stored = redis_store.client.getex(self.key_prefix + sid, ex=app.permanent_session_lifetime)
            if stored is not None:
                return RedisSession(json.loads(stored), sid=sid, stored=stored)
        return RedisSession()

    def save_session(self, app, session: RedisSession, response) -> None:
        name = self.get_cookie_name(app)
        cookie = dict(
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            httponly=True,
            samesite=self.get_cookie_samesite(app),
        )
        if session.previous_sid:
            redis_store.client.delete(self.key_prefix + session.previous_sid)
            session.previous_sid = None
        if not session:
            if session.sid is not None and session.modified:
                redis_store.client.delete(self.key_prefix + session.sid)
                response.delete_cookie(name, **cookie)
            return
        if not (session.modified or self.should_set_cookie(app, session)):
            return
        if session.sid is None:
            session.sid = secrets.token_urlsafe(32)
        if session.modified:
            lifetime = app.permanent_session_lifetime
            redis_store.client.set(self.key_prefix + session.sid, json.dumps(dict(session)), ex=lifetime)
        response.set_cookie(name, session.sid, expires=self.get_expiration_time(app, session), **cookie)
        response.vary.add("Cookie")
