"""The apex: signup (a three-step wizard), the subdomain check, and the studio finder."""

from __future__ import annotations

from flask import abort, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for

from app.extensions import master_db
from app.inputs import FormError
from app.platform import bp, verification
from app.platform.urls import studio_url
from app.security import rate_limits
from app.security.rate_limits import limiter
from app.settings import app_settings
from app.tenancy.provisioning import STEPS, NewStudio, OwnerStep, StudioStep, provision_studio
from app.tenancy.subdomains import studio_exists, subdomain_format_problem, subdomain_problem

# Studio pages a visitor may be sent to from the finder; anything else goes to the staff login.
FINDABLE_PATHS = ("/login", "/client/login")
# The wizard's pages, one per part of NewStudio.
STEP_PAGES = (
    ("platform.signup", "platform/signup_studio.html"),
    ("platform.signup_account", "platform/signup_account.html"),
    ("platform.signup_security", "platform/signup_security.html"),
)


@bp.before_request
def platform_only():
    if not g.is_platform:
        abort(404)


def _signup() -> dict:
    return dict(session.get("signup", {}))


def _first_step_missing(data: dict) -> int | None:
    """The first step whose fields the visitor has not completed yet."""
    for number, step in enumerate(STEPS):
        if not all(name in data for name in step.fields):
            return number
    return None


def _step(number: int):
    """Step `number` (0-2) of the wizard: its form, checked by its part of NewStudio."""
    data, errors = _signup(), {}
    missing = _first_step_missing(data)
    if missing is not None and missing < number:
        return redirect(url_for(STEP_PAGES[missing][0]))
    if request.method == "POST":
        step = STEPS[number]
        typed = {name: request.form.get(name, "") for name in step.fields if name != "password"}
        data.update(typed)
        try:
            parsed = step.parse(request.form, master_db.session)
        except FormError as exc:
            errors = exc.errors
        else:
            if number < len(STEPS) - 1:
                session["signup"] = {**_signup(), **{name: getattr(parsed, name) for name in step.fields}}
                return redirect(url_for(STEP_PAGES[number + 1][0]))
            if request.form.get("password_confirm", "") != parsed.password:
                errors = {"password_confirm": "The two passwords differ."}
            else:
                return _create({**data, "password": parsed.password})
    page = render_template(
        STEP_PAGES[number][1],
        data=data,
        errors=errors,
        step=number + 1,
        domain=app_settings().PLATFORM_DOMAIN,
    )
    return page, 422 if errors else 200


def _create(data: dict):
    """The last step: the whole NewStudio checked again (a name may have been taken meanwhile),
    then kept until its owner follows the mailed link (app/platform/verification.py)."""
    try:
        studio = NewStudio.parse(data, master_db.session)
    except FormError as exc:
        return _back_to_the_step(exc)
    verification.send_link(studio, verification.hold(studio))
    session.pop("signup", None)
    g.signup_mailed = True
    return render_template(
        "platform/signup_sent.html",
        email=studio.email,
        studio_name=studio.studio_name,
        subdomain=studio.subdomain,
        hours=verification.PENDING_HOURS,
        domain=app_settings().PLATFORM_DOMAIN,
    )


def _back_to_the_step(exc: FormError):
    for message in exc.errors.values():
        flash(message, "error")
    number = min((n for n, step in enumerate(STEPS) if set(step.fields) & set(exc.errors)), default=0)
    return redirect(url_for(STEP_PAGES[number][0]))


EXPIRED = (
    "This link has expired or was already used. A signup waits for its confirmation "
    f"{verification.PENDING_HOURS} hours; sign up again."
)


@bp.route("/signup/verify/<token>", methods=["GET", "POST"])
@limiter.limit(rate_limits.SIGNUP_STEPS, methods=["POST"], error_message=rate_limits.TOO_MANY)
def verify_signup(token: str):
    """The mailed link: a page whose button creates the studio, once."""
    domain = app_settings().PLATFORM_DOMAIN
    found = verification.pending(token, take=request.method == "POST")
    if found is None:
        return render_template(
            "platform/signup_verify.html", pending=None, problem=EXPIRED, domain=domain
        ), 410
    if request.method == "GET":
        return render_template("platform/signup_verify.html", pending=found, domain=domain)
    try:
        checked = {**StudioStep.parse(found, master_db.session).values(), **OwnerStep.parse(found).values()}
        studio = provision_studio(NewStudio(**checked), password_hash=found["password_hash"])
    except FormError as exc:
        problem = " ".join(exc.errors.values()) + " Sign up again with another name."
        return render_template(
            "platform/signup_verify.html", pending=None, problem=problem, domain=domain
        ), 409
    current_app.logger.info("studio provisioned: %s", studio.subdomain)
    return redirect(studio_url(studio.subdomain, "/login?welcome=1"))


step_rate = limiter.limit(rate_limits.SIGNUP_STEPS, methods=["POST"], error_message=rate_limits.TOO_MANY)


@bp.route("/signup", methods=["GET", "POST"])
@step_rate
def signup():
    return _step(0)


@bp.route("/signup/account", methods=["GET", "POST"])
@step_rate
def signup_account():
    return _step(1)


@bp.route("/signup/security", methods=["GET", "POST"])
@step_rate
# Only a signup actually mailed counts (a mistyped confirmation does not); once the limit is
# reached, the next attempt is refused before anything is sent.
@limiter.limit(
    rate_limits.SIGNUP,
    methods=["POST"],
    error_message=rate_limits.TOO_MANY_SIGNUPS,
    deduct_when=lambda _response: g.get("signup_mailed", False),
)
def signup_security():
    return _step(2)


@bp.get("/signup/check")
@limiter.limit(rate_limits.SUBDOMAIN_CHECK, error_message=rate_limits.TOO_MANY)
def check_subdomain():
    subdomain = request.args.get("subdomain", "").strip().lower()
    problem = subdomain_problem(master_db.session, subdomain)
    return jsonify(
        subdomain=subdomain,
        available=problem is None,
        message=problem or f"{subdomain}.{app_settings().PLATFORM_DOMAIN} is available.",
    )


@bp.route("/find-studio", methods=["GET", "POST"])
@limiter.limit(rate_limits.FIND_STUDIO, methods=["POST"], error_message=rate_limits.TOO_MANY)
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
    return render_template(
        "platform/find_studio.html",
        next_path=next_path,
        error=error,
        subdomain=subdomain,
        domain=app_settings().PLATFORM_DOMAIN,
    ), 404 if error else 200
