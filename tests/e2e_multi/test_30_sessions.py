"""Every web host serves every studio: a session signed in through web-1 works through web-2
(sessions live in the shared Redis on db-1)."""

from __future__ import annotations

from e2e import demo


def sign_in(browser, studio: demo.Demo) -> None:
    form = browser.get(studio.url.rstrip("/") + "/login")
    response = browser.post(
        form.url, data={"csrf_token": form.csrf_token(), "email": studio.email, "password": studio.password}
    )
    assert response.status == 302, (response.status, response.body[:300])


def test_a_session_made_through_web_1_works_through_web_2(scenario, multi_state, browser_to):
    studio, _ = demo.ensure(scenario, multi_state)
    first = browser_to("web-1")
    sign_in(first, studio)
    calendar = studio.url.rstrip("/") + "/calendar"
    assert first.get(calendar).status == 200
    second = browser_to("web-2", cookies=first.cookies)  # the same cookie, the name resolved to web-2
    response = second.get(calendar)
    assert response.status == 200, (response.status, response.location)  # signed out: 302 to /login
    assert 'name="password"' not in response.body


def test_without_the_cookie_web_2_asks_to_sign_in(scenario, multi_state, browser_to):
    studio, _ = demo.ensure(scenario, multi_state)
    response = browser_to("web-2").get(studio.url.rstrip("/") + "/calendar")
    assert response.status == 302 and "/login" in response.location, (response.status, response.location)
