"""Failed logins counted in Redis per account and per IP, with a lock-out that says how long."""


def test_account_is_throttled_after_five_failures_with_a_wait_message(
    abbey, studio_client, redis_client, sign_in
):
    browser = studio_client("abbey")
    for _ in range(5):
        assert sign_in(browser, password="wrong password").status_code == 401
    locked = sign_in(browser)  # even the right password waits now
    page = locked.get_data(as_text=True)
    assert locked.status_code == 429
    assert "Try again in 15 minutes." in page
    assert redis_client.ttl(f"throttle:account:{abbey.id}:staff:owner@abbey.example") > 0


def test_ip_is_throttled_across_accounts(abbey, studio_client, sign_in):
    browser = studio_client("abbey")
    for number in range(20):
        assert sign_in(browser, email=f"nobody{number}@example.com", password="x").status_code == 401
    assert sign_in(browser).status_code == 429


def test_success_clears_the_account_counter(abbey, studio_client, sign_in):
    browser = studio_client("abbey")
    for _ in range(4):
        sign_in(browser, password="wrong password")
    assert sign_in(browser).status_code == 302
    fresh = studio_client("abbey")
    for _ in range(4):
        sign_in(fresh, password="wrong password")
    assert sign_in(fresh).status_code == 302


def test_one_studios_failures_do_not_lock_out_another_studio_behind_the_same_address(
    make_studio, studio_client, sign_in
):
    make_studio("abbey")
    make_studio("bravo")
    abbey = studio_client("abbey")
    for number in range(20):
        assert sign_in(abbey, email=f"nobody{number}@example.com", password="x").status_code == 401
    assert sign_in(abbey).status_code == 429
    # Same address (127.0.0.1), another studio: its owner signs in.
    assert sign_in(studio_client("bravo"), email="owner@bravo.example").status_code == 302
