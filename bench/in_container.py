"""Run by the bench inside the live app container (`docker exec -i CONTAINER python3 - ARGS`), so it
uses the app's own code, settings and databases. Prints one JSON object per line.

    provision PREFIX COUNT            make studios PREFIX0..PREFIX{COUNT-1} and sign each owner in:
                                      {"subdomain", "seconds", "cookie"} per studio (the owners'
                                      password is made here and never leaves the container)
    clients SUBDOMAIN COUNT           add COUNT clients to a studio: {"clients": COUNT}
    delete PREFIX                     delete every studio whose subdomain starts with PREFIX: {"deleted"}

Sign-in goes through the app's real /login (CSRF token, password check, Redis session), in process.
"""

from __future__ import annotations

import json
import re
import secrets
import sys
import time

from sqlalchemy import select

from app import create_app
from app.extensions import master_db, studio_db
from app.models.master import Organization
from app.models.studio import Client
from app.tenancy.provisioning import NewStudio, drop_studio, provision_studio

app = create_app()
domain = app.config["SETTINGS"].PLATFORM_DOMAIN


def emit(**fields) -> None:
    print(json.dumps(fields), flush=True)


def sign_in(subdomain: str, email: str, password: str) -> str:
    client = app.test_client()
    site = f"https://{subdomain}.{domain}"  # HTTPS, as nginx passes it on: the cookie is Secure
    page = client.get("/login", base_url=site).get_data(as_text=True)
    # The sign-in form's hidden field (the staff pages carry the token in a meta tag instead).
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", base_url=site, data={"csrf_token": token, "email": email, "password": password}
    )
    assert response.status_code == 302, response.status_code
    return client.get_cookie("rsm_session", domain=f"{subdomain}.{domain}").value


def provision(prefix: str, count: int) -> None:
    password = secrets.token_urlsafe(16)
    for number in range(count):
        subdomain, email = f"{prefix}{number}", f"owner@{prefix}{number}.example"
        # A context per studio, and none around the sign-in: a request would reuse an active one
        # (and its `g`, with the previous studio's session).
        with app.app_context():
            started = time.perf_counter()
            provision_studio(
                NewStudio.parse(
                    {
                        "studio_name": f"Bench {number}",
                        "subdomain": subdomain,
                        "owner_name": "Bench Owner",
                        "email": email,
                        "password": password,
                    },
                    master_db.session,
                )
            )
            seconds = time.perf_counter() - started
        emit(subdomain=subdomain, seconds=seconds, cookie=sign_in(subdomain, email, password))


def add_clients(subdomain: str, count: int) -> None:
    with app.app_context():
        studio = master_db.session.scalar(select(Organization).where(Organization.subdomain == subdomain))
        rows = [{"name": f"Client {n:04d}", "email": f"client{n}@{subdomain}.example"} for n in range(count)]
        with studio_db.studio_engine(studio).begin() as conn:
            conn.execute(Client.__table__.insert(), rows)
    emit(clients=count)


def delete(prefix: str) -> None:
    with app.app_context():
        studios = master_db.session.scalars(
            select(Organization).where(Organization.subdomain.startswith(prefix))
        ).all()
        master_db.session.close()
        for studio in studios:
            drop_studio(studio)
    emit(deleted=len(studios))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "provision":
        provision(args[0], int(args[1]))
    elif command == "clients":
        add_clients(args[0], int(args[1]))
    elif command == "delete":
        delete(args[0])
    else:
        sys.exit(f"unknown command {command}")
