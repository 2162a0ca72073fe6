"""Input no page or tool can use, refused before any view runs with a 400 that says why.

Control characters in query arguments, form fields, JSON strings, the path and the headers the app
reads; a JSON body nested deeper than app.limits.MAX_JSON_DEPTH. Otherwise they would surface
later as a server error: PostgreSQL refuses NUL in text, a CR/LF cannot go into a redirect's
Location header, and Python's JSON parser recurses until it crashes.
"""

from __future__ import annotations

import re
from typing import Any

from flask import abort, request

from app import limits
from app.inputs import CONTROL_IN_TEXT

# In a name, a query argument, the path or a header, no control character at all.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A JSON string, escapes included (unrolled, so it cannot backtrack).
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_NOT_BRACKET = re.compile(rb"[^\[\]{}]")
HEADERS_READ = ("Host", "X-CSRFToken")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _refuse(where: str) -> None:
    abort(
        400,
        description=f"The request's {where} holds a control character (such as NUL or a line break) "
        "that this site does not accept. Remove it and try again.",
    )


def json_depth(body: bytes, stop_after: int) -> int:
    """How deeply a JSON text nests arrays and objects, counted up to `stop_after` + 1."""
    depth = deepest = 0
    for bracket in _JSON_NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", body)):
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
        if deepest > stop_after:
            break
    return deepest


def _json_strings_have_control(value: Any) -> bool:
    if isinstance(value, str):
        return CONTROL_IN_TEXT.search(value) is not None
    if isinstance(value, dict):
        return any(_CONTROL.search(key) or _json_strings_have_control(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_json_strings_have_control(item) for item in value)
    return False


def refuse_unusable_input() -> None:
    if _CONTROL.search(request.path):
        _refuse("address")
    for name in HEADERS_READ:
        if _CONTROL.search(request.headers.get(name, "")):
            _refuse(f"{name} header")
    for name, value in request.args.items(multi=True):
        if _CONTROL.search(name) or _CONTROL.search(value):
            _refuse("query arguments")
    if request.mimetype in FORM_TYPES:
        for name, value in request.form.items(multi=True):
            if _CONTROL.search(name) or CONTROL_IN_TEXT.search(value):
                _refuse("form fields")
    if request.is_json:
        if json_depth(request.get_data(cache=True), limits.MAX_JSON_DEPTH) > limits.MAX_JSON_DEPTH:
            abort(400, description=f"The JSON body nests deeper than {limits.MAX_JSON_DEPTH} levels.")
        # Parsed once here; the view's get_json() reads the cached value.
        if _json_strings_have_control(request.get_json(silent=True)):
            _refuse("JSON body")


def init_app(app) -> None:
    app.before_request(refuse_unusable_input)
