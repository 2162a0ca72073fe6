"""Staff accounts: only the owner manages them, within the plan's cap on active accounts."""

from __future__ import annotations

from app.models.studio import StaffAccount
from tests.unit.app.staff.pages import field_error, ids


def test_owner_manages_staff_and_staff_get_403(open_db, abbey, studio_client):
    response = abbey.post_form(
        "/accounts",
        {"name": "Sam", "email": "sam@abbey.example", "password": "long enough password", "role": "staff"},
    )
    assert response.status_code == 302
    refused = abbey.post_form(
        "/accounts", {"name": "", "email": "sam@abbey.example", "password": "short", "role": "x"}
    )
    assert refused.status_code == 422
    assert (
        field_error(refused.get_data(as_text=True), "email")
        == "A staff account with this email already exists."
    )
    sam = studio_client("abbey")
    assert (
        sam.post_form(
            "/login", {"email": "sam@abbey.example", "password": "long enough password"}
        ).status_code
        == 302
    )
    assert sam.get("/dashboard").status_code == 200
    assert ">Staff</a>" not in sam.get("/dashboard").get_data(as_text=True)
    assert sam.get("/accounts").status_code == 403
    assert (
        sam.post_form(
            "/accounts",
            {"name": "Eve", "email": "eve@x.example", "password": "long enough password", "role": "owner"},
            token_from="/dashboard",
        ).status_code
        == 403
    )
    owner_id, sam_id = ids(open_db, abbey.organization, StaffAccount)
    assert sam.post_form(f"/accounts/{owner_id}/deactivate", {}, token_from="/dashboard").status_code == 403
    # The owner can't deactivate themselves, but can deactivate Sam, who is signed out at once.
    abbey.post_form(f"/accounts/{owner_id}/deactivate", {}, token_from="/accounts")
    assert "You can&#39;t deactivate your own account." in abbey.get("/accounts").get_data(as_text=True)
    abbey.post_form(f"/accounts/{sam_id}/deactivate", {}, token_from="/accounts")
    assert ids(open_db, abbey.organization, StaffAccount, is_active=True) == [owner_id]
    assert sam.get("/dashboard").status_code == 302


def test_the_plan_caps_active_staff_accounts(open_db, abbey):
    """The trial plan allows 3 active accounts: the owner and two more; a fourth waits for a free seat."""
    for name in ("Sam", "Tess"):
        response = abbey.post_form(
            "/accounts",
            {
                "name": name,
                "email": f"{name.lower()}@abbey.example",
                "password": "long enough password",
                "role": "staff",
            },
        )
        assert response.status_code == 302
    refused = abbey.post_form(
        "/accounts",
        {"name": "Uma", "email": "uma@abbey.example", "password": "long enough password", "role": "staff"},
    )
    assert refused.status_code == 422
    assert "Your plan allows 3 active staff accounts." in refused.get_data(as_text=True)
    assert len(ids(open_db, abbey.organization, StaffAccount)) == 3
    _owner_id, sam_id, _tess_id = ids(open_db, abbey.organization, StaffAccount)
    abbey.post_form(f"/accounts/{sam_id}/deactivate", {}, token_from="/accounts")
    assert (
        abbey.post_form(
            "/accounts",
            {
                "name": "Uma",
                "email": "uma@abbey.example",
                "password": "long enough password",
                "role": "staff",
            },
        ).status_code
        == 302
    )
    abbey.post_form(f"/accounts/{sam_id}/reactivate", {}, token_from="/accounts")
    assert "Your plan allows 3 active staff accounts." in abbey.get("/accounts").get_data(as_text=True)
    assert sam_id not in ids(open_db, abbey.organization, StaffAccount, is_active=True)
