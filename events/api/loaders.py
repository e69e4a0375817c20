"""What the public may see of each record, loaded in a constant number of queries per page.

Stories and events, the busy lists, are loaded in two steps: ``public_stories`` /
``public_events`` give the page's rows (only the columns shown), then ``attach_*_relations``
load the related rows of the whole page at once as plain values, shaped for the serializer.
Django's prefetching builds a model instance and a queryset clone per related row, which was
most of a list request's time; ``story_queryset`` and ``event_queryset`` are the same rows with
those prefetches, kept as the bench's plain-Django baseline. Briefings are few and small, and
use prefetches. The ``*_changed_at`` functions say when a record, as served, last changed.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from events.models import (
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

from .conditional import latest
from .filters import killed_figure
from .serializers import INVERSE_RELATION

PUBLISHED = "published"


# --- access querysets: what the public may see, fetched in a constant number of queries -------


def story_queryset() -> QuerySet[Story]:
    return Story.objects.published().prefetch_related(
        "tags",
        "quotes",
        "corrections",
        Prefetch(
            "story_events",
            queryset=StoryEvent.objects.filter(event__state=PUBLISHED)
            .select_related("event")
            .only("story", "event", "is_primary", "event__slug", "event__title"),
            to_attr="public_links",
        ),
        Prefetch("key_points", queryset=KeyPoint.objects.approved(), to_attr="approved_key_points"),
    )


#: the story columns the API shows (``body_html`` only on the detail), and the ordering fields
STORY_COLUMNS = (
    "id",
    "slug",
    "headline",
    "standfirst",
    "dateline",
    "byline",
    "first_published_at",
    "last_published_at",
    "updated_at",
)


def public_stories(with_body: bool = False) -> QuerySet[Story]:
    """Published stories, only the columns the API shows; ``attach_story_relations`` adds the
    related rows once the page is known. The same rows as ``story_queryset``, for less work."""
    columns = (*STORY_COLUMNS, "body_html") if with_body else STORY_COLUMNS
    return Story.objects.published().only(*columns)


def attach_story_relations(stories: list[Story]) -> None:
    """What the public sees of a page of stories' related rows: five queries whatever its size.

    The same rows, in the same order, as ``story_queryset``'s prefetches, but fetched as plain
    values and shaped once for the serializer: Django's prefetching builds a model instance and
    a queryset clone per related row, which was most of a list request's time. Sets, on each
    story: ``api_tags``, ``api_links`` and ``api_quotes`` (dicts as served), ``api_key_points``
    (texts), ``api_corrections`` ((text, created_at)) and ``linked_events_changed_at`` (of every
    linked event, shown or not: one leaving public view changes the story as served).
    """
    by_id: dict[int, Story] = {}
    for story in stories:
        by_id[story.pk] = story
        story.api_tags, story.api_links, story.api_quotes = [], [], []
        story.api_key_points, story.api_corrections = [], []
        story.linked_events_changed_at = []
    if not by_id:
        return
    ids = list(by_id)
    tags = (
        Story.tags.through.objects.filter(story_id__in=ids)
        .order_by("tag__name", "tag_id")
        .values_list("story_id", "tag__slug", "tag__name")
    )
    for story_id, slug, name in tags:
        by_id[story_id].api_tags.append({"slug": slug, "name": name})
    links = StoryEvent.objects.filter(story_id__in=ids).values_list(
        "story_id", "event__slug", "event__title", "is_primary", "event__state", "event__updated_at"
    )
    for story_id, slug, title, is_primary, state, changed_at in links:
        story = by_id[story_id]
        story.linked_events_changed_at.append(changed_at)
        if state == PUBLISHED:
            story.api_links.append({"slug": slug, "title": title, "is_primary": is_primary})
    quotes = Quote.objects.filter(story_id__in=ids).values_list(
        "story_id", "text", "speaker", "speaker_role", "source"
    )
    for story_id, text, speaker, speaker_role, source in quotes:
        by_id[story_id].api_quotes.append(
            {"text": text, "speaker": speaker, "speaker_role": speaker_role, "source": source}
        )
    points = KeyPoint.objects.approved().filter(story_id__in=ids).values_list("story_id", "text")
    for story_id, text in points:
        by_id[story_id].api_key_points.append(text)
    corrections = Correction.objects.filter(story_id__in=ids).values_list(
        "story_id", "text", "created_at"
    )
    for story_id, text, created_at in corrections:
        by_id[story_id].api_corrections.append((text, created_at))


#: the event columns the API shows, and the ordering fields
EVENT_COLUMNS = (
    "id",
    "slug",
    "title",
    "summary",
    "event_type",
    "sub_type",
    "starts_at",
    "ends_at",
    "time_precision",
    "location",
    "geo_precision",
    "occurrence_status",
    "verification_status",
    "parent",
    "first_published_at",
    "updated_at",
)
LOCATION_COLUMNS = ("name", "country", "admin_region", "latitude", "longitude")

#: what the API shows of an event that another one points at (its parent, its relations)
EVENT_REFERENCE = ("slug", "title", "state", "updated_at")


def public_events() -> QuerySet[Event]:
    """Published events, only the columns the API shows, with their type, place and parent
    joined and the latest killed figure; ``attach_event_relations`` adds the rest once the page
    is known. ``only`` also keeps internal notes out of reach."""
    return (
        Event.objects.published()
        .select_related("event_type", "sub_type", "location", "parent")
        .only(
            *EVENT_COLUMNS,
            *(f"event_type__{name}" for name in ("slug", "name")),
            *(f"sub_type__{name}" for name in ("slug", "name")),
            *(f"location__{name}" for name in LOCATION_COLUMNS),
            *(f"parent__{name}" for name in EVENT_REFERENCE),
        )
        .annotate(fatalities=killed_figure())
    )


def event_queryset() -> QuerySet[Event]:
    """``public_events`` with Django's prefetches of the same related rows: the bench's
    plain-Django baseline."""
    return public_events().prefetch_related(
        Prefetch("event_actors", queryset=EventActor.objects.select_related("actor")),
        Prefetch(
            "casualty_figures",
            queryset=CasualtyFigure.objects.order_by("as_of", "id"),
            to_attr="figures_in_order",
        ),
        Prefetch(
            "munition_counts",
            queryset=MunitionCount.objects.order_by("as_of", "id"),
            to_attr="counts_in_order",
        ),
        Prefetch("relations", queryset=EventRelation.objects.select_related("to_event")),
        Prefetch("inverse_relations", queryset=EventRelation.objects.select_related("from_event")),
    )


def attach_event_relations(events: list[Event]) -> None:
    """What the public sees of a page of events' related rows: four queries whatever its size.

    As ``attach_story_relations``, plain values shaped once. Sets, on each event: ``api_actors``
    and ``api_related`` (dicts as served), ``api_casualties`` and ``api_munitions`` (the latest
    figure of each kind, as served but for ``as_of``, a datetime), and ``related_changed_at``
    (of every related event, shown or not: one leaving public view changes this one as served).
    """
    by_id: dict[int, Event] = {}
    for event in events:
        by_id[event.pk] = event
        event.api_actors, event.api_casualties, event.api_munitions = [], [], []
        event.api_related, event.related_changed_at = [], []
    if not by_id:
        return
    ids = list(by_id)
    actors = (
        EventActor.objects.filter(event_id__in=ids)
        .order_by("id")
        .values_list("event_id", "actor__slug", "actor__name", "actor__kind", "role")
    )
    for event_id, slug, name, kind, role in actors:
        by_id[event_id].api_actors.append({"slug": slug, "name": name, "kind": kind, "role": role})

    # Figures are history: the last row of each kind, oldest first, is the current one.
    latest: dict[tuple, dict] = {}
    casualties = (
        CasualtyFigure.objects.filter(event_id__in=ids)
        .order_by("as_of", "id")
        .values_list(
            "event_id", "kind", "civilians_only", "minimum", "maximum", "at_least", "as_of",
            "source_note",
        )
    )  # fmt: skip
    for event_id, kind, civilians_only, minimum, maximum, at_least, as_of, source in casualties:
        latest[event_id, kind, civilians_only] = {
            "kind": kind,
            "civilians_only": civilians_only,
            "minimum": minimum,
            "maximum": maximum,
            "at_least": at_least,
            "display": CasualtyFigure.describe(minimum, maximum, at_least),
            "as_of": as_of,
            "source": source,
        }
    for (event_id, *_), figure in sorted(
        latest.items(),
        key=lambda item: CasualtyFigure.display_order(item[1]["kind"], item[1]["civilians_only"]),
    ):
        by_id[event_id].api_casualties.append(figure)

    latest = {}
    counts = (
        MunitionCount.objects.filter(event_id__in=ids)
        .order_by("as_of", "id")
        .values_list(
            "event_id", "munition_type", "launched", "intercepted", "hit", "as_of", "source_note"
        )
    )
    for event_id, munition_type, launched, intercepted, hit, as_of, source in counts:
        latest[event_id, munition_type] = {
            "munition_type": munition_type,
            "launched": launched,
            "intercepted": intercepted,
            "hit": hit,
            "as_of": as_of,
            "source": source,
        }
    for (event_id, _), count in latest.items():
        by_id[event_id].api_munitions.append(count)

    # Each relation in one query, from whichever end is on the page; outgoing ones first.
    ends = ("id", "slug", "title", "state", "updated_at")
    relations = (
        EventRelation.objects.filter(Q(from_event_id__in=ids) | Q(to_event_id__in=ids))
        .order_by("id")
        .values_list(
            "kind",
            *(f"from_event__{name}" for name in ends),
            *(f"to_event__{name}" for name in ends),
        )
    )
    outgoing: dict[int, list[dict]] = {event_id: [] for event_id in ids}
    incoming: dict[int, list[dict]] = {event_id: [] for event_id in ids}

    def add(shown: dict[int, list[dict]], event_id: int, other_end: tuple, relation: str) -> None:
        _, slug, title, state, changed_at = other_end
        by_id[event_id].related_changed_at.append(changed_at)
        if state == PUBLISHED:
            shown[event_id].append({"slug": slug, "title": title, "relation": relation})

    for kind, *both_ends in relations:
        source, target = both_ends[: len(ends)], both_ends[len(ends) :]
        if source[0] in by_id:
            add(outgoing, source[0], target, kind)
        if target[0] in by_id:
            add(incoming, target[0], source, INVERSE_RELATION[kind])
    for event_id, event in by_id.items():
        event.api_related = outgoing[event_id] + incoming[event_id]


def briefing_queryset() -> QuerySet[Briefing]:
    # Every item: the serializer shows only live stories, as Briefing.public_items() does, and
    # a story leaving public view changes the briefing as served (``briefing_changed_at``).
    items = BriefingItem.objects.select_related("story").prefetch_related(
        Prefetch(
            "story__key_points",
            queryset=KeyPoint.objects.approved(),
            to_attr="approved_key_points",
        )
    )
    return Briefing.objects.published().prefetch_related(
        Prefetch("items", queryset=items, to_attr="all_items")
    )


# --- when a record last changed, for Last-Modified ---------------------------------------------
# A record's own ``updated_at`` covers its own rows (``events.freshness`` touches it when a key
# point, figure or item changes); what it shows of other records adds their ``updated_at``.


def story_changed_at(story: Story) -> datetime | None:
    """For a story loaded by ``public_stories`` and ``attach_story_relations``."""
    return latest(story.updated_at, *story.linked_events_changed_at)


def event_changed_at(event: Event) -> datetime | None:
    """For an event loaded by ``public_events`` and ``attach_event_relations``."""
    return latest(
        event.updated_at,
        event.parent.updated_at if event.parent else None,
        *event.related_changed_at,
    )


def briefing_changed_at(briefing: Briefing) -> datetime | None:
    return latest(briefing.updated_at, *(item.story.updated_at for item in briefing.all_items))


#: the states in which a record has left public view, by model
TAKEN_DOWN = {
    Story: [Story.State.UNPUBLISHED, Story.State.RETRACTED],
    Event: [Event.State.RETRACTED],
    Briefing: [Briefing.State.UNPUBLISHED],
}


def last_takedown(model) -> datetime | None:
    """When a record of ``model`` last left public view: a list can change by losing a record,
    which none of the records still in it shows. One indexed query on (state, updated_at)."""
    if model not in TAKEN_DOWN:
        return None  # a vocabulary: its terms are never taken down, only fall out of use
    return (
        model.objects.filter(state__in=TAKEN_DOWN[model])
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )
