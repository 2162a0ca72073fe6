"""The patterns every studio page that shows, creates or changes a row follows.

- `get_or_404(db, Model, id)`: the row, or the 404 page.
- `form_page(...)`: a new/edit page. GET shows the form; POST hands the form to a service, which
  parses it with the entity's input class: saved, it commits, flashes and redirects; refused (a
  FormError), it rolls back and shows the form again with each message next to its field (422).
  `render_form` is its page alone, for another action refused on the same page.
- `act(...)`: a button that changes something (cancel, mark paid, deactivate): commit and flash
  success, or roll back and flash the refusal; either way back to the page (a `back` the request
  names goes through `same_site_path` first).
- `query_arg(name, parse, default)`: a query argument read by an input-layer parser (so bounded
  like a form's field); a missing or refused one is `default`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import abort, flash, redirect, render_template, request
from sqlalchemy.orm import Session

from app.extensions import studio_db
from app.inputs import FormError, Input

T = TypeVar("T")


def get_or_404(db: Session, model: type[T], id: int, **options: Any) -> T:
    row = db.get(model, id, **options)
    if row is None:
        noun = re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()
        abort(404, description=f"There is no such {noun}.")
    return row


def form_page(
    template: str,
    form: type[Input],
    save: Callable[[Mapping[str, Any]], T],
    *,
    values: Mapping[str, Any],
    done: Callable[[T], tuple[str, str]],
    **context: Any,
):
    """`values` fill the form on GET; `done(row)` gives the flash message and the next URL."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = request.form
        try:
            row = save(request.form)
        except FormError as exc:
            studio_db.session.rollback()
            errors = exc.errors
        else:
            studio_db.session.commit()
            message, next_url = done(row)
            flash(message, "success")
            return redirect(next_url)
    return render_form(template, form, values=values, errors=errors, **context)


def render_form(
    template: str, form: type[Input], *, values: Mapping[str, Any], errors: Mapping[str, str], **context: Any
):
    page = render_template(template, form=form, values=values, errors=errors, **context)
    return page, 422 if errors else 200


def query_arg(name: str, parse: Callable[[Any], T], default: T) -> T:
    raw = request.args.get(name, "")
    if not raw.strip():
        return default
    try:
        return parse(raw)
    except ValueError:
        return default


def act(change: Callable[[], T], done: Callable[[T], str], back: str):
    try:
        row = change()
    except FormError as exc:
        studio_db.session.rollback()
        for message in exc.errors.values():
            flash(message, "error")
    else:
        studio_db.session.commit()
        flash(done(row), "success")
    return redirect(back)
