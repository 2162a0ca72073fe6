"""Staff pages for clients: search, create, edit, archive, erase, and portal access (by invitation)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth import reset
from app.auth.guards import owner_required, staff_required
from app.extensions import studio_db
from app.inputs import FormError, page_number
from app.models.studio import Client
from app.pagecache import cached_page
from app.services.bookings import upcoming_bookings
from app.services.clients import (
    ClientInput,
    count_archived,
    create_client,
    erase_personal_data,
    portal_invitation_problem,
    revoke_portal_access,
    search_clients,
    set_archived,
    update_client,
)
from app.services.invoices import list_invoices
from app.staff import bp
from app.views import act, form_page, get_or_404, query_arg, render_form

PER_PAGE = 20


@bp.get("/clients")
@cached_page
@staff_required
def clients():
    db = studio_db.session
    query = request.args.get("q", "").strip()
    archived = request.args.get("archived") == "1"
    page = query_arg("page", page_number, 1)
    rows, total = search_clients(db, query, page=page, per_page=PER_PAGE, archived=archived)
    pages = max(1, -(-total // PER_PAGE))
    return render_template(
        "staff/clients.html",
        clients=rows,
        total=total,
        query=query,
        page=page,
        pages=pages,
        archived=archived,
        archived_count=count_archived(db),
    )


def _edit_url(client: Client) -> str:
    return url_for("staff.edit_client", client_id=client.id)


@bp.route("/clients/new", methods=["GET", "POST"])
@staff_required
def new_client():
    db = studio_db.session
    return form_page(
        "staff/client_form.html",
        ClientInput,
        lambda form: create_client(db, form),
        values={},
        done=lambda client: (f"{client.name} added.", _edit_url(client)),
        client=None,
        title="New client",
        back=(url_for("staff.clients"), "Clients"),
        submit="Add client",
    )


def _beside(client: Client) -> dict:
    """The edit page's title, and what it shows beside the form: portal access, bookings, invoices."""
    db = studio_db.session
    return dict(
        client=client,
        bookings=upcoming_bookings(db, client_id=client.id, limit=10),
        invoices=list_invoices(db, client_id=client.id),
        title=client.name,
        back=(url_for("staff.clients"), "Clients"),
        submit="Save",
    )


@bp.route("/clients/<int:client_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_client(client_id: int):
    db = studio_db.session
    client = get_or_404(db, Client, client_id)
    return form_page(
        "staff/client_form.html",
        ClientInput,
        lambda form: update_client(db, client, form),
        values=ClientInput.shown(client),
        done=lambda saved: ("Client saved.", _edit_url(saved)),
        **_beside(client),
    )


@bp.post("/clients/<int:client_id>/portal")
@staff_required
def client_portal_access(client_id: int):
    db = studio_db.session
    client = get_or_404(db, Client, client_id)
    if request.form.get("action") == "revoke":
        revoke_portal_access(db, client)
        db.commit()
        flash(f"{client.name} can no longer sign in to the client portal.", "success")
        return redirect(_edit_url(client))
    problem = portal_invitation_problem(client)
    if problem:
        return render_form(
            "staff/client_form.html",
            ClientInput,
            values=ClientInput.shown(client),
            errors={"portal": problem},
            **_beside(client),
        )
    reset.invite_client(client)
    flash(
        f"Invitation sent to {client.email}: they choose their password from its link (valid "
        f"{reset.INVITATION_DAYS} days), then sign in at /client/login.",
        "success",
    )
    return redirect(_edit_url(client))


@bp.post("/clients/<int:client_id>/archive", endpoint="archive_client")
@staff_required
def archive(client_id: int):
    archived = request.form.get("archived") != "0"
    return act(
        lambda: set_archived(studio_db.session, client_id, archived),
        lambda client: (
            _(
                "%(name)s is archived: kept with their sessions and invoices, left out of the lists.",
                name=client.name,
            )
            if archived
            else _("%(name)s is back among the clients.", name=client.name)
        ),
        url_for("staff.edit_client", client_id=client_id),
    )


@bp.route("/clients/<int:client_id>/erase", methods=["GET", "POST"])
@owner_required
def erase_client(client_id: int):
    """Erase on the client's request, after the owner types their name (there is no undo)."""
    db = studio_db.session
    client = get_or_404(db, Client, client_id)
    if client.erased_at is not None:
        abort(404, description="This client's personal data is already erased.")
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            erase_personal_data(db, client_id, request.form.get("confirmation"))
        except FormError as exc:
            db.rollback()
            errors = exc.errors
        else:
            db.commit()
            flash(_("The client's personal data is erased; their sessions and invoices are kept."), "success")
            return redirect(_edit_url(client))
    page = render_template("staff/client_erase.html", client=client, values=request.form, errors=errors)
    return page, 422 if errors else 200
