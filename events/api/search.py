"""``?q=`` search: PostgreSQL full text (GIN index, ranked); a plain substring match elsewhere.

The document expression below must stay identical to the one the index was built on
(migration ``0003_api_search_indexes``), or PostgreSQL will not use the index.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

CONFIG = "english"

DOCUMENTS = {
    "events_story": '"events_story"."headline" || \' \' || "events_story"."standfirst"'
    ' || \' \' || "events_story"."body"',
    "events_event": '"events_event"."title" || \' \' || "events_event"."summary"',
}

FALLBACK_FIELDS = {
    "events_story": ("headline", "standfirst", "body"),
    "events_event": ("title", "summary"),
}


def document_sql(table: str) -> str:
    return f"to_tsvector('{CONFIG}'::regconfig, {DOCUMENTS[table]})"


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
