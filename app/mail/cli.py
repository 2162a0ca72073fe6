"""Operator commands: `flask mail worker` (the worker container's command), `flask mail failed`,
`flask mail retry ID|--all`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from rq import SimpleWorker, Worker
from rq.job import Job
from rq.registry import FailedJobRegistry

from app.mail.queue import connection, mail_queue
from app.settings import app_settings

MAINTENANCE_SECONDS = 30

mail = AppGroup("mail", help="Run the mail worker; list and retry the mail it could not send.")


@mail.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (tests).")
def worker(burst: bool) -> None:
    """Send queued mail until stopped (SIGTERM lets the mail being sent finish)."""
    # with_scheduler: a retry waits in RQ's scheduled registry, which the scheduler moves back. One
    # worker holds the scheduler's lock; the others try again at each maintenance, so a short
    # interval lets the next release's worker take over soon after the previous one stops or dies.
    # A burst runs inside its caller (tests, a one-off drain), often threaded: no fork there. The
    # container's worker forks a work horse per mail, so a crash while sending loses only that try.
    worker_class = SimpleWorker if burst else Worker
    worker = worker_class([mail_queue()], connection=connection(), maintenance_interval=MAINTENANCE_SECONDS)
    worker.work(burst=burst, with_scheduler=True)


def _failed() -> FailedJobRegistry:
    return FailedJobRegistry(queue=mail_queue())


def failed_line(job: Job) -> str:
    """One failed mail: its id, when it was queued, what kind, whose, why (the error's last line)."""
    mail = job.args[0] if job.args else None
    error = (job.latest_result().exc_string if job.latest_result() else "") or ""
    reason = error.strip().splitlines()[-1] if error.strip() else "?"
    queued = job.enqueued_at.strftime("%Y-%m-%d %H:%M:%SZ") if job.enqueued_at else "?"
    kind = getattr(mail, "kind", "?")
    studio = getattr(mail, "studio", None) or "platform"
    return f"{job.id}  {queued}  {kind:<20}  {studio:<20}  {reason}"


@mail.command("failed")
def failed() -> None:
    """The mail kept after its last retry failed, oldest first."""
    jobs = [job for job in Job.fetch_many(_failed().get_job_ids(), connection=connection()) if job]
    if not jobs:
        click.echo("no failed mail")
    for job in jobs:
        click.echo(failed_line(job))


@mail.command("retry")
@click.argument("job_id", required=False)
@click.option("--all", "every", is_flag=True, help="Retry every failed mail.")
def retry(job_id: str | None, every: bool) -> None:
    """Put a failed mail (or every one) back on the queue, with its retries renewed."""
    if bool(job_id) == every:
        raise click.UsageError("give a mail's id (as `flask mail failed` lists it) or --all")
    registry = _failed()
    ids = registry.get_job_ids() if every else [job_id]
    for one in ids:
        if one not in registry:
            raise click.ClickException(f"no failed mail {one!r} (see `flask mail failed`)")
        job = Job.fetch(one, connection=connection())
        job.retries_left = app_settings().MAIL_RETRIES
        job.save()
        registry.requeue(job)
    click.echo(f"requeued {len(ids)} mail")


def init_app(app: Flask) -> None:
    app.cli.add_command(mail)
