"""Absolute addresses of public records: the public page (``web_url``) and the API record.

Documents are stored, so their addresses are absolute under the site's own origin
(``NEWSROOM_SITE_URL``), as the big content APIs give theirs; changing it needs
``manage.py rebuild_published``. Each address is resolved once per kind, then the slug is put in.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

#: slugs that ``reverse`` leaves exactly as they are
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
PLACEHOLDER = "0slug0"

WEB_NAMES = {"story": "public:story", "event": "public:event", "briefing": "public:briefing"}
API_NAMES = {
    "story": "api:story-detail",
    "event": "api:event-detail",
    "briefing": "api:briefing-detail",
}


def site() -> str:
    return settings.NEWSROOM_SITE_URL.rstrip("/")


@cache
def _template(name: str, origin: str) -> tuple[str, str]:
    before, _, after = reverse(name, kwargs={"slug": PLACEHOLDER}).rpartition(PLACEHOLDER)
    return origin + before, after


def _address(name: str, slug: str) -> str:
    if not PLAIN_SLUG.fullmatch(slug):
        return site() + reverse(name, kwargs={"slug": slug})
    before, after = _template(name, site())
    return before + slug + after


def web_url(kind: str, slug: str) -> str:
    return _address(WEB_NAMES[kind], slug)


def api_url(kind: str, slug: str) -> str:
    return _address(API_NAMES[kind], slug)


def addresses(kind: str, slug: str | None) -> dict[str, str | None]:
    """``web_url`` and ``api_url``; ``url`` is the API address, kept for existing clients.
    (None for a draft that has no address yet, in the desk's preview.)"""
    if not slug:
        return {"web_url": None, "api_url": None, "url": None}
    api = api_url(kind, slug)
    return {"web_url": web_url(kind, slug), "api_url": api, "url": api}


#: the date in every tag: id; it must never change, or every id would
TAG_DATE = "2025"


def tag_uri(kind: str, record_id: int | str) -> str:
    """The stable id of a record (``kind``: story, event, briefing) or of a feed
    (``kind``: feed, ``record_id``: its name), e.g. ``tag:example.org,2025:story/42`` (RFC 4151).
    The same in the API's documents, the change feed and every feed format; it survives a
    change of slug."""
    host = urlsplit(settings.NEWSROOM_SITE_URL).hostname or "localhost"
    return f"tag:{host},{TAG_DATE}:{kind}/{record_id}"
