"""Conditional GET: ETag and Last-Modified on every successful read, 304 when nothing changed.

The ETag is a hash of the bytes we would send, so it changes whenever anything visible changes
(a key point approved, a story unpublished from a list) without the model having to track it.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

CACHE_SECONDS = 60
#: headers a 304 keeps beside the ones Django copies (ETag, Last-Modified, Cache-Control, Vary…)
KEEP_ON_304 = ("RateLimit", "RateLimit-Policy", "Link", "Access-Control-Allow-Origin")


def make_conditional(request, response, last_modified: datetime | None = None):
    """Add validators and caching headers to a rendered-to-be response; maybe answer 304.

    Call it last, with the response that would be sent; returns the response to send.
    """
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if hasattr(response, "render"):
        response.render()
    etag = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
    response["ETag"] = etag
    timestamp = None
    if last_modified is not None:
        timestamp = int(last_modified.timestamp())
        response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    patch_vary_headers(response, ("Accept",))
    conditional = get_conditional_response(
        request, etag=etag, last_modified=timestamp, response=response
    )
    if conditional is not response:
        for header in KEEP_ON_304:
            if header in response and header not in conditional:
                conditional[header] = response[header]
    return conditional


def latest(*moments: datetime | None) -> datetime | None:
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


def finish_read(request, response, last_modified: datetime | None = None):
    """What every API read ends with: a refusal as problem+json whatever format was asked for,
    the rate-limit headers, then the conditional answer (the views' ``finalize_response``)."""
    from rest_framework.renderers import JSONRenderer

    from .errors import PROBLEM_TYPE
    from .throttling import add_ratelimit_headers

    if response.status_code >= 400:
        response.accepted_renderer = JSONRenderer()
        response.accepted_media_type = PROBLEM_TYPE
        response.content_type = PROBLEM_TYPE
    add_ratelimit_headers(request, response)
    return make_conditional(request, response, last_modified)
