"""Security headers on every response the app gives: pages, JSON, static files and error pages.

The app sets them, not nginx: nginx proxies every path (static files too) to the app, so one
after_request covers every response a browser renders, and the browser test, which runs the app
without nginx, meets the very policy production sends. Strict-Transport-Security alone is
nginx's, because TLS is (templates/nginx/https.conf.j2); nginx's own 502/504 pages carry no
script to protect.

The policy allows scripts and styles from the site's own files only: no inline script, style or
event handler (confirm.js serves forms that ask before sending).
"""

from __future__ import annotations

from app.settings import app_settings


def content_security_policy(domain: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            # The finder and the last signup step post on the apex and lead to a studio's subdomain.
            f"form-action 'self' {domain}:* *.{domain}:*",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(domain: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(domain),
        "X-Content-Type-Options": "nosniff",
        # frame-ancestors for current browsers, X-Frame-Options for older ones.
        "X-Frame-Options": "DENY",
        # Page addresses carry searches and ids: other sites get at most our origin, never a path.
        "Referrer-Policy": "same-origin",
    }


def init_app(app) -> None:
    headers = security_headers(app_settings(app).PLATFORM_DOMAIN)

    @app.after_request
    def add_security_headers(response):
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
