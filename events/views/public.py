"""The public site: only what is published, readable on a phone, no script needed.

Every page is rendered from the stored public documents (``events.publication``), never from a
working row: what a page lists may be chosen on the working tables' indexed columns (an event's
children, the stories linked to it, the archive's dates), what it shows of each record is its
document. The desk's previews render the same templates from a document-shaped preview of a
record that is not public (``story_page_context``, ``briefing_page_context``), never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.generic.dates import (
    ArchiveIndexView,
    DayArchiveView,
    MonthArchiveView,
    YearArchiveView,
)

from ..models import (
    Briefing,
    CasualtyFigure,
    Event,
    EventActor,
    MunitionCount,
    Story,
    StoryEvent,
)
from ..models.publication import PublicDocument
from ..publication import read
from ..publication.builders import build_briefings, build_stories

LATEST_STORIES = 12
LIVE = PublicDocument.Status.LIVE

NOUNS = {"story": "story", "event": "event", "briefing": "briefing"}
#: how a relation reads on the page, from either event's side (see builders.INVERSE_RELATION)
RELATION_LABELS = {
    "related": "Related",
    "follow_up": "Follow-up",
    "duplicate_of": "Duplicate of",
    "followed_up_by": "Followed up by",
    "duplicated_by": "Duplicated by",
}


# --- reading documents -----------------------------------------------------------------------


def document_at(kind: str, slug: str) -> PublicDocument:
    """The document at this address: live, or a retraction (answered 410). A record that was
    never public, or was unpublished, is not found."""
    document = read.find(kind, slug)
    if document is None or document.status == PublicDocument.Status.UNPUBLISHED:
        raise Http404(f"No {NOUNS[kind]} is published at this address.")
    return document


def listed(documents: QuerySet[PublicDocument]) -> list[dict]:
    """Documents as lists show them (a story without its body), times as datetimes."""
    return [read.with_times(read.item(doc)) for doc in documents.defer("body")]


def latest(kind: str) -> QuerySet[PublicDocument]:
    return read.live(kind).order_by("-published_at", "-record_id")


def stories_by_id(ids) -> list[dict]:
    """The live stories among ``ids`` (a list, or a subquery of ids), newest first."""
    return listed(latest("story").filter(record_id__in=ids))


def takedown(request: HttpRequest, document: PublicDocument) -> HttpResponse:
    """Readers who followed a link learn that the record was withdrawn, when and why."""
    context = {"notice": read.for_page(document), "noun": NOUNS[document.kind]}
    return render(request, "public/retracted.html", context, status=410)


# --- labels the pages show beside stored values ----------------------------------------------


def label(choices, value: str) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value


def casualty_order(figure: dict) -> tuple[int, bool]:
    try:
        return CasualtyFigure.display_order(figure["kind"], figure["civilians_only"])
    except ValueError:
        return len(CasualtyFigure.Kind.values), figure["civilians_only"]


def labelled_figures(casualties: list[dict], munitions: list[dict]) -> tuple[list, list]:
    return (
        [{**f, "kind_label": label(CasualtyFigure.Kind, f["kind"])} for f in casualties],
        [
            {**c, "type_label": label(MunitionCount.MunitionType, c["munition_type"])}
            for c in munitions
        ],
    )


def labelled_event(event: dict) -> dict:
    """An event's document with the labels its page and cards show."""
    casualties, munitions = labelled_figures(event["casualties"], event["munitions"])
    return {
        **event,
        "casualties": casualties,
        "munitions": munitions,
        "occurrence_label": label(Event.Occurrence, event["occurrence_status"]),
        "verification_label": label(Event.Verification, event["verification_status"]),
        "actors": [{**a, "role_label": label(EventActor.Role, a["role"])} for a in event["actors"]],
        "related": [
            {**r, "relation_label": RELATION_LABELS.get(r["relation"], r["relation"])}
            for r in event["related"]
        ],
    }


# --- pages -----------------------------------------------------------------------------------


def with_edition(briefing: dict) -> dict:
    return {**briefing, "edition_label": label(Briefing.Edition, briefing["edition"])}


