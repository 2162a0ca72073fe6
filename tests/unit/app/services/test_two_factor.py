"""TOTP codes and recovery codes, against real Redis: a code's step is accepted once."""

from __future__ import annotations

from types import SimpleNamespace

import pyotp
import pytest

from app.services import two_factor

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = 1_800_000_000.0  # a step boundary: 1_800_000_000 / 30 = 60_000_000


@pytest.fixture
def redis_app(app):
    with app.app_context():
        yield


def code_at(moment: float) -> str:
    return pyotp.TOTP(SECRET).at(moment)


@pytest.mark.parametrize(
    ("offset", "step"),
    [(0, 60_000_000), (-30, 59_999_999), (30, 60_000_001), (-60, None), (60, None)],
)
def test_a_code_matches_its_step_within_one_step_of_drift(offset, step):
    assert two_factor.matching_step(SECRET, code_at(NOW + offset), NOW) == step


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", None])
def test_malformed_codes_match_nothing(typed):
    assert two_factor.matching_step(SECRET, typed, NOW) is None


def test_a_code_is_accepted_once_and_an_older_one_never_after(redis_app):
    assert two_factor.accept_code("studio", 1, SECRET, code_at(NOW), NOW)
    assert not two_factor.accept_code("studio", 1, SECRET, code_at(NOW), NOW), "replayed"
    assert not two_factor.accept_code("studio", 1, SECRET, code_at(NOW - 30), NOW), "an earlier step"
    assert two_factor.accept_code("studio", 2, SECRET, code_at(NOW), NOW), "another account"
    assert two_factor.accept_code("studio", 1, SECRET, code_at(NOW + 30), NOW + 30)


def test_recovery_codes_are_shown_once_stored_hashed_and_spent_once():
    staff = SimpleNamespace(totp_secret=None, recovery_code_hashes=None)
    codes = two_factor.enrol(staff, SECRET)
    assert len(codes) == 10 == len(set(codes)) == len(staff.recovery_code_hashes)
    assert not set(codes) & set(staff.recovery_code_hashes)
    assert all(len(code) == 11 and code[5] == "-" for code in codes)
    assert two_factor.use_recovery_code(staff, " " + codes[3].upper().replace("-", " ") + " ")
    assert len(staff.recovery_code_hashes) == 9
    assert not two_factor.use_recovery_code(staff, codes[3])
    assert not two_factor.use_recovery_code(staff, "00000-00000")


def test_the_qr_code_is_an_svg_without_style_or_script():
    svg = two_factor.qr_svg(two_factor.provisioning_uri(SECRET, "ann@example.com", "Abbey"))
    assert svg.startswith("<svg") and "style" not in svg and "script" not in svg


def test_the_provisioning_uri_names_the_account_and_studio():
    uri = two_factor.provisioning_uri(SECRET, "ann@example.com", "Abbey")
    assert uri.startswith("otpauth://totp/") and "ann%40example.com" in uri and f"secret={SECRET}" in uri
    assert "issuer=Abbey%20%28Recording%20Studio%20Manager%29" in uri
