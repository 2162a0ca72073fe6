"""The mail path end to end in one process: rendered in a request, queued in real Redis (RQ), sent
by `flask mail worker` to a real SMTP server (aiosmtpd), retried, kept when it keeps failing."""

from __future__ import annotations

import time

import pytest
from rq.registry import FailedJobRegistry

from app import create_app, mail
from app.mail.queue import mail_queue, retry_intervals
from app.mail.smtp import sender
from app.settings import load_settings
from e2e.fakes.smtp_sink import free_port, text_part


def _queue_one(app, to="cleo@example.com"):
    with app.test_request_context():
        return mail.send(
            mail.render(
                "password_reset",
                to,
                "Choose a new password",
                studio_name="Abbey Road",
                studio="abbey",
                email=to,
                link="https://abbey.studio.test/reset-password/TOKEN",
                minutes=60,
            )
        )


def test_a_queued_mail_is_sent_by_the_worker_as_text_and_html(app, outbox):
    _queue_one(app)
    [received] = outbox.deliver()
    assert received["To"] == "cleo@example.com"
    assert received["From"] == "Abbey Road <noreply@studio.test>"
    assert received["Subject"] == "Choose a new password"
    assert received.get_content_type() == "multipart/alternative"
    assert "https://abbey.studio.test/reset-password/TOKEN" in text_part(received)
    html = received.get_body(preferencelist=("html",)).get_content()
    assert '<a href="https://abbey.studio.test/reset-password/TOKEN">' in html


def test_nothing_is_sent_until_the_worker_runs(app, outbox):
    with app.app_context():
        _queue_one(app)
        assert mail_queue().count == 1
    assert outbox.sink.received() == []


def test_the_retries_wait_longer_each_time():
    assert retry_intervals(4, 30) == [30, 60, 120, 240]


def test_the_sender_is_the_studio_under_the_operators_address(base_config):
    settings = load_settings({**base_config, "MAIL_FROM": "Platform <mail@studio.test>"})
    assert sender(settings, "Abbey Road") == "Abbey Road <mail@studio.test>"
    assert sender(settings, None) == "Platform <mail@studio.test>"


@pytest.fixture
def dead_relay_app(base_config, app_config, redis_client):
    """An app whose relay does not answer, retrying once after a second."""
    dead = f"smtp://127.0.0.1:{free_port('127.0.0.1')}"
    config = {
        **base_config,
        **app_config,
        "MAIL_SMTP_URL": dead,
        "MAIL_RETRIES": "1",
        "MAIL_RETRY_SECONDS": "1",
    }
    return create_app({**config, "TESTING": True})


def test_a_mail_that_keeps_failing_is_kept_then_sent_when_the_operator_retries_it(
    dead_relay_app, app, outbox
):
    runner = dead_relay_app.test_cli_runner()
    job_id = _queue_one(dead_relay_app)
    assert runner.invoke(args=["mail", "worker", "--burst"]).exit_code == 0  # first try: refused
    time.sleep(1.2)
    assert runner.invoke(args=["mail", "worker", "--burst"]).exit_code == 0  # the retry: refused
    with dead_relay_app.app_context():
        assert FailedJobRegistry(queue=mail_queue()).get_job_ids() == [job_id]
    listed = runner.invoke(args=["mail", "failed"]).output
    assert job_id in listed and "password_reset" in listed and "abbey" in listed
    assert "TOKEN" not in listed
    assert runner.invoke(args=["mail", "retry", "--all"]).output == "requeued 1 mail\n"
    [received] = outbox.deliver()  # the app whose relay answers
    assert received["To"] == "cleo@example.com"
    assert runner.invoke(args=["mail", "failed"]).output == "no failed mail\n"


def test_retry_names_a_failed_mail_or_all(runner):
    assert runner.invoke(args=["mail", "retry"]).exit_code == 2
    result = runner.invoke(args=["mail", "retry", "nope"])
    assert result.exit_code == 1 and "no failed mail 'nope'" in result.output
