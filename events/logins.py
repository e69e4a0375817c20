"""Sign-in throttling (django-axes): whose failures count, and what a locked-out person is told.

Axes counts failed sign-ins on both login pages (the desk's and the admin's) per account and per
address; past ``AXES_FAILURE_LIMIT`` within the cool-off, that account or address is refused, even
with the right password, until the cool-off has passed or an editor deletes its access attempts in
the admin. The settings are in ``newsroom/settings.py``; these two callables are named there.
"""

from __future__ import annotations

import ipaddress
import math

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from rest_framework.throttling import BaseThrottle


def client_address(request: HttpRequest) -> str | None:
    """The address the API's rate limit counts too (DRF's ``NUM_PROXIES`` rule).

    Without ``DJANGO_BEHIND_TLS_PROXY`` that is ``REMOTE_ADDR`` and a client's X-Forwarded-For
    is ignored (it could otherwise pick a fresh address per guess); behind the proxy it is the
    entry the proxy appended. A value that is not an address (a misconfigured proxy) falls back
    to ``REMOTE_ADDR``: axes stores addresses in an address column.
    """
    address = BaseThrottle().get_ident(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return request.META.get("REMOTE_ADDR") or None


#: longest username axes records (its column); no account has a longer one (``User``: 150)
USERNAME_LENGTH = 150


def attempted_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username a sign-in tried, as axes counts it: cut to what an account can have.

    Django's login form does not enforce the username's length before ``authenticate()``, so a
    3,000-character name reached axes' 255-character column (a 500 on PostgreSQL). Every name
    past 150 characters is a name no account has; counting them under their first 150 keeps the
    lock per account working for the real ones.
    """
    source = credentials if credentials else request.POST
    username = source.get("username") if source is not None else None
    return username[:USERNAME_LENGTH] if isinstance(username, str) else username


def show_lockout(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The page shown instead of the login form once axes refuses a sign-in (HTTP 429).

    It says whether the account, the address or both are locked, for how long at most, and that
    an editor can unlock sooner. Failed attempts during a lockout are not recorded
    (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT`` is off), so the time only runs down.
    """
    cool_off = get_cool_off(request)
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
    username = get_client_username(request, credentials)
    locked_until = {}
    for what, attempts in [
        ("account", recent.filter(username=username)),
        ("address", recent.filter(ip_address=getattr(request, "axes_ip_address", None))),
    ]:
        totals = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        if (totals["failures"] or 0) >= settings.AXES_FAILURE_LIMIT:
            # Rows leave the count one by one as they age: the last one bounds the wait.
            locked_until[what] = totals["last"] + cool_off
    until = max(locked_until.values(), default=now + cool_off)
    context = {
        "account_locked": "account" in locked_until,
        "address_locked": "address" in locked_until,
        "username": username or "",
        "minutes": max(1, math.ceil((until - now).total_seconds() / 60)),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": round(cool_off.total_seconds() / 60),
    }
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
