"""Render the Jinja2 templates under templates/ (pure: context in, text out).

StrictUndefined: a template may use only the variables passed to it; a missing one is an error,
never an empty string in a config file.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    autoescape=False,
)


def render(name: str, context: dict) -> str:
    return _env.get_template(name).render(**context)


def nginx_files(context: dict) -> tuple[dict[str, str], dict[str, str]]:
    """(always-served files, files served once the certificate exists), by path under /etc/nginx."""
    base = {
        "nginx.conf": render("nginx/nginx.conf.j2", context),
        "rsm/http.conf": render("nginx/http.conf.j2", context),
    }
    tls = {
        "rsm/https.conf": render("nginx/https.conf.j2", context),
        "rsm/ffdhe2048.pem": (TEMPLATES / "nginx" / "ffdhe2048.pem").read_text(),
    }
    return base, tls


def compose_file(context: dict) -> str:
    return render("compose/compose.yaml.j2", context)
