"""argon2id hashes and the password policy."""

from app.security.passwords import hash_password, password_problem, verify_password


def test_hash_is_argon2id_at_owasp_parameters():
    assert hash_password("a long password").startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_verify_accepts_the_password_and_refuses_others():
    stored = hash_password("a long password")
    assert verify_password(stored, "a long password")
    assert not verify_password(stored, "a long passwore")
    assert not verify_password(None, "a long password")
    assert not verify_password("not a hash", "a long password")


def test_password_policy_names_the_problem():
    assert password_problem("short") == "Use at least 10 characters."
    assert password_problem("x" * 257) == "Use at most 256 characters."
    assert password_problem("long enough!") is None
