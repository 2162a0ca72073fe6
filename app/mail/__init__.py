"""Mail: written in the request (the studio's language and name), sent later by the mail worker.

A request never talks to the SMTP relay: `send(...)` renders the message's text and HTML parts
from `templates/mail/<template>.txt` and `.html` and puts one job on the mail queue (RQ, in the
app's Redis; `app/mail/queue.py`); the worker container (`flask mail worker`) hands it to the relay
(`app/mail/smtp.py`), retrying with a growing wait, and a mail that still fails is kept in RQ's
failed registry for the operator (`flask mail failed`, `flask mail retry`), never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, has_app_context, render_template
from flask_babel import force_locale, gettext
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.mail.queue import enqueue


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    content: bytes


@dataclass(frozen=True)
class Mail:
    """What the worker sends: rendered, so it needs neither the request nor the studio's database."""

    kind: str  # what it is (for the logs and the operator), never its content
    to: str
    subject: str
    text: str
    html: str
    sender_name: str | None = None
    studio: str | None = None
    attachments: tuple[Attachment, ...] = field(default=())


def render(
    kind: str,
    to: str,
    subject: str,
    *,
    studio_name: str | None,
    studio: str | None,
    language: str | None = None,
    subject_args: dict | None = None,
    **context,
) -> Mail:
    """The mail `kind` (templates mail/<kind>.txt and .html) in `language`, else the request's;
    `subject` is a catalogue string, formatted with `subject_args` once translated."""
    if language is not None:
        with force_locale(language):
            return render(
                kind,
                to,
                subject,
                studio_name=studio_name,
                studio=studio,
                subject_args=subject_args,
                **context,
            )
    context = {"studio_name": studio_name, **context}
    return Mail(
        kind=kind,
        to=to,
        subject=gettext(subject, **(subject_args or {})),
        text=render_template(f"mail/{kind}.txt", **context),
        html=render_template(f"mail/{kind}.html", **context),
        sender_name=studio_name,
        studio=studio,
    )


def send(mail: Mail) -> str:
    """Queue `mail` for the worker; its job id."""
    return enqueue(mail)


def send_after_commit(db: Session, mail: Mail) -> None:
    """Queue `mail` when `db`'s transaction commits; never when it rolls back (no mail about a
    booking that was not saved)."""
    pending = db.info.setdefault("mail_after_commit", [])
    if not pending and not db.info.get("mail_hooked"):
        event.listen(db, "after_commit", _send_pending)
        event.listen(db, "after_rollback", _forget_pending)
        db.info["mail_hooked"] = True
    pending.append((current_app._get_current_object(), mail))


def _send_pending(db: Session) -> None:
    for app, mail in db.info.pop("mail_after_commit", []):
        if has_app_context():
            send(mail)
        else:  # a commit from another thread (the tests' races)
            with app.app_context():
                send(mail)


def _forget_pending(db: Session) -> None:
    db.info.pop("mail_after_commit", None)
