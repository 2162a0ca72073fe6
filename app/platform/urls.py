"""Links from the apex to a studio's own subdomain, keeping the scheme and port the user came with."""

from __future__ import annotations

from flask import request

from app.settings import app_settings


def _url(host: str, path: str) -> str:
    came_with = request.environ.get("HTTP_HOST", "")
    port = came_with.rsplit(":", 1)[1] if ":" in came_with else ""
    return f"{request.scheme}://{host}" + (f":{port}" if port else "") + path


def studio_url(subdomain: str, path: str = "/login") -> str:
    return _url(f"{subdomain}.{app_settings().PLATFORM_DOMAIN}", path)


def apex_url(path: str = "/") -> str:
    return _url(app_settings().PLATFORM_DOMAIN, path)
