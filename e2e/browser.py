"""A browser-like HTTP(S) client for the e2e server: connects to the server's IP while sending the
real host name (SNI and Host), trusts only the test CA, keeps host-only cookies, never follows
redirects by itself (tests look at each hop). For the end-to-end tests and for anything else that
signs in and drives the converged server: `Browser(state["server_ip"], state["pebble_issuer_root"])`."""

from __future__ import annotations

import http.client
import json as _json
import re
import socket
import ssl
import urllib.parse
from dataclasses import dataclass, field


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    url: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    def csrf_token(self) -> str:
        match = (
            re.search(r'name="csrf_token"\s+value="([^"]+)"', self.body)
            or re.search(r'value="([^"]+)"\s+name="csrf_token"', self.body)
            or re.search(r'<meta\s+name="csrf-token"\s+content="([^"]+)"', self.body)
        )
        if not match:
            raise AssertionError(f"no csrf_token on {self.url} (HTTP {self.status})")
        return match.group(1)

    def json(self):
        return _json.loads(self.body)


@dataclass
class Browser:
    ip: str
    cafile: str
    timeout: float = 30
    cookies: dict[str, dict[str, str]] = field(default_factory=dict)  # host -> name -> value

    def _connection(self, scheme: str, host: str, sni: str | None = None):
        port = 443 if scheme == "https" else 80
        if scheme == "https":
            ctx = ssl.create_default_context(cafile=self.cafile)
            conn = http.client.HTTPSConnection(sni or host, port, timeout=self.timeout, context=ctx)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=self.timeout)
        ip = self.ip

        def create_connection(address, timeout=None, source_address=None):
            return socket.create_connection((ip, address[1]), timeout, source_address)

        conn._create_connection = create_connection  # resolve every name to the server, like --resolve
        return conn

    def request(
        self,
        method: str,
        url: str,
        *,
        data: dict | None = None,
        json: dict | None = None,
        headers: dict[str, str] | None = None,
        host_header: str | None = None,
        sni: str | None = None,
    ) -> Response:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        hdrs = {"User-Agent": "rsm-e2e/1", "Accept": "text/html,application/json"}
        jar = self.cookies.get(host, {})
        if jar:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        elif json is not None:
            body = _json.dumps(json)
            hdrs["Content-Type"] = "application/json"
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            hdrs["Origin"] = f"{parts.scheme}://{host}"
            hdrs["Referer"] = url
        hdrs.update(headers or {})
        conn = self._connection(parts.scheme, host, sni)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", host_header or host)
            for key, value in hdrs.items():
                conn.putheader(key, value)
            encoded = body.encode() if body is not None else None
            if encoded is not None:
                conn.putheader("Content-Length", str(len(encoded)))
            conn.endheaders(encoded)
            resp = conn.getresponse()
            raw = resp.read()
            for header, value in resp.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    val = rest.split(";", 1)[0]
                    if "max-age=0" in value.lower() or "expires=thu, 01 jan 1970" in value.lower():
                        self.cookies.setdefault(host, {}).pop(name.strip(), None)
                    else:
                        self.cookies.setdefault(host, {})[name.strip()] = val
            headers_out = {k.lower(): v for k, v in resp.getheaders() if k.lower() != "set-cookie"}
            headers_out["set-cookie"] = "\n".join(
                v for k, v in resp.getheaders() if k.lower() == "set-cookie"
            )
            return Response(resp.status, headers_out, raw.decode("utf-8", errors="replace"), url)
        finally:
            conn.close()

    def get(self, url: str, **kw) -> Response:
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw) -> Response:
        return self.request("POST", url, **kw)

    def follow(self, response: Response, limit: int = 5) -> Response:
        """Follow redirects with GET, resolving relative Locations."""
        for _ in range(limit):
            if response.status not in (301, 302, 303, 307, 308):
                return response
            response = self.get(urllib.parse.urljoin(response.url, response.location))
        return response
