"""A Flask test client that sends every request with one Host header, as a browser on that host would."""

from __future__ import annotations

import re


class HostClient:
    def __init__(self, app, host: str) -> None:
        self.host = host
        self.http = app.test_client()

    def open(self, path: str, **kwargs):
        kwargs["headers"] = {**kwargs.get("headers", {}), "Host": self.host}
        return self.http.open(path, **kwargs)

    def get(self, path: str, **kwargs):
        return self.open(path, method="GET", **kwargs)

    def post(self, path: str, **kwargs):
        return self.open(path, method="POST", **kwargs)

    def csrf_token(self, path: str = "/login") -> str:
        page = self.get(path).get_data(as_text=True)
        # A form's hidden field, or the staff pages' meta tag (read by their scripts).
        match = re.search(r'name="csrf_token" value="([^"]+)"', page) or re.search(
            r'name="csrf-token" content="([^"]+)"', page
        )
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def post_form(self, path: str, data: dict, token_from: str | None = None):
        token = self.csrf_token(token_from or path)
        return self.post(path, data={**data, "csrf_token": token})
