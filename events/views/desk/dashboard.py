"""The desk's front page: what needs the user's attention tonight."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ...access import desk_view
from ...models import Event, Story
from ...models.publication import PendingRebuild

LIST_SIZE = 20


@desk_view
def show_dashboard(request: HttpRequest) -> HttpResponse:
    stories = Story.objects.select_related("created_by")
    awaiting = stories.filter(
        Q(key_points__isnull=False, key_points__approved_at__isnull=True)
        | Q(key_points_status=Story.KeyPointsStatus.FAILED)
    ).exclude(state__in=[Story.State.RETRACTED, Story.State.UNPUBLISHED])
    context = {
        "my_drafts": stories.drafts_of(request.user).order_by("-updated_at")[:LIST_SIZE],
        "in_review": stories.in_review().order_by("updated_at")[:LIST_SIZE],
        "scheduled": stories.scheduled().order_by("publish_at")[:LIST_SIZE],
        "key_points_pending": awaiting.distinct().order_by("-updated_at")[:LIST_SIZE],
        "recent_events": Event.objects.order_by("-updated_at")[:LIST_SIZE],
        # Public records still to be rebuilt after a big change (a renamed tag): its progress.
        "rebuilds_waiting": PendingRebuild.objects.values("kind", "record_id").distinct().count(),
    }
    return render(request, "desk/dashboard.html", context)
