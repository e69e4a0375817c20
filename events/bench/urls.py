"""The bench's urlconf: the real site plus a baseline, a minimal plain Django view that returns
the same rows as the API as JSON (same queryset, same prefetches, dicts built by hand, no DRF,
no throttling, no validators). The API's figures are reported as ratios against it."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.urls import include, path

from events.api.search import search
from events.api.views import story_queryset
from events.models import Story


def as_dict(story: Story, request) -> dict:
    return {
        "slug": story.slug,
        "url": request.build_absolute_uri(f"/api/v1/stories/{story.slug}/"),
        "headline": story.headline,
        "standfirst": story.standfirst,
        "dateline": story.dateline,
        "byline": story.byline,
        "first_published_at": story.first_published_at.isoformat(),
        "published_at": story.last_published_at.isoformat(),
        "updated_at": story.updated_at.isoformat(),
        "tags": [{"slug": t.slug, "name": t.name} for t in story.tags.all()],
        "key_points": [p.text for p in story.approved_key_points],
        "events": [
            {"slug": link.event.slug, "title": link.event.title, "is_primary": link.is_primary}
            for link in story.public_links
        ],
        "quotes": [
            {
                "text": q.text,
                "speaker": q.speaker,
                "speaker_role": q.speaker_role,
                "source": q.source,
            }
            for q in story.quotes.all()
        ],
        "corrections": [
            {"text": c.text, "date": c.created_at.isoformat()} for c in story.corrections.all()
        ],
    }


def baseline_stories(request):
    queryset = story_queryset().defer("body")
    if "tag" in request.GET:
        queryset = queryset.filter(tags__slug=request.GET["tag"])
    if "published_after" in request.GET:
        queryset = queryset.filter(last_published_at__gte=request.GET["published_after"])
    if "q" in request.GET:
        queryset = search(queryset, request.GET["q"])
    queryset = queryset.order_by("-last_published_at", "-id")  # as the API: newest first
    rows = [as_dict(story, request) for story in queryset[:20]]
    return JsonResponse({"next": None, "previous": None, "results": rows})


def baseline_story(request, slug):
    story = story_queryset().filter(slug=slug).first()
    if story is None:
        raise Http404
    return JsonResponse(as_dict(story, request))


urlpatterns = [
    path("bench/baseline/stories/", baseline_stories),
    path("bench/baseline/stories/<slug:slug>/", baseline_story),
    path("", include("newsroom.urls")),
]
