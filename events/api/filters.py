"""Query filters of the public API (django-filter). Every bad value is a 400 naming the filter."""

from __future__ import annotations

from datetime import UTC, datetime

from django import forms
from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend

from events.models import (
    Briefing,
    CasualtyFigure,
    Event,
    EventActor,
    Story,
    StoryEvent,
)

from .errors import InvalidParameter
from .search import search

MAX_INT = 2**31 - 1


class UTCDateTimeField(IsoDateTimeField):
    """ISO 8601 in any offset, handed to the database in UTC.

    Databases accept a narrower range of offsets than ISO 8601 allows (PostgreSQL: ±15:59),
    and a time at the edge of the calendar may not survive conversion: both are bad values.
    """

    def to_python(self, value):
        bare = isinstance(value, str) and value.strip() and not self.has_offset(value.strip())
        parsed = super().to_python(value)
        if parsed is None:
            return None
        if bare:
            # Read in some server's zone, a bare time would silently mean another moment.
            raise forms.ValidationError(
                "Give the time with its offset (e.g. 2025-06-11T00:00:00Z or +03:00): "
                "a time without one is ambiguous.",
                code="no_offset",
            )
        try:
            parsed = parsed.astimezone(UTC)
        except (OverflowError, ValueError):
            parsed = None
        if parsed is None or not 1 < parsed.year < 9999:
            raise forms.ValidationError(
                "Not a usable time: use ISO 8601 with an offset between -15:59 and +15:59.",
                code="invalid",
            )
        return parsed

    @staticmethod
    def has_offset(value: str) -> bool:
        try:
            return datetime.fromisoformat(value.replace("z", "Z")).tzinfo is not None
        except ValueError:
            return True  # not a time at all: the parent's message says so


class DateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class ChangedSinceFilter(DateTimeFilter):
    """``updated_since``: answered by the view from the documents' change times (when readers'
    view of a record last changed, in commit order), not from the working rows."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            "Changed, as readers see it, at or after this time (ISO 8601 with offset); pair "
            "with /changes/ or /tombstones/ to sync.",
        )
        super().__init__(method=lambda queryset, name, value: queryset, **kwargs)


def since(query_params, name: str):
    """The time in ``name``, parsed as the filters parse it (None if absent); a 400 if bad."""
    raw = query_params.get(name)
    if raw is None:
        return None
    try:
        return UTCDateTimeField().clean(raw)
    except forms.ValidationError as error:
        raise InvalidParameter(name, " ".join(error.messages)) from None


class SearchFilter(filters.CharFilter):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            "Full-text search (PostgreSQL: stemmed English, quoted phrases, -word to exclude).",
        )
        super().__init__(method=self.apply, max_length=200, **kwargs)

    @staticmethod
    def apply(queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return search(queryset, value) if value else queryset


class SlugFilter(filters.CharFilter):
    def __init__(self, **kwargs):
        super().__init__(max_length=300, **kwargs)


class WholeNumberFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=MAX_INT, **kwargs)


class PublicFilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the query string names none of the view's filters.

    With no filter given, the FilterSet would build and validate a form only to hand back the
    queryset unchanged (every filter ignores an empty value); most list requests are like that.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and filterset_class.base_filters.keys().isdisjoint(
            request.query_params.keys()
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


def killed_figure() -> Coalesce:
    """The latest 'killed' figure of each event: the all-people count, else the civilian one."""
    latest = CasualtyFigure.objects.filter(event=OuterRef("pk"), kind="killed").order_by(
        "-as_of", "-id"
    )
    return Coalesce(
        Subquery(latest.filter(civilians_only=False).values("minimum")[:1]),
        Subquery(latest.filter(civilians_only=True).values("minimum")[:1]),
        output_field=IntegerField(),
    )


def event_type_matches(prefix: str, slug: str) -> Q:
    """A type slug matches an event's type or its sub-type."""
    return Q(**{f"{prefix}event_type__slug": slug}) | Q(**{f"{prefix}sub_type__slug": slug})


