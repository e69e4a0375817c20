"""The terms consumers filter by: tags, event types, actors and places.

Each list holds only the terms that published records use, so a term made for a draft (a new
actor, a place not yet reported) never shows before the record does. Every term carries the
filtered story and event lists it selects, so a client never has to build a filter by hand.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.renderers import JSONRenderer

from events.models import Actor, Event, EventActor, EventType, Location, Story, Tag

from .filters import PublicFilterBackend
from .ordering import StrictOrderingFilter
from .pagination import TermCursorPagination
from .params import check_query_params
from .public import PublicRead

PUBLISHED = "published"

# --- what is in use ---------------------------------------------------------------------------


def tags_in_use() -> QuerySet[Tag]:
    tagged = Story.tags.through.objects.filter(tag=OuterRef("pk"), story__state=PUBLISHED)
    return Tag.objects.filter(Exists(tagged))


def event_types_in_use() -> QuerySet[EventType]:
    # IN, not EXISTS: a handful of types share every event, so PostgreSQL expects to find a
    # type's first event early in a plain scan, and for a type no event uses it scans them all,
    # once per type. IN reads the published events once.
    published = Event.objects.published()
    in_use = Q(pk__in=published.values("event_type")) | Q(pk__in=published.values("sub_type"))
    return EventType.objects.filter(in_use).select_related("parent")


def actors_in_use() -> QuerySet[Actor]:
    involved = EventActor.objects.filter(actor=OuterRef("pk"), event__state=PUBLISHED)
    return Actor.objects.filter(Exists(involved))


def locations_in_use() -> QuerySet[Location]:
    return Location.objects.filter(
        Exists(Event.objects.published().filter(location=OuterRef("pk")))
    )


# --- how a term is shown ----------------------------------------------------------------------


def filtered_list(serializer: serializers.Serializer, list_name: str, **params: str) -> str:
    path = reverse(f"api:{list_name}") + "?" + urlencode(params)
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class TagTermSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="The tag's identifier (the stories' tag filter).")
    name = serializers.CharField(help_text="The tag as shown.")
    stories_url = serializers.SerializerMethodField(help_text="Published stories with this tag.")

    def get_stories_url(self, tag: Tag) -> str:
        return filtered_list(self, "story-list", tag=tag.slug)


class EventTermSerializer(serializers.Serializer):
    """A term that selects events, and the stories linked to them."""

    #: the filter parameter whose value is the term's slug
    parameter = ""

    stories_url = serializers.SerializerMethodField(help_text="Stories about these events.")
    events_url = serializers.SerializerMethodField(help_text="Published events with this term.")

    def get_fields(self):
        fields = super().get_fields()
        for name in ("stories_url", "events_url"):  # after the term's own fields
            fields[name] = fields.pop(name)
        return fields

    def filter_params(self, term) -> dict[str, str]:
        return {self.parameter: term.slug}

    def get_stories_url(self, term) -> str:
        return filtered_list(self, "story-list", **self.filter_params(term))

    def get_events_url(self, term) -> str:
        return filtered_list(self, "event-list", **self.filter_params(term))


class EventTypeTermSerializer(EventTermSerializer):
    parameter = "event_type"

    slug = serializers.CharField(help_text="The type's identifier (the event_type filter).")
    name = serializers.CharField(help_text="The type as shown.")
    parent = serializers.SerializerMethodField(help_text="The type's slug, for a sub-type.")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_parent(self, event_type: EventType) -> str | None:
        return event_type.parent.slug if event_type.parent else None


class ActorTermSerializer(EventTermSerializer):
    parameter = "actor"

    slug = serializers.CharField(help_text="The actor's identifier (the actor filter).")
    name = serializers.CharField(help_text="The actor's name.")
    kind = serializers.ChoiceField(choices=Actor.Kind.choices, help_text="What kind of actor.")
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2 code, or empty.")


class LocationTermSerializer(EventTermSerializer):
    name = serializers.CharField(help_text="The place's name (the location filter).")
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2 code (the country filter).")
    admin_region = serializers.CharField(help_text="The first-level region.")
    latitude = serializers.FloatField(allow_null=True, help_text="WGS 84 latitude.")
    longitude = serializers.FloatField(allow_null=True, help_text="WGS 84 longitude.")

    def filter_params(self, location: Location) -> dict[str, str]:
        # A place name can recur in other countries: the country narrows it to this one.
        return {"location": location.name, "country": location.country}


# --- the lists --------------------------------------------------------------------------------


class TermFilter(filters.FilterSet):
    name = filters.CharFilter(
        field_name="name",
        lookup_expr="icontains",
        max_length=200,
        help_text="Part of the name, in any case, e.g. `kharkiv`.",
    )


class VocabularyViewSet(PublicRead, viewsets.ReadOnlyModelViewSet):
    """Terms in use, by name: list only; anonymous, throttled, strict and conditional (the
    ETag is hashed from the page: terms carry no timestamps)."""

    renderer_classes = [JSONRenderer]
    filter_backends = [PublicFilterBackend, StrictOrderingFilter]
    pagination_class = TermCursorPagination
    filterset_class = TermFilter
    ordering_map = {"name": "name"}

    def ordering_choices(self) -> dict[str, str]:
        return dict(self.ordering_map)

    def get_default_ordering(self) -> tuple[str, ...]:
        return ("name", "id")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            allowed = {*self.filterset_class.base_filters, "ordering", "cursor", "page_size"}
            check_query_params(request.query_params, {*allowed, "format"})


@extend_schema(tags=["filter terms"])
class TagViewSet(VocabularyViewSet):
    """Tags on published stories (the stories' `tag` filter)."""

    serializer_class = TagTermSerializer

    def get_queryset(self):
        return tags_in_use()


@extend_schema(tags=["filter terms"])
class EventTypeViewSet(VocabularyViewSet):
    """Event types and sub-types of published events (the `event_type` filter)."""

    serializer_class = EventTypeTermSerializer

    def get_queryset(self):
        return event_types_in_use()


@extend_schema(tags=["filter terms"])
class ActorViewSet(VocabularyViewSet):
    """Actors in published events (the `actor` filter)."""

    serializer_class = ActorTermSerializer

    def get_queryset(self):
        return actors_in_use()


@extend_schema(tags=["filter terms"])
class LocationViewSet(VocabularyViewSet):
    """Places of published events (the `location` and `country` filters)."""

    serializer_class = LocationTermSerializer

    def get_queryset(self):
        return locations_in_use()
