"""Search-as-you-type endpoints: they answer with <option> elements for a <select>."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ...access import desk_view
from ...models import Event

MAX_OPTIONS = 50


def matching_events(query: str):
    events = Event.objects.select_related("location").order_by("-starts_at", "title")
    for word in query.split()[:6]:
        events = events.filter(
            Q(title__icontains=word) | Q(location__name__icontains=word) | Q(slug__icontains=word)
        )
    return events


def parse_id(text: str) -> int | None:
    """An id typed or sent by a page, or None: int(), as "²" passes isdigit() and not int()."""
    try:
        return int(text)
    except ValueError:
        return None


@desk_view
@require_GET
def list_event_options(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    events = matching_events(query)
    exclude = parse_id(request.GET.get("exclude", ""))  # the event being edited
    if exclude is not None:
        events = events.exclude(pk=exclude)
    events = list(events[: MAX_OPTIONS + 1])
    context = {
        "events": events[:MAX_OPTIONS],
        "more": len(events) > MAX_OPTIONS,
        "query": query,
    }
    return render(request, "desk/_event_options.html", context)