def show_home(request: HttpRequest) -> HttpResponse:
    briefing = latest("briefing").first()
    context = {
        "briefing": with_edition(read.for_page(briefing)) if briefing else None,
        "stories": listed(latest("story")[:LATEST_STORIES]),
    }
    return render(request, "public/home.html", context)


def linked_events(story: dict) -> list[dict]:
    """The public events a story document names, as their own documents show them, in the
    story's order (primary first)."""
    slugs = [event["slug"] for event in story["events"]]
    found = {doc.slug: doc for doc in read.live("event").filter(slug__in=slugs).defer("body")}
    return [
        {**ref, **labelled_event(read.with_times(read.item(found[ref["slug"]])))}
        for ref in story["events"]
        if ref["slug"] in found
    ]


def show_story(request: HttpRequest, slug: str) -> HttpResponse:
    document = document_at("story", slug)
    if document.status != LIVE:
        return takedown(request, document)
    story = read.for_page(document)
    context = {"story": story, "linked_events": linked_events(story)}
    return render(request, "public/story_detail.html", context)


def figure_history(history: dict) -> tuple[list, list]:
    """Every revision, grouped by what it counts, oldest first within each group."""
    casualties, munitions = labelled_figures(history["casualties"], history["munitions"])
    types = list(MunitionCount.MunitionType.values)

    def munition_order(count: dict) -> int:
        kind = count["munition_type"]
        return types.index(kind) if kind in types else len(types)

    return sorted(casualties, key=casualty_order), sorted(munitions, key=munition_order)


def show_event(request: HttpRequest, slug: str) -> HttpResponse:
    document = document_at("event", slug)
    if document.status != LIVE:
        return takedown(request, document)
    event = labelled_event(read.for_page(document))
    casualty_history, munition_history = figure_history(event["figure_history"])
    children = Event.objects.filter(parent_id=document.record_id).values("pk")
    stories = StoryEvent.objects.filter(event_id=document.record_id).values("story_id")
    context = {
        "event": event,
        "children": listed(
            read.live("event").filter(record_id__in=children).order_by("-starts_at", "-record_id")
        ),
        "casualty_history": casualty_history,
        "munition_history": munition_history,
        "stories": stories_by_id(stories),
    }
    return render(request, "public/event_detail.html", context)


def show_briefing(request: HttpRequest, slug: str) -> HttpResponse:
    document = document_at("briefing", slug)
    if document.status != LIVE:
        return takedown(request, document)
    context = {"briefing": with_edition(read.for_page(document))}
    return render(request, "public/briefing_detail.html", context)


# --- the desk's previews ----------------------------------------------------------------------


def story_page_context(story: Story) -> dict:
    """The story page's context for the desk's preview of a story in any state: what its
    document would be if it were published now, from the same builder, never stored. ``record``
    is the working row, for the preview's banner."""
    built = build_stories([story.pk], preview=True)[story.pk]
    shown = read.with_times(built.document)
    return {"story": shown, "linked_events": linked_events(shown), "record": story}


def briefing_page_context(briefing: Briefing, preview: bool = True) -> dict:
    """The briefing page's context for the desk's preview: every item, those readers would
    not see marked (``public`` false), from the same builder, never stored."""
    built = build_briefings([briefing.pk], preview=True)[briefing.pk]
    return {"briefing": with_edition(read.with_times(built.document)), "record": briefing}


# --- the archive --------------------------------------------------------------------------------


class StoryArchiveMixin:
    """Published stories by the date they first went out, in newsroom time.

    Django's date-based views choose the dates and the stories on the working table's
    publishing columns; each story is shown from its document."""

    date_field = "first_published_at"
    allow_empty = True
    month_format = "%m"
    template_name = "public/archive.html"

    def get_queryset(self):
        return (
            Story.objects.published()
            .order_by("-first_published_at", "-id")
            .only("id", "first_published_at")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids = [story.pk for story in context["object_list"]]
        found = {
            doc.record_id: doc for doc in read.live("story").filter(record_id__in=ids).defer("body")
        }
        context["stories"] = [read.with_times(read.item(found[pk])) for pk in ids if pk in found]
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
        editions = read.live("briefing").filter(edition_date=context["day"])
        context["briefings"] = listed(editions.order_by("edition_date", "record_id"))
        return context
