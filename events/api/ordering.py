"""``?ordering=``: a short list of public names, each backed by an index; anything else is a 400."""

from __future__ import annotations

from rest_framework.filters import OrderingFilter

from .errors import InvalidParameter


class StrictOrderingFilter(OrderingFilter):
    """Orders by one public name (``published_at`` or ``-published_at``…).

    The view maps public names to model fields in ``ordering_map`` and gives its default in
    ``default_ordering``. Cursor pagination asks this filter for the ordering, so a cursor always
    walks the order the client asked for. Ties are broken by id so pages never overlap.
    """

    def get_ordering(self, request, queryset, view) -> tuple[str, ...]:
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return view.get_default_ordering()
        term = raw.strip()
        name = term.removeprefix("-")
        choices = view.ordering_choices()
        if name not in choices:
            allowed = ", ".join(sorted(choices))
            raise InvalidParameter(
                self.ordering_param,
                f"Cannot order by {raw!r}. Use one of: {allowed} (prefix - for descending).",
            )
        field = choices[name]
        descending = term.startswith("-")
        return (("-" if descending else "") + field, ("-" if descending else "") + "id")

    def filter_queryset(self, request, queryset, view):
        return queryset.order_by(*self.get_ordering(request, queryset, view))

    def get_schema_operation_parameters(self, view):
        names = sorted(view.ordering_choices())
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort order: a field name, prefixed with - for descending.",
                "schema": {
                    "type": "string",
                    "enum": [prefix + name for name in names for prefix in ("", "-")],
                },
            }
        ]
