"""The staff's second factor: a TOTP secret (RFC 6238: 6 digits, 30 s steps, as every authenticator
app makes them) and ten single-use recovery codes.

- A code is accepted for the current step or one step either side (clock drift), and a step once
  accepted is never accepted again for that account: the last step used is kept in Redis for the
  window, compared and set in one Lua call, so two sign-ins racing with one code cannot both pass.
- Recovery codes are random (50 bits each), so a SHA-256 of each is enough to store them (a slow
  hash protects guessable passwords, not random keys); one is removed from the list when used.
- The enrolment QR code is drawn on the server as inline SVG (segno): no script, no image request.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

import pyotp
import segno

from app.extensions import redis_store
from app.models.studio import StaffAccount

ISSUER = "Recording Studio Manager"
STEP_SECONDS = 30
DRIFT_STEPS = 1
RECOVERY_CODES = 10
_CODE = re.compile(r"[0-9]{6}")
_RECOVERY = re.compile(r"[0-9a-f]{10}")
# The last step used, kept a little longer than a code stays valid.
_LAST_STEP_SECONDS = STEP_SECONDS * (2 * DRIFT_STEPS + 2)
_CLAIM_STEP = """
local last = redis.call('GET', KEYS[1])
if last and tonumber(last) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
"""


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, studio_name: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=f"{studio_name} ({ISSUER})")


def qr_svg(uri: str) -> str:
    """The QR code of `uri` as an <svg> element: black modules on white, no style attribute (CSP)."""
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", border=4)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code `code` is (within the drift allowed), or None."""
    code = re.sub(r"\s", "", code or "")
    if not _CODE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret)
    moment = time.time() if now is None else now
    current = int(moment // STEP_SECONDS)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _last_step_key(scope: str, staff_id: int) -> str:
    return f"totp:last-step:{scope}:{staff_id}"


def accept_code(scope: str, staff_id: int, secret: str, code: str, now: float | None = None) -> bool:
    """A valid code of `secret`, of a later step than any used before on this account (`scope`: the studio)."""
    step = matching_step(secret, code, now)
    if step is None:
        return False
    return (
        redis_store.client.eval(_CLAIM_STEP, 1, _last_step_key(scope, staff_id), step, _LAST_STEP_SECONDS)
        == 1
    )


def _normalized(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def new_recovery_codes() -> tuple[list[str], list[str]]:
    """Ten codes to show once (xxxxx-xxxxx) and their hashes to store."""
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    return [f"{c[:5]}-{c[5:]}" for c in codes], [_digest(c) for c in codes]


def use_recovery_code(staff: StaffAccount, code: str) -> bool:
    """Spend one of the account's recovery codes: True, and it is gone; the caller commits with the
    staff row locked (`with_for_update`), so a code is spent once."""
    normalized = _normalized(code)
    if not _RECOVERY.fullmatch(normalized):
        return False
    digest = _digest(normalized)
    left = list(staff.recovery_code_hashes or [])
    if not any(hmac.compare_digest(digest, kept) for kept in left):
        return False
    left.remove(digest)
    staff.recovery_code_hashes = left
    return True


def enrol(staff: StaffAccount, secret: str) -> list[str]:
    """Turn the second factor on with `secret` (confirmed by a code); the recovery codes to show once."""
    codes, hashes = new_recovery_codes()
    staff.totp_secret, staff.recovery_code_hashes = secret, hashes
    return codes


def disable(staff: StaffAccount) -> None:
    staff.totp_secret, staff.recovery_code_hashes = None, None
