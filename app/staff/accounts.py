"""Staff accounts: only the owner lists, adds and deactivates them."""

from flask import flash, redirect, render_template, request, url_for

from app.auth.guards import current_staff, owner_required
from app.services.staff import ROLES, StaffError, add_staff, deactivate_staff, list_staff, reactivate_staff
from app.staff import bp
from app.staff.forms import refused
from app.tenancy.context import current_plan, tenant_session

FIELDS = ("name", "email", "role")


def _page(values: dict, errors: dict | None = None):
    context = dict(accounts=list_staff(tenant_session()), values=values, roles=ROLES, me=current_staff(),
                   plan=current_plan())
    if errors:
        return refused("staff/accounts.html", errors, **context)
    return render_template("staff/accounts.html", errors={}, **context)


@bp.get("/staff")
@owner_required
def accounts():
    return _page({"role": "staff"})


@bp.post("/staff")
@owner_required
def add_account():
    values = {field: request.form.get(field, "") for field in FIELDS}
    try:
        staff = add_staff(tenant_session(), password=request.form.get("password", ""),
                          max_active=current_plan().max_staff, **values)
    except StaffError as exc:
        return _page(values, exc.errors)
    tenant_session().commit()
    flash(f"{staff.name} can now sign in with {staff.email} and the password you set.", "success")
    return redirect(url_for("staff.accounts"))


def _change_status(change, success: str):
    """Run one account change; refused changes come back as a flashed message, nothing kept."""
    try:
        staff = change()
    except StaffError as exc:
        tenant_session().rollback()
        flash(exc.errors.get("form", "That change was refused."), "error")
        return redirect(url_for("staff.accounts"))
    tenant_session().commit()
    flash(success.format(name=staff.name), "success")
    return redirect(url_for("staff.accounts"))


@bp.post("/staff/<int:staff_id>/deactivate")
@owner_required
def deactivate_account(staff_id: int):
    return _change_status(lambda: deactivate_staff(tenant_session(), actor=current_staff(), staff_id=staff_id),
                          "{name} is deactivated and signed out.")


@bp.post("/staff/<int:staff_id>/reactivate")
@owner_required
def reactivate_account(staff_id: int):
    return _change_status(lambda: reactivate_staff(tenant_session(), staff_id, max_active=current_plan().max_staff),
                          "{name} can sign in again.")
