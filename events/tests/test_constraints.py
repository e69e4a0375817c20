"""The database itself refuses impossible rows, and model validation says why in plain words."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import (
    BriefingItem,
    CasualtyFigure,
    Event,
    EventRelation,
    Location,
    MunitionCount,
    Story,
    StoryEvent,
)


def refused(model_instance, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        model_instance.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        model_instance.save()


def test_negative_casualty_figure(newsroom):
    refused(CasualtyFigure(event=newsroom.kharkiv, kind="killed", minimum=-1), "cannot be negative")


def test_minimum_above_maximum(newsroom):
    refused(
        CasualtyFigure(event=newsroom.kharkiv, kind="injured", minimum=60, maximum=40),
        "minimum cannot be above the maximum",
    )


def test_more_intercepted_than_launched(newsroom):
    refused(
        MunitionCount(event=newsroom.wave, munition_type="drone", launched=10, intercepted=11),
        "More munitions cannot be intercepted than launched",
    )


def test_event_cannot_be_its_own_parent(newsroom):
    event = newsroom.kharkiv
    event.parent_id = event.pk
    with pytest.raises(ValidationError, match="own parent"):
        event.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(parent_id=event.pk)


def test_event_cannot_relate_to_itself(newsroom):
    refused(EventRelation(from_event=newsroom.wave, to_event=newsroom.wave), "related to itself")


def test_one_primary_event_per_story(newsroom):
    refused(
        StoryEvent(story=newsroom.main, event=newsroom.talks, is_primary=True),
        "only one primary event",
    )


def test_unique_order_within_a_briefing(newsroom):
    refused(
        BriefingItem(briefing=newsroom.briefing, story=newsroom.draft, order=0),
        "cannot share a position",
    )


def test_unique_slugs(newsroom):
    refused(Story(headline="Copy", slug=newsroom.main.slug), "Slug already exists")


def test_drafts_without_slugs_do_not_collide(reporter):
    Story.objects.create(headline="One")
    Story.objects.create(headline="Two")
    assert Story.objects.filter(slug__isnull=True).count() == 2


def test_country_must_be_an_iso_code(db):
    with pytest.raises(ValidationError, match="at most 2 characters"):
        Location(name="Kherson", country="Ukraine").full_clean()
    refused(Location(name="Kherson", country="ua"), "two-letter ISO code")
