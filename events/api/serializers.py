"""The shape of the public documents, for the OpenAPI schema only.

The documents themselves are built by ``events.publication.builders`` and served as stored;
these declarations describe them to API consumers and generated clients. Every time is UTC
(ISO 8601 with ``Z``).
"""

from __future__ import annotations

from rest_framework import serializers

from events.models import Briefing, CasualtyFigure, Event, MunitionCount

UTC_NOTE = " (UTC, ISO 8601 with Z)"


def described(help_text: str, **kwargs) -> serializers.CharField:
    return serializers.CharField(help_text=help_text, **kwargs)


def moment(help_text: str, **kwargs) -> serializers.DateTimeField:
    return serializers.DateTimeField(help_text=help_text + UTC_NOTE, **kwargs)


class Addresses(serializers.Serializer):
    slug = described("The record's stable identifier in URLs.")
    web_url = serializers.URLField(help_text="The record's public page.")
    api_url = serializers.URLField(help_text="The record in this API.")


class TagSerializer(serializers.Serializer):
    slug = described("The tag's identifier (the tag filter takes it).")
    name = described("The tag as shown.")


class EventRefSerializer(Addresses):
    title = described("The event's title.")


class LinkedEventSerializer(EventRefSerializer):
    is_primary = serializers.BooleanField(help_text="Whether this is the story's main event.")


class QuoteSerializer(serializers.Serializer):
    text = described("What was said.")
    speaker = described("Who said it.")
    speaker_role = described("The speaker's role, if given.")
    source = described("Where it was said, if given.")


class CorrectionSerializer(serializers.Serializer):
    text = described("The correction as published.")
    date = moment("When it was published")


class RecordSerializer(Addresses):
    url = serializers.URLField(help_text="Deprecated: the same as api_url.")


class StorySerializer(RecordSerializer):
    headline = described("The headline.")
    standfirst = described("The one- or two-sentence summary under the headline.")
    dateline = described("Where the story was filed, e.g. KYIV.")
    byline = described("Who wrote it, e.g. By Olena Kovalenko.")
    first_published_at = moment("When it was first published")
    published_at = moment("When it was last published")
    updated_at = moment("When anything readers see of it last changed")
    tags = TagSerializer(many=True, help_text="Its tags, by name.")
    key_points = serializers.ListField(
        child=serializers.CharField(), help_text="Approved key points, in order."
    )
    events = LinkedEventSerializer(many=True, help_text="Its published linked events.")
    quotes = QuoteSerializer(many=True, help_text="Quotes, in order.")
    corrections = CorrectionSerializer(many=True, help_text="Public corrections, oldest first.")


class StoryDetailSerializer(StorySerializer):
    body_html = described("The body, as sanitised HTML (not in lists).")


class TypeSerializer(serializers.Serializer):
    slug = described("The type's identifier (the event_type filter takes it).")
    name = described("The type as shown.")


class LocationSerializer(serializers.Serializer):
    name = described("The place's name.")
    country = described("ISO 3166-1 alpha-2 country code.")
    admin_region = described("The first-level region (oblast, province).")
    latitude = serializers.FloatField(allow_null=True, help_text="WGS 84 latitude.")
    longitude = serializers.FloatField(allow_null=True, help_text="WGS 84 longitude.")


class ActorRoleSerializer(serializers.Serializer):
    slug = described("The actor's identifier (the actor filter takes it).")
    name = described("The actor's name.")
    kind = described("What kind of actor it is.")
    role = described("Its role in this event.")


class CasualtySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=CasualtyFigure.Kind.choices, help_text="What is counted."
    )
    civilians_only = serializers.BooleanField(help_text="Whether only civilians are counted.")
    minimum = serializers.IntegerField(help_text="The lowest reported number.")
    maximum = serializers.IntegerField(allow_null=True, help_text="The highest, for a range.")
    at_least = serializers.BooleanField(help_text="Whether the minimum is a floor (at least).")
    display = described("As a reader would say it, e.g. 'at least 60'.")
    as_of = moment("When the figure was current")
    source = described("Who gave the figure.")


