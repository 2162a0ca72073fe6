"""Staff pages for clients: search, create, edit, and portal access."""

from flask import abort, flash, redirect, render_template, request, url_for

from app.auth.guards import staff_required
from app.models.studio import Client
from app.services.bookings import upcoming_bookings
from app.services.clients import ClientError, create_client, revoke_portal_access, search_clients, set_portal_password, update_client
from app.services.invoices import list_invoices
from app.staff import bp
from app.staff.forms import int_or_none, refused
from app.extensions import studio_db

PER_PAGE = 20
FIELDS = ("name", "email", "phone", "notes")


@bp.get("/clients")
@staff_required
def clients():
    query = request.args.get("q", "").strip()
    page = max(1, int_or_none(request.args.get("page")) or 1)
    rows, total = search_clients(studio_db.session, query, page=page, per_page=PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    return render_template("staff/clients.html", clients=rows, total=total, query=query, page=page, pages=pages)


@bp.route("/clients/new", methods=["GET", "POST"])
@staff_required
def new_client():
    values = {field: request.form.get(field, "") for field in FIELDS}
    if request.method == "POST":
        try:
            client = create_client(studio_db.session, **values)
        except ClientError as exc:
            return refused("staff/client_form.html", exc.errors, values=values, client=None)
        studio_db.session.commit()
        flash(f"{client.name} added.", "success")
        return redirect(url_for("staff.edit_client", client_id=client.id))
    return render_template("staff/client_form.html", errors={}, values=values, client=None)


def _client_or_404(client_id: int) -> Client:
    client = studio_db.session.get(Client, client_id)
    if client is None:
        abort(404, description="There is no such client.")
    return client


def _edit_page(client: Client, values: dict, errors: dict, status: int = 200):
    db = studio_db.session
    if status != 200:
        db.rollback()
    return render_template(
        "staff/client_form.html", client=client, values=values, errors=errors,
        bookings=upcoming_bookings(db, client_id=client.id, limit=10),
        invoices=list_invoices(db, client_id=client.id),
    ), status


@bp.route("/clients/<int:client_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_client(client_id: int):
    client = _client_or_404(client_id)
    if request.method == "POST":
        values = {field: request.form.get(field, "") for field in FIELDS}
        try:
            update_client(studio_db.session, client, **values)
        except ClientError as exc:
            return _edit_page(client, values, exc.errors, 422)
        studio_db.session.commit()
        flash("Client saved.", "success")
        return redirect(url_for("staff.edit_client", client_id=client.id))
    return _edit_page(client, {field: getattr(client, field) or "" for field in FIELDS}, {})


@bp.post("/clients/<int:client_id>/portal")
@staff_required
def client_portal_access(client_id: int):
    client = _client_or_404(client_id)
    db = studio_db.session
    if request.form.get("action") == "revoke":
        revoke_portal_access(db, client)
        db.commit()
        flash(f"{client.name} can no longer sign in to the client portal.", "success")
        return redirect(url_for("staff.edit_client", client_id=client.id))
    try:
        set_portal_password(db, client, request.form.get("password", ""))
    except ClientError as exc:
        return _edit_page(client, {field: getattr(client, field) or "" for field in FIELDS}, exc.errors, 422)
    db.commit()
    flash(f"{client.name} can now sign in at /client/login with {client.email} and the password you set.",
          "success")
    return redirect(url_for("staff.edit_client", client_id=client.id))
