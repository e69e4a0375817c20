"""What the public sees of each record: one builder per kind, and the only place that decides it.

``build(kind, ids)`` returns the documents of those records that are public now (a record that
is not has none: it is taken down). Each builder loads a whole batch in a constant number of
queries, as plain values, so rebuilding 100,000 stories is a few hundred queries, not a million.
Documents show linked records only while those are public themselves, carry ``web_url`` and
``api_url`` on every record they mention, and give times in UTC with ``Z``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db.models import Q

from events.models import (
    AuditEntry,
    Briefing,
    BriefingItem,
    CasualtyFigure,
    Correction,
    Event,
    EventActor,
    EventRelation,
    KeyPoint,
    MunitionCount,
    Quote,
    Story,
    StoryEvent,
)

from .urls import addresses, tag_uri

PUBLISHED = "published"


def utc(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with ``Z``: the same column in every row, whatever the season."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass
class Build:
    """A record's document as built, before it is stored."""

    kind: str
    record_id: int
    slug: str
    #: the document, in order; ``updated_at`` is filled in when it is stored
    document: dict
    #: keys shown on the record's own page only, not in lists
    detail_only: tuple[str, ...] = ()
    published_at: datetime | None = None
    starts_at: datetime | None = None
    edition_date: date | None = None


def reference(kind: str, slug: str, title: str, **more) -> dict:
    """How one public record mentions another."""
    return {"slug": slug, "title": title, **addresses(kind, slug), **more}


# --- stories -------------------------------------------------------------------------------------

STORY_COLUMNS = (
    "id",
    "slug",
    "headline",
    "standfirst",
    "dateline",
    "byline",
    "body_html",
    "first_published_at",
    "last_published_at",
)


def build_stories(ids: Iterable[int], *, preview: bool = False) -> dict[int, Build]:
    """With ``preview``, of stories in any state: what readers would get if they were
    published now (the desk's preview; never stored)."""
    chosen = Story.objects.all() if preview else Story.objects.published()
    stories = {story.pk: story for story in chosen.filter(pk__in=list(ids)).only(*STORY_COLUMNS)}
    if not stories:
        return {}
    related: dict[int, dict[str, list]] = {
        pk: {"tags": [], "events": [], "quotes": [], "key_points": [], "corrections": []}
        for pk in stories
    }
    ids = list(stories)
    tags = (
        Story.tags.through.objects.filter(story_id__in=ids)
        .order_by("tag__name", "tag_id")
        .values_list("story_id", "tag__slug", "tag__name")
    )
    for story_id, slug, name in tags:
        related[story_id]["tags"].append({"slug": slug, "name": name})
    links = (
        StoryEvent.objects.filter(story_id__in=ids, event__state=PUBLISHED)
        .order_by("-is_primary", "id")
        .values_list("story_id", "event__slug", "event__title", "is_primary")
    )
    for story_id, slug, title, is_primary in links:
        related[story_id]["events"].append(reference("event", slug, title, is_primary=is_primary))
    quotes = (
        Quote.objects.filter(story_id__in=ids)
        .order_by("order", "id")
        .values_list("story_id", "text", "speaker", "speaker_role", "source")
    )
    for story_id, text, speaker, speaker_role, source in quotes:
        related[story_id]["quotes"].append(
            {"text": text, "speaker": speaker, "speaker_role": speaker_role, "source": source}
        )
    points = (
        KeyPoint.objects.approved()
        .filter(story_id__in=ids)
        .order_by("order", "id")
        .values_list("story_id", "text")
    )
    for story_id, text in points:
        related[story_id]["key_points"].append(text)
    corrections = (
        Correction.objects.filter(story_id__in=ids)
        .order_by("created_at", "id")
        .values_list("story_id", "text", "created_at")
    )
    for story_id, text, created_at in corrections:
        related[story_id]["corrections"].append({"text": text, "date": utc(created_at)})

    builds = {}
    for pk, story in stories.items():
        rows = related[pk]
        document = {
            "id": tag_uri("story", pk),
            "slug": story.slug,
            **addresses("story", story.slug),
            "headline": story.headline,
            "standfirst": story.standfirst,
            "dateline": story.dateline,
            "byline": story.byline,
            "first_published_at": utc(story.first_published_at),
            "published_at": utc(story.last_published_at),
            "updated_at": None,
            "tags": rows["tags"],
            "key_points": rows["key_points"],
            "events": rows["events"],
            "quotes": rows["quotes"],
            "corrections": rows["corrections"],
            "body_html": story.body_html,
        }
        builds[pk] = Build(
            "story",
            pk,
            story.slug,
            document,
            detail_only=("body_html",),
            published_at=story.last_published_at,
        )
    return builds


# --- events --------------------------------------------------------------------------------------

EVENT_COLUMNS = (
    "id",
    "slug",
    "title",
    "summary",
    "starts_at",
    "ends_at",
    "time_precision",
    "geo_precision",
    "occurrence_status",
    "verification_status",
    "first_published_at",
    "event_type__slug",
    "event_type__name",
    "sub_type__slug",
    "sub_type__name",
    "location__name",
    "location__country",
    "location__admin_region",
    "location__latitude",
    "location__longitude",
    "parent__slug",
    "parent__title",
    "parent__state",
)

