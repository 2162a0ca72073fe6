"""Serving through nginx + TLS: four pages in one run, each with its ratio to /healthz."""

from __future__ import annotations

from bench.server import Remote
from bench.wrk import wrk
from e2e.util import log, stage

LIST_STUDIO_CLIENTS = 1000


def serving(args, state: dict, remote: Remote, subdomain_prefix: str) -> dict:
    """The four pages one after the other, a studio with 1,000 clients made for the list page."""
    domain, ip = state["domain"], state["server_ip"]
    with stage(f"a studio with {LIST_STUDIO_CLIENTS} clients"):
        (studio,) = remote.in_app("provision", subdomain_prefix, "1")
        remote.in_app("clients", studio["subdomain"], str(LIST_STUDIO_CLIENTS))
    host = f"https://{studio['subdomain']}.{domain}"
    signed_in = {"Cookie": f"rsm_session={studio['cookie']}"}
    pages = {
        "/healthz": (f"https://{domain}/healthz", None),
        "studio /login": (f"{host}/login", None),
        "signed-in /dashboard": (f"{host}/dashboard", signed_in),
        f"signed-in /clients ({LIST_STUDIO_CLIENTS} clients)": (f"{host}/clients", signed_in),
    }
    figures = {}
    for name, (url, headers) in pages.items():
        with stage(f"wrk {name}"):
            wrk(ip, url, seconds=3, connections=args.connections, headers=headers)  # warm-up
            figures[name] = wrk(ip, url, seconds=args.seconds, connections=args.connections, headers=headers)
        if figures[name]["failed"]:
            log(f"  {figures[name]['failed']} failed; the app's last other lines:\n{remote.app_log_tail()}")
    base = figures["/healthz"]["requests_per_second"]
    for page in figures.values():
        page["ratio_to_healthz"] = round(page["requests_per_second"] / base, 2)
    return figures
