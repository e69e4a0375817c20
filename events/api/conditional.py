"""Conditional GET: ETag and Last-Modified on every successful read, 304 when nothing changed.

Reads of stored documents know their validators before they build anything: a detail's ETag is
its document's, a list's comes from the change-log position of its kind (no document of that
kind changed, so no page of them did). Such views answer 304 with ``unchanged`` before reading a
body. Other responses (the schema, feeds) get an ETag hashed from the bytes they would send.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.http import HttpResponseNotModified
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

CACHE_SECONDS = 60
#: headers a 304 keeps beside the ones Django copies (ETag, Last-Modified, Cache-Control, Vary…)
KEEP_ON_304 = ("RateLimit", "RateLimit-Policy", "Link", "Access-Control-Allow-Origin")


def quoted(tag: str) -> str:
    return '"' + tag + '"'


def hashed(*parts: str) -> str:
    """A strong ETag of what ``parts`` name (bytes, or the inputs that fix them)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\x00")
    return quoted(digest.hexdigest())


def timestamp(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def unchanged(request, etag: str, last_modified: datetime | None) -> HttpResponseNotModified | None:
    """A 304 if the client's copy is current, before any body is built (else None)."""
    if request.method not in ("GET", "HEAD"):
        return None
    answer = get_conditional_response(request, etag=etag, last_modified=timestamp(last_modified))
    return answer if isinstance(answer, HttpResponseNotModified) else None


def make_conditional(
    request, response, last_modified: datetime | None = None, etag: str | None = None
):
    """Add validators and caching headers to a response; maybe answer 304.

    Call it last, with the response that would be sent; returns the response to send. Without
    ``etag``, the ETag is a hash of the bytes.
    """
    if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
        return response
    if etag is None:
        if hasattr(response, "render"):
            response.render()
        etag = hashed(response.content)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(timestamp(last_modified))
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    patch_vary_headers(response, ("Accept",))
    if response.status_code == 304:
        return response
    conditional = get_conditional_response(
        request, etag=etag, last_modified=timestamp(last_modified), response=response
    )
    if conditional is not response:
        for header in KEEP_ON_304:
            if header in response and header not in conditional:
                conditional[header] = response[header]
    return conditional


def latest(*moments: datetime | None) -> datetime | None:
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


def finish_read(request, response, last_modified: datetime | None = None, etag: str | None = None):
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
    return make_conditional(request, response, last_modified, etag)
