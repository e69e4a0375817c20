"""Every API error is an RFC 9457 problem document (``application/problem+json``)."""

from __future__ import annotations

from django.http import JsonResponse
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler

PROBLEM_TYPE = "application/problem+json"
TYPE_BASE = "https://newsroom.example/problems/"  # a stable identifier, not a page to fetch


class InvalidParameter(exceptions.ValidationError):
    """A query parameter that is unknown or has a value we cannot use."""

    def __init__(self, name: str, reason: str):
        super().__init__({name: [reason]})


def problem(status_code: int, title: str, detail: str, **extra) -> dict:
    kind = title.lower().replace(" ", "-")
    return {
        "type": TYPE_BASE + kind,
        "title": title,
        "status": status_code,
        "detail": detail,
        **extra,
    }


def _invalid_params(detail) -> list[dict]:
    """Flatten DRF's ``{"field": ["message", ...]}`` into RFC 9457 ``invalid-params``."""
    if isinstance(detail, dict):
        return [
            {"name": str(name), "reason": " ".join(str(m) for m in _messages(messages))}
            for name, messages in detail.items()
        ]
    return [{"name": "request", "reason": " ".join(str(m) for m in _messages(detail))}]


def _messages(value) -> list:
    if isinstance(value, (list, tuple)):
        return [m for item in value for m in _messages(item)]
    if isinstance(value, dict):
        return [m for item in value.values() for m in _messages(item)]
    return [value]


def handle_exception(exc, context):
    """DRF's handler decides status and headers (Retry-After, Allow); we shape the body."""
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django log it and answer 500
    request = context.get("request")
    instance = request.get_full_path() if request is not None else None
    code = response.status_code
    title = _TITLES.get(code, "Error")
    if isinstance(exc, exceptions.ValidationError):
        params = _invalid_params(exc.detail)
        names = ", ".join(p["name"] for p in params)
        response.data = problem(
            code,
            "Invalid parameter",
            f"Check the query parameter(s): {names}. "
            + " ".join(f"{p['name']}: {p['reason']}" for p in params),
            instance=instance,
            **{"invalid-params": params},
        )
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        response.data = problem(code, title, str(detail or title), instance=instance)
    response.content_type = PROBLEM_TYPE
    return response


_TITLES = {
    status.HTTP_400_BAD_REQUEST: "Invalid parameter",
    status.HTTP_401_UNAUTHORIZED: "Not authenticated",
    status.HTTP_403_FORBIDDEN: "Forbidden",
    status.HTTP_404_NOT_FOUND: "Not found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "Method not allowed",
    status.HTTP_406_NOT_ACCEPTABLE: "Not acceptable",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "Unsupported media type",
    status.HTTP_429_TOO_MANY_REQUESTS: "Too many requests",
}


def not_found(request, *args, **kwargs) -> JsonResponse:
    """Unknown paths under /api/v1/ answer like the rest of the API, not with an HTML page."""
    body = problem(
        404, "Not found", "There is no such resource in this API.", instance=request.get_full_path()
    )
    return JsonResponse(body, status=404, content_type=PROBLEM_TYPE)


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The query parameter.")
    reason = serializers.CharField(help_text="What is wrong with it.")


class ProblemSerializer(serializers.Serializer):
    """The shape of every error response (for the OpenAPI schema)."""

    type = serializers.CharField(help_text="A stable identifier of the kind of problem.")
    title = serializers.CharField(help_text="The kind of problem, in words.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong with this request.")
    instance = serializers.CharField(required=False, help_text="The request's path and query.")
    invalid_params = InvalidParamSerializer(
        many=True, required=False, help_text="Each parameter that was refused, and why."
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["invalid-params"] = fields.pop("invalid_params")
        return fields
