"""Anonymous rate limiting with IETF RateLimit headers on every response.

A fixed-window counter (one cache key per client and window) rather than DRF's list of
timestamps: the cost stays constant whatever the rate, which matters for high configured limits.
"""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from rest_framework.throttling import SimpleRateThrottle

from .errors import PROBLEM_TYPE, problem

POLICY = "anon"


class AnonymousRateThrottle(SimpleRateThrottle):
    scope = POLICY

    def get_rate(self) -> str | None:
        # Read at request time so that tests and deployments can change it without a restart.
        return settings.NEWSROOM_API_ANON_RATE or None

    def get_cache_key(self, request, view) -> str:
        return f"throttle:{self.scope}:{self.get_ident(request)}"

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        now = time.time()
        window_start = int(now // self.duration) * self.duration
        key = f"{self.get_cache_key(request, view)}:{window_start}"
        cache.add(key, 0, self.duration + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.set(key, 1, self.duration + 1)
            count = 1
        self.reset_in = max(1, int(window_start + self.duration - now + 0.999))
        request.ratelimit = (
            self.num_requests,
            max(0, self.num_requests - count),
            self.reset_in,
            self.duration,
        )
        return count <= self.num_requests

    def wait(self) -> float:
        return self.reset_in


def add_ratelimit_headers(request, response) -> None:
    """RateLimit-Policy / RateLimit (draft-ietf-httpapi-ratelimit-headers), when throttled."""
    state = getattr(request, "ratelimit", None)
    if state is None:
        return
    limit, remaining, reset, window = state
    response["RateLimit-Policy"] = f'"{POLICY}";q={limit};w={window}'
    response["RateLimit"] = f'"{POLICY}";r={remaining};t={reset}'


def throttled(view):
    """The API's budget, headers and 429 for a plain Django view (the feeds): one budget per
    client across the whole API, whichever door it comes in by."""

    @wraps(view)
    def throttled_view(request, *args, **kwargs):
        throttle = AnonymousRateThrottle()
        if throttle.allow_request(request, None):
            response = view(request, *args, **kwargs)
        else:
            wait = int(throttle.wait())
            body = problem(
                429,
                "Too many requests",
                f"Request was throttled. Expected available in {wait} seconds.",
                instance=request.get_full_path(),
            )
            response = JsonResponse(body, status=429, content_type=PROBLEM_TYPE)
            response["Retry-After"] = str(wait)
        add_ratelimit_headers(request, response)
        return response

    return throttled_view
