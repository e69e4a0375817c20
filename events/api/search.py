"""``?q=`` search: PostgreSQL full text (GIN index, ranked); a plain substring match elsewhere.

On PostgreSQL each searchable table has a stored ``search_document`` tsvector column, generated
from its text and indexed with GIN (migration ``0006_api_search_document_columns``). Matching
and ranking read that column, so no row's text is parsed again at query time, whichever plan
PostgreSQL picks (the GIN index, or the date index with a cheap per-row check).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

CONFIG = "english"

#: table -> its stored tsvector column (PostgreSQL only; see migration 0006)
DOCUMENTS = {
    "events_story": '"events_story"."search_document"',
    "events_event": '"events_event"."search_document"',
}

FALLBACK_FIELDS = {
    "events_story": ("headline", "standfirst", "body"),
    "events_event": ("title", "summary"),
}


def document_sql(table: str) -> str:
    """The SQL for ``table``'s searchable tsvector, as the GIN index was built on it."""
    return DOCUMENTS[table]


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def search(queryset: QuerySet, q: str) -> QuerySet:
    """Records matching ``q``, annotated with ``rank`` (higher is better)."""
    table = queryset.model._meta.db_table
    if uses_full_text():
        tsquery = f"websearch_to_tsquery('{CONFIG}'::regconfig, %s)"
        document = document_sql(table)
        return queryset.annotate(
            rank=RawSQL(f"ts_rank({document}, {tsquery})", [q], output_field=FloatField())
        ).filter(RawSQL(f"{document} @@ {tsquery}", [q], output_field=BooleanField()))
    # SQLite and others: every word must appear in one of the fields, case-insensitively.
    condition = Q()
    for word in q.split():
        any_field = Q()
        for field in FALLBACK_FIELDS[table]:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return queryset.filter(condition).annotate(rank=Value(1.0, output_field=FloatField()))
