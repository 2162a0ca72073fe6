"""The mail queue: RQ on the app's Redis.

RQ rather than Celery or a table polled by a loop: it needs nothing but the Redis the app already
runs, keeps a job's retries (`Retry` with growing intervals), its scheduled retries and its failure
in Redis structures an operator can list and requeue, and is a small, maintained library (the
`rq worker` protocol with heartbeats, so a job whose worker died is retried, not lost).
"""

from __future__ import annotations

from functools import cache

import redis
from rq import Queue, Retry

from app import logs
from app.extensions import redis_tls_options
from app.settings import app_settings

QUEUE = "mail"
# A failed mail is kept until the operator retries it: RQ's failed registry would forget it after a
# year by default.
KEPT_SECONDS = 10 * 366 * 24 * 3600
# How long the worker may take to hand one mail to the relay before RQ counts it as failed.
JOB_TIMEOUT_SECONDS = 120


@cache
def _connection(url: str, ca_file: str | None) -> redis.Redis:
    # RQ stores pickled jobs: its connection must not decode replies (the app's client does).
    return redis.Redis.from_url(
        url, socket_timeout=30, socket_connect_timeout=5, **redis_tls_options(ca_file)
    )


def connection() -> redis.Redis:
    settings = app_settings()
    return _connection(settings.REDIS_URL, settings.REDIS_CA_FILE)


def mail_queue() -> Queue:
    return Queue(QUEUE, connection=connection())


def retry_intervals(retries: int, first_seconds: int) -> list[int]:
    """Waits before each retry: the first, then twice as long each time."""
    return [first_seconds * 2**attempt for attempt in range(retries)]


def enqueue(mail) -> str:
    settings = app_settings()
    job = mail_queue().enqueue(
        "app.mail.smtp.deliver",
        mail,
        retry=Retry(
            max=settings.MAIL_RETRIES,
            interval=retry_intervals(settings.MAIL_RETRIES, settings.MAIL_RETRY_SECONDS),
        ),
        job_timeout=JOB_TIMEOUT_SECONDS,
        # Sent, the job (and the text it carried, a reset link say) leaves Redis at once.
        result_ttl=0,
        failure_ttl=KEPT_SECONDS,
        description=f"{mail.kind} mail",
    )
    logs.event("mail_queued", kind=mail.kind, mail_studio=mail.studio, job=job.id)
    return job.id