class MunitionSerializer(serializers.Serializer):
    munition_type = serializers.ChoiceField(
        choices=MunitionCount.MunitionType.choices, help_text="What was launched."
    )
    launched = serializers.IntegerField(allow_null=True, help_text="How many were launched.")
    intercepted = serializers.IntegerField(allow_null=True, help_text="How many were stopped.")
    hit = serializers.IntegerField(allow_null=True, help_text="How many hit.")
    as_of = moment("When the count was current")
    source = described("Who gave the count.")


class FigureHistorySerializer(serializers.Serializer):
    casualties = CasualtySerializer(many=True, help_text="Every casualty figure, oldest first.")
    munitions = MunitionSerializer(many=True, help_text="Every munition count, oldest first.")


class RelatedEventSerializer(EventRefSerializer):
    relation = serializers.ChoiceField(
        choices=["related", "follow_up", "duplicate_of", "followed_up_by", "duplicated_by"],
        help_text="How the other event relates to this one.",
    )


class EventSerializer(RecordSerializer):
    title = described("What happened, in a line.")
    summary = described("The public summary.")
    event_type = TypeSerializer(allow_null=True, help_text="The event's type.")
    sub_type = TypeSerializer(allow_null=True, help_text="The event's sub-type, if any.")
    starts_at = moment("When it started")
    ends_at = moment("When it ended, if known", allow_null=True)
    time_precision = serializers.ChoiceField(
        choices=Event.TimePrecision.choices, help_text="How precise starts_at is."
    )
    location = LocationSerializer(allow_null=True, help_text="Where it happened.")
    geo_precision = serializers.ChoiceField(
        choices=Event.GeoPrecision.choices, help_text="How precise the location is."
    )
    occurrence_status = serializers.ChoiceField(
        choices=Event.Occurrence.choices, help_text="Whether it happened as reported."
    )
    verification_status = serializers.ChoiceField(
        choices=Event.Verification.choices, help_text="How far the newsroom has verified it."
    )
    fatalities = serializers.IntegerField(
        allow_null=True, help_text="Killed, by the latest figure (the fatalities_min filter)."
    )
    casualties = CasualtySerializer(many=True, help_text="The latest figure of each kind.")
    munitions = MunitionSerializer(many=True, help_text="The latest count of each munition.")
    actors = ActorRoleSerializer(many=True, help_text="Who took part, and how.")
    parent = EventRefSerializer(allow_null=True, help_text="The (published) wider event.")
    related = RelatedEventSerializer(many=True, help_text="Published related events.")
    first_published_at = moment("When it was first published")
    updated_at = moment("When anything readers see of it last changed")


class EventDetailSerializer(EventSerializer):
    figure_history = FigureHistorySerializer(
        help_text="Every revision of its figures (not in lists)."
    )


class StoryRefSerializer(serializers.Serializer):
    slug = described("The story's slug.")
    web_url = serializers.URLField(help_text="The story's public page.")
    api_url = serializers.URLField(help_text="The story in this API.")
    url = serializers.URLField(help_text="Deprecated: the same as api_url.")


class BriefingItemSerializer(serializers.Serializer):
    headline = described("The item's headline.")
    blurb = described("A line about the story.")
    story = StoryRefSerializer(help_text="The story it points to.")


class BriefingSerializer(RecordSerializer):
    title = described("The briefing's title.")
    edition = serializers.ChoiceField(choices=Briefing.Edition.choices, help_text="Which edition.")
    edition_date = serializers.DateField(help_text="The edition's date (newsroom calendar).")
    intro = described("The introduction.")
    first_published_at = moment("When it was first published")
    published_at = moment("When it was last published")
    updated_at = moment("When anything readers see of it last changed")
    items = BriefingItemSerializer(many=True, help_text="Its live stories, in order.")
