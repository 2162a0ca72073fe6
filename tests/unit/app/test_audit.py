"""The Session hook that writes the audit log: one entry per row a committed transaction changed."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit import watch
from app.extensions import studio_db
from app.models.studio import AuditEntry, Client


@pytest.fixture
def watched(app, abbey):
    """A watched Session on abbey's database, as a request's is, with staff id 1 signed in."""
    with app.app_context():
        db = watch(Session(studio_db.studio_engine(abbey), expire_on_commit=False))
        db.info["staff_id"] = 1
        yield db
        db.close()


def logged(db: Session) -> list[tuple]:
    rows = db.query(AuditEntry).order_by(AuditEntry.id)
    return [(e.staff_id, e.entity, e.action, e.before, e.after) for e in rows]


def test_flushes_of_one_transaction_fold_into_one_entry_per_row(watched):
    client = Client(name="Ada")
    watched.add(client)
    watched.flush()
    client.phone = "1"
    watched.flush()
    client.phone = "2"
    watched.commit()
    client.name, client.notes = "Ada King", "likes tape"
    watched.flush()
    client.name = "Ada"
    watched.commit()
    created = {"id": client.id, "name": "Ada", "phone": "2", "created_at": client.created_at.isoformat()}
    assert logged(watched) == [
        (1, "clients", "create", {}, created),
        (1, "clients", "update", {"notes": None}, {"notes": "likes tape"}),
    ]


def test_a_rollback_records_nothing_and_a_refused_savepoint_keeps_the_rest(watched):
    watched.add(Client(name="Gone", email="gone@example.com"))
    watched.flush()
    watched.rollback()
    watched.add(Client(name="Ada", email="ada@example.com"))
    watched.flush()
    with pytest.raises(IntegrityError), watched.begin_nested():
        watched.add(Client(name="Twin", email="ada@example.com"))
        watched.flush()
    watched.commit()
    assert [(entity, action, after["name"]) for _, entity, action, _, after in logged(watched)] == [
        ("clients", "create", "Ada")
    ]
