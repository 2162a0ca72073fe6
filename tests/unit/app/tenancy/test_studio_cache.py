"""The per-process studio cache: kept for its TTL, least recently used dropped beyond its size."""

from app.tenancy import studio_cache
from app.tenancy.studio_cache import StudioCache


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_studio_is_kept_for_the_ttl_then_asked_again():
    clock = Clock()
    cache = StudioCache(5, clock=clock)
    cache.put("abbey", "Abbey row")
    clock.now += 4.9
    assert cache.get("abbey") == "Abbey row"
    clock.now += 0.1
    assert cache.get("abbey") is None


def test_forget_drops_at_once():
    cache = StudioCache(5, clock=Clock())
    cache.put("abbey", "Abbey row")
    cache.forget("abbey")
    assert cache.get("abbey") is None


def test_beyond_its_size_the_least_recently_used_goes(monkeypatch):
    monkeypatch.setattr(studio_cache, "MAX_ENTRIES", 2)
    cache = StudioCache(5, clock=Clock())
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)


def test_a_zero_ttl_keeps_nothing():
    cache = StudioCache(0, clock=Clock())
    cache.put("abbey", "Abbey row")
    assert cache.get("abbey") is None
