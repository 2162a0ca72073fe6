r"""Where the app may send a browser that named its own destination (`next`, `back`).

Browsers read a Location header leniently: they drop tabs and line breaks anywhere, read a
backslash as a slash, and take `//host` or `/\host` as another site. So a target is followed only
when it is plainly a path of this site: it starts with one "/", holds no control character and no
backslash, and has neither scheme nor host once parsed. Anything else is the caller's default.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def same_site_path(target: str | None, default: str) -> str:
    """`target` when it is a path on this site, as a browser would read it; else `default`."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if _CONTROL.search(target) or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
