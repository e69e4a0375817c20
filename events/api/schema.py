"""OpenAPI: every operation also documents the problem responses it can give."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

from .errors import PROBLEM_TYPE, ProblemSerializer

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


class ProblemAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
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
