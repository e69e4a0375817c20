"""Idle timeout: a signed-in session ends after ``SESSION_COOKIE_AGE`` seconds without a request.

``SESSION_COOKIE_AGE`` is ``NEWSROOM_SESSION_IDLE_TIMEOUT`` (default 12 hours, a working night).
Django already ends a session that long after it was last saved: the database row's expiry
is checked on every load, and the cookie's max-age runs out in the browser. What it lacks is
"activity extends it". ``SESSION_SAVE_EVERY_REQUEST`` would do that by rewriting the session
row on every desk request (the key-points panel polls every 2 s, event lookups fire per
keystroke), and parallel htmx requests would each write back the whole session. This middleware
saves a signed-in session at most once a minute instead: the session then ends between
``timeout - 1 min`` and ``timeout`` after the last request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

LAST_SEEN = "_newsroom_last_seen"
# How stale the saved expiry may get; never more than a tenth of a short timeout.
GRANULARITY = 60


class IdleTimeoutMiddleware:
    """Push a signed-in session's expiry forward when it was last saved over a minute ago."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        # After the view, so that a login or logout in this request is already reflected;
        # a request without a session cookie (the public site, the API) costs nothing.
        if session.session_key and session.get(SESSION_KEY):
            now = int(time.time())
            every = min(GRANULARITY, settings.SESSION_COOKIE_AGE // 10)
            if now - session.get(LAST_SEEN, 0) >= every:
                session[LAST_SEEN] = now  # modified: SessionMiddleware saves with a new expiry
        return response
