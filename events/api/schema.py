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


class ProblemAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            response = self._get_response_for_code(
                ProblemSerializer, code, media_types=[PROBLEM_TYPE], direction=direction
            )
            response["description"] = description
            responses.setdefault(code, response)
        return responses
