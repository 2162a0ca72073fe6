"""Process-wide clients, bound to the app with `init_app` as Flask extensions are."""

from __future__ import annotations

import redis as redis_lib
from flask import g
from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.settings import app_settings
from app.tenancy.databases import StudioDatabases


class MasterDatabase:
    """The master database: one small pool per process, a Session per request."""

    def __init__(self) -> None:
        self.engine = None
        self._sessionmaker: sessionmaker | None = None

    def init_app(self, app) -> None:
        settings = app_settings(app)
        self.engine = create_engine(
            settings.MASTER_DATABASE_URL,
            pool_size=settings.MASTER_POOL_SIZE,
            max_overflow=0,
            pool_timeout=10,
            # No pre-ping: it would double the round trips of the one lookup most requests make.
            # A connection a restarted PostgreSQL dropped fails its statement; SQLAlchemy then
            # replaces every pooled connection, and `lookup` tries once more.
            pool_pre_ping=False,
        )
        self._sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        app.extensions["master_db"] = self
        app.teardown_appcontext(self._close)

    def new_session(self) -> Session:
        return self._sessionmaker()

    @property
    def session(self) -> Session:
        if "master_session" not in g:
            g.master_session = self.new_session()
        return g.master_session

    def lookup(self, statement):
        """The first ORM object a read selects, in one round trip: on an autocommit connection (no
        BEGIN, no ROLLBACK) handed back to the pool at once; the object comes back loaded and
        detached. Tried once more when the pooled connection was dropped (a PostgreSQL restart)."""
        return self._once_more_if_dropped(lambda: self._lookup_once(statement))

    def ping(self) -> None:
        """One `SELECT 1`, tried once more when the pooled connection was dropped: a PostgreSQL that
        is back after a restart is ready, whatever this process's pool still held."""
        self._once_more_if_dropped(self._ping_once)

    @staticmethod
    def _once_more_if_dropped(attempt):
        try:
            return attempt()
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
        return attempt()

    def _lookup_once(self, statement):
        with self.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            with Session(conn, expire_on_commit=False) as db:
                return db.scalar(statement)

    def _ping_once(self) -> None:
        with self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")

    def close_session(self) -> None:
        """End the request's master session, if it has one, returning its connection."""
        db = g.get("master_session")
        if db is not None:
            db.close()

    def _close(self, _exc) -> None:
        db = g.pop("master_session", None)
        if db is not None:
            db.close()


def redis_tls_options(ca_file: str | None) -> dict:
    """redis-py's options for a rediss:// URL (REDIS_CA_FILE): from_url takes no CA file from the URL."""
    return {"ssl_ca_certs": ca_file} if ca_file else {}


class RedisClient:
    def __init__(self) -> None:
        self.client: redis_lib.Redis | None = None

    def init_app(self, app) -> None:
        self.client = redis_lib.Redis.from_url(
            app_settings(app).REDIS_URL,
            decode_responses=True,
            socket_timeout=5,
            socket_connect_timeout=5,
            **redis_tls_options(app_settings(app).REDIS_CA_FILE),
        )
        app.extensions["redis"] = self


master_db = MasterDatabase()
redis_store = RedisClient()
studio_db = StudioDatabases()
