"""An issued invoice mailed to its client with its PDF attached ("Email to client")."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from app import mail
from app.i18n import N_
from app.inputs import FormError
from app.models.studio import Invoice, InvoiceStatus
from app.printable import pdf_bytes, pdf_filename
from app.services.studio_profile import formatted_money, studio_profile


def mail_invoice(db: Session, invoice: Invoice, studio) -> str:
    """Queue `invoice` (sent or paid) to its client's address, PDF attached; the address."""
    if invoice.status not in (InvoiceStatus.SENT, InvoiceStatus.PAID):
        raise FormError({"form": "Only an issued invoice (sent or paid) can be emailed."})
    client = invoice.client
    if not client.email or client.erased_at is not None:
        raise FormError({"form": "This client has no email address: add one on their page first."})
    message = mail.render(
        "invoice",
        client.email,
        N_("Invoice %(reference)s from %(studio)s"),
        subject_args={"reference": invoice.reference, "studio": studio.name},
        studio_name=studio.name,
        studio=studio.subdomain,
        language=studio_profile(db).language,
        client_name=client.name,
        reference=invoice.reference,
        total=formatted_money(db, invoice.total_cents),
        due_on=invoice.due_on,
    )
    attachment = mail.Attachment(pdf_filename(invoice), "application/pdf", pdf_bytes(invoice))
    mail.send(replace(message, attachments=(attachment,)))
    return client.email
