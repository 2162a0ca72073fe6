"""Process-wide clients, bound to the app with `init_app` as Flask extensions are."""

from __future__ import annotations

import redis as redis_lib
from flask import g
from sqlalchemy import create_engine
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
            # A restarted PostgreSQL leaves dead pooled connections; test each before use.
            pool_pre_ping=True,
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

    def _close(self, _exc) -> None:
        db = g.pop("master_session", None)
        if db is not None:
            db.close()


class RedisClient:
    def __init__(self) -> None:
        self.client: redis_lib.Redis | None = None

    def init_app(self, app) -> None:
        self.client = redis_lib.Redis.from_url(
            app_settings(app).REDIS_URL, decode_responses=True, socket_timeout=5, socket_connect_timeout=5
        )
        app.extensions["redis"] = self


master_db = MasterDatabase()
redis_store = RedisClient()
studio_db = StudioDatabases()
