"""Chat history in Redis: bounded, expiring, and private to one studio, account and conversation."""

from __future__ import annotations

from app.extensions import redis_store
from app.models.studio import StaffAccount
from app.security.passwords import hash_password


def test_history_is_kept_bounded_and_expiring(app, staff_client, fake_anthropic, ask, conversation_id):
    browser = staff_client("abbey")
    for number in range(12):
        ask(browser, f"message {number}")
    with app.app_context():
        (key,) = redis_store.client.keys("ai:history:*")
        assert key == f"ai:history:{browser.organization.id}:1:{conversation_id}"
        assert 0 < redis_store.client.ttl(key) <= 24 * 3600
        assert redis_store.client.llen(key) == 20
    last = fake_anthropic.requests[-1]["body"]["messages"]
    # Before the 12th message, the last ten exchanges (1-10) are kept: the oldest dropped whole.
    assert last[0] == {"role": "user", "content": "message 1"}
    assert len(last) == 21


def test_history_is_private_to_the_studio_and_the_staff_user(
    app, open_db, staff_client, fake_anthropic, ask, owner_password
):
    abbey, olympic = staff_client("abbey"), staff_client("olympic")
    ask(abbey, "Abbey secret plans")
    ask(olympic, "Olympic question")  # same conversation_id, other studio
    assert fake_anthropic.requests[1]["body"]["messages"] == [{"role": "user", "content": "Olympic question"}]

    with open_db(abbey.organization) as db:
        db.add(
            StaffAccount(
                email="engineer@abbey.example",
                name="Engineer",
                password_hash=hash_password(owner_password),
                role="staff",
                is_active=True,
            )
        )
    colleague = type(abbey)(app, abbey.host)
    assert (
        colleague.post_form(
            "/login", {"email": "engineer@abbey.example", "password": owner_password}
        ).status_code
        == 302
    )
    ask(colleague, "Colleague question")  # same studio, same conversation_id, other staff account
    assert fake_anthropic.requests[2]["body"]["messages"] == [
        {"role": "user", "content": "Colleague question"}
    ]

    ask(abbey, "And again")
    assert fake_anthropic.requests[3]["body"]["messages"][0] == {
        "role": "user",
        "content": "Abbey secret plans",
    }
