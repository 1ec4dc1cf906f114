"""The in-memory rate limiter: N requests per client per sliding minute, with a retry time."""

from __future__ import annotations

from mtsum.web.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_allows_the_limit_then_refuses_with_seconds_to_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(2, clock=clock)
    assert limiter.check("a") is None
    clock.now += 10
    assert limiter.check("a") is None
    clock.now += 5
    assert limiter.check("a") == 45  # the first request leaves the window 45 s from now


def test_a_window_later_the_client_may_call_again() -> None:
    clock = Clock()
    limiter = RateLimiter(1, clock=clock)
    assert limiter.check("a") is None
    assert limiter.check("a") == 60
    clock.now += 60
    assert limiter.check("a") is None


def test_clients_are_counted_separately() -> None:
    limiter = RateLimiter(1, clock=Clock())
    assert limiter.check("a") is None
    assert limiter.check("b") is None
    assert limiter.check("a") is not None


def test_refused_requests_do_not_extend_the_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(1, clock=clock)
    limiter.check("a")
    for _ in range(5):
        limiter.check("a")
    clock.now += 60
    assert limiter.check("a") is None


def test_retry_after_is_at_least_one_second() -> None:
    clock = Clock()
    limiter = RateLimiter(1, clock=clock)
    limiter.check("a")
    clock.now += 59.999
    assert limiter.check("a") == 1


def test_zero_turns_it_off() -> None:
    limiter = RateLimiter(0, clock=Clock())
    assert not limiter.enabled
    assert all(limiter.check("a") is None for _ in range(1000))


def test_quiet_clients_are_forgotten() -> None:
    clock = Clock()
    limiter = RateLimiter(5, clock=clock)
    for n in range(100):
        limiter.check(f"client-{n}")
    clock.now += 61
    limiter.check("new")
    assert list(limiter._hits) == ["new"]
