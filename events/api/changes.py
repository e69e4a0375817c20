"""The change feed and tombstones: the change log, read in commit order.

``/changes/?after=<position>`` lists every document put and every takedown after that position;
a consumer that keeps the last position it read and polls again never misses an entry (see
``events.publication.log``), and replaying from 0 arrives at exactly the published set.
``/tombstones/?since=<time>`` is the takedowns alone, for consumers that sync with
``updated_since``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from events.models import Change
from events.publication.builders import utc
from events.publication.urls import api_url, web_url

from .errors import InvalidParameter
from .filters import since
from .params import check_query_params
from .public import PublicRead

#: named once for the schema (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"])
RECORD_KINDS = ["story", "event", "briefing"]
TAKEDOWN_REASONS = ["unpublished", "retracted"]

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
#: the most takedowns one tombstones page lists
TOMBSTONE_LIMIT = 500


class ChangeSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="Its place in commit order; resume after it.")
    kind = serializers.ChoiceField(choices=RECORD_KINDS, help_text="What kind of record.")
    slug = serializers.CharField(help_text="The record's slug (its address in the API).")
    action = serializers.ChoiceField(
        choices=["put", "takedown"],
        help_text="put: fetch api_url for the new document; takedown: delete your copy.",
    )
    reason = serializers.ChoiceField(
        choices=["", "unpublished", "retracted"], help_text="Why a takedown happened."
    )
    web_url = serializers.URLField(help_text="The record's public page.")
    api_url = serializers.URLField(help_text="The record in this API.")
    etag = serializers.CharField(help_text="The document's ETag after this change.")
    at = serializers.DateTimeField(help_text="When the change was committed (UTC).")


def position_param(query_params, name: str) -> int | None:
    raw = query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not 0 <= value < 2**63:
        raise InvalidParameter(
            name, "Not a position: give a whole number from a previous page (0 for the start)."
        )
    return value


def entry(change: Change) -> dict:
    return {
        "position": change.position,
        "kind": change.kind,
        "slug": change.slug,
        "action": change.action,
        "reason": change.reason,
        "web_url": web_url(change.kind, change.slug),
        "api_url": api_url(change.kind, change.slug),
        "etag": '"' + change.etag + '"',
        "at": utc(change.at),
    }


class ChangeLogView(PublicRead, APIView):
    renderer_classes = [JSONRenderer]

    def next_url(self, request, **params) -> str:
        kept = {k: v for k, v in request.query_params.items() if k not in params}
        return request.build_absolute_uri(request.path + "?" + urlencode({**kept, **params}))


@extend_schema(
    tags=["changes"],
    parameters=[
        OpenApiParameter(
            "after", int, description="The last position you read (0, or leave out, to start)."
        ),
        OpenApiParameter("limit", int, description=f"Entries per page, 1 to {MAX_LIMIT}."),
    ],
    responses=inline_serializer(
        "ChangePage",
        {
            "next": serializers.URLField(
                help_text="Where to continue: poll it again later when results were empty."
            ),
            "results": ChangeSerializer(many=True, help_text="Entries, in commit order."),
        },
    ),
)
class ChangeFeedView(ChangeLogView):
    """Every document put and every takedown, in commit order.

    Keep the last `position` you read and ask for `after=` it: an entry committed later always
    has a higher position, so polling never misses one. Replaying from the start yields exactly
    the published records. `next` is always given; an empty page means nothing new yet."""

    def get(self, request):
        check_query_params(request.query_params, {"after", "limit", "format"})
        after = position_param(request.query_params, "after") or 0
        limit = position_param(request.query_params, "limit")
        if limit is not None and not 1 <= limit <= MAX_LIMIT:
            raise InvalidParameter("limit", f"Must be between 1 and {MAX_LIMIT}.")
        changes = list(
            Change.objects.filter(position__gt=after).order_by("position")[: limit or DEFAULT_LIMIT]
        )
        last = changes[-1].position if changes else after
        self.last_modified = changes[-1].at if changes else None
        data = {
            "next": self.next_url(request, after=last),
            "results": [entry(change) for change in changes],
        }
        return Response(data)


class TombstoneSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=RECORD_KINDS, help_text="What kind of record.")
    slug = serializers.CharField(help_text="The record's slug.")
    state = serializers.ChoiceField(choices=TAKEDOWN_REASONS, help_text="Why it went.")
    at = serializers.DateTimeField(help_text="When it was taken down (UTC).")
    position = serializers.IntegerField(help_text="Its position in the change feed.")


@extend_schema(
    tags=["tombstones"],
    parameters=[
        OpenApiParameter(
            "since",
            OpenApiTypes.DATETIME,
            description="ISO 8601 time with offset: list what went away at or after it.",
        ),
        OpenApiParameter("after", int, description="Continue after this change-feed position."),
    ],
    responses=inline_serializer(
        "TombstonePage",
        {
            "next": serializers.URLField(
                allow_null=True, help_text="The next page, or null on the last."
            ),
            "results": TombstoneSerializer(many=True, help_text="Takedowns, oldest first."),
        },
    ),
)
class TombstoneView(ChangeLogView):
    """What was public and has since been unpublished or retracted, oldest first: every
    takedown, even of a record published again since (the change feed says so, in order).

    Consumers that mirror the API with `updated_since` delete these. At most 500 per page;
    `next` continues after the last one."""

    def get(self, request):
        check_query_params(request.query_params, {"since", "after", "format"})
        moment = since(request.query_params, "since")
        after = position_param(request.query_params, "after")
        if moment is None and after is None:
            raise InvalidParameter("since", "Give a time (ISO 8601 with offset), or after=.")
        takedowns = Change.objects.filter(action=Change.Action.TAKEDOWN)
        if moment is not None:
            takedowns = takedowns.filter(at__gte=moment)
        if after is not None:
            takedowns = takedowns.filter(position__gt=after)
        page = list(takedowns.order_by("position")[: TOMBSTONE_LIMIT + 1])
        more, page = len(page) > TOMBSTONE_LIMIT, page[:TOMBSTONE_LIMIT]
        self.last_modified = page[-1].at if page else None
        rows = [
            {
                "type": change.kind,
                "slug": change.slug,
                "state": change.reason,
                "at": utc(change.at),
                "position": change.position,
            }
            for change in page
        ]
        next_url = self.next_url(request, after=page[-1].position) if more else None
        return Response({"next": next_url, "results": rows})
