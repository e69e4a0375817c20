"""The public read API: published stories, events and briefings, read from stored documents.

Each view is anonymous, throttled, read-only, strict about its query string and conditional.
Filters pick records on the working tables' indexed columns; what is served is always the
records' stored documents (``events.publication``), in keyset pages over the documents' own
sort columns. A JSON page is the stored texts joined, with no parsing or rendering; CSV and
GeoJSON parse them for their renderers.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from events.models import Briefing, Event, PublicDocument, Story
from events.publication import log
from events.publication.read import found, live

from . import serializers as api
from .conditional import hashed, quoted, unchanged
from .errors import InvalidParameter, problem
from .filters import BriefingFilter, EventFilter, PublicFilterBackend, StoryFilter, since
from .pagination import KeysetPage, KeysetSchema, decode_cursor, page_size
from .params import check_query_params
from .public import PublicRead
from .renderers import CSVRenderer, GeoJSONRenderer

#: moves every list's ETag when the shape of a list page changes with a deploy
LIST_SHAPE = "2"


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class PublicReadViewSet(PublicRead, viewsets.GenericViewSet):
    """Anonymous, throttled, read-only, strict about its query string, conditional."""

    renderer_classes = [JSONRenderer]
    filter_backends = [PublicFilterBackend]
    pagination_class = KeysetSchema  # for the schema: the views page by hand (KeysetPage)
    lookup_field = "slug"
    kind = ""
    model = None
    #: public ordering name -> (document column, its type); the first, descending, is the default
    orderings: dict[str, tuple[str, str]] = {}
    detail_serializer_class = None

    def get_queryset(self):
        """The working rows that filters select from (their documents are what is served)."""
        return self.model.objects.published()

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    def output_format(self) -> str:
        return self.request.accepted_renderer.format

    def search_terms(self) -> str:
        return self.request.query_params.get("q", "").strip()

    def allowed_params(self) -> set[str]:
        if self.action == "list":
            return {*self.filterset_class.base_filters, "ordering", "cursor", "page_size", "format"}
        return {"format"}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            check_query_params(request.query_params, self.allowed_params())

    # --- lists ---------------------------------------------------------------------------------

    def chosen_ordering(self) -> KeysetPage:
        raw = self.request.query_params.get("ordering")
        choices = dict(self.orderings)
        if self.search_terms():
            choices["rank"] = ("rank", "rank")
        if raw is None:
            name = next(iter(self.orderings))
            return KeysetPage("-" + name, *choices[name])
        term = raw.strip()
        name = term.removeprefix("-")
        if name not in choices:
            allowed = ", ".join(sorted(choices))
            raise InvalidParameter(
                "ordering",
                f"Cannot order by {raw!r}. Use one of: {allowed} (prefix - for descending).",
            )
        if name == "rank":
            return KeysetPage(term, "rank", "rank", id_column="id")
        return KeysetPage(term, *choices[name])

    def filtered_documents(self):
        documents = live(self.kind)
        params = self.request.query_params
        changed_since = since(params, "updated_since")
        if changed_since is not None:
            documents = documents.filter(changed_at__gte=changed_since)
        if not self.filterset_class.base_filters.keys() - {"updated_since"} & params.keys():
            return documents
        chosen = self.filter_queryset(self.get_queryset())
        return documents.filter(record_id__in=chosen.values("pk"))

    def list(self, request, *args, **kwargs):
        page = self.chosen_ordering()
        output = self.output_format()
        size = page_size(request.query_params, output)
        raw_cursor = request.query_params.get("cursor")
        cursor = decode_cursor(raw_cursor, page.ordering) if raw_cursor else None
        # No entry about this kind since, so no page of it changed: answer before reading one.
        entry = log.latest(self.kind)
        position = str(entry.position) if entry else "0"
        # Per URL, like every ETag: what it names is the list at this log position, in this format.
        self.etag = hashed(LIST_SHAPE, self.kind, position, output)
        self.last_modified = entry.at if entry else None
        if answer := unchanged(request, self.etag, self.last_modified):
            return answer
        if page.column == "rank":
            rows = self.ranked_rows(page, cursor, size)
        else:
            selected = page.select(self.filtered_documents(), cursor, size)
            rows = list(selected.values_list(page.column, "record_id", "item"))
        rows, next_url, previous_url = page.links(request, rows, size, cursor)
        items = [row[2] for row in rows]
        if output == "json":
            body = (
                f'{{"next":{dumps(next_url)},"previous":{dumps(previous_url)},'
                f'"results":[{",".join(items)}]}}'
            )
            response = HttpResponse(body.encode(), content_type="application/json")
        else:
            results = [json.loads(text) for text in items]
            response = Response({"next": next_url, "previous": previous_url, "results": results})
        links = [
            f'<{url}>; rel="{rel}"'
            for rel, url in (("next", next_url), ("prev", previous_url))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def ranked_rows(self, page: KeysetPage, cursor, size: int) -> list[tuple]:
        """Search results by relevance: ranked on the working table, served from documents."""
        chosen = self.filter_queryset(self.get_queryset())
        ranked = list(page.select(chosen, cursor, size).values_list("rank", "id"))
        documents = dict(
            live(self.kind)
            .filter(record_id__in=[pk for _, pk in ranked])
            .values_list("record_id", "item")
        )
        return [(rank, pk, documents[pk]) for rank, pk in ranked if pk in documents]

    # --- one record ----------------------------------------------------------------------------

    def retrieve(self, request, *args, slug: str = "", **kwargs):
        document = found(
            PublicDocument.objects.filter(kind=self.kind, slug=slug).only(
                "status", "body", "etag", "changed_at"
            )
        )
        if document is None or document.status == PublicDocument.Status.UNPUBLISHED:
            raise NotFound(f"No published {self.kind} has this slug.")
        if document.status == PublicDocument.Status.RETRACTED:
            return self.gone(json.loads(document.body))
        output = self.output_format()
        self.etag = quoted(document.etag if output == "json" else f"{document.etag}-{output}")
        self.last_modified = document.changed_at
        if answer := unchanged(request, self.etag, self.last_modified):
            return answer
        if output == "json":
            return HttpResponse(document.body.encode(), content_type="application/json")
        return Response(json.loads(document.body))

    def gone(self, notice: dict) -> Response:
        """A retracted record: 410, with the notice readers get on its page."""
        detail = f"This {self.kind} was retracted."
        if notice.get("notice"):
            detail += " " + notice["notice"]
        body = problem(
            410,
            "Gone",
            detail,
            instance=self.request.get_full_path(),
            retraction={k: notice.get(k) for k in ("title", "notice", "at", "web_url")},
        )
        return Response(body, status=410)


@extend_schema(tags=["stories"])
class StoryViewSet(PublicReadViewSet):
    """Published stories, newest first, with their approved key points, quotes, corrections
    and linked events."""

    kind = "story"
    model = Story
    serializer_class = api.StorySerializer
    detail_serializer_class = api.StoryDetailSerializer
    filterset_class = StoryFilter
    orderings = {
        "published_at": ("published_at", "datetime"),
        "updated_at": ("changed_at", "datetime"),
    }


@extend_schema(tags=["events"])
class EventViewSet(PublicReadViewSet):
    """Published events with their latest figures, place, actors, parent and related events.
    Also as GeoJSON (`?format=geojson` or `/events.geojson`) and CSV (`?format=csv` or
    `/events.csv`), up to 5,000 per page."""

    kind = "event"
    model = Event
    serializer_class = api.EventSerializer
    detail_serializer_class = api.EventDetailSerializer
    filterset_class = EventFilter
    renderer_classes = [JSONRenderer, GeoJSONRenderer, CSVRenderer]
    orderings = {"starts_at": ("starts_at", "datetime"), "updated_at": ("changed_at", "datetime")}


@extend_schema(tags=["briefings"])
class BriefingViewSet(PublicReadViewSet):
    """Published briefings with their live stories in order."""

    kind = "briefing"
    model = Briefing
    serializer_class = api.BriefingSerializer
    filterset_class = BriefingFilter
    orderings = {
        "published_at": ("published_at", "datetime"),
        "edition_date": ("edition_date", "date"),
    }


@extend_schema_view(list=extend_schema(exclude=True))
class EventFileViewSet(EventViewSet):
    """``/events.geojson`` and ``/events.csv``: the events list, for tools that go by the
    extension (the schema documents them as the list's ``format``)."""
