"""Create and drop studios: what a new studio needs, then its organization row and its own database,
all or nothing."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy import text as sql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import logs
from app.extensions import master_db, studio_db
from app.inputs import Field, FormError, Input, email_address, new_password, text
from app.models.master import (
    AiCreditEntry,
    Organization,
    OrganizationStatus,
    Plan,
    Subscription,
    SubscriptionStatus,
)
from app.models.studio import AccountRole, StaffAccount
from app.security.passwords import hash_password
from app.settings import app_settings
from app.tenancy import migrations
from app.tenancy.servers import choose_server
from app.tenancy.studio_template import create_from_template
from app.tenancy.subdomains import studio_exists, subdomain_format_problem

TRIAL_DAYS = 14


def subdomain_name(raw: Any) -> str:
    value = raw.strip().lower() if isinstance(raw, str) else ""
    problem = subdomain_format_problem(value)
    if problem:
        raise ValueError(problem)
    return value


# What a new studio needs, as one input class (NewStudio) in three parts: the signup wizard checks
# it step by step, `flask tenants create` at once, so both refuse exactly the same things.


class StudioStep(Input):
    studio_name = Field("Studio name", text(120), required="Enter your studio's name.")
    subdomain = Field("Your address", subdomain_name, required=subdomain_format_problem(""))

    def check(self, db: Session, errors: dict[str, str]) -> None:
        if "subdomain" not in errors and studio_exists(db, self.subdomain):
            errors["subdomain"] = f"{self.subdomain} is already taken. Choose another name."


class OwnerStep(Input):
    owner_name = Field("Your name", text(120), required="Enter your name.")
    email = Field("Email", email_address, required="Enter an email address such as you@example.com.")


class PasswordStep(Input):
    password = Field("Password", new_password, required="Use at least 10 characters.")


class NewStudio(StudioStep, OwnerStep, PasswordStep):
    """Everything provisioning needs: the studio's name and subdomain, and its owner's account."""


STEPS = (StudioStep, OwnerStep, PasswordStep)


def database_name_for(organization_id: uuid.UUID) -> str:
    # Built from the id only: user text never reaches a CREATE DATABASE statement.
    return app_settings().TENANT_DATABASE_PREFIX + organization_id.hex


def studios_per_server(db: Session) -> dict[str, int]:
    """How many studios each server holds, in one master query (a studio being moved counts on
    both: it will be on its target, and until then it is on its source)."""
    home = studio_db.home
    rows = db.execute(
        sql(
            "SELECT server, count(*) FROM ("
            " SELECT coalesce(database_server, :home) AS server FROM organizations"
            " UNION ALL SELECT moving_to FROM organizations WHERE moving_to IS NOT NULL"
            ") placed GROUP BY server"
        ),
        {"home": home},
    )
    return {server: count for server, count in rows}


def place_studio(db: Session, pinned: str | None = None) -> str:
    """The server a new studio goes to: `pinned` by an operator, else the one with the most room."""
    if pinned is not None:
        return studio_db.server(pinned).name
    return choose_server(list(studio_db.servers.values()), studios_per_server(db))


def create_database(server: str, database_name: str) -> None:
    """The studio's database on `server`, migrated: a copy of that server's studio template
    (app/tenancy/studio_template.py)."""
    with studio_db.server_engine(server).connect() as conn:
        create_from_template(conn, database_name, partial(migrate_studio_database, server))


def drop_database(server: str, database_name: str) -> None:
    studio_db.forget(server, database_name)
    with studio_db.server_engine(server).connect() as conn:
        conn.execute(sql(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)'))


def migrate_studio_database(server: str, database_name: str) -> None:
    # Direct, not through the pooler: a migration needs one server session for its whole run.
    engine = studio_db.direct_engine(server, database_name)
    try:
        with engine.begin() as conn:
            migrations.upgrade("studio", conn)
    finally:
        engine.dispose()


def create_owner(server: str, database_name: str, studio: NewStudio, password_hash: str) -> None:
    with studio_db.engine(server, database_name).begin() as conn:
        conn.execute(
            StaffAccount.__table__.insert().values(
                email=studio.email,
                name=studio.owner_name,
                password_hash=password_hash,
                role=AccountRole.OWNER,
                is_active=True,
            )
        )


def provision_studio(
    studio: NewStudio, password_hash: str | None = None, server: str | None = None
) -> Organization:
    """Create the organization, its database (a copy of the migrated template, on the server with
    the most room or on `server`) and owner; on any failure, undo all of it.

    `studio` was parsed by NewStudio; the owner's password is `password_hash` when given (a
    verified signup kept only the hash), else `studio.password` hashed here. The organization row is inserted first but committed last, so
    a concurrent signup for the same subdomain waits on the unique index and then fails cleanly
    (a FormError on the subdomain) instead of racing.
    """
    started = time.perf_counter()
    db = master_db.new_session()
    organization_id = uuid.uuid4()
    database_name = database_name_for(organization_id)
    database_created = False
    try:
        server = place_studio(db, server)
        plan = db.scalar(select(Plan).where(Plan.code == "trial"))
        now = datetime.now(UTC)
        trial_ends_at = now + timedelta(days=TRIAL_DAYS)
        organization = Organization(
            id=organization_id,
            name=studio.studio_name,
            subdomain=studio.subdomain,
            database_name=database_name,
            database_server=server,
            status=OrganizationStatus.TRIAL,
            plan_id=plan.id,
            trial_ends_at=trial_ends_at,
        )
        db.add(organization)
        try:
            db.flush()
        except IntegrityError:
            taken = f"{studio.subdomain} was taken a moment ago. Choose another name."
            raise FormError({"subdomain": taken}) from None
        db.add(
            Subscription(
                organization_id=organization_id,
                plan_id=plan.id,
                status=SubscriptionStatus.TRIALING,
                trial_ends_at=trial_ends_at,
            )
        )
        db.add(
            AiCreditEntry(
                organization_id=organization_id,
                delta=app_settings().AI_TRIAL_CREDITS,
                reason="trial grant",
            )
        )
        db.flush()
        # Set first: whatever part of the copy happened, the cleanup below drops what exists.
        database_created = True
        create_database(server, database_name)
        create_owner(server, database_name, studio, password_hash or hash_password(studio.password))
        db.commit()
        logs.event(
            "studio_provisioned",
            studio=studio.subdomain,
            database_server=server,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
        )
        return organization
    except BaseException:
        db.rollback()
        if database_created:
            drop_database(server, database_name)
        raise
    finally:
        db.close()


def drop_studio(organization: Organization) -> None:
    """Delete a studio for good: its database (and a move's copy) first, then its master rows."""
    for server in {studio_db.server_of(organization), organization.moving_to, organization.moved_from} - {
        None
    }:
        drop_database(server, organization.database_name)
    db = master_db.new_session()
    try:
        db.delete(db.get(Organization, organization.id))
        db.commit()
    finally:
        db.close()