class StoryFilter(filters.FilterSet):
    q = SearchFilter()
    published_after = DateTimeFilter(
        field_name="last_published_at",
        lookup_expr="gte",
        help_text="Published at or after this time (ISO 8601, e.g. 2025-06-11T00:00:00Z).",
    )
    published_before = DateTimeFilter(
        field_name="last_published_at",
        lookup_expr="lt",
        help_text="Published before this time (ISO 8601).",
    )
    updated_since = ChangedSinceFilter()
    tag = SlugFilter(method="filter_tag", help_text="Tag slug, e.g. war-in-ukraine.")
    event = SlugFilter(method="filter_event", help_text="Slug of a linked (published) event.")
    event_type = SlugFilter(
        method="filter_event_type", help_text="Slug of a linked event's type or sub-type."
    )
    country = SlugFilter(
        method="filter_country", help_text="ISO 3166-1 alpha-2 code of a linked event's place."
    )
    location = SlugFilter(method="filter_location", help_text="Name of a linked event's place.")
    actor = SlugFilter(method="filter_actor", help_text="Slug of an actor in a linked event.")

    class Meta:
        model = Story
        fields: list[str] = []

    def _linked(self, queryset: QuerySet, condition: Q) -> QuerySet:
        links = StoryEvent.objects.filter(
            condition, story=OuterRef("pk"), event__state=Event.State.PUBLISHED
        )
        return queryset.filter(Exists(links))

    def filter_tag(self, queryset, name, value):
        through = Story.tags.through
        return queryset.filter(
            Exists(through.objects.filter(story=OuterRef("pk"), tag__slug=value))
        )

    def filter_event(self, queryset, name, value):
        return self._linked(queryset, Q(event__slug=value))

    def filter_event_type(self, queryset, name, value):
        return self._linked(queryset, event_type_matches("event__", value))

    def filter_country(self, queryset, name, value):
        return self._linked(queryset, Q(event__location__country=value.upper()))

    def filter_location(self, queryset, name, value):
        return self._linked(queryset, Q(event__location__name__iexact=value))

    def filter_actor(self, queryset, name, value):
        return self._linked(queryset, Q(event__event_actors__actor__slug=value))


class EventFilter(filters.FilterSet):
    q = SearchFilter()
    occurred_after = DateTimeFilter(
        field_name="starts_at",
        lookup_expr="gte",
        help_text="Started at or after this time (ISO 8601).",
    )
    occurred_before = DateTimeFilter(
        field_name="starts_at", lookup_expr="lt", help_text="Started before this time (ISO 8601)."
    )
    updated_since = ChangedSinceFilter()
    event_type = SlugFilter(method="filter_event_type", help_text="Type or sub-type slug.")
    country = SlugFilter(method="filter_country", help_text="ISO 3166-1 alpha-2 code, e.g. UA.")
    location = SlugFilter(method="filter_location", help_text="Place name, e.g. Kharkiv.")
    actor = SlugFilter(method="filter_actor", help_text="Actor slug.")
    parent = SlugFilter(method="filter_parent", help_text="Slug of the (published) parent event.")
    story = SlugFilter(method="filter_story", help_text="Slug of a published story about it.")
    verification_status = filters.ChoiceFilter(choices=Event.Verification.choices)
    occurrence_status = filters.ChoiceFilter(choices=Event.Occurrence.choices)
    fatalities_min = WholeNumberFilter(
        method="filter_fatalities_min",
        help_text="At least this many killed, by the latest figure.",
    )

    class Meta:
        model = Event
        fields: list[str] = []

    def filter_event_type(self, queryset, name, value):
        return queryset.filter(event_type_matches("", value))

    def filter_country(self, queryset, name, value):
        return queryset.filter(location__country=value.upper())

    def filter_location(self, queryset, name, value):
        return queryset.filter(location__name__iexact=value)

    def filter_actor(self, queryset, name, value):
        return queryset.filter(
            Exists(EventActor.objects.filter(event=OuterRef("pk"), actor__slug=value))
        )

    def filter_parent(self, queryset, name, value):
        # A draft parent's slug must select nothing, as an unknown slug does: else the list
        # would confirm that the draft exists.
        return queryset.filter(parent__slug=value, parent__state=Event.State.PUBLISHED)

    def filter_story(self, queryset, name, value):
        links = StoryEvent.objects.filter(
            event=OuterRef("pk"), story__slug=value, story__state=Story.State.PUBLISHED
        )
        return queryset.filter(Exists(links))

    def filter_fatalities_min(self, queryset, name, value):
        return queryset.annotate(fatalities=killed_figure()).filter(fatalities__gte=value)


class BriefingFilter(filters.FilterSet):
    edition = filters.ChoiceFilter(choices=Briefing.Edition.choices)
    date_after = filters.DateFilter(
        field_name="edition_date", lookup_expr="gte", help_text="Edition date on or after."
    )
    date_before = filters.DateFilter(
        field_name="edition_date", lookup_expr="lte", help_text="Edition date on or before."
    )
    updated_since = ChangedSinceFilter()
    story = SlugFilter(method="filter_story", help_text="Slug of a story in the briefing.")

    class Meta:
        model = Briefing
        fields: list[str] = []

    def filter_story(self, queryset, name, value):
        items = Briefing.stories.through.objects.filter(
            briefing=OuterRef("pk"), story__slug=value, story__state=Story.State.PUBLISHED
        )
        return queryset.filter(Exists(items))
