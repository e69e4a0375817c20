"""Tombstones: what was public and has since been unpublished or retracted."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from events.models import Briefing, Event, Story

from .conditional import finish_read
from .errors import handle_exception
from .loaders import TAKEN_DOWN
from .params import check_query_params
from .schema import ProblemAutoSchema
from .throttling import AnonymousRateThrottle

#: the most takedowns one page lists
TOMBSTONE_LIMIT = 500


class TombstoneSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["story", "event", "briefing"])
    slug = serializers.CharField()
    state = serializers.ChoiceField(choices=["unpublished", "retracted"])
    at = serializers.DateTimeField(help_text="When it was taken down.")


class SinceSerializer(serializers.Serializer):
    since = serializers.DateTimeField(
        help_text="ISO 8601 time: list what went away at or after it."
    )


@extend_schema(
    tags=["tombstones"],
    parameters=[SinceSerializer],
    responses=inline_serializer(
        "TombstonePage",
        {
            "next": serializers.URLField(allow_null=True),
            "results": TombstoneSerializer(many=True),
        },
    ),
)
class TombstoneView(APIView):
    """What was public and has since been unpublished or retracted, oldest first.

    Consumers that mirror the API delete these. At most 500 per page; `next` continues from the
    last one (a record may appear on both pages; use its slug to de-duplicate).
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRateThrottle]
    renderer_classes = [JSONRenderer]
    schema = ProblemAutoSchema()

    def get_exception_handler(self):
        return handle_exception

    def get(self, request):
        check_query_params(request.query_params, {"since", "format"})
        params = SinceSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        since = params.validated_data["since"]
        rows = []
        for model, kind in ((Story, "story"), (Event, "event"), (Briefing, "briefing")):
            # Only what was ever public: a scheduled story pulled before going live is no news.
            records = (
                model.objects.filter(
                    state__in=TAKEN_DOWN[model],
                    updated_at__gte=since,
                    first_published_at__isnull=False,
                )
                .exclude(slug=None)
                .order_by("updated_at", "id")
                .values_list("slug", "state", "updated_at")[: TOMBSTONE_LIMIT + 1]
            )
            rows += [{"type": kind, "slug": s, "state": st, "at": at} for s, st, at in records]
        rows.sort(key=lambda row: row["at"])
        page, more = rows[:TOMBSTONE_LIMIT], len(rows) > TOMBSTONE_LIMIT
        next_url = None
        if more:
            next_url = request.build_absolute_uri(
                request.path + "?since=" + page[-1]["at"].isoformat().replace("+", "%2B")
            )
        data = {"next": next_url, "results": TombstoneSerializer(page, many=True).data}
        self.last_modified = page[-1]["at"] if page else None
        return Response(data)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return finish_read(request, response, getattr(self, "last_modified", None))
