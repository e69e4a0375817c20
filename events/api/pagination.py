"""Keyset pages over (sort value, record id): page 500 costs what page 1 costs, and a walk never
skips or repeats a record when values tie or records change meanwhile.

The cursor is opaque to clients (base64 of JSON): the sort value and id of the row it continues
from, and whether it walks back (a ``previous`` link). A cursor from another ordering, or edited
by hand, is a 400.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.db.models import Q, QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.response import Response

from .errors import InvalidParameter

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
#: CSV and GeoJSON pages: what a spreadsheet or a GIS loads at once
MAX_BULK_PAGE_SIZE = 5000
BULK_FORMATS = {"csv", "geojson"}


@dataclass(frozen=True)
class Cursor:
    value: str | float | None
    record_id: int
    backwards: bool = False

    def encode(self, ordering: str) -> str:
        raw = json.dumps([ordering, self.value, self.record_id, self.backwards])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def bad_cursor() -> InvalidParameter:
    return InvalidParameter("cursor", "Not a cursor this API gave out.")


def decode_cursor(raw: str, ordering: str) -> Cursor:
    try:
        padded = raw + "=" * (-len(raw) % 4)
        name, value, record_id, backwards = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, TypeError, binascii.Error):
        raise bad_cursor() from None
    if name != ordering or not isinstance(record_id, int) or not isinstance(backwards, bool):
        raise bad_cursor()
    if not (0 < record_id < 2**63) or not isinstance(value, str | float | int):
        raise bad_cursor()
    return Cursor(value, record_id, backwards)


def page_size(query_params, output_format: str) -> int:
    largest = MAX_BULK_PAGE_SIZE if output_format in BULK_FORMATS else MAX_PAGE_SIZE
    raw = query_params.get("page_size")
    if raw is None:
        return DEFAULT_PAGE_SIZE if largest == MAX_PAGE_SIZE else largest
    try:
        size = int(raw)
    except ValueError:
        raise InvalidParameter("page_size", "Must be a whole number.") from None
    if not 1 <= size <= largest:
        raise InvalidParameter("page_size", f"Must be between 1 and {largest} in this format.")
    return size


def as_sql_value(value, column_type: str):
    """A cursor's sort value as the database compares it (or a 400 if it cannot be one)."""
    try:
        if column_type == "datetime":
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None or not 1 < moment.year < 9999:
                raise ValueError(value)
            return connection.ops.adapt_datetimefield_value(moment)
        if column_type == "date":
            return connection.ops.adapt_datefield_value(date.fromisoformat(value))
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(value)
        return number
    except (ValueError, TypeError, OverflowError):
        raise bad_cursor() from None


def sort_value(value) -> str | float:
    return value.isoformat() if isinstance(value, date | datetime) else float(value)


def page_schema(results: dict, what: str) -> dict:
    """A page's shape in the schema: its records and the links on either side."""
    link = {"type": "string", "format": "uri", "nullable": True}
    return {
        "type": "object",
        "required": ["next", "previous", "results"],
        "properties": {
            "next": {**link, "description": "The next page, or null on the last."},
            "previous": {**link, "description": "The previous page, or null on the first."},
            "results": {**results, "description": what},
        },
    }


class KeysetSchema(BasePagination):
    """Describes the keyset pages to the OpenAPI schema (the views page by hand)."""

    def get_schema_operation_parameters(self, view) -> list[dict]:
        names = [*view.orderings, *(["rank"] if "q" in view.filterset_class.base_filters else [])]
        first = next(iter(view.orderings))
        return [
            {
                "name": "ordering",
                "required": False,
                "in": "query",
                "description": f"Sort order (default -{first}); prefix - for descending. "
                "rank (relevance) only with q.",
                "schema": {"type": "string", "enum": [p + n for n in names for p in ("", "-")]},
            },
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "The cursor from the next or previous link of a page.",
                "schema": {"type": "string"},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"Results per page: 1 to {MAX_PAGE_SIZE} (default "
                f"{DEFAULT_PAGE_SIZE}) in JSON; up to {MAX_BULK_PAGE_SIZE} (the default) in "
                "CSV and GeoJSON.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_BULK_PAGE_SIZE},
            },
        ]

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return page_schema(schema, "This page's records.")


