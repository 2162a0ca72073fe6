from flask import jsonify

from app.extensions import master_db, redis_store
from app.health import bp
from app.settings import app_settings


def mail_path(settings) -> str:
    """How the worker sends: smtps, smtp+starttls, smtp (plain), or unconfigured; never the URL."""
    if not settings.MAIL_SMTP_URL:
        return "unconfigured"
    scheme = settings.MAIL_SMTP_URL.partition("://")[0]
    return scheme + ("+starttls" if scheme == "smtp" and settings.MAIL_STARTTLS else "")


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    checks = {}
    try:
        master_db.ping()
        checks["master_database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        checks["master_database"] = type(exc).__name__
    try:
        redis_store.client.ping()
        checks["redis"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["redis"] = type(exc).__name__
    ready = all(v == "ok" for v in checks.values())
    # What is switched on, so an operator sees a missing feature before a studio does (no secrets).
    settings = app_settings()
    features = {
        "assistant": "on" if settings.ASSISTANT_ENABLED else "off",
        # Mail is always queued; "unconfigured" says the worker has no relay to send it through.
        "mail": mail_path(settings),
    }
    body = {"status": "ready" if ready else "unavailable", "checks": checks, "features": features}
    return jsonify(body), 200 if ready else 503
