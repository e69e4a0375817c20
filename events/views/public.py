"""The public site: only what is published, readable on a phone, no script needed."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.generic.dates import (
    ArchiveIndexView,
    DayArchiveView,
    MonthArchiveView,
    YearArchiveView,
)

from ..models import AuditEntry, Briefing, Event, Story

LATEST_STORIES = 12


def show_home(request: HttpRequest) -> HttpResponse:
    briefing = Briefing.objects.published().order_by("-last_published_at", "-id").first()
    stories = Story.objects.published().order_by("-last_published_at", "-id")[:LATEST_STORIES]
    context = {
        "briefing": briefing,
        "briefing_items": briefing.public_items() if briefing else [],
        "stories": stories,
    }
    return render(request, "public/home.html", context)


def linked_events(story: Story, public_only: bool) -> list[dict]:
    links = story.story_events.select_related("event__location").prefetch_related(
        "event__casualty_figures", "event__munition_counts"
    )
    if public_only:
        links = links.filter(event__state=Event.State.PUBLISHED)
    return [
        {
            "event": link.event,
            "primary": link.is_primary,
            "casualties": link.event.latest_casualties(),
            "munitions": link.event.latest_munitions(),
        }
        for link in links
    ]


def story_page_context(story: Story) -> dict:
    """What the story page shows. The desk's preview uses it too, so both stay the same."""
    return {
        "story": story,
        "key_points": story.key_points.approved(),
        "quotes": story.quotes.all(),
        "corrections": story.corrections.all(),
        "linked_events": linked_events(story, public_only=True),
        "tags": story.tags.all(),
    }


def show_story(request: HttpRequest, slug: str) -> HttpResponse:
    story = get_object_or_404(
        Story.objects.filter(state__in=[Story.State.PUBLISHED, Story.State.RETRACTED]), slug=slug
    )
    if story.state == Story.State.RETRACTED:
        # Readers who followed a link learn that the story was withdrawn and why.
        entry = (
            AuditEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Story),
                object_id=story.pk,
                action="retract",
            )
            .order_by("-at")
            .first()
        )
        context = {"story": story, "retraction": entry}
        return render(request, "public/story_retracted.html", context, status=410)
    return render(request, "public/story_detail.html", story_page_context(story))


def show_event(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(
        Event.objects.published().select_related("location", "event_type", "sub_type", "parent"),
        slug=slug,
    )
    related = [
        relation
        for relation in event.relations.select_related("to_event")
        if relation.to_event.state == Event.State.PUBLISHED
    ]
    context = {
        "event": event,
        "parent": event.parent if event.parent and event.parent.state == "published" else None,
        "children": event.children.published().order_by("-starts_at"),
        "related": related,
        "actors": event.event_actors.select_related("actor"),
        "casualties": event.latest_casualties(),
        "munitions": event.latest_munitions(),
        "casualty_history": event.casualty_figures.order_by("kind", "civilians_only", "as_of"),
        "munition_history": event.munition_counts.order_by("munition_type", "as_of"),
        "stories": event.stories.published().order_by("-last_published_at").distinct(),
    }
    return render(request, "public/event_detail.html", context)


def briefing_page_context(briefing: Briefing, preview: bool = False) -> dict:
    if preview:
        items = briefing.items.select_related("story").order_by("order", "id")
    else:
        items = briefing.public_items().order_by("order", "id")
    return {"briefing": briefing, "items": items}


def show_briefing(request: HttpRequest, slug: str) -> HttpResponse:
    briefing = get_object_or_404(Briefing.objects.published(), slug=slug)
    return render(request, "public/briefing_detail.html", briefing_page_context(briefing))


class StoryArchiveMixin:
    """Published stories by the date they first went out, in newsroom time."""

    date_field = "first_published_at"
    allow_empty = True
    month_format = "%m"
    template_name = "public/archive.html"

    def get_queryset(self):
        return Story.objects.published().order_by("-first_published_at")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["site_name"] = settings.NEWSROOM_NAME
        return context


class ArchiveIndex(StoryArchiveMixin, ArchiveIndexView):
    paginate_by = 30


class YearArchive(StoryArchiveMixin, YearArchiveView):
    make_object_list = True


class MonthArchive(StoryArchiveMixin, MonthArchiveView):
    pass


class DayArchive(StoryArchiveMixin, DayArchiveView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = context["day"]
        context["briefings"] = Briefing.objects.published().filter(edition_date=day)
        return context