# How a relation reads from the other event's side.
INVERSE_RELATION = {
    "related": "related",
    "follow_up": "followed_up_by",
    "duplicate_of": "duplicated_by",
}


def term(event_type) -> dict | None:
    return None if event_type is None else {"slug": event_type.slug, "name": event_type.name}


def place(location) -> dict | None:
    if location is None:
        return None
    return {
        "name": location.name,
        "country": location.country,
        "admin_region": location.admin_region,
        "latitude": None if location.latitude is None else float(location.latitude),
        "longitude": None if location.longitude is None else float(location.longitude),
    }


def latest_figures(ids: list[int]) -> tuple[dict[int, list], dict[int, list], dict[int, dict]]:
    """Per event: the latest casualty figure of each kind, the latest munition count of each
    type, and every revision of both, oldest first (the event's own page shows them).

    Figures are history: the last row of each kind, oldest first, is the current one."""
    casualties: dict[int, list] = {pk: [] for pk in ids}
    history: dict[int, dict] = {pk: {"casualties": [], "munitions": []} for pk in ids}
    latest: dict[tuple, dict] = {}
    rows = (
        CasualtyFigure.objects.filter(event_id__in=ids)
        .order_by("as_of", "id")
        .values_list(
            "event_id", "kind", "civilians_only", "minimum", "maximum", "at_least", "as_of",
            "source_note",
        )
    )  # fmt: skip
    for event_id, kind, civilians_only, minimum, maximum, at_least, as_of, source in rows:
        figure = latest[event_id, kind, civilians_only] = {
            "kind": kind,
            "civilians_only": civilians_only,
            "minimum": minimum,
            "maximum": maximum,
            "at_least": at_least,
            "display": CasualtyFigure.describe(minimum, maximum, at_least),
            "as_of": utc(as_of),
            "source": source,
        }
        history[event_id]["casualties"].append(figure)
    for (event_id, *_), figure in sorted(
        latest.items(),
        key=lambda item: CasualtyFigure.display_order(item[1]["kind"], item[1]["civilians_only"]),
    ):
        casualties[event_id].append(figure)

    munitions: dict[int, list] = {pk: [] for pk in ids}
    latest = {}
    rows = (
        MunitionCount.objects.filter(event_id__in=ids)
        .order_by("as_of", "id")
        .values_list(
            "event_id", "munition_type", "launched", "intercepted", "hit", "as_of", "source_note"
        )
    )
    for event_id, munition_type, launched, intercepted, hit, as_of, source in rows:
        count = latest[event_id, munition_type] = {
            "munition_type": munition_type,
            "launched": launched,
            "intercepted": intercepted,
            "hit": hit,
            "as_of": utc(as_of),
            "source": source,
        }
        history[event_id]["munitions"].append(count)
    for (event_id, _), count in latest.items():
        munitions[event_id].append(count)
    return casualties, munitions, history


def fatalities(casualties: list[dict]) -> int | None:
    """Killed, by the latest figure: the all-people count, else the civilian one."""
    killed = [figure for figure in casualties if figure["kind"] == "killed"]
    for figure in sorted(killed, key=lambda figure: figure["civilians_only"]):
        return figure["minimum"]
    return None


def related_events(ids: list[int]) -> dict[int, list]:
    """Each event's public related events: outgoing relations first, then incoming ones."""
    ends = ("id", "slug", "title", "state")
    rows = (
        EventRelation.objects.filter(Q(from_event_id__in=ids) | Q(to_event_id__in=ids))
        .order_by("id")
        .values_list(
            "kind",
            *(f"from_event__{name}" for name in ends),
            *(f"to_event__{name}" for name in ends),
        )
    )
    outgoing: dict[int, list] = {pk: [] for pk in ids}
    incoming: dict[int, list] = {pk: [] for pk in ids}
    wanted = set(ids)
    for kind, *both in rows:
        source, target = both[: len(ends)], both[len(ends) :]
        if source[0] in wanted and target[3] == PUBLISHED:
            outgoing[source[0]].append(reference("event", target[1], target[2], relation=kind))
        if target[0] in wanted and source[3] == PUBLISHED:
            incoming[target[0]].append(
                reference("event", source[1], source[2], relation=INVERSE_RELATION[kind])
            )
    return {pk: outgoing[pk] + incoming[pk] for pk in ids}


