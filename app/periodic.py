"""Periodic jobs: functions registered by name, run together by `flask periodic run`.

A systemd timer on the web host runs that command in the live release's container every few
minutes (deploy/app, templates/app/rsm-periodic.*). Chosen over RQ's scheduler because the timer
needs no extra long-running process, survives the worker's restarts, and the host's journal keeps
each run's output; the jobs themselves are idempotent (each records what it did in the database),
so a run twice over, or after a missed one, does each thing once.

A new job: decorate a function taking `now` (an aware UTC datetime) and returning how many things
it did with `@periodic("name")`, in a module listed in JOB_MODULES.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

import click
from flask import Flask
from flask.cli import AppGroup

from app import logs
from app.extensions import redis_store

JOB_MODULES = ("app.services.reminders", "app.plans.jobs")
JOBS: dict[str, Callable[[datetime], int]] = {}
# One run at a time: a run slower than the timer's period is not overlapped by the next.
LOCK_KEY = "periodic:running"
LOCK_SECONDS = 15 * 60


def periodic(name: str):
    def register(job: Callable[[datetime], int]) -> Callable[[datetime], int]:
        JOBS[name] = job
        return job

    return register


def registered() -> dict[str, Callable[[datetime], int]]:
    for module in JOB_MODULES:
        importlib.import_module(module)
    return dict(JOBS)


def run_jobs(names: list[str] | None = None, now: datetime | None = None) -> dict[str, int | None]:
    """Run the jobs (all, or those named) once each: {name: things done, or None when it failed}.
    One failing job does not stop the others; each is logged."""
    now = now or datetime.now(UTC)
    jobs = registered()
    done: dict[str, int | None] = {}
    for name in names or list(jobs):
        started = time.perf_counter()
        try:
            done[name] = jobs[name](now)
        except Exception as exc:
            logs.event("periodic_failed", logging.ERROR, job=name, error=type(exc).__name__)
            logging.getLogger("app.periodic").exception("periodic job %s failed", name)
            done[name] = None
            continue
        logs.event(
            "periodic_done", job=name, count=done[name], seconds=round(time.perf_counter() - started, 3)
        )
    return done


periodic_cli = AppGroup(
    "periodic", help="Run the periodic jobs (the deploy's timer does, every few minutes)."
)


@periodic_cli.command("run")
@click.argument("names", nargs=-1)
def run_command(names: tuple[str, ...]) -> None:
    """Run every periodic job (or those named) once; exit 1 when one failed."""
    unknown = sorted(set(names) - set(registered()))
    if unknown:
        raise click.UsageError(f"no periodic job {', '.join(unknown)} (see `flask periodic list`)")
    if not redis_store.client.set(LOCK_KEY, "1", nx=True, ex=LOCK_SECONDS):
        click.echo("another run is under way; nothing done")
        return
    try:
        done = run_jobs(list(names) or None)
    finally:
        redis_store.client.delete(LOCK_KEY)
    for name, count in done.items():
        click.echo(f"{name}: {'FAILED (see the log)' if count is None else count}")
    if None in done.values():
        raise SystemExit(1)


@periodic_cli.command("list")
def list_command() -> None:
    """The registered periodic jobs."""
    for name in registered():
        click.echo(name)


def init_app(app: Flask) -> None:
    app.cli.add_command(periodic_cli)
