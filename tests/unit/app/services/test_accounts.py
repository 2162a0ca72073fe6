"""Staff accounts: field checks, and a studio always keeps an active owner."""

from __future__ import annotations

import pytest

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
