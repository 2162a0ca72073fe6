"""What makes a studio subdomain acceptable, with one message per reason."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.master import Organization

SUBDOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]{1,28})[a-z0-9]")
RESERVED = frozenset(
    {
        "www",
        "api",
        "admin",
        "mail",
        "static",
        "app",
        "apps",
        "smtp",
        "imap",
        "pop",
        "ftp",
        "ns1",
        "ns2",
        "dns",
        "mx",
        "webmail",
        "support",
        "help",
        "status",
        "docs",
        "blog",
        "billing",
        "signup",
        "login",
        "auth",
        "dashboard",
        "cdn",
        "assets",
        "dev",
        "staging",
        "test",
        "root",
        "postmaster",
        "hostmaster",
        "webmaster",
        "abuse",
        "security",
        "_acme-challenge",
    }
)


def subdomain_format_problem(subdomain: str) -> str | None:
    if not 3 <= len(subdomain) <= 30:
        return "Use between 3 and 30 characters."
    if subdomain != subdomain.lower() or not SUBDOMAIN.fullmatch(subdomain):
        return "Use lower-case letters a-z, digits and hyphens; start and end with a letter or digit."
    if "--" in subdomain:
        return "Don't use two hyphens in a row."
    if subdomain in RESERVED:
        return f"{subdomain} is reserved. Choose another name."
    return None


def studio_exists(db: Session, subdomain: str) -> bool:
    return db.scalar(select(Organization.id).where(Organization.subdomain == subdomain)) is not None


def subdomain_problem(db: Session, subdomain: str) -> str | None:
    problem = subdomain_format_problem(subdomain)
    if problem:
        return problem
    if studio_exists(db, subdomain):
        return f"{subdomain} is already taken. Choose another name."
    return None
