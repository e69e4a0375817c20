"""The bench's urlconf: the real site plus baselines, minimal plain Django views that return the
same rows as the API as JSON (the same querysets and prefetches, dicts built by hand, no DRF,
no throttling, no validators). The API's figures are reported as ratios against them."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.urls import include, path

from events.api.loaders import event_queryset, story_queryset
from events.api.search import search
from events.models import Event, Story


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
    queryset = story_queryset().defer("body", "body_html")
    if "tag" in request.GET:
        queryset = queryset.filter(tags__slug=request.GET["tag"])
    if "published_after" in request.GET:
        queryset = queryset.filter(last_published_at__gte=request.GET["published_after"])
    if "q" in request.GET:
        queryset = search(queryset, request.GET["q"])
    queryset = queryset.order_by("-last_published_at", "-id")  # as the API: newest first
    rows = [as_dict(story, request) for story in queryset[:20]]
    return JsonResponse({"next": None, "previous": None, "results": rows})


def event_as_dict(event: Event, request) -> dict:
    def kind(figure):
        return (figure.kind, figure.civilians_only)

    latest_figures = {kind(f): f for f in event.figures_in_order}.values()
    latest_counts = {c.munition_type: c for c in event.counts_in_order}.values()
    parent = event.parent if event.parent and event.parent.state == "published" else None
    location = event.location
    return {
        "slug": event.slug,
        "url": request.build_absolute_uri(f"/api/v1/events/{event.slug}/"),
        "title": event.title,
        "summary": event.summary,
        "event_type": event.event_type and {"slug": event.event_type.slug,
                                            "name": event.event_type.name},
        "sub_type": event.sub_type and {"slug": event.sub_type.slug, "name": event.sub_type.name},
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at and event.ends_at.isoformat(),
        "time_precision": event.time_precision,
        "location": location and {"name": location.name, "country": location.country,
                                  "admin_region": location.admin_region,
                                  "latitude": location.latitude and float(location.latitude),
                                  "longitude": location.longitude and float(location.longitude)},
        "geo_precision": event.geo_precision,
        "occurrence_status": event.occurrence_status,
        "verification_status": event.verification_status,
        "fatalities": event.fatalities,
        "casualties": [{"kind": f.kind, "civilians_only": f.civilians_only, "minimum": f.minimum,
                        "maximum": f.maximum, "at_least": f.at_least, "display": f.value_display,
                        "as_of": f.as_of.isoformat(), "source": f.source_note}
                       for f in latest_figures],
        "munitions": [{"munition_type": c.munition_type, "launched": c.launched,
                       "intercepted": c.intercepted, "hit": c.hit, "as_of": c.as_of.isoformat(),
                       "source": c.source_note} for c in latest_counts],
        "actors": [{"slug": a.actor.slug, "name": a.actor.name, "kind": a.actor.kind,
                    "role": a.role} for a in event.event_actors.all()],
        "parent": parent and {"slug": parent.slug, "title": parent.title},
        "related": [{"slug": r.to_event.slug, "title": r.to_event.title, "relation": r.kind}
                    for r in event.relations.all() if r.to_event.state == "published"]
                   + [{"slug": r.from_event.slug, "title": r.from_event.title,
                       "relation": r.kind} for r in event.inverse_relations.all()
                      if r.from_event.state == "published"],
        "first_published_at": event.first_published_at.isoformat(),
        "updated_at": event.updated_at.isoformat(),
    }  # fmt: skip


def baseline_events(request):
    queryset = event_queryset().order_by("-starts_at", "-id")  # as the API: latest first
    rows = [event_as_dict(event, request) for event in queryset[:20]]
    return JsonResponse({"next": None, "previous": None, "results": rows})


def baseline_story(request, slug):
    story = story_queryset().filter(slug=slug).first()
    if story is None:
        raise Http404
    return JsonResponse({**as_dict(story, request), "body_html": story.body_html})


urlpatterns = [
    path("bench/baseline/stories/", baseline_stories),
    path("bench/baseline/stories/<slug:slug>/", baseline_story),
    path("bench/baseline/events/", baseline_events),
    path("", include("newsroom.urls")),
]
