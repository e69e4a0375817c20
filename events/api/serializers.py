"""Thin, read-only representations of published records. No workflow internals, no accounts.

Related rows come from the view's prefetches (``.all()`` only, never a new query here), so a
list costs the same number of queries whatever its length.
"""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import Briefing, CasualtyFigure, Event, MunitionCount, Story


def iso(moment) -> str | None:
    """As DRF's DateTimeField writes it: ISO 8601 in the newsroom's timezone, with its offset."""
    if moment is None:
        return None
    value = timezone.localtime(moment).isoformat()
    return value[:-6] + "Z" if value.endswith("+00:00") else value


#: slugs that ``reverse`` and ``build_absolute_uri`` leave exactly as they are
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
PLACEHOLDER = "0slug0"


def resolve_url(serializer: serializers.Serializer, name: str, slug: str) -> str:
    path = reverse(f"api:{name}", kwargs={"slug": slug})
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


def absolute_url(serializer: serializers.Serializer, name: str, slug: str) -> str:
    """The record's API URL. ``reverse`` is resolved once per response and view name, then
    the slug is put in place: the same string, without a URL resolution for every row."""
    if not PLAIN_SLUG.fullmatch(slug):
        return resolve_url(serializer, name, slug)
    templates = serializer.context.setdefault("url_templates", {})
    template = templates.get(name)
    if template is None:
        before, _, after = resolve_url(serializer, name, PLACEHOLDER).rpartition(PLACEHOLDER)
        template = templates[name] = (before, after)
    return template[0] + slug + template[1]


class TagSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class EventRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()


class LinkedEventSerializer(serializers.Serializer):
    slug = serializers.CharField(source="event.slug")
    title = serializers.CharField(source="event.title")
    is_primary = serializers.BooleanField()


class QuoteSerializer(serializers.Serializer):
    text = serializers.CharField()
    speaker = serializers.CharField()
    speaker_role = serializers.CharField()
    source = serializers.CharField()


class CorrectionSerializer(serializers.Serializer):
    text = serializers.CharField()
    date = serializers.DateTimeField(source="created_at")


class StorySerializer(serializers.Serializer):
    slug = serializers.CharField()
    url = serializers.SerializerMethodField()
    headline = serializers.CharField()
    standfirst = serializers.CharField()
    dateline = serializers.CharField()
    byline = serializers.CharField()
    first_published_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(source="last_published_at")
    updated_at = serializers.DateTimeField()
    tags = TagSerializer(many=True, source="tags.all")
    key_points = serializers.SerializerMethodField(help_text="Approved key points, in order.")
    events = LinkedEventSerializer(many=True, source="public_links")
    quotes = QuoteSerializer(many=True, source="quotes.all")
    corrections = CorrectionSerializer(many=True, source="corrections.all")

    def get_url(self, story: Story) -> str:
        return absolute_url(self, "story-detail", story.slug)

    def to_representation(self, story: Story) -> dict:
        # The declared fields describe the shape (OpenAPI); building the dict directly is the
        # same output at a fraction of the cost of DRF's generic field walk, on the hottest path.
        # The related rows come ready-shaped from ``events.api.loaders.attach_story_relations``.
        return {
            "slug": story.slug,
            "url": self.get_url(story),
            "headline": story.headline,
            "standfirst": story.standfirst,
            "dateline": story.dateline,
            "byline": story.byline,
            "first_published_at": iso(story.first_published_at),
            "published_at": iso(story.last_published_at),
            "updated_at": iso(story.updated_at),
            "tags": story.api_tags,
            "key_points": self.get_key_points(story),
            "events": story.api_links,
            "quotes": story.api_quotes,
            "corrections": [
                {"text": text, "date": iso(created_at)}
                for text, created_at in story.api_corrections
            ],
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_key_points(self, story: Story) -> list[str]:
        return story.api_key_points


class StoryDetailSerializer(StorySerializer):
    body_html = serializers.CharField(
        read_only=True, help_text="The body, as sanitised HTML (rendered when it was saved)."
    )

    def to_representation(self, story: Story) -> dict:
        return {**super().to_representation(story), "body_html": story.body_html}


class TypeSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class LocationSerializer(serializers.Serializer):
    name = serializers.CharField()
    country = serializers.CharField()
    admin_region = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


class ActorRoleSerializer(serializers.Serializer):
    slug = serializers.CharField(source="actor.slug")
    name = serializers.CharField(source="actor.name")
    kind = serializers.CharField(source="actor.kind")
    role = serializers.CharField()


class CasualtySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CasualtyFigure.Kind.choices)
    civilians_only = serializers.BooleanField()
    minimum = serializers.IntegerField()
    maximum = serializers.IntegerField(allow_null=True)
    at_least = serializers.BooleanField()
    display = serializers.CharField(source="value_display")
    as_of = serializers.DateTimeField()
    source = serializers.CharField(source="source_note")


class MunitionSerializer(serializers.Serializer):
    munition_type = serializers.ChoiceField(choices=MunitionCount.MunitionType.choices)
    launched = serializers.IntegerField(allow_null=True)
    intercepted = serializers.IntegerField(allow_null=True)
    hit = serializers.IntegerField(allow_null=True)
    as_of = serializers.DateTimeField()
    source = serializers.CharField(source="source_note")


class RelatedEventSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    relation = serializers.ChoiceField(
        choices=["related", "follow_up", "duplicate_of", "followed_up_by", "duplicated_by"]
    )


class EventSerializer(serializers.Serializer):
    slug = serializers.CharField()
    url = serializers.SerializerMethodField()
    title = serializers.CharField()
    summary = serializers.CharField()
    event_type = TypeSerializer(allow_null=True)
    sub_type = TypeSerializer(allow_null=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    time_precision = serializers.ChoiceField(choices=Event.TimePrecision.choices)
    location = LocationSerializer(allow_null=True)
    geo_precision = serializers.ChoiceField(choices=Event.GeoPrecision.choices)
    occurrence_status = serializers.ChoiceField(choices=Event.Occurrence.choices)
    verification_status = serializers.ChoiceField(choices=Event.Verification.choices)
    fatalities = serializers.IntegerField(
        allow_null=True, help_text="Killed, by the latest figure (the fatalities_min filter)."
    )
    casualties = serializers.SerializerMethodField(help_text="The latest figure of each kind.")
    munitions = serializers.SerializerMethodField(help_text="The latest count of each munition.")
    actors = ActorRoleSerializer(many=True, source="event_actors.all")
    parent = serializers.SerializerMethodField()
    related = serializers.SerializerMethodField(help_text="Published related events.")
    first_published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_url(self, event: Event) -> str:
        return absolute_url(self, "event-detail", event.slug)

    def to_representation(self, event: Event) -> dict:
        # As for stories: the declared fields describe the shape (OpenAPI) and DRF would build
        # the same dict, but its field walk, with two nested serializers made per event for the
        # figures, was most of an events page's time.
        return {
            "slug": event.slug,
            "url": self.get_url(event),
            "title": event.title,
            "summary": event.summary,
            "event_type": term(event.event_type),
            "sub_type": term(event.sub_type),
            "starts_at": iso(event.starts_at),
            "ends_at": iso(event.ends_at),
            "time_precision": event.time_precision,
            "location": place(event.location),
            "geo_precision": event.geo_precision,
            "occurrence_status": event.occurrence_status,
            "verification_status": event.verification_status,
            "fatalities": event.fatalities,
            "casualties": self.get_casualties(event),
            "munitions": self.get_munitions(event),
            "actors": event.api_actors,
            "parent": self.get_parent(event),
            "related": self.get_related(event),
            "first_published_at": iso(event.first_published_at),
            "updated_at": iso(event.updated_at),
        }

    @extend_schema_field(EventRefSerializer(allow_null=True))
    def get_parent(self, event: Event) -> dict | None:
        parent = event.parent
        if parent is None or parent.state != Event.State.PUBLISHED:
            return None
        return {"slug": parent.slug, "title": parent.title}

    @extend_schema_field(CasualtySerializer(many=True))
    def get_casualties(self, event: Event) -> list[dict]:
        return [{**figure, "as_of": iso(figure["as_of"])} for figure in event.api_casualties]

    @extend_schema_field(MunitionSerializer(many=True))
    def get_munitions(self, event: Event) -> list[dict]:
        return [{**count, "as_of": iso(count["as_of"])} for count in event.api_munitions]

    @extend_schema_field(RelatedEventSerializer(many=True))
    def get_related(self, event: Event) -> list[dict]:
        return event.api_related


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


# How a relation reads from the other event's side.
INVERSE_RELATION = {
    "related": "related",
    "follow_up": "followed_up_by",
    "duplicate_of": "duplicated_by",
}


class BriefingStorySerializer(serializers.Serializer):
    slug = serializers.CharField()
    url = serializers.CharField()


class BriefingItemSerializer(serializers.Serializer):
    headline = serializers.CharField()
    blurb = serializers.CharField()
    story = BriefingStorySerializer()


class BriefingSerializer(serializers.Serializer):
    slug = serializers.CharField()
    url = serializers.SerializerMethodField()
    title = serializers.CharField()
    edition = serializers.ChoiceField(choices=Briefing.Edition.choices)
    edition_date = serializers.DateField()
    intro = serializers.CharField()
    first_published_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(source="last_published_at")
    updated_at = serializers.DateTimeField()
    items = serializers.SerializerMethodField(help_text="Its live stories, in order.")

    def get_url(self, briefing: Briefing) -> str:
        return absolute_url(self, "briefing-detail", briefing.slug)

    @extend_schema_field(BriefingItemSerializer(many=True))
    def get_items(self, briefing: Briefing) -> list[dict]:
        items = []
        for item in briefing.all_items:
            story = item.story
            if story.state != Story.State.PUBLISHED:
                continue
            first_point = story.approved_key_points[0].text if story.approved_key_points else ""
            items.append(
                {
                    "headline": item.headline_override or story.headline,
                    "blurb": item.blurb_override or first_point or story.standfirst,
                    "story": {
                        "slug": story.slug,
                        "url": absolute_url(self, "story-detail", story.slug),
                    },
                }
            )
        return items
