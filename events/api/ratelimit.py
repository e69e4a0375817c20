"""Sliding-window rate limits: no client gets more than N requests in any W seconds.

Each client has a log of the times of its admitted requests. A request is admitted when fewer
than N were admitted in the W seconds before it, and then logged; a refused request is not
logged, so a client that keeps knocking gets in as soon as its oldest request leaves the
window, which is exactly what ``Decision.reset`` (and so ``Retry-After``) says. A fixed window,
or a weighted estimate of one, lets up to 2N through across a window boundary; this does not.
The price is memory: up to N timestamps per client, which is small for the rates a public API
sets.

Two stores of the same log:

- ``RedisLog``: a sorted set per client, trimmed, counted and appended by one Lua script, so
  every process on every machine sharing the Redis database shares each client's budget. Times
  come from Redis's own clock: app servers whose clocks disagree still agree on the window.
  If Redis cannot be reached, each process falls back to its own ``MemoryLog`` for a few seconds
  at a time and logs a warning: a public read API stays up, limited per process, rather than
  refusing everyone or letting everyone through.
- ``MemoryLog``: the same algorithm in this process's memory, thread-safe. Each process has its
  own budget, so gunicorn's N workers together admit up to N times the rate.

Plain Python: no Django here (``events.api.throttling`` is the glue).
"""

from __future__ import annotations

import logging
import math
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import redis

logger = logging.getLogger(__name__)

#: where ``RedisLog`` keeps each client's log: ``PREFIX + key``
PREFIX = "newsroom:ratelimit:"

UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60}
UNITS |= {"h": 3600, "hour": 3600, "d": 86400, "day": 86400}
RATE = re.compile(
    r"\s*(\d+)\s*/\s*(\d*)\s*(?:(second|sec|minute|min|hour|day)s?|(s|m|h|d))\s*", re.IGNORECASE
)


def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/min"`` -> ``(120, 60)``; also ``"30/10s"``, ``"1000/hour"``, ``"5/2second"``.

    DRF's own syntax (``N/s|m|h|d`` and their long names) with an optional count of units.
    """
    match = RATE.fullmatch(rate)
    count = int(match.group(2) or 1) if match else 0
    if not count:
        raise ValueError(
            f"Not a rate: {rate!r}. Use requests/period, e.g. 120/min, 30/10s, 1000/hour."
        )
    unit = UNITS[(match.group(3) or match.group(4)).lower()]
    return int(match.group(1)), count * unit


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    #: requests the client may still make in the window, after this one
    remaining: int
    #: seconds until the oldest admitted request leaves the window and frees one request
    reset: float


class MemoryLog:
    """The sliding log in this process's memory."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.logs: dict[str, deque[float]] = {}
        self.lock = threading.Lock()
        self.next_sweep = -math.inf

    def hit(self, key: str, limit: int, window: float) -> Decision:
        with self.lock:
            now = self.clock()
            if now >= self.next_sweep:
                self.sweep(now - window)
                self.next_sweep = now + window
            log = self.logs.setdefault(key, deque())
            while log and log[0] <= now - window:
                log.popleft()
            allowed = len(log) < limit
            if allowed:
                log.append(now)
            reset = log[0] + window - now if log else window
            return Decision(allowed, limit, max(0, limit - len(log)), reset)

    def sweep(self, horizon: float) -> None:
        """Forget clients whose every request has left the window (memory stays bounded)."""
        for key in [key for key, log in self.logs.items() if not log or log[-1] <= horizon]:
            del self.logs[key]

    def clear(self) -> None:
        with self.lock:
            self.logs.clear()


# KEYS[1]: the client's log. ARGV: limit, window (µs), a unique member, now (µs, or "" for
# Redis's clock). Integer microseconds stay exact in Lua's doubles (2^53 µs is 285 years).
SLIDING_LOG = """
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[4])
if not now then
  local clock = redis.call('TIME')
  now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
  count = count + 1
  allowed = 1
end
local reset = window
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if oldest[2] then
  reset = tonumber(oldest[2]) + window - now
end
return {allowed, count, reset}
"""


class RedisLog:
    """The sliding log in Redis, shared by every process that uses the same database."""

    #: after a Redis error, how long each process limits on its own before trying Redis again
    RETRY_SECONDS = 5.0

    def __init__(
        self,
        url: str,
        *,
        prefix: str = PREFIX,
        clock: Callable[[], float] | None = None,
        timeout: float = 0.25,
    ):
        # Short timeouts: a Redis that hangs must not hang the API with it.
        self.client = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self.script = self.client.register_script(SLIDING_LOG)
        self.prefix = prefix
        self.clock = clock  # None: Redis's clock, the same for every process and machine
        self.fallback = MemoryLog(clock) if clock is not None else MemoryLog()
        self.down_until = -math.inf

    def hit(self, key: str, limit: int, window: float) -> Decision:
        if time.monotonic() < self.down_until:
            return self.fallback.hit(key, limit, window)
        now = "" if self.clock is None else str(round(self.clock() * 1_000_000))
        micros = round(window * 1_000_000)
        try:
            allowed, count, reset = self.script(
                keys=[self.prefix + key], args=[limit, micros, secrets.token_hex(8), now]
            )
        except redis.RedisError as error:
            self.down_until = time.monotonic() + self.RETRY_SECONDS
            logger.warning(
                "Rate limit: Redis unreachable (%s); limiting per process for the next %.0f s.",
                error,
                self.RETRY_SECONDS,
            )
            return self.fallback.hit(key, limit, window)
        return Decision(bool(allowed), limit, max(0, limit - count), reset / 1_000_000)

    def clear(self) -> None:
        for key in self.client.scan_iter(match=self.prefix + "*", count=1000):
            self.client.delete(key)
        self.fallback.clear()
