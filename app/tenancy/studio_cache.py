"""Studios recently resolved by this process, kept for a few seconds so most requests skip the master
database; a change made elsewhere (a suspension by `flask tenants` in another process) is seen
within TENANT_CACHE_SECONDS."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from app.models.master import Organization

# Enough for every studio a process serves; beyond it the least recently used entries go.
MAX_ENTRIES = 4096


class StudioCache:
    def __init__(self, ttl_seconds: float, clock=time.monotonic) -> None:
        self.ttl = ttl_seconds
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, Organization]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, subdomain: str) -> Organization | None:
        """The studio cached under `subdomain` if it is younger than the TTL."""
        with self._lock:
            entry = self._entries.get(subdomain)
            if entry is None:
                return None
            if entry[0] <= self._clock():
                del self._entries[subdomain]
                return None
            self._entries.move_to_end(subdomain)
            return entry[1]

    def put(self, subdomain: str, studio: Organization) -> None:
        """Keep a studio (loaded, detached from its session: read only) for the TTL."""
        with self._lock:
            self._entries[subdomain] = (self._clock() + self.ttl, studio)
            self._entries.move_to_end(subdomain)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)

    def forget(self, subdomain: str) -> None:
        with self._lock:
            self._entries.pop(subdomain, None)