@dataclass
class KeysetPage:
    """One page of ``queryset`` (already filtered) ordered by ``column`` then ``id_column``."""

    ordering: str  # the public name, with - for descending
    column: str
    column_type: str
    id_column: str = "record_id"

    def select(self, queryset: QuerySet, cursor: Cursor | None, size: int) -> QuerySet:
        descending = self.ordering.startswith("-")
        if cursor is not None and cursor.backwards:
            descending = not descending
        direction = "-" if descending else ""
        queryset = queryset.order_by(direction + self.column, direction + self.id_column)
        if cursor is None:
            return queryset[: size + 1]
        value = as_sql_value(cursor.value, self.column_type)
        if self.column_type == "rank":  # an annotation: no column to compare as a row value
            beyond = "lt" if descending else "gt"
            return queryset.filter(
                Q(**{f"{self.column}__{beyond}": value})
                | Q(**{self.column: value, f"{self.id_column}__{beyond}": cursor.record_id})
            )[: size + 1]
        # A row-value comparison, which both databases answer from the (column, id) index.
        quote, meta = connection.ops.quote_name, queryset.model._meta
        table = quote(meta.db_table)
        column = quote(meta.get_field(self.column).column)
        ident = quote(meta.get_field(self.id_column).column)
        operator = "<" if descending else ">"
        return queryset.extra(
            where=[f"({table}.{column}, {table}.{ident}) {operator} (%s, %s)"],
            params=[value, cursor.record_id],
        )[: size + 1]

    def links(
        self, request, rows: list[tuple], size: int, cursor: Cursor | None
    ) -> tuple[list[tuple], str | None, str | None]:
        """(the page's rows in order, next URL, previous URL) from ``rows`` as selected: each
        row starts with (sort value, id)."""
        more = len(rows) > size
        rows = rows[:size]
        backwards = cursor is not None and cursor.backwards
        if backwards:
            rows.reverse()
        next_url = previous_url = None
        if rows:
            first, last = rows[0], rows[-1]
            if more or backwards:
                after = Cursor(sort_value(last[0]), last[1])
                next_url = self.url(request, after)
            if cursor is not None and (more or not backwards):
                before = Cursor(sort_value(first[0]), first[1], backwards=True)
                previous_url = self.url(request, before)
        return rows, next_url, previous_url

    def url(self, request, cursor: Cursor) -> str:
        params = [("cursor", cursor.encode(self.ordering))] + [
            (key, value)
            for key, values in request.GET.lists()
            if key != "cursor"
            for value in values
        ]
        return request.build_absolute_uri(request.path + "?" + urlencode(params))


# --- the filter-term lists --------------------------------------------------------------------


def check_position(model, name: str, position: str) -> None:
    """Raise if ``position`` cannot be a value of the ordering field ``name``."""
    if "\x00" in position:  # base64 hides it from the query-string check; PostgreSQL refuses it
        raise ValueError(position)
    if name == "rank":
        if not math.isfinite(float(position)):
            raise ValueError(position)
        return
    value = model._meta.get_field(name).to_python(position)
    if value is None or (hasattr(value, "year") and not 1 < value.year < 9999):
        raise ValueError(position)


class TermCursorPagination(CursorPagination):
    """DRF's cursor pages, strict about their parameters: for the filter-term lists, which are
    small and read from the vocabulary tables."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_description = "The cursor from the `next` or `previous` link of a page."
    page_size_query_description = f"Results per page, 1 to {MAX_PAGE_SIZE} (default 20)."

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise InvalidParameter("page_size", "Must be a whole number.") from None
        if not 1 <= size <= self.max_page_size:
            raise InvalidParameter("page_size", f"Must be between 1 and {self.max_page_size}.")
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise InvalidParameter("cursor", "Not a cursor this API gave out.") from None

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            # A hand-edited position must fail here, not as a database error mid-query.
            try:
                check_position(self.model, self.ordering[0].lstrip("-"), cursor.position)
            except (DjangoValidationError, ValueError, TypeError, OverflowError):
                raise InvalidParameter("cursor", "Not a cursor this API gave out.") from None
        return cursor

    def get_paginated_response(self, data) -> Response:
        response = Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )
        links = [
            f'<{url}>; rel="{rel}"'
            for rel, url in (("next", self.get_next_link()), ("prev", self.get_previous_link()))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=20)
        return parameters

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return page_schema(schema, "This page's terms.")
