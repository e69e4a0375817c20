"""OpenAPI: every operation also documents the problem responses it can give; the schema is
served throttled, built once per process, and conditional."""

from __future__ import annotations

from functools import cache

from django.http import Http404, HttpResponse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer

from .conditional import finish_read
from .errors import PROBLEM_TYPE, InvalidParameter, ProblemSerializer, handle_exception
from .params import check_query_params
from .throttling import AnonymousRateThrottle

ERRORS = {
    "400": "An unknown query parameter or a value that cannot be used; the body names it.",
    "404": "No published record has this slug.",
    "406": "The requested format is not offered here.",
    "429": "Too many requests: wait for the number of seconds in Retry-After.",
}


GEOJSON = {
    "type": "object",
    "description": "An RFC 7946 FeatureCollection: one Point feature per event (geometry null "
    "when the place has no coordinates); properties are the event's JSON fields.",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "id", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "string"},
                    "geometry": {"type": "object", "nullable": True},
                    "properties": {"type": "object"},
                },
            },
        },
        "links": {"type": "array", "items": {"type": "object"}},
    },
}
CSV = {"type": "string", "description": "CSV with a header row; one event per row."}


def header(description: str) -> dict:
    return {"schema": {"type": "string"}, "description": description}


HEADERS_200 = {
    "ETag": header("A strong validator: send it back in If-None-Match to get a 304."),
    "Last-Modified": header("When what this response shows last changed (If-Modified-Since)."),
    "Cache-Control": header("public, max-age=60."),
    "RateLimit": header("IETF RateLimit: requests left in the window and seconds until reset."),
    "RateLimit-Policy": header("The rate limit's quota and window."),
}
HEADERS_LIST = {"Link": header("The next and previous pages (rel=next, rel=prev), as in the body.")}


class ProblemAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if "200" in responses and self.method == "GET":
            headers = dict(HEADERS_200)
            if self._is_list_view():
                headers.update(HEADERS_LIST)
            responses["200"]["headers"] = headers
            responses["304"] = {
                "description": "Not modified: your copy (ETag or date) is current; no body.",
                "headers": {"ETag": HEADERS_200["ETag"]},
            }
        if getattr(self.view, "action", None) == "retrieve":
            gone = self._get_response_for_code(
                ProblemSerializer, "410", media_types=[PROBLEM_TYPE], direction=direction
            )
            gone["description"] = (
                "Retracted: the record was withdrawn; `retraction` holds the public notice."
            )
            responses["410"] = gone
        content = responses.get("200", {}).get("content", {})
        if "application/geo+json" in content:
            content["application/geo+json"]["schema"] = GEOJSON
        if "text/csv" in content:
            content["text/csv"]["schema"] = CSV
        for code, description in ERRORS.items():
            response = self._get_response_for_code(
                ProblemSerializer, code, media_types=[PROBLEM_TYPE], direction=direction
            )
            response["description"] = description
            responses.setdefault(code, response)
        return responses


# --- serving it -------------------------------------------------------------------------------


@cache
def openapi_document() -> dict:
    # No request: what a first client sends must not shape what every later client is served.
    return SchemaGenerator().get_schema(request=None, public=True)


@cache
def rendered_schema(renderer_class: type[BaseRenderer]) -> bytes:
    renderer = renderer_class()
    return renderer.render(openapi_document(), renderer.media_type, {})


class SchemaView(SpectacularAPIView):
    """/api/v1/schema/ (YAML, or JSON with ``?format=json``): on the API's budget, like the rest.

    The schema changes only with the code, so each process builds it once, on its first request
    (half a second idle, seconds under load), and serves those bytes until a deploy replaces the
    process. The ETag lets a client's copy revalidate with a 304.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRateThrottle]

    def get_exception_handler(self):
        return handle_exception

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except (Http404, NotFound):
            raise InvalidParameter("format", "Not offered here. Use one of: yaml, json.") from None

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        check_query_params(request.query_params, {"format"})
        renderer = request.accepted_renderer
        content_type = renderer.media_type
        if renderer.charset:
            content_type += f"; charset={renderer.charset}"
        response = HttpResponse(rendered_schema(type(renderer)), content_type=content_type)
        filename = f"{spectacular_settings.TITLE}.{renderer.format}"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return finish_read(request, response)


# --- the feeds: plain Django views, described here for clients that read the schema -------------

FEEDS = {
    "stories": "The latest 50 published stories",
    "briefings": "The latest 50 published briefings",
}
FEED_FORMATS = {
    "rss": ("application/rss+xml", "RSS 2.0"),
    "atom": ("application/atom+xml", "Atom 1.0"),
    "json": ("application/feed+json", "JSON Feed 1.1"),
}


def add_feeds(result: dict, generator, request, public) -> dict:
    """drf-spectacular post-processing hook: the feeds' paths, headers and 304."""
    for name, what in FEEDS.items():
        for suffix, (media_type, label) in FEED_FORMATS.items():
            result["paths"][f"/api/v1/feeds/{name}.{suffix}"] = {
                "get": {
                    "operationId": f"feed_{name}_{suffix}",
                    "tags": ["feeds"],
                    "description": f"{what} as {label}. Item links are the public pages; item "
                    "ids are tag: URIs, stable across formats; a correction moves an item's "
                    "updated time. Conditional and rate-limited like the rest of the API.",
                    "responses": {
                        "200": {
                            "description": f"The feed ({label}).",
                            "headers": HEADERS_200,
                            "content": {
                                media_type: {
                                    "schema": {"type": "object" if suffix == "json" else "string"}
                                }
                            },
                        },
                        "304": {"description": "Not modified: your copy is current."},
                        "429": {"description": ERRORS["429"]},
                    },
                }
            }
    return result
