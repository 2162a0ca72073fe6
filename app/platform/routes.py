"""The apex: signup (a three-step wizard), the subdomain check, and the studio finder."""

from __future__ import annotations

import re

from flask import abort, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for

from app.extensions import master_db
from app.platform import bp
from app.platform.subdomains import studio_exists, subdomain_format_problem, subdomain_problem
from app.platform.urls import studio_url
from app.security.passwords import password_problem
from app.tenancy.provisioning import NewStudio, SubdomainTaken, provision_studio

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Studio pages a visitor may be sent to from the finder; anything else goes to the staff login.
FINDABLE_PATHS = ("/login", "/client/login")


@bp.before_request
def platform_only():
    if not g.is_platform:
        abort(404)


def _signup() -> dict:
    return dict(session.get("signup", {}))


def _save_signup(**values) -> None:
    session["signup"] = {**_signup(), **values}


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    data, errors = _signup(), {}
    if request.method == "POST":
        name = request.form.get("studio_name", "").strip()
        subdomain = request.form.get("subdomain", "").strip().lower()
        data.update(studio_name=name, subdomain=subdomain)
        if not name:
            errors["studio_name"] = "Enter your studio's name."
        elif len(name) > 120:
            errors["studio_name"] = "Use at most 120 characters."
        problem = subdomain_problem(master_db.session, subdomain)
        if problem:
            errors["subdomain"] = problem
        if not errors:
            _save_signup(studio_name=name, subdomain=subdomain)
            return redirect(url_for("platform.signup_account"))
    return render_template("platform/signup_studio.html", data=data, errors=errors, step=1,
                           domain=current_app.config["PLATFORM_DOMAIN"]), 422 if errors else 200


@bp.route("/signup/account", methods=["GET", "POST"])
def signup_account():
    data, errors = _signup(), {}
    if "subdomain" not in data:
        return redirect(url_for("platform.signup"))
    if request.method == "POST":
        owner_name = request.form.get("owner_name", "").strip()
        email = request.form.get("email", "").strip().lower()
        data.update(owner_name=owner_name, email=email)
        if not owner_name:
            errors["owner_name"] = "Enter your name."
        elif len(owner_name) > 120:
            errors["owner_name"] = "Use at most 120 characters."
        if len(email) > 254 or not EMAIL.fullmatch(email):
            errors["email"] = "Enter an email address such as you@example.com."
        if not errors:
            _save_signup(owner_name=owner_name, email=email)
            return redirect(url_for("platform.signup_security"))
    return render_template("platform/signup_account.html", data=data, errors=errors, step=2), 422 if errors else 200


@bp.route("/signup/security", methods=["GET", "POST"])
def signup_security():
    data, errors = _signup(), {}
    if "email" not in data:
        return redirect(url_for("platform.signup_account" if "subdomain" in data else "platform.signup"))
    if request.method == "POST":
        password = request.form.get("password", "")
        problem = password_problem(password)
        if problem:
            errors["password"] = problem
        elif password != request.form.get("password_confirm", ""):
            errors["password_confirm"] = "The two passwords differ."
        if not errors:
            studio = NewStudio(
                name=data["studio_name"],
                subdomain=data["subdomain"],
                owner_name=data["owner_name"],
                owner_email=data["email"],
                owner_password=password,
            )
            try:
                provision_studio(studio)
            except SubdomainTaken:
                flash(f"{studio.subdomain} was taken a moment ago. Choose another name.", "error")
                return redirect(url_for("platform.signup"))
            session.pop("signup", None)
            current_app.logger.info("studio provisioned: %s", studio.subdomain)
            return redirect(studio_url(studio.subdomain, "/login?welcome=1"))
    return render_template("platform/signup_security.html", data=data, errors=errors, step=3), 422 if errors else 200


@bp.get("/signup/check")
def check_subdomain():
    subdomain = request.args.get("subdomain", "").strip().lower()
    problem = subdomain_problem(master_db.session, subdomain)
    return jsonify(
        subdomain=subdomain,
        available=problem is None,
        message=problem or f"{subdomain}.{current_app.config['PLATFORM_DOMAIN']} is available.",
    )


@bp.route("/find-studio", methods=["GET", "POST"])
def find_studio():
    next_path = request.values.get("next", "/login")
    if next_path not in FINDABLE_PATHS:
        next_path = "/login"
    error = None
    subdomain = ""
    if request.method == "POST":
        subdomain = request.form.get("subdomain", "").strip().lower()
        if subdomain_format_problem(subdomain) is None and studio_exists(master_db.session, subdomain):
            return redirect(studio_url(subdomain, next_path))
        error = f"There is no studio called {subdomain or '(empty)'}. Check the name in your invitation."
    return render_template("platform/find_studio.html", next_path=next_path, error=error, subdomain=subdomain,
                           domain=current_app.config["PLATFORM_DOMAIN"]), 404 if error else 200
