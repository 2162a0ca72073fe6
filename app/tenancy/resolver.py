"""Host header -> studio, failing closed; like django-tenants, one class with overridable hooks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask, Request, g, render_template, request, session
from sqlalchemy import select

from app.extensions import master_db
from app.models.master import Organization
from app.settings import app_settings
from app.tenancy.studio_cache import StudioCache

_HOST = re.compile(r"(?P<name>[a-z0-9.-]{1,253})(?::(?P<port>[0-9]{1,5}))?")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")

# Endpoints that must answer on any Host: container health checks call them by IP.
EXEMPT_ENDPOINTS = frozenset({"health.healthz", "health.readyz"})


@dataclass(frozen=True)
class HostKind:
    platform: bool = False
    subdomain: str | None = None
    foreign: bool = False


class TenantResolver:
    """Resolves `g.studio` before every request. Subclass and override a hook to change one step."""

    def __init__(self, app: Flask | None = None) -> None:
        self.cache = StudioCache(ttl_seconds=0)  # nothing kept until init_app reads the setting
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        self.domain = app_settings(app).PLATFORM_DOMAIN
        self.cache = StudioCache(app_settings(app).TENANT_CACHE_SECONDS)
        app.before_request(self.resolve)
        app.extensions["tenant_resolver"] = self

    def hostname_from_request(self, req: Request) -> str | None:
        """The request's host name, lower case and without port; None when malformed."""
        raw = req.environ.get("HTTP_HOST", "").strip().lower()
        match = _HOST.fullmatch(raw)
        if match is None:
            return None
        name = match["name"].rstrip(".")
        if not name or ".." in name or name.startswith(("-", ".")):
            return None
        return name

    def classify(self, hostname: str | None) -> HostKind:
        if hostname is None:
            return HostKind(foreign=True)
        if hostname in (self.domain, "www." + self.domain):
            return HostKind(platform=True)
        suffix = "." + self.domain
        if not hostname.endswith(suffix):
            return HostKind(foreign=True)
        label = hostname[: -len(suffix)]
        if not _LABEL.fullmatch(label):
            # Several labels (a.b.DOMAIN) or odd characters: not a studio we could ever have made.
            return HostKind(subdomain="")
        return HostKind(subdomain=label)

    def get_tenant(self, subdomain: str) -> Organization | None:
        """The studio from the master database: one round trip (see MasterDatabase.lookup)."""
        if not subdomain:
            return None
        return master_db.lookup(select(Organization).where(Organization.subdomain == subdomain))

    def cached_tenant(self, subdomain: str) -> Organization | None:
        """get_tenant, kept for TENANT_CACHE_SECONDS; an unknown subdomain is asked again each time
        (a new studio is served at once, and random names cannot fill the cache)."""
        studio = self.cache.get(subdomain)
        if studio is None:
            studio = self.get_tenant(subdomain)
            if studio is not None:
                self.cache.put(subdomain, studio)
        return studio

    def no_tenant_found(self, subdomain: str):
        return render_template("errors/unknown_studio.html", subdomain=subdomain), 404

    def tenant_suspended(self, tenant: Organization):
        return render_template("errors/suspended.html", studio_name=tenant.name), 403

    def foreign_host(self):
        return render_template("errors/foreign_host.html"), 400

    def resolve(self):
        g.studio = None
        g.is_platform = False
        if request.endpoint in EXEMPT_ENDPOINTS:
            return None
        kind = self.classify(self.hostname_from_request(request))
        if kind.foreign:
            return self.foreign_host()
        if kind.platform:
            g.is_platform = True
            self._unbind_foreign_session(None)
            return None
        studio = self.cached_tenant(kind.subdomain)
        # A get_tenant of a subclass may use the request's master session: hand its connection
        # back now, so a request (a slow AI chat, say) does not hold one of the process's few.
        master_db.close_session()
        if studio is None:
            return self.no_tenant_found(kind.subdomain)
        if studio.is_suspended:
            return self.tenant_suspended(studio)
        g.studio = studio
        self._unbind_foreign_session(str(studio.id))
        return None

    def _unbind_foreign_session(self, studio_id: str | None) -> None:
        # Cookies are host-only, so this only triggers on a replayed cookie: treat it as no session.
        bound = session.get("studio_id")
        if bound is not None and bound != studio_id:
            session.clear()
