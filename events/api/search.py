"""``?q=`` search: PostgreSQL full text (GIN index, ranked); a plain substring match elsewhere.

On PostgreSQL each searchable table has a stored ``search_document`` tsvector column, generated
from its text and indexed with GIN (migration ``0006_api_search_document_columns``). Matching
and ranking read that column, so no row's text is parsed again at query time, whichever plan
PostgreSQL picks (the GIN index, or the date index with a cheap per-row check).
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Expression, FloatField, Q, QuerySet, Value

CONFIG = "english"
COLUMN = '"search_document"'

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


class StoredDocument(Expression):
    """The stored tsvector column of the query's own table, under whatever alias the table has
    in this query (``U0`` when the search is a subquery of the documents' list, where a raw
    ``"events_story"."search_document"`` would name a table that is not in the FROM clause)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.{COLUMN}", []


def search(queryset: QuerySet, q: str) -> QuerySet:
    """Records matching ``q``, annotated with ``rank`` (higher is better)."""
    table = queryset.model._meta.db_table
    if uses_full_text():
        query = SearchQuery(q, config=CONFIG, search_type="websearch")
        return (
            queryset.alias(search_document=StoredDocument())
            .filter(search_document=query)
            .annotate(rank=SearchRank(StoredDocument(), query))
        )
    # SQLite and others: every word must appear in one of the fields, case-insensitively.
    condition = Q()
    for word in q.split():
        any_field = Q()
        for field in FALLBACK_FIELDS[table]:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return queryset.filter(condition).annotate(rank=Value(1.0, output_field=FloatField()))
