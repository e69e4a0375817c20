"""Requests no view can use are refused before any view runs, and every refusal says why.

A NUL character is in no slug, id, search or filter value anyone types, and PostgreSQL refuses
it in text outright ("cannot contain NUL (0x00) characters"): one in the path or the query
string is answered 400 here, for every route at once, instead of surfacing as a database error
in whichever view first hands it to a query. (NUL in a posted form is left to the form, which
refuses it with a message beside the field and keeps what was typed.)

A refusal with an empty body (Django's 405 from ``require_POST``, a bare ``HttpResponseBadRequest``)
is given one that names the problem: problem+json under /api/, a page elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string

from .api.errors import PROBLEM_TYPE, problem

NUL = "\x00"


def nul_parameter(request: HttpRequest) -> str | None:
    """The name of the first part of the address holding a NUL character, or None."""
    if NUL in request.path_info:
        return "path"
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "\\0")
    return None


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def refusal(request: HttpRequest, status: int, title: str, detail: str, **extra) -> HttpResponse:
    if is_api(request):
        body = problem(status, title, detail, instance=request.get_full_path(), **extra)
        return JsonResponse(body, status=status, content_type=PROBLEM_TYPE)
    html = render_to_string("refused.html", {"title": title, "detail": detail}, request=request)
    return HttpResponse(html, status=status)


class RefuseUnusableInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = nul_parameter(request)
        if name is not None:
            where = "the address" if name == "path" else f"the parameter {name!r}"
            return refusal(
                request,
                400,
                "Invalid parameter",
                f"{where[0].upper()}{where[1:]} contains a NUL character (%00), which no value "
                "here can hold. Remove it and try again.",
                **{"invalid-params": [{"name": name, "reason": "Contains a NUL character."}]},
            )
        response = self.get_response(request)
        if 400 <= response.status_code < 500 and not self.has_body(response):
            return self.explained(request, response)
        return response

    @staticmethod
    def has_body(response: HttpResponse) -> bool:
        return getattr(response, "streaming", False) or bool(response.content.strip())

    @staticmethod
    def explained(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        status = response.status_code
        if status == 405:
            allowed = response.get("Allow", "")
            detail = (
                f"This address does not take {request.method} requests"
                + (f", only {allowed} (a button on its page sends one)" if allowed else "")
                + ". Nothing was changed."
            )
            title = "Method not allowed"
        else:
            title = response.reason_phrase
            detail = f"The request was refused ({status} {response.reason_phrase})."
        explained = refusal(request, status, title, detail)
        for header, value in response.items():
            if header.lower() not in ("content-type", "content-length"):
                explained[header] = value
        return explained


class PublicGZipMiddleware(GZipMiddleware):
    """gzip for the public API and its feeds, whose bodies are large and hold no secrets.

    Not for pages with CSRF tokens or session data (compression beside a secret invites BREACH),
    and never twice (a gzipped export is served as it is)."""

    def process_response(self, request, response):
        if not request.path.startswith("/api/") or response.get("Content-Type", "").startswith(
            "application/gzip"
        ):
            return response
        return super().process_response(request, response)
