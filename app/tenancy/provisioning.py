"""Create and drop studios: the organization row and its own database, all or nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import NullPool

from app.extensions import master_db, studio_db
from app.models.master import AiCreditEntry, Organization, OrganizationStatus, Plan, Subscription
from app.models.studio import StaffAccount
from app.security.passwords import hash_password
from app.tenancy import migrations

TRIAL_DAYS = 14


class ProvisioningError(RuntimeError):
    """The studio could not be created; nothing of it was left behind."""


class SubdomainTaken(ProvisioningError):
    pass


@dataclass(frozen=True)
class NewStudio:
    name: str
    subdomain: str
    owner_name: str
    owner_email: str
    owner_password: str


def database_name_for(organization_id: uuid.UUID) -> str:
    # Built from the id only: user text never reaches a CREATE DATABASE statement.
    return current_app.config["TENANT_DATABASE_PREFIX"] + organization_id.hex


def _server_engine():
    """An autocommit connection to the tenant server (CREATE/DROP DATABASE refuse transactions)."""
    return create_engine(
        studio_db.server_url, poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )


def create_database(database_name: str) -> None:
    with _server_engine().connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database_name}"'))


def drop_database(database_name: str) -> None:
    studio_db.forget(database_name)
    with _server_engine().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)'))


def migrate_studio_database(database_name: str) -> None:
    with studio_db.engine(database_name).begin() as conn:
        migrations.upgrade("studio", conn)


def create_owner(database_name: str, studio: NewStudio) -> None:
    with studio_db.engine(database_name).begin() as conn:
        conn.execute(
            StaffAccount.__table__.insert().values(
                email=studio.owner_email.lower(),
                name=studio.owner_name,
                password_hash=hash_password(studio.owner_password),
                role="owner",
                is_active=True,
            )
        )


def provision_studio(studio: NewStudio) -> Organization:
    """Create the organization, its database, schema and owner; on any failure, undo all of it.

    The organization row is inserted first but committed last, so a concurrent signup for the same
    subdomain waits on the unique index and then fails cleanly instead of racing.
    """
    db = master_db.new_session()
    organization_id = uuid.uuid4()
    database_name = database_name_for(organization_id)
    database_created = False
    try:
        plan = db.scalar(select(Plan).where(Plan.code == "trial"))
        organization = Organization(
            id=organization_id,
            name=studio.name,
            subdomain=studio.subdomain,
            database_name=database_name,
            status=OrganizationStatus.TRIAL.value,
            plan_id=plan.id,
        )
        db.add(organization)
        try:
            db.flush()
        except IntegrityError as exc:
            raise SubdomainTaken(f"{studio.subdomain} is already taken") from exc
        now = datetime.now(timezone.utc)
        db.add(
            Subscription(
                organization_id=organization_id,
                plan_id=plan.id,
                status="trialing",
                trial_ends_at=now + timedelta(days=TRIAL_DAYS),
            )
        )
        db.add(
            AiCreditEntry(
                organization_id=organization_id,
                delta=int(current_app.config["AI_TRIAL_CREDITS"]),
                reason="trial grant",
            )
        )
        db.flush()
        create_database(database_name)
        database_created = True
        migrate_studio_database(database_name)
        create_owner(database_name, studio)
        db.commit()
        return organization
    except BaseException:
        db.rollback()
        if database_created:
            drop_database(database_name)
        raise
    finally:
        db.close()


def drop_studio(organization: Organization) -> None:
    """Delete a studio for good: its database first, then its rows in the master database."""
    drop_database(organization.database_name)
    db = master_db.new_session()
    try:
        db.delete(db.get(Organization, organization.id))
        db.commit()
    finally:
        db.close()
