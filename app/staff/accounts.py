"""Staff accounts: only the owner lists, adds and deactivates them."""

from flask import url_for

from app.auth.guards import current_staff, owner_required
from app.extensions import studio_db
from app.models.studio import AccountRole
from app.services.accounts import (
    AccountInput,
    add_account,
    deactivate_account,
    list_accounts,
    reactivate_account,
)
from app.staff import bp
from app.tenancy.context import current_plan
from app.views import act, form_page


@bp.route("/accounts", methods=["GET", "POST"])
@owner_required
def accounts():
    db = studio_db.session
    return form_page(
        "staff/accounts.html",
        AccountInput,
        lambda form: add_account(db, form, max_active=current_plan().max_staff),
        values={"role": AccountRole.STAFF},
        done=lambda account: (
            f"{account.name} can now sign in with {account.email} and the password you set.",
            url_for("staff.accounts"),
        ),
        accounts=list_accounts(db),
        me=current_staff(),
        plan=current_plan(),
    )


@bp.post("/accounts/<int:account_id>/deactivate", endpoint="deactivate_account")
@owner_required
def deactivate(account_id: int):
    return act(
        lambda: deactivate_account(studio_db.session, actor=current_staff(), account_id=account_id),
        lambda account: f"{account.name} is deactivated and signed out.",
        url_for("staff.accounts"),
    )


@bp.post("/accounts/<int:account_id>/reactivate", endpoint="reactivate_account")
@owner_required
def reactivate(account_id: int):
    return act(
        lambda: reactivate_account(studio_db.session, account_id, max_active=current_plan().max_staff),
        lambda account: f"{account.name} can sign in again.",
        url_for("staff.accounts"),
    )
