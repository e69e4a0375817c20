"""Reading the stored documents: what every public output (API, feeds, sitemap, pages) uses.

Filters may pick records on the working tables' indexed columns; what is shown
always comes from here, never from a working row.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from django.db.models import Case, QuerySet, When

from events.models.publication import PublicDocument

#: keys of a document that hold times (ISO 8601, UTC) or dates, for pages that format them
TIME_KEYS = {
    "first_published_at",
    "published_at",
    "updated_at",
    "starts_at",
    "ends_at",
    "as_of",
    "date",
    "at",
}


def live(kind: str) -> QuerySet[PublicDocument]:
    """The documents of the public records of ``kind``."""
    return PublicDocument.objects.filter(kind=kind, status=PublicDocument.Status.LIVE)


def find(kind: str, slug: str) -> PublicDocument | None:
    """The document of ``kind`` at ``slug``, live or taken down (``status`` says which). A live
    one first: a deleted record's takedown may share its slug with a newer record."""
    return found(PublicDocument.objects.filter(kind=kind, slug=slug))


def found(documents: QuerySet[PublicDocument]) -> PublicDocument | None:
    """The first of ``documents`` (all of one slug), a live one before takedowns."""
    live_first = Case(When(status=PublicDocument.Status.LIVE, then=0), default=1)
    return documents.order_by(live_first, "-changed_at").first()


def body(document: PublicDocument) -> dict:
    return json.loads(document.body)


def item(document: PublicDocument) -> dict:
    return json.loads(document.item)


def with_times(value):
    """A document with its times as ``datetime`` (and ``edition_date`` as ``date``), for
    templates that format them; everything else as stored."""
    if isinstance(value, list):
        return [with_times(entry) for entry in value]
    if not isinstance(value, dict):
        return value
    shown = {}
    for key, entry in value.items():
        if key in TIME_KEYS and isinstance(entry, str):
            shown[key] = datetime.fromisoformat(entry)
        elif key == "edition_date" and isinstance(entry, str):
            shown[key] = date.fromisoformat(entry)
        else:
            shown[key] = with_times(entry)
    return shown


def for_page(document: PublicDocument) -> dict:
    """The document as a page shows it: parsed, with times as datetimes."""
    return with_times(body(document))
