"""Serving through nginx + TLS: five pages in one run (the dashboard twice: kept, and rendered every time), each with its ratio to /healthz."""

from __future__ import annotations

from bench.server import Remote
from bench.wrk import fresh_script, wrk
from e2e.util import log, stage

LIST_STUDIO_CLIENTS = 1000


def serving(args, state: dict, remote: Remote, subdomain_prefix: str) -> dict:
    """The five pages one after the other, a studio with 1,000 clients made for the list page."""
    domain, ip = state["domain"], state["server_ip"]
    with stage(f"a studio with {LIST_STUDIO_CLIENTS} clients"):
        (studio,) = remote.in_app("provision", subdomain_prefix, "1")
        remote.in_app("clients", studio["subdomain"], str(LIST_STUDIO_CLIENTS))
    host = f"https://{studio['subdomain']}.{domain}"
    signed_in = {"Cookie": f"rsm_session={studio['cookie']}"}
    pages = {
        "/healthz": (f"https://{domain}/healthz", None, None),
        "studio /login": (f"{host}/login", None, None),
        "signed-in /dashboard": (f"{host}/dashboard", signed_in, None),
        # The same page with the page cache out of the way: what a first view or a view after
        # a change costs.
        "signed-in /dashboard, rendered every time": (
            f"{host}/dashboard",
            signed_in,
            fresh_script("/dashboard"),
        ),
        f"signed-in /clients ({LIST_STUDIO_CLIENTS} clients)": (f"{host}/clients", signed_in, None),
    }
    figures = {}
    for name, (url, headers, script) in pages.items():
        with stage(f"wrk {name}"):
            run = {
                "seconds": args.seconds,
                "connections": args.connections,
                "headers": headers,
                "script": script,
            }
            wrk(ip, url, **{**run, "seconds": 3})  # warm-up
            figures[name] = wrk(ip, url, **run)
        if figures[name]["failed"]:
            log(f"  {figures[name]['failed']} failed; the app's last other lines:\n{remote.app_log_tail()}")
    base = figures["/healthz"]["requests_per_second"]
    for page in figures.values():
        page["ratio_to_healthz"] = round(page["requests_per_second"] / base, 2)
    return figures
