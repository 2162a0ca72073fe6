"""The studios' databases: engines under a hard cap on open connections, and the request's Session.

Choice (documented in the README): studio engines use NullPool, so a connection exists only while
a request uses it, and every connection first takes a slot from a per-process semaphore of
TENANT_CONNECTIONS_PER_PROCESS slots. The total number of PostgreSQL connections is therefore at
most workers x (MASTER_POOL_SIZE + TENANT_CONNECTIONS_PER_PROCESS), however many studios exist.
Engines themselves (cheap, pool-less) are kept in an LRU so a busy process does not rebuild them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import psycopg
from flask import g
from sqlalchemy import create_engine
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from app.audit import watch
from app.settings import app_settings


class StudioCapacityError(RuntimeError):
    """Every studio-database connection slot of this process stayed busy for too long."""


class StudioDatabases:
    """`studio_db.session` is the current request's Session on its studio's database (`db` in views)."""

    def __init__(self, app=None) -> None:
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._lock = threading.Lock()
        self.server_url: URL | None = None
        if app is not None:
            self.init_app(app)

    def init_app(self, app) -> None:
        settings = app_settings(app)
        self.server_url = make_url(settings.TENANT_DATABASE_SERVER_URL)
        self.cap = settings.TENANT_CONNECTIONS_PER_PROCESS
        self.cache_size = settings.TENANT_ENGINE_CACHE_SIZE
        self.acquire_timeout = settings.TENANT_CONNECTION_WAIT_SECONDS
        self._slots = threading.BoundedSemaphore(self.cap)
        self._open = 0
        app.extensions["studio_db"] = self
        app.teardown_appcontext(self._close)

    @property
    def session(self) -> Session:
        """One Session per request on the resolved studio's database; NoStudioError without one."""
        from app.tenancy.context import current_studio

        if "studio_db" not in g:
            g.studio_db = watch(Session(self.engine(current_studio().database_name), expire_on_commit=False))
        return g.studio_db

    def _close(self, _exc) -> None:
        db = g.pop("studio_db", None)
        if db is not None:
            db.close()

    def url_for(self, database_name: str) -> URL:
        return self.server_url.set(database=database_name)

    def engine(self, database_name: str) -> Engine:
        with self._lock:
            engine = self._engines.get(database_name)
            if engine is not None:
                self._engines.move_to_end(database_name)
                return engine
            engine = self._create(database_name)
            self._engines[database_name] = engine
            while len(self._engines) > self.cache_size:
                _, evicted = self._engines.popitem(last=False)
                evicted.dispose()
            return engine

    def forget(self, database_name: str) -> None:
        with self._lock:
            engine = self._engines.pop(database_name, None)
        if engine is not None:
            engine.dispose()

    @property
    def open_connections(self) -> int:
        return self._open

    def _create(self, database_name: str) -> Engine:
        url = self.url_for(database_name)
        connect_args = url.translate_connect_args(username="user", database="dbname")
        slots = self._slots
        engines = self

        class SlotConnection(psycopg.Connection):
            """Gives its slot back only once the connection is really closed, never before."""

            def close(self) -> None:
                try:
                    super().close()
                finally:
                    if self.__dict__.pop("holds_slot", False):
                        engines._count(-1)
                        slots.release()

        def creator():
            if not slots.acquire(timeout=self.acquire_timeout):
                raise StudioCapacityError(
                    f"all {self.cap} studio database connections of this process are busy"
                )
            try:
                connection = SlotConnection.connect(connect_timeout=5, **connect_args, **url.query)
            except BaseException:
                slots.release()
                raise
            connection.holds_slot = True
            self._count(+1)
            return connection

        return create_engine(url, creator=creator, poolclass=NullPool)

    def _count(self, delta: int) -> None:
        with self._lock:
            self._open += delta
