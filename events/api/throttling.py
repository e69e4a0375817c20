"""Anonymous rate limiting with IETF RateLimit headers on every response.

One budget per client (``NEWSROOM_API_ANON_RATE``) across the API, its schema and the feeds,
enforced as an exact sliding window (``events.api.ratelimit``): in Redis when
``NEWSROOM_REDIS_URL`` is set, so every process shares it, else in each process's memory.
"""

from __future__ import annotations

import math
import threading
from functools import cache, wraps

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse
from rest_framework.throttling import BaseThrottle

from .errors import PROBLEM_TYPE, problem
from .ratelimit import Decision, MemoryLog, RedisLog, parse_rate

POLICY = "anon"

_limiters: dict[str, MemoryLog | RedisLog] = {}
_limiters_lock = threading.Lock()


def get_limiter() -> MemoryLog | RedisLog:
    """This process's store for the configured Redis URL (memory when there is none)."""
    url = settings.NEWSROOM_REDIS_URL
    limiter = _limiters.get(url)
    if limiter is None:
        with _limiters_lock:
            limiter = _limiters.get(url)
            if limiter is None:
                limiter = _limiters[url] = RedisLog(url) if url else MemoryLog()
    return limiter


@cache
def configured_rate(rate: str) -> tuple[int, int]:
    try:
        return parse_rate(rate)
    except ValueError as error:
        raise ImproperlyConfigured(f"NEWSROOM_API_ANON_RATE: {error}") from None


class AnonymousRateThrottle(BaseThrottle):
    decision: Decision | None = None

    def allow_request(self, request, view) -> bool:
        # Read at request time so that tests and deployments can change it without a restart.
        rate = settings.NEWSROOM_API_ANON_RATE
        if not rate:
            return True
        limit, window = configured_rate(rate)
        self.decision = get_limiter().hit(f"{POLICY}:{self.get_ident(request)}", limit, window)
        request.ratelimit = (self.decision, window)
        return self.decision.allowed

    def wait(self) -> float | None:
        # When the oldest request in the window leaves it; DRF rounds up for Retry-After.
        return self.decision.reset if self.decision else None


def add_ratelimit_headers(request, response) -> None:
    """RateLimit-Policy / RateLimit (draft-ietf-httpapi-ratelimit-headers), when throttled.

    ``t`` is the seconds until one more request is available (the oldest in the window leaves
    it); on a 429 it equals Retry-After.
    """
    state = getattr(request, "ratelimit", None)
    if state is None:
        return
    decision, window = state
    response["RateLimit-Policy"] = f'"{POLICY}";q={decision.limit};w={window}'
    response["RateLimit"] = f'"{POLICY}";r={decision.remaining};t={math.ceil(decision.reset)}'


def too_many_requests(request, wait: float) -> JsonResponse:
    seconds = math.ceil(wait)
    body = problem(
        429,
        "Too many requests",
        f"Request was throttled. Expected available in {seconds} seconds.",
        instance=request.get_full_path(),
    )
    response = JsonResponse(body, status=429, content_type=PROBLEM_TYPE)
    response["Retry-After"] = str(seconds)
    return response


def throttled(view):
    """The API's budget, headers and 429 for a plain Django view (the feeds): one budget per
    client across the whole API, whichever door it comes in by."""

    @wraps(view)
    def throttled_view(request, *args, **kwargs):
        throttle = AnonymousRateThrottle()
        if throttle.allow_request(request, None):
            response = view(request, *args, **kwargs)
        else:
            response = too_many_requests(request, throttle.wait())
        add_ratelimit_headers(request, response)
        return response

    return throttled_view
