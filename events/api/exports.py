"""Bulk exports: the list of dated dumps (``/exports/``) and each file (``/exports/<name>``).

The files are written by ``events.publication.exports`` (beat, daily); this only lists the
manifests and serves the files they name, as they are on disk.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from events.publication import exports

from .conditional import CACHE_SECONDS, finish_read
from .errors import PROBLEM_TYPE, InvalidParameter, ProblemSerializer, handle_exception
from .params import check_query_params
from .schema import ProblemAutoSchema
from .throttling import AnonymousRateThrottle, add_ratelimit_headers

GZIP = "application/gzip"


class ExportSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The file's name; download it from `url`.")
    kind = serializers.ChoiceField(
        choices=["story", "event", "briefing"], help_text="The kind of record it holds."
    )
    format = serializers.ChoiceField(
        choices=["jsonl", "csv", "geojson"],
        help_text="jsonl: one public document per line, as the API serves it alone; csv and "
        "geojson: the events as `/events/?format=csv` and `?format=geojson` give them. "
        "Every file is gzipped.",
    )
    date = serializers.DateField(help_text="The day (UTC) of the export.")
    created_at = serializers.DateTimeField(
        help_text="When the export read the documents (UTC): it shows them as they were then."
    )
    rows = serializers.IntegerField(
        help_text="Documents (lines), events (CSV rows, not the header) or features in the file."
    )
    bytes = serializers.IntegerField(help_text="The size of the gzipped file.")
    sha256 = serializers.CharField(help_text="SHA-256 of the gzipped file, in hex.")
    position = serializers.IntegerField(
        help_text="The change-feed position to resume from: the export holds every change up "
        "to it; apply `/changes/?after=<position>` to bring a copy up to date."
    )
    url = serializers.URLField(help_text="Where to download the file (`application/gzip`).")


class ExportListSerializer(serializers.Serializer):
    results = ExportSerializer(
        many=True, help_text="Every file of every kept export, newest first."
    )


class ExportView(APIView):
    """Anonymous, throttled, problem+json refusals, like the rest of the API."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRateThrottle]
    renderer_classes = [JSONRenderer]
    schema = ProblemAutoSchema()

    def get_exception_handler(self):
        return handle_exception

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except (Http404, NotFound):
            raise InvalidParameter("format", "Not offered here. Use: json.") from None


@extend_schema(
    tags=["exports"],
    responses={
        200: ExportListSerializer,
        304: OpenApiResponse(description="Your copy (If-None-Match) is current."),
    },
)
class ExportListView(ExportView):
    """Dated bulk exports of everything public, built daily, kept for a few days.

    Each export has one gzipped file per kind and format: JSON Lines of the stories', events'
    and briefings' documents, and the events as CSV and GeoJSON. Load one, then follow the
    change feed from its `position`; check the download against `sha256`."""

    last_modified = None

    @extend_schema(operation_id="exports_list")
    def get(self, request):
        check_query_params(request.query_params, {"format"})
        found = exports.manifests()
        results = []
        for manifest in found:
            for entry in manifest.files:
                path = reverse("api:export-file", kwargs={"name": entry.name})
                results.append(
                    {
                        "name": entry.name,
                        "kind": entry.kind,
                        "format": entry.format,
                        "date": manifest.date,
                        "created_at": manifest.created_at,
                        "rows": entry.rows,
                        "bytes": entry.bytes,
                        "sha256": entry.sha256,
                        "position": manifest.position,
                        "url": request.build_absolute_uri(path),
                    }
                )
        self.last_modified = max((m.read_at() for m in found), default=None)
        return Response({"results": results})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return finish_read(request, response, self.last_modified)


class AlwaysJSON(BaseContentNegotiation):
    """A download is what it is whatever ``Accept`` says; only a refusal is rendered (JSON)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return None


@extend_schema(
    tags=["exports"],
    parameters=[
        OpenApiParameter(
            "name",
            str,
            OpenApiParameter.PATH,
            description="A file's `name` from the list of exports.",
        ),
        OpenApiParameter(
            "ETag",
            str,
            OpenApiParameter.HEADER,
            response=[200, 304],
            description="The file's sha256 in quotes: send it in If-None-Match to revalidate.",
        ),
        OpenApiParameter(
            "Content-Disposition",
            str,
            OpenApiParameter.HEADER,
            response=[200],
            description="attachment, with the file's name.",
        ),
    ],
    responses={
        (200, GZIP): OpenApiResponse(
            OpenApiTypes.BINARY,
            description="The gzipped file, as listed (its sha256 is its strong ETag). It is "
            "served as `application/gzip`, never with `Content-Encoding`: save it as it comes.",
        ),
        304: OpenApiResponse(description="Your copy (If-None-Match) is current."),
        (404, PROBLEM_TYPE): OpenApiResponse(
            ProblemSerializer, description="No kept export has a file of this name."
        ),
    },
)
class ExportFileView(ExportView):
    """One file of an export."""

    content_negotiation_class = AlwaysJSON

    @extend_schema(operation_id="exports_file")
    def get(self, request, name: str):
        check_query_params(request.query_params, set())
        found = exports.find(name)
        if found is None:
            raise NotFound("No export has a file of this name; see /api/v1/exports/.")
        path, manifest, entry = found
        try:
            handle = path.open("rb")
        except FileNotFoundError:  # deleted since the manifest was read
            raise NotFound("No export has a file of this name; see /api/v1/exports/.") from None
        response = FileResponse(handle, content_type=GZIP, as_attachment=True, filename=name)
        response["ETag"] = '"' + entry.sha256 + '"'
        last_modified = manifest.read_at()
        response["Last-Modified"] = http_date(int(last_modified.timestamp()))
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        conditional = get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=int(last_modified.timestamp()),
            response=response,
        )
        if conditional is not response:
            response.close()
        return conditional

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response):
            return finish_read(request, response)  # a refusal
        add_ratelimit_headers(request, response)
        return response
