"""Staff accounts: field checks, and a studio always keeps an active owner."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from app.extensions import studio_db
from app.inputs import FormError
from app.models.studio import StaffAccount
from app.services.accounts import add_account, deactivate_account


def test_owner_rules(db):
    owner = db.query(StaffAccount).one()
    with pytest.raises(FormError, match="your own account"):
        deactivate_account(db, actor=owner, account_id=owner.id)
    second = add_account(
        db,
        {
            "name": "Second Owner",
            "email": "two@example.com",
            "password": "long enough password",
            "role": "owner",
        },
    )
    deactivate_account(db, actor=owner, account_id=second.id)
    assert second.is_active is False
    with pytest.raises(FormError) as refused:
        add_account(db, {"name": "", "email": "TWO@example.com", "password": "x", "role": "admin"})
    assert set(refused.value.errors) == {"name", "email", "password", "role"}
    helper = add_account(
        db, {"name": "Helper", "email": "helper@example.com", "password": "long enough password"}
    )
    assert helper.role == "staff"
    # The only other active owner is gone; the helper (a plain staff member) can't remove the last one.
    with pytest.raises(FormError, match="at least one active owner"):
        deactivate_account(db, actor=helper, account_id=owner.id)


def test_six_concurrent_additions_never_exceed_the_seat_limit(app, abbey):
    """Six requests at once on a studio with room for two more: exactly two get in."""
    with app.app_context():
        url = studio_db.direct_url(studio_db.home, abbey.database_name)
    engine = create_engine(url, poolclass=NullPool)
    start, outcomes = threading.Barrier(6), []

    def add(number: int) -> None:
        with Session(engine) as db:
            data = {
                "name": f"Helper {number}",
                "email": f"h{number}@example.com",
                "password": "long enough pw",
            }
            start.wait()
            try:
                add_account(db, data, max_active=3)
                db.commit()
                outcomes.append("added")
            except FormError as exc:
                db.rollback()
                outcomes.append(exc.errors["form"])

    threads = [threading.Thread(target=add, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with Session(engine) as db:
        active = db.scalar(select(func.count()).select_from(StaffAccount).where(StaffAccount.is_active))
    engine.dispose()
    full = "Your plan allows 3 active staff accounts. Deactivate one, or move the studio to a larger plan."
    assert outcomes.count("added") == 2
    assert [outcome for outcome in outcomes if outcome != "added"] == [full] * 4
    assert active == 3
