"""Failed logins counted in Redis, per account and per studio and IP, with a lock-out that says how long.

The IP counter is kept per studio (the `scope`), so one studio's failures behind a shared address
(an office NAT) never lock out another studio's users; the per-account counter still stops guessing
one account's password, and the sign-in forms' request rate (app/security/rate_limits.py) bounds
guessing across accounts and studios.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.extensions import redis_store
from app.security import rate_limits


@dataclass(frozen=True)
class ThrottlePolicy:
    per_account: int = rate_limits.FAILURES_PER_ACCOUNT
    per_ip: int = rate_limits.FAILURES_PER_ADDRESS
    window_seconds: int = rate_limits.FAILURE_WINDOW_SECONDS


class LoginThrottle:
    def __init__(self, policy: ThrottlePolicy | None = None) -> None:
        self.policy = policy or ThrottlePolicy()

    def _keys(self, scope: str, account: str, ip: str) -> tuple[tuple[str, int], ...]:
        return (
            (f"throttle:account:{scope}:{account.lower()}", self.policy.per_account),
            (f"throttle:ip:{scope}:{ip}", self.policy.per_ip),
        )

    def retry_after(self, scope: str, account: str, ip: str) -> int:
        """Seconds to wait before another attempt is allowed; 0 when allowed now."""
        client = redis_store.client
        wait = 0
        for key, limit in self._keys(scope, account, ip):
            count = client.get(key)
            if count is not None and int(count) >= limit:
                wait = max(wait, client.ttl(key), 1)
        return wait

    def record_failure(self, scope: str, account: str, ip: str) -> None:
        pipe = redis_store.client.pipeline()
        for key, _limit in self._keys(scope, account, ip):
            pipe.incr(key)
            # The window starts at the first failure and is not extended by later ones.
            pipe.expire(key, self.policy.window_seconds, nx=True)
        pipe.execute()

    def record_success(self, scope: str, account: str) -> None:
        redis_store.client.delete(f"throttle:account:{scope}:{account.lower()}")


def wait_message(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        span = f"{rest} second{'s' if rest != 1 else ''}"
    else:
        minutes += 1 if rest else 0
        span = f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"Too many failed sign-in attempts. Try again in {span}."
