"""Cursor pages: the position travels in an opaque cursor, so page 500 is as cheap as page 1."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from .errors import InvalidParameter

MAX_PAGE_SIZE = 100


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


class PublicCursorPagination(CursorPagination):
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
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }
