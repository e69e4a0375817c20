"""Beat publishes what is due, on time in the newsroom's timezone, and nothing early."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from events.models import AuditEntry, Briefing, Story
from events.tasks import publish_due

KYIV = ZoneInfo("Europe/Kyiv")


@pytest.fixture
def ready_story(reporter):
    return Story.objects.create(
        headline="Air raid alert lifted in Kyiv",
        standfirst="The all-clear sounded after five hours.",
        body="The alert covered the capital and surrounding region.",
        byline="By Maria Shevchenko",
        created_by=reporter,
    )


def at(moment: datetime):
    """Freeze 'now' for the model and the task alike."""
    from unittest import mock

    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_scheduled_story_is_published_when_due_and_not_before(ready_story, editor):
    with at(datetime(2026, 3, 1, 8, 0, tzinfo=UTC)):
        ready_story.schedule(by=editor, at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    with at(datetime(2026, 3, 1, 8, 59, 59, tzinfo=UTC)):
        assert publish_due() == 0
    ready_story.refresh_from_db()
    assert ready_story.state == Story.State.SCHEDULED
    with at(datetime(2026, 3, 1, 9, 0, 1, tzinfo=UTC)):
        assert publish_due() == 1
    ready_story.refresh_from_db()
    assert ready_story.state == Story.State.PUBLISHED
    assert ready_story.first_published_at == datetime(2026, 3, 1, 9, 0, 1, tzinfo=UTC)


def test_schedule_across_the_autumn_clock_change(ready_story, editor, settings):
    """Kyiv's clocks go back at 04:00 on 25 October 2026, so 09:00 that morning is 07:00 UTC.

    Reckoning with the summer offset (+3) the story would go out at 06:00 UTC, an hour early.
    """
    settings.TIME_ZONE = "Europe/Kyiv"
    local_nine = datetime(2026, 10, 25, 9, 0, tzinfo=KYIV)
    assert local_nine.astimezone(UTC) == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)
    with at(datetime(2026, 10, 24, 12, 0, tzinfo=UTC)):  # the evening before, still summer time
        ready_story.schedule(by=editor, at=local_nine)
    with at(datetime(2026, 10, 25, 6, 30, tzinfo=UTC)):  # 09:30 by summer time: too early
        publish_due()
    ready_story.refresh_from_db()
    assert ready_story.state == Story.State.SCHEDULED
    with at(datetime(2026, 10, 25, 7, 0, 30, tzinfo=UTC)):
        publish_due()
    ready_story.refresh_from_db()
    assert ready_story.state == Story.State.PUBLISHED


def test_scheduling_in_the_past_or_incomplete_is_refused(ready_story, draft_story, editor):
    with pytest.raises(ValidationError, match="in the future"):
        ready_story.schedule(by=editor, at=datetime(2020, 1, 1, tzinfo=UTC))
    with pytest.raises(ValidationError, match="Missing"):
        draft_story.schedule(by=editor, at=datetime(2099, 1, 1, tzinfo=UTC))


def test_due_story_that_lost_a_required_field_is_held_back_with_the_reason(ready_story, editor):
    with at(datetime(2026, 3, 1, 8, 0, tzinfo=UTC)):
        ready_story.schedule(by=editor, at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    Story.objects.filter(pk=ready_story.pk).update(byline="")
    with at(datetime(2026, 3, 1, 9, 1, tzinfo=UTC)):
        assert publish_due() == 0
    ready_story.refresh_from_db()
    assert ready_story.state == Story.State.IN_REVIEW
    assert "byline" in AuditEntry.objects.get(action="hold back").note


def test_scheduled_briefing_publishes_after_its_scheduled_stories(ready_story, editor):
    briefing = Briefing.objects.create(title="Morning briefing", edition_date="2026-03-02")
    briefing.items.create(story=ready_story, order=0)
    with at(datetime(2026, 3, 1, 20, 0, tzinfo=UTC)):
        ready_story.schedule(by=editor, at=datetime(2026, 3, 2, 4, 0, tzinfo=UTC))
        briefing.schedule(by=editor, at=datetime(2026, 3, 2, 4, 0, tzinfo=UTC))
    with at(datetime(2026, 3, 2, 4, 0, 5, tzinfo=UTC)):
        assert publish_due() == 2
    briefing.refresh_from_db()
    assert briefing.state == Briefing.State.PUBLISHED


def test_briefing_cannot_be_scheduled_before_its_stories_go_live(ready_story, editor):
    briefing = Briefing.objects.create(title="Morning briefing", edition_date="2026-03-02")
    briefing.items.create(story=ready_story, order=0)
    with at(datetime(2026, 3, 1, 20, 0, tzinfo=UTC)):
        ready_story.schedule(by=editor, at=datetime(2026, 3, 2, 6, 0, tzinfo=UTC))
        with pytest.raises(ValidationError, match="will not be published by then"):
            briefing.schedule(by=editor, at=datetime(2026, 3, 2, 4, 0, tzinfo=UTC))
