"""Staff accounts: only the owner lists, adds and deactivates them."""

from flask import flash, redirect, render_template, request, url_for

from app.auth.guards import current_staff, owner_required
from app.services.accounts import ROLES, AccountError, add_account, deactivate_account, list_accounts, reactivate_account
from app.staff import bp
from app.staff.forms import refused
from app.extensions import studio_db
from app.tenancy.context import current_plan

FIELDS = ("name", "email", "role")


def _page(values: dict, errors: dict | None = None):
    context = dict(accounts=list_accounts(studio_db.session), values=values, roles=ROLES, me=current_staff(),
                   plan=current_plan())
    if errors:
        return refused("staff/accounts.html", errors, **context)
    return render_template("staff/accounts.html", errors={}, **context)


@bp.get("/accounts")
@owner_required
def accounts():
    return _page({"role": "staff"})


@bp.post("/accounts", endpoint="add_account")
@owner_required
def add_account_page():
    values = {field: request.form.get(field, "") for field in FIELDS}
    try:
        account = add_account(studio_db.session, password=request.form.get("password", ""),
                          max_active=current_plan().max_staff, **values)
    except AccountError as exc:
        return _page(values, exc.errors)
    studio_db.session.commit()
    flash(f"{account.name} can now sign in with {account.email} and the password you set.", "success")
    return redirect(url_for("staff.accounts"))


def _change_status(change, success: str):
    """Run one account change; refused changes come back as a flashed message, nothing kept."""
    try:
        account = change()
    except AccountError as exc:
        studio_db.session.rollback()
        flash(exc.errors.get("form", "That change was refused."), "error")
        return redirect(url_for("staff.accounts"))
    studio_db.session.commit()
    flash(success.format(name=account.name), "success")
    return redirect(url_for("staff.accounts"))


@bp.post("/accounts/<int:account_id>/deactivate", endpoint="deactivate_account")
@owner_required
def deactivate_account_page(account_id: int):
    return _change_status(lambda: deactivate_account(studio_db.session, actor=current_staff(), account_id=account_id),
                          "{name} is deactivated and signed out.")


@bp.post("/accounts/<int:account_id>/reactivate", endpoint="reactivate_account")
@owner_required
def reactivate_account_page(account_id: int):
    return _change_status(lambda: reactivate_account(studio_db.session, account_id, max_active=current_plan().max_staff),
                          "{name} can sign in again.")
