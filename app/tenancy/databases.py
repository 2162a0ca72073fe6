"""The studios' databases: a small pool per studio engine, engines in an LRU, and the request's Session.

Choice (documented in the README): requests reach a studio's database through the connection
pooler (TENANT_DATABASE_POOL_URL: PgBouncer in transaction mode) with a pool of TENANT_POOL_SIZE
client connections per studio engine, so a request reuses a connection instead of paying a
connect (SCRAM plus a PostgreSQL fork, ~8 ms). A process keeps the TENANT_ENGINE_CACHE_SIZE most
recently used engines and disposes of the least recently used one (closing its connections), so
it holds at most cache × pool client connections however many studios exist; the pooler shares
its bounded set of PostgreSQL backends between them, so PostgreSQL's backend count does not grow
with the number of studios either. A request waits TENANT_CONNECTION_WAIT_SECONDS for its
studio's pool, then gets the 503 page.

What must not go through transaction pooling gets a direct engine (`direct_url`): migrations and
the server-level CREATE/DROP DATABASE, which need one server session for their whole run.

Studios live on several servers (app/tenancy/servers.py): everything here is keyed by (server name,
database name), and a studio whose server is not configured fails closed (UnknownServer: a 503),
never reaching another server's database of the same name.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

from flask import g, request
from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from app.audit import watch
from app.models.master import Organization
from app.security.csrf import SAFE_METHODS
from app.settings import app_settings
from app.tenancy.servers import DatabaseServer, configured_servers

# Seen in pg_stat_activity and PgBouncer's SHOW CLIENTS: which connections are the app's pooled ones.
POOLED_APPLICATION_NAME = "rsm-studio"


class UnknownServer(LookupError):
    """A studio's database is on a server this process is not configured with."""


class ReadOnlyRequest(RuntimeError):
    """A GET (HEAD, OPTIONS) request tried to change a studio's rows."""


def _refuse_writes(session, _context, _instances) -> None:
    if session.new or session.deleted or any(session.is_modified(row) for row in session.dirty):
        raise ReadOnlyRequest("a GET request reads only: change rows in a POST")


def _close_on_checkin(_dbapi_connection, record) -> None:
    record.invalidate()


def _retire(engine: Engine) -> None:
    """Close an engine's connections: the idle ones now, the ones a request still uses when it
    gives them back (disposing alone would leave those open in the old pool)."""
    event.listen(engine.pool, "checkin", _close_on_checkin)
    engine.dispose()


class StudioDatabases:
    """`studio_db.session` is the current request's Session on its studio's database (`db` in views)."""

    def __init__(self, app=None) -> None:
        self._engines: OrderedDict[tuple[str, str], Engine] = OrderedDict()
        self._database_of: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()
        self.servers: dict[str, DatabaseServer] = {}
        if app is not None:
            self.init_app(app)

    def init_app(self, app) -> None:
        settings = app_settings(app)
        self.servers = {server.name: server for server in configured_servers(settings)}
        self.home = next(iter(self.servers))
        self.pool_size = settings.TENANT_POOL_SIZE
        self.cache_size = settings.TENANT_ENGINE_CACHE_SIZE
        self.acquire_timeout = settings.TENANT_CONNECTION_WAIT_SECONDS
        app.extensions["studio_db"] = self
        app.teardown_appcontext(self._close)

    def server(self, name: str) -> DatabaseServer:
        try:
            return self.servers[name]
        except KeyError:
            raise UnknownServer(
                f"database server {name!r} is not in TENANT_DATABASE_SERVERS ({', '.join(self.servers)})"
            ) from None

    def server_of(self, organization: Organization) -> str:
        """The name of the server holding a studio's database (NULL: the home server)."""
        return organization.database_server or self.home

    def studio_engine(self, organization: Organization) -> Engine:
        """The pooled engine of a studio's database, on its server."""
        return self.engine(self.server_of(organization), organization.database_name)

    @property
    def session(self) -> Session:
        """One Session per request on the resolved studio's database; NoStudioError without one."""
        from app.tenancy.context import current_studio

        if "studio_db" not in g:
            db = watch(Session(self.studio_engine(current_studio()), expire_on_commit=False))
            if request.method in SAFE_METHODS:
                # A page that only reads needs no transaction: in READ COMMITTED each statement
                # has its own snapshot either way, and autocommit spares the BEGIN and ROLLBACK
                # round trips through the pooler. Such a request must not write (it would be
                # committed statement by statement): a flush is refused.
                db.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
                event.listen(db, "before_flush", _refuse_writes)
            g.studio_db = db
        return g.studio_db

    def _close(self, _exc) -> None:
        db = g.pop("studio_db", None)
        if db is not None:
            db.close()

    def direct_url(self, server: str, database_name: str) -> URL:
        """The database on the PostgreSQL server itself, bypassing the pooler (migrations)."""
        return make_url(self.server(server).url).set(database=database_name)

    def direct_engine(self, server: str, database_name: str, **options) -> Engine:
        """Pool-less, on the server itself: one server session for a whole run (migrations, moves)."""
        return create_engine(self.direct_url(server, database_name), poolclass=NullPool, **options)

    def server_engine(self, server: str) -> Engine:
        """Autocommit and pool-less on the server itself: CREATE/DROP/ALTER DATABASE refuse transactions."""
        return self.direct_engine(server, "postgres", isolation_level="AUTOCOMMIT")

    def engine(self, server: str, database_name: str) -> Engine:
        """The pooled engine of a database on a server, created on first use, kept while recently used."""
        key = (server, database_name)
        with self._lock:
            engine = self._engines.get(key)
            if engine is not None:
                self._engines.move_to_end(key)
                return engine
            engine = self._create(server, database_name)
            self._engines[key] = engine
            self._database_of[engine] = database_name
            while len(self._engines) > self.cache_size:
                _, evicted = self._engines.popitem(last=False)
                _retire(evicted)
            return engine

    def database_of(self, bind) -> str | None:
        """The studio database a pooled engine reaches; None for any other bind (the master's)."""
        return self._database_of.get(bind) if isinstance(bind, Engine) else None

    def forget(self, server: str, database_name: str) -> None:
        with self._lock:
            engine = self._engines.pop((server, database_name), None)
        if engine is not None:
            _retire(engine)

    @property
    def checked_out_connections(self) -> int:
        """Studio connections in use by a request of this process right now."""
        with self._lock:
            return sum(engine.pool.checkedout() for engine in self._engines.values())

    @property
    def open_connections(self) -> int:
        """Studio connections this process holds, in use or idle in a pool."""
        with self._lock:
            return sum(
                engine.pool.checkedout() + engine.pool.checkedin() for engine in self._engines.values()
            )

    def _create(self, server: str, database_name: str) -> Engine:
        config = self.server(server)
        return create_engine(
            make_url(config.pool_url or config.url).set(database=database_name),
            pool_size=self.pool_size,
            max_overflow=0,
            pool_timeout=self.acquire_timeout,
            # No pre-ping: through transaction pooling it would cost a round trip and a server
            # connection per request. A connection the pooler dropped fails one request, and
            # SQLAlchemy then replaces every connection of that pool.
            pool_pre_ping=False,
            # psycopg 3 prepares a statement after 5 executions; through transaction pooling the
            # next transaction may run on another server connection, where it does not exist.
            connect_args={
                "connect_timeout": 5,
                "application_name": POOLED_APPLICATION_NAME,
                "prepare_threshold": None,
            },
        )
