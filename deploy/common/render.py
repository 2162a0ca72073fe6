"""Render the Jinja2 templates under templates/ (pure: context in, text out).

StrictUndefined: a template may use only the variables passed to it; a missing one is an error,
never an empty string in a config file.
"""

from __future__ import annotations

import jinja2

from deploy.common.controller import TEMPLATES

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    autoescape=False,
)


def render(name: str, context: dict) -> str:
    """templates/NAME rendered with exactly the variables in context."""
    return _env.get_template(name).render(**context)