def build_events(ids: Iterable[int]) -> dict[int, Build]:
    events = {
        event.pk: event
        for event in Event.objects.published()
        .filter(pk__in=list(ids))
        .select_related("event_type", "sub_type", "location", "parent")
        .only(*EVENT_COLUMNS)
    }
    if not events:
        return {}
    ids = list(events)
    casualties, munitions, history = latest_figures(ids)
    related = related_events(ids)
    actors: dict[int, list] = {pk: [] for pk in ids}
    rows = (
        EventActor.objects.filter(event_id__in=ids)
        .order_by("id")
        .values_list("event_id", "actor__slug", "actor__name", "actor__kind", "role")
    )
    for event_id, slug, name, kind, role in rows:
        actors[event_id].append({"slug": slug, "name": name, "kind": kind, "role": role})

    builds = {}
    for pk, event in events.items():
        parent = event.parent
        document = {
            "id": tag_uri("event", pk),
            "slug": event.slug,
            **addresses("event", event.slug),
            "title": event.title,
            "summary": event.summary,
            "event_type": term(event.event_type),
            "sub_type": term(event.sub_type),
            "starts_at": utc(event.starts_at),
            "ends_at": utc(event.ends_at),
            "time_precision": event.time_precision,
            "location": place(event.location),
            "geo_precision": event.geo_precision,
            "occurrence_status": event.occurrence_status,
            "verification_status": event.verification_status,
            "fatalities": fatalities(casualties[pk]),
            "casualties": casualties[pk],
            "munitions": munitions[pk],
            "actors": actors[pk],
            "parent": (
                reference("event", parent.slug, parent.title)
                if parent is not None and parent.state == PUBLISHED
                else None
            ),
            "related": related[pk],
            "first_published_at": utc(event.first_published_at),
            "updated_at": None,
            "figure_history": history[pk],
        }
        builds[pk] = Build(
            "event",
            pk,
            event.slug,
            document,
            detail_only=("figure_history",),
            published_at=event.first_published_at,
            starts_at=event.starts_at,
        )
    return builds


# --- briefings -----------------------------------------------------------------------------------


def build_briefings(ids: Iterable[int], *, preview: bool = False) -> dict[int, Build]:
    """With ``preview``, of briefings in any state, with every item, each saying whether
    readers would see it (``public``): the desk's preview, never stored."""
    chosen = Briefing.objects.all() if preview else Briefing.objects.published()
    briefings = {b.pk: b for b in chosen.filter(pk__in=list(ids))}
    if not briefings:
        return {}
    items: dict[int, list] = {pk: [] for pk in briefings}
    rows = BriefingItem.objects.filter(briefing_id__in=list(briefings))
    if not preview:
        rows = rows.filter(story__state=PUBLISHED)
    rows = rows.order_by("order", "id").values_list(
        "briefing_id",
        "story_id",
        "story__slug",
        "story__headline",
        "story__standfirst",
        "headline_override",
        "blurb_override",
        "story__state",
    )
    rows = list(rows)
    first_points: dict[int, str] = {}
    points = (
        KeyPoint.objects.approved()
        .filter(story_id__in={row[1] for row in rows})
        .order_by("-order", "-id")  # the first of each story is the last one written here
        .values_list("story_id", "text")
    )
    for story_id, text in points:
        first_points[story_id] = text
    for briefing_id, story_id, slug, headline, standfirst, headline_over, blurb_over, state in rows:
        item = {
            "headline": headline_over or headline,
            "blurb": blurb_over or first_points.get(story_id) or standfirst,
            "story": {"slug": slug, **addresses("story", slug)},
        }
        if preview:
            item["public"] = state == PUBLISHED
        items[briefing_id].append(item)
    builds = {}
    for pk, briefing in briefings.items():
        document = {
            "id": tag_uri("briefing", pk),
            "slug": briefing.slug,
            **addresses("briefing", briefing.slug),
            "title": briefing.title,
            "edition": briefing.edition,
            "edition_date": briefing.edition_date and briefing.edition_date.isoformat(),
            "intro": briefing.intro,
            "first_published_at": utc(briefing.first_published_at),
            "published_at": utc(briefing.last_published_at),
            "updated_at": None,
            "items": items[pk],
        }
        builds[pk] = Build(
            "briefing",
            pk,
            briefing.slug,
            document,
            published_at=briefing.last_published_at,
            edition_date=briefing.edition_date,
        )
    return builds


BUILDERS: dict[str, Callable[[Iterable[int]], dict[int, Build]]] = {
    "story": build_stories,
    "event": build_events,
    "briefing": build_briefings,
}
MODELS = {"story": Story, "event": Event, "briefing": Briefing}


def build(kind: str, ids: Iterable[int]) -> dict[int, Build]:
    return BUILDERS[kind](ids)


# --- takedowns -----------------------------------------------------------------------------------


def takedown_reason(kind: str, record_id: int) -> tuple[str, str]:
    """(reason, public notice) for a record that has left public view.

    A retraction's reason is a public notice (the desk is told readers will see it); an
    unpublishing's reason is the desk's own business and is never shown. A deleted record
    reads as unpublished.
    """
    model = MODELS[kind]
    state = model.objects.filter(pk=record_id).values_list("state", flat=True).first()
    if state != "retracted":
        return "unpublished", ""
    note = (
        AuditEntry.objects.filter(
            content_type__app_label="events",
            content_type__model=model._meta.model_name,
            object_id=record_id,
            action="retract",
        )
        .order_by("-at")
        .values_list("note", flat=True)
        .first()
    )
    return "retracted", note or ""
