from flask import jsonify
from sqlalchemy import text

from app.extensions import master_db, redis_store
from app.health import bp
from app.settings import app_settings


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    checks = {}
    try:
        with master_db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
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
    features = {"assistant": "on" if app_settings().ASSISTANT_ENABLED else "off"}
    body = {"status": "ready" if ready else "unavailable", "checks": checks, "features": features}
    return jsonify(body), 200 if ready else 503
