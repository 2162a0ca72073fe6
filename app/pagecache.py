"""Staff pages served again from this process's memory while their studio's data has not changed.

A page is a function of the studio's rows, the signed-in session, the studio's organization row and
the address. So a rendered page is kept under exactly those: the studio's database, the session's id
and stored contents (who is signed in, their CSRF token, any pending message), the organization's
columns and whether the studio is read-only, and the path with its query. It is served again only
while its studio's *data version* is the one it was rendered under.

The data version is a random token in Redis, one per studio database, replaced after every commit
of a Session on that database (any process: the app, the mail worker, the reminders), so the next
page after a change is rendered afresh on every web host. A page reads the version *before* its
queries, so a page can be labelled older than its data, never newer. What writes without such a
Session (a restore, a hand-made change in psql) is seen within PAGE_CACHE_SECONDS, the longest an
entry lives, as a suspension is seen within TENANT_CACHE_SECONDS. Without Redis nothing is cached.

Entries stay in the process that rendered them (no page crosses a process or a studio), bounded in
bytes; a new release starts with none.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import wraps

from flask import Response, g, request, session
from redis.exceptions import RedisError
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.extensions import redis_store, studio_db
from app.plans.access import studio_is_read_only
from app.settings import app_settings
from app.tenancy.context import current_studio

log = logging.getLogger("app.pagecache")

VERSION_PREFIX = "page-version:"
# A version unused for a day is forgotten; the next page then makes a new one, matching no entry.
VERSION_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Page:
    version: str
    expires: float
    body: bytes
    content_type: str


class PageCache:
    def __init__(self, clock=time.monotonic) -> None:
        self.ttl = 0.0
        self.max_bytes = 0
        self._clock = clock
        self._entries: OrderedDict[tuple, Page] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def init_app(self, app) -> None:
        settings = app_settings(app)
        self.ttl = settings.PAGE_CACHE_SECONDS
        self.max_bytes = settings.PAGE_CACHE_MEGABYTES * 1024 * 1024
        self.clear()
        app.extensions["page_cache"] = self
        if not event.contains(Session, "after_commit", _data_changed):
            event.listen(Session, "after_commit", _data_changed)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def get(self, key: tuple, version: str) -> Page | None:
        with self._lock:
            page = self._entries.get(key)
            if page is None:
                return None
            if page.version != version or page.expires <= self._clock():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return page

    def put(self, key: tuple, version: str, response: Response) -> None:
        body = response.get_data()
        if len(body) > self.max_bytes:
            return
        page = Page(version, self._clock() + self.ttl, body, response.content_type)
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = page
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: tuple) -> None:
        self._bytes -= len(self._entries.pop(key).body)

    def __len__(self) -> int:
        return len(self._entries)


page_cache = PageCache()


def data_version(database_name: str) -> str | None:
    """The studio database's current data version (made when it has none); None without Redis."""
    key = VERSION_PREFIX + database_name
    try:
        version = redis_store.client.get(key)
        if version is None:
            redis_store.client.set(key, secrets.token_hex(8), ex=VERSION_SECONDS, nx=True)
            version = redis_store.client.get(key)
        return version
    except RedisError:
        return None


def _data_changed(db: Session) -> None:
    """After a commit on a studio database: every page rendered before it is out of date."""
    database_name = studio_db.database_of(db.bind)
    if database_name is None:
        return
    try:
        redis_store.client.set(VERSION_PREFIX + database_name, secrets.token_hex(8), ex=VERSION_SECONDS)
    except RedisError as exc:
        # The commit stands; this studio's kept pages may be served until they expire.
        log.warning("page cache: no new data version for %s (%s)", database_name, type(exc).__name__)


def _page_key(studio) -> tuple | None:
    """What the page depends on besides the studio's rows; None when it must be rendered afresh."""
    if request.method != "GET" or session.get("_flashes") or getattr(session, "sid", None) is None:
        return None
    # Its id and database name among them: no page is ever served to another studio.
    columns = tuple(getattr(studio, attr.key) for attr in inspect(studio).mapper.column_attrs)
    return (
        columns,
        studio_is_read_only(),
        session.sid,
        session.stored,
        request.full_path,
    )


def cached_page(view):
    """Serve a GET staff page from the page cache when its studio's data is unchanged since it was
    rendered for this very session; else render it (the guards run) and keep it. Goes above the
    guard (`@cached_page` then `@staff_required`): a kept page was rendered after the guard let
    this session in, and whatever would make the guard refuse it now changes its key or version."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        studio = current_studio()
        key = _page_key(studio) if page_cache.ttl > 0 else None
        version = data_version(studio.database_name) if key is not None else None
        if version is None:
            return view(*args, **kwargs)
        page = page_cache.get(key, version)
        if page is not None:
            g.kept_page = True
            return Response(page.body, content_type=page.content_type)
        response = view(*args, **kwargs)
        if isinstance(response, str) and not session.modified:
            response = Response(response)
            page_cache.put(key, version, response)
        return response

    return wrapped
