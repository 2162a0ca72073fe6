"""Kept staff pages (app/pagecache.py): served again only while nothing they show can have changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import redis
from flask import Response
from prometheus_client import REGISTRY
from sqlalchemy import event, update

from app.extensions import master_db, redis_store, studio_db
from app.models.master import Organization
from app.models.studio import Equipment, EquipmentStatus, StaffAccount
from app.pagecache import PageCache, data_version, page_cache
from tests.unit.app.staff.pages import add_client

COOKIE = "rsm_session"


class Statements:
    def __init__(self, app, organization) -> None:
        self.seen: list[str] = []
        with app.app_context():
            event.listen(
                studio_db.studio_engine(organization),
                "before_cursor_execute",
                lambda _c, _cur, statement, *_: self.seen.append(statement),
            )


def kept(browser, path: str) -> str:
    """The page at `path`, rendered until it is kept (the first render after signing in makes the
    session's CSRF token, which changes the session: that one is not kept)."""
    for _ in range(2):
        page = browser.get(path)
        assert page.status_code == 200
    return page.get_data(as_text=True)


def kept_count() -> float:
    return REGISTRY.get_sample_value("rsm_kept_pages_total", {"route": "/dashboard"}) or 0.0


def test_a_kept_dashboard_is_served_again_without_a_studio_statement_and_counted(app, abbey):
    first = kept(abbey, "/dashboard")
    statements, counted = Statements(app, abbey.organization), kept_count()
    again = abbey.get("/dashboard")
    assert again.status_code == 200 and again.content_type == "text/html; charset=utf-8"
    assert again.get_data(as_text=True) == first
    assert statements.seen == []
    assert kept_count() == counted + 1


def test_a_client_added_through_the_pages_is_listed_at_once(abbey):
    assert "Grace Hopper" not in kept(abbey, "/clients")
    add_client(abbey, name="Grace Hopper", email="grace@example.com")
    assert "Grace Hopper" in abbey.get("/clients").get_data(as_text=True)


def test_a_change_committed_by_another_session_is_shown_at_once(open_db, abbey):
    """As the mail worker or the reminders would commit, or another web host: any Session on the
    studio's database gives it a new data version."""
    assert "Tape machine" not in kept(abbey, "/dashboard")
    with open_db(abbey.organization) as db:
        db.add(Equipment(name="Tape machine", status=EquipmentStatus.MAINTENANCE))
    assert "Tape machine" in abbey.get("/dashboard").get_data(as_text=True)


def test_a_change_made_without_a_session_is_shown_within_page_cache_seconds(app, abbey, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(page_cache, "_clock", lambda: now[0])
    assert "Tape machine" not in kept(abbey, "/dashboard")
    # As a restore or psql would: a write no app Session commits.
    with app.app_context(), studio_db.studio_engine(abbey.organization).connect() as conn:
        conn.execute(
            Equipment.__table__.insert().values(name="Tape machine", status=EquipmentStatus.MAINTENANCE)
        )
        conn.commit()
    now[0] += page_cache.ttl - 0.1
    assert "Tape machine" not in abbey.get("/dashboard").get_data(as_text=True)
    now[0] += 0.2
    assert "Tape machine" in abbey.get("/dashboard").get_data(as_text=True)


def test_no_page_crosses_studios(staff_client):
    abbey, berry = staff_client("abbey"), staff_client("berry")
    add_client(abbey, name="Ada of Abbey", email="a@example.com")
    add_client(berry, name="Bea of Berry", email="b@example.com")
    abbey_page, berry_page = kept(abbey, "/clients"), kept(berry, "/clients")
    assert "Ada of Abbey" in abbey_page and "Bea of Berry" not in abbey_page
    assert "Bea of Berry" in berry_page and "Ada of Abbey" not in berry_page
    # abbey's session id, sent to berry: no kept page of abbey's, and no way in.
    sid = abbey.http.get_cookie(COOKIE, domain=abbey.host).value
    berry.http.set_cookie(COOKIE, sid, domain=berry.host)
    refused = berry.get("/clients")
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]


def test_signing_out_ends_the_kept_page(abbey):
    kept(abbey, "/dashboard")
    assert abbey.post_form("/logout", {}, token_from="/dashboard").status_code == 302
    assert abbey.get("/dashboard").status_code == 302


def test_a_deactivated_staff_member_is_not_served_a_kept_page(open_db, abbey):
    kept(abbey, "/dashboard")
    with open_db(abbey.organization) as db:
        db.execute(update(StaffAccount).values(is_active=False))
    assert abbey.get("/dashboard").status_code == 302


def test_an_ended_trial_puts_its_notice_on_the_next_page(app, abbey):
    assert "read-only" not in kept(abbey, "/dashboard")
    with app.app_context():
        with master_db.engine.begin() as conn:
            conn.execute(
                update(Organization)
                .where(Organization.id == abbey.organization.id)
                .values(trial_ends_at=datetime.now(UTC) - timedelta(days=1))
            )
        app.extensions["tenant_resolver"].cache.forget("abbey")
    assert "read-only" in abbey.get("/dashboard").get_data(as_text=True)


@pytest.mark.parametrize("ai_settings", [{"PAGE_CACHE_SECONDS": "0"}])
def test_page_cache_seconds_0_renders_every_page(app, abbey):
    kept(abbey, "/dashboard")
    statements = Statements(app, abbey.organization)
    assert abbey.get("/dashboard").status_code == 200
    assert len(statements.seen) == 6 and len(page_cache) == 0


def test_no_data_version_without_redis_so_nothing_is_kept(app, abbey, monkeypatch):
    with app.app_context():
        monkeypatch.setattr(redis_store, "client", redis.Redis(port=1, socket_connect_timeout=0.2))
        assert data_version(abbey.organization.database_name) is None


def test_the_cache_keeps_its_bytes_by_dropping_the_least_recently_used():
    cache = PageCache()
    cache.ttl, cache.max_bytes = 60.0, 25
    for name in ("a", "b", "c"):
        cache.put((name,), "v1", Response("x" * 10))
    assert cache.get(("a",), "v1") is None
    assert cache.get(("b",), "v1") is not None and cache.get(("c",), "v1") is not None
    assert cache.get(("b",), "v2") is None, "another data version"
    cache.put(("d",), "v1", Response("x" * 26))
    assert cache.get(("d",), "v1") is None, "bigger than the whole cache"
