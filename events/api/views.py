"""The public read API's viewsets: published stories, events and briefings.

Each is anonymous, throttled, read-only, strict about its query string and conditional; what
it serves is loaded by ``events.api.loaders`` in a constant number of queries per page.
"""

from __future__ import annotations

from datetime import datetime

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from . import serializers as api
from .conditional import finish_read, latest
from .errors import InvalidParameter, handle_exception
from .filters import BriefingFilter, EventFilter, PublicFilterBackend, StoryFilter
from .loaders import (
    attach_event_relations,
    attach_story_relations,
    briefing_changed_at,
    briefing_queryset,
    event_changed_at,
    last_takedown,
    public_events,
    public_stories,
    story_changed_at,
)
from .ordering import StrictOrderingFilter
from .pagination import PublicCursorPagination
from .params import check_query_params
from .renderers import CSVRenderer, GeoJSONRenderer
from .schema import ProblemAutoSchema
from .throttling import AnonymousRateThrottle


class PublicReadViewSet(viewsets.ReadOnlyModelViewSet):
    """Anonymous, throttled, read-only, strict about its query string, conditional."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRateThrottle]
    renderer_classes = [JSONRenderer]
    filter_backends = [PublicFilterBackend, StrictOrderingFilter]
    pagination_class = PublicCursorPagination
    schema = ProblemAutoSchema()
    lookup_field = "slug"
    #: public ordering name -> model field; the first entry's descending order is the default
    ordering_map: dict[str, str] = {}
    detail_serializer_class = None
    last_modified: datetime | None = None

    def get_exception_handler(self):
        return handle_exception

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    def search_terms(self) -> str:
        return self.request.query_params.get("q", "").strip()

    def ordering_choices(self) -> dict[str, str]:
        choices = dict(self.ordering_map)
        if getattr(self, "request", None) is not None and self.search_terms():
            choices["rank"] = "rank"
        elif getattr(self, "request", None) is None and "q" in self.filterset_class.base_filters:
            choices["rank"] = "rank"  # for the schema: valid together with q
        return choices

    def get_default_ordering(self) -> tuple[str, ...]:
        # Newest first even when searching: that is what a news reader expects, and it lets
        # PostgreSQL stop at the first page of matches. Relevance is ``ordering=-rank``.
        field = next(iter(self.ordering_map.values()))
        return ("-" + field, "-id")

    def allowed_params(self) -> set[str]:
        formats = {"format"}
        if self.action == "list":
            return {*self.filterset_class.base_filters, "ordering", "cursor", "page_size", *formats}
        return formats

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except (Http404, NotFound):
            offered = ", ".join(r.format for r in self.get_renderers())
            raise InvalidParameter("format", f"Not offered here. Use one of: {offered}.") from None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            check_query_params(request.query_params, self.allowed_params())

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        self.prepare(page)
        self.last_modified = latest(
            *(self.changed_at(record) for record in page), last_takedown(queryset.model)
        )
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        self.prepare([record])
        self.last_modified = self.changed_at(record)
        return Response(self.get_serializer(record).data)

    def prepare(self, records: list) -> None:
        """Load what the page's records need beyond the queryset (nothing by default)."""

    def changed_at(self, record) -> datetime | None:
        raise NotImplementedError

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return finish_read(request, response, self.last_modified)


@extend_schema(tags=["stories"])
class StoryViewSet(PublicReadViewSet):
    """Published stories, newest first, with their approved key points, quotes, corrections
    and linked events."""

    serializer_class = api.StorySerializer
    detail_serializer_class = api.StoryDetailSerializer
    filterset_class = StoryFilter
    ordering_map = {"published_at": "last_published_at", "updated_at": "updated_at"}

    def get_queryset(self):
        return public_stories(with_body=self.action != "list")

    def prepare(self, records):
        attach_story_relations(records)

    def changed_at(self, record):
        return story_changed_at(record)


@extend_schema(tags=["events"])
class EventViewSet(PublicReadViewSet):
    """Published events with their latest figures, place, actors, parent and related events.
    Also as GeoJSON (`?format=geojson`) and CSV (`?format=csv`)."""

    serializer_class = api.EventSerializer
    filterset_class = EventFilter
    renderer_classes = [JSONRenderer, GeoJSONRenderer, CSVRenderer]
    ordering_map = {"starts_at": "starts_at", "updated_at": "updated_at"}

    def get_queryset(self):
        return public_events()

    def prepare(self, records):
        attach_event_relations(records)

    def changed_at(self, record):
        return event_changed_at(record)


@extend_schema(tags=["briefings"])
class BriefingViewSet(PublicReadViewSet):
    """Published briefings with their live stories in order."""

    serializer_class = api.BriefingSerializer
    filterset_class = BriefingFilter
    ordering_map = {"published_at": "last_published_at", "edition_date": "edition_date"}

    def get_queryset(self):
        return briefing_queryset()

    def changed_at(self, record):
        return briefing_changed_at(record)
