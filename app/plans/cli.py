"""`flask --app app plans ...`: the operator's view and changes of studios' plans, trials and credits."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import master_db
from app.models.master import Organization, Plan
from app.plans import operations
from app.plans.operations import PlanError

plans = AppGroup("plans", help="List plans, change a studio's plan or trial, grant monthly AI credits.")


def _now() -> datetime:
    return datetime.now(UTC)


def _forget_cached(subdomain: str) -> None:
    # This process's cache only: the serving processes see the change within TENANT_CACHE_SECONDS.
    current_app.extensions["tenant_resolver"].cache.forget(subdomain)


def _run(change, *args):
    """Make one change; an impossible one exits non-zero with its reason."""
    try:
        return change(master_db.session, *args)
    except PlanError as exc:
        master_db.session.rollback()
        raise click.ClickException(str(exc)) from None


def _state(studio: Organization, now: datetime) -> str:
    if studio.trial_ended(now):
        return f"trial ended {studio.trial_ends_at:%Y-%m-%d %H:%M}Z, read-only"
    if studio.trial_ends_at is not None:
        return f"trial ends {studio.trial_ends_at:%Y-%m-%d %H:%M}Z"
    return str(studio.status).lower()


@plans.command("list")
def list_command() -> None:
    """The plans, then one line per studio: subdomain, plan, state, AI credits left."""
    db, now = master_db.session, _now()
    for plan in db.scalars(select(Plan).order_by(Plan.monthly_price_cents)):
        click.echo(
            f"plan\t{plan.code}\t{plan.name}\t{plan.monthly_price_cents / 100:.2f}/month"
            f"\t{plan.monthly_ai_credits} AI credits/month\t{plan.max_staff} staff"
        )
    for studio in db.scalars(select(Organization).order_by(Organization.subdomain)):
        click.echo(
            f"studio\t{studio.subdomain}\t{studio.plan.code}\t{_state(studio, now)}"
            f"\t{operations.credit_balance(db, studio)} credits"
        )


@plans.command("set")
@click.argument("subdomain")
@click.argument("plan")
def set_command(subdomain: str, plan: str) -> None:
    """Move a studio to a paid plan (it becomes active and writable again)."""
    studio = _run(operations.set_plan, subdomain, plan)
    _forget_cached(subdomain)
    click.echo(f"{subdomain}: plan {plan}, {_state(studio, _now())}")


@plans.command("extend-trial")
@click.argument("subdomain")
@click.argument("days", type=click.IntRange(1, 365))
def extend_trial_command(subdomain: str, days: int) -> None:
    """Give a trial DAYS more (from now if it has ended: the studio is writable again)."""
    studio = _run(operations.extend_trial, subdomain, days, _now())
    _forget_cached(subdomain)
    click.echo(f"{subdomain}: {_state(studio, _now())}")


@plans.command("end-trial")
@click.argument("subdomain")
def end_trial_command(subdomain: str) -> None:
    """End a trial now: the studio becomes read-only, its data kept."""
    studio = _run(operations.end_trial, subdomain, _now())
    _forget_cached(subdomain)
    click.echo(f"{subdomain}: {_state(studio, _now())}")


@plans.command("grant-credits")
def grant_credits_command() -> None:
    """Grant this month's AI credits to every active studio that has not had them (safe to run again)."""
    granted = operations.grant_monthly_credits(master_db.session, _now())
    for subdomain, credits in sorted(granted.items()):
        click.echo(f"{subdomain}: +{credits} credits")
    click.echo(f"granted {operations.month_of(_now()):%Y-%m} credits to {len(granted)} studio(s)")


def init_app(app: Flask) -> None:
    app.cli.add_command(plans)
