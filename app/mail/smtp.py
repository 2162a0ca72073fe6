"""The worker's side: one queued mail handed to the operator's SMTP relay (MAIL_SMTP_URL)."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from urllib.parse import unquote, urlsplit

from rq import get_current_job

from app import logs
from app.settings import Settings, app_settings

TIMEOUT_SECONDS = 30


class NotConfigured(RuntimeError):
    """MAIL_SMTP_URL is unset: the mail is retried, then kept, until the operator sets it."""


def sender(settings: Settings, display_name: str | None) -> str:
    """MAIL_FROM (else noreply@PLATFORM_DOMAIN), under the studio's name when the mail is a studio's."""
    name, address = parseaddr(settings.MAIL_FROM or f"noreply@{settings.PLATFORM_DOMAIN}")
    return str(Address(display_name=display_name or name, addr_spec=address))


def message(mail, settings: Settings) -> EmailMessage:
    """multipart/alternative (text, then HTML), in multipart/mixed when it has attachments."""
    msg = EmailMessage()
    msg["Subject"] = mail.subject
    msg["From"] = sender(settings, mail.sender_name)
    msg["To"] = mail.to
    msg["Message-ID"] = make_msgid(domain=settings.PLATFORM_DOMAIN)
    msg.set_content(mail.text)
    msg.add_alternative(mail.html, subtype="html")
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.mimetype.partition("/")
        msg.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return msg


def relay(settings: Settings) -> smtplib.SMTP:
    """A connection to the relay, encrypted as the URL and MAIL_STARTTLS say, signed in when it names a user."""
    if not settings.MAIL_SMTP_URL:
        raise NotConfigured("MAIL_SMTP_URL is not set")
    url = urlsplit(settings.MAIL_SMTP_URL)
    context = ssl.create_default_context()
    if url.scheme == "smtps":
        smtp = smtplib.SMTP_SSL(url.hostname, url.port or 465, timeout=TIMEOUT_SECONDS, context=context)
    else:
        smtp = smtplib.SMTP(url.hostname, url.port or 25, timeout=TIMEOUT_SECONDS)
        if settings.MAIL_STARTTLS:
            smtp.starttls(context=context)
    if url.username:
        smtp.login(unquote(url.username), unquote(url.password or ""))
    return smtp


def deliver(mail) -> None:
    """RQ's job: send `mail`; raise on failure so RQ retries it, then keeps it as failed."""
    settings = app_settings()
    job = get_current_job()
    fields = {"kind": mail.kind, "mail_studio": mail.studio, "job": job.id if job else None}
    try:
        with relay(settings) as smtp:
            smtp.send_message(message(mail, settings))
    except Exception as exc:
        retries_left = job.retries_left if job else 0
        logs.event(
            "mail_failed",
            logging.WARNING,
            error=type(exc).__name__,
            retries_left=retries_left or 0,
            **fields,
        )
        raise
    logs.event("mail_sent", **fields)
