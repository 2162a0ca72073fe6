"""Operator commands: `flask --app app migrate` and `flask --app app tenants ...`."""

from __future__ import annotations

import sys
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from app.extensions import master_db, studio_db
from app.inputs import FormError
from app.models.master import Organization, OrganizationStatus
from app.tenancy import migrations
from app.tenancy.databases import UnknownServer
from app.tenancy.moving import MoveError, StudioMove
from app.tenancy.provisioning import NewStudio, drop_studio, provision_studio
from app.tenancy.studio_migrations import migrate_studios

tenants = AppGroup("tenants", help="Create, list, suspend, resume and delete studios.")
# NewStudio's fields as `tenants create` names them.
OPTIONS = {
    "studio_name": "--name",
    "subdomain": "--subdomain",
    "owner_name": "--owner-name",
    "email": "--owner-email",
    "password": "--owner-password",
}


def _organizations() -> list[Organization]:
    return list(master_db.session.scalars(select(Organization).order_by(Organization.created_at)))


def _find(subdomain: str) -> Organization:
    organization = master_db.session.scalar(select(Organization).where(Organization.subdomain == subdomain))
    if organization is None:
        raise click.ClickException(f"no studio with subdomain {subdomain!r}")
    return organization


@click.command("migrate")
@click.option("--tenants-only", is_flag=True, help="Skip the master database.")
@click.option(
    "--jobs",
    type=click.IntRange(1, 32),
    default=4,
    show_default=True,
    help="Studio databases migrated at once (one direct connection each).",
)
@with_appcontext
def migrate_command(tenants_only: bool, jobs: int) -> None:
    """Upgrade the master database, then every studio's database in parallel, one line each."""
    if not tenants_only:
        started = time.monotonic()
        with master_db.engine.begin() as conn:
            migrations.upgrade("master", conn)
        click.echo(f"master: at head ({time.monotonic() - started:.2f}s)")
    urls, failed = {}, []
    for organization in _organizations():
        try:
            url = studio_db.direct_url(studio_db.server_of(organization), organization.database_name)
        except UnknownServer as exc:
            click.echo(f"{organization.subdomain}: FAILED: {exc}", err=True)
            failed.append(organization.subdomain)
            continue
        urls[organization.subdomain] = url.render_as_string(hide_password=False)
    master_db.session.close()
    # Every server's studios at once: a worker takes the next studio whichever server holds it.
    for number, result in enumerate(migrate_studios(urls, jobs), 1):
        click.echo(
            f"[{number}/{len(urls)}] {result.subdomain}: {result.outcome} ({result.seconds:.2f}s)",
            err=result.failed,
        )
        if result.failed:
            failed.append(result.subdomain)
    if failed:
        click.echo(
            f"{len(failed)} studio database(s) failed to migrate: {', '.join(sorted(failed))}", err=True
        )
        sys.exit(1)


@tenants.command("list")
def list_command() -> None:
    """One line per studio: subdomain, status, database server, database (and a move under way)."""
    for organization in _organizations():
        line = f"{organization.subdomain}\t{organization.status}\t{studio_db.server_of(organization)}\t{organization.database_name}"
        if organization.moving_to:
            line += f"\tmoving to {organization.moving_to}"
        if organization.moved_from:
            line += f"\told copy on {organization.moved_from} to drop"
        click.echo(line)


@tenants.command("create")
@click.option("--name", required=True, help="The studio's name.")
@click.option("--subdomain", required=True)
@click.option("--owner-name", required=True)
@click.option("--owner-email", required=True)
@click.password_option("--owner-password", help="Asked for when not given.")
@click.option(
    "--server",
    help="The database server (a TENANT_DATABASE_SERVERS name); default: the one with the most room.",
)
def create_command(name, subdomain, owner_name, owner_email, owner_password, server) -> None:
    """Create a studio with its database and owner, with the checks of the signup wizard."""
    given = {
        "studio_name": name,
        "subdomain": subdomain,
        "owner_name": owner_name,
        "email": owner_email,
        "password": owner_password,
    }
    try:
        organization = provision_studio(NewStudio.parse(given, master_db.session), server=server)
    except FormError as exc:
        problems = "; ".join(f"{OPTIONS[field]}: {message}" for field, message in exc.errors.items())
        raise click.ClickException(problems) from None
    except UnknownServer as exc:
        raise click.ClickException(f"--server: {exc}") from None
    click.echo(
        f"created {organization.subdomain} ({organization.database_name} on {organization.database_server})"
    )


def _forget_cached(subdomain: str) -> None:
    # This process's cache only: the serving processes see the change within TENANT_CACHE_SECONDS.
    current_app.extensions["tenant_resolver"].cache.forget(subdomain)


def _set_status(subdomain: str, status: OrganizationStatus) -> None:
    organization = _find(subdomain)
    organization.status = status
    master_db.session.commit()
    _forget_cached(subdomain)
    click.echo(f"{subdomain}: {status}")


@tenants.command("suspend")
@click.argument("subdomain")
def suspend_command(subdomain: str) -> None:
    """Suspend a studio: its pages show a notice and no data."""
    _set_status(subdomain, OrganizationStatus.SUSPENDED)


@tenants.command("activate")
@click.argument("subdomain")
def activate_command(subdomain: str) -> None:
    """Make a studio active (paying) again."""
    _set_status(subdomain, OrganizationStatus.ACTIVE)


@tenants.command("delete")
@click.argument("subdomain")
@click.option("--yes", is_flag=True, help="Confirm that the studio and its database go for good.")
def delete_command(subdomain: str, yes: bool) -> None:
    """Delete a studio and its database for good.

    On a server, run it as `scripts/tenants HOST delete SUBDOMAIN --yes`, which takes the studio's
    final dump on the db host first and deletes nothing when that fails.
    """
    organization = _find(subdomain)
    if not yes:
        raise click.ClickException(f"this deletes {subdomain} and all its data; add --yes to confirm")
    drop_studio(organization)
    _forget_cached(subdomain)
    click.echo(f"deleted {subdomain} ({organization.database_name} on {studio_db.server_of(organization)})")


@tenants.command("move")
@click.argument("subdomain")
@click.argument("server")
@click.option("--abort", is_flag=True, help="Undo a move not yet switched: drop the copy, lift read-only.")
def move_command(subdomain: str, server: str, abort: bool) -> None:
    """Move a studio's database to SERVER (read-only for the copy); run again to resume or finish."""
    try:
        move = StudioMove(subdomain, server, echo=click.echo)
        if abort:
            move.abort()
        else:
            move.run()
    except (MoveError, UnknownServer) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        _forget_cached(subdomain)


def init_app(app: Flask) -> None:
    app.cli.add_command(migrate_command)
    app.cli.add_command(tenants)
