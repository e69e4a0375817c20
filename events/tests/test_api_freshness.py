"""A change readers see moves the record's document, its change time and Last-Modified,
wherever it was made; a change they do not see moves nothing.

Consumers that sync with ``updated_since`` or revalidate with ``If-Modified-Since`` alone (no
ETag) rely on it: a stale timestamp would leave them with an old copy and no sign of it.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from events.keypoints import generation_settings, write_key_points
from events.models import (
    CasualtyFigure,
    Change,
    Event,
    KeyPoint,
    PublicDocument,
    Story,
    Tag,
)
from events.models.publication import KindHead

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


@pytest.fixture
def five_minutes_ago(newsroom):
    """Everything public was last changed five minutes ago, so a change now is a whole HTTP
    second (the resolution of Last-Modified) later than any copy a client holds."""
    rewind(timedelta(minutes=5))
    return newsroom


def rewind(by: timedelta) -> None:
    """Move every public change time back, as if it had all happened ``by`` earlier."""
    PublicDocument.objects.update(changed_at=F("changed_at") - by)
    Change.objects.update(at=F("at") - by)
    KindHead.objects.update(at=F("at") - by)


def held_copy(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response["Last-Modified"]


def revalidate(client, url, since):
    """What a client holding a copy from ``since`` gets back, sending no ETag."""
    return client.get(url, HTTP_IF_MODIFIED_SINCE=since)


def story_url(story):
    return f"/api/v1/stories/{story.slug}/"


def updated_since(client, path, moment):
    params = {"updated_since": moment.isoformat()}
    return [record["slug"] for record in client.get(path, params).json()["results"]]


def test_approving_a_key_point_is_news_to_a_syncing_consumer(client, five_minutes_ago, editor):
    story = five_minutes_ago.main
    since = held_copy(client, story_url(story))
    checked_at = timezone.now()
    point = story.add_key_point("Rescuers searched the rubble through the night.", by=editor)
    assert revalidate(client, story_url(story), since).status_code == 304  # not public yet

    point.approve(by=editor)

    assert story.slug in updated_since(client, "/api/v1/stories/", checked_at)
    response = revalidate(client, story_url(story), since)
    assert response.status_code == 200
    assert "Rescuers searched the rubble through the night." in response.json()["key_points"]


def test_editing_or_deleting_an_approved_point_moves_last_modified(
    client, five_minutes_ago, editor
):
    story = five_minutes_ago.main
    approved = list(KeyPoint.objects.approved().filter(story=story))
    since = held_copy(client, story_url(story))

    approved[0].edit("Reworded, and waiting for approval again.", by=editor)
    response = revalidate(client, story_url(story), since)
    assert response.status_code == 200
    assert approved[0].text not in response.json()["key_points"]

    rewind(timedelta(minutes=1))
    since = held_copy(client, story_url(story))
    KeyPoint.objects.get(pk=approved[1].pk).remove(by=editor)
    assert revalidate(client, story_url(story), since).status_code == 200


def test_the_workers_drafts_are_not_news(client, five_minutes_ago):
    story = five_minutes_ago.talks_story
    before = Story.objects.get(pk=story.pk).updated_at
    write_key_points(
        story,
        ["A drafted point.", "Another drafted point.", "A third one."],
        text_hash=story.text_hash,
        config=generation_settings(),
    )
    assert Story.objects.get(pk=story.pk).updated_at == before


def test_approving_keeps_an_open_editor_form_current(five_minutes_ago, editor):
    story = Story.objects.get(pk=five_minutes_ago.talks_story.pk)
    opened_at_version = story.version
    story.key_points.create(text="A point to approve.", origin=KeyPoint.Origin.GENERATED)
    assert story.approve_key_points(by=editor) >= 1
    fresh = Story.objects.get(pk=story.pk)
    assert fresh.version == opened_at_version  # the editor's save will not be refused
    document = PublicDocument.objects.get(kind="story", record_id=story.pk)
    assert "A point to approve." in document.body  # and readers have it


def test_a_correction_moves_the_story(client, five_minutes_ago, editor):
    story = five_minutes_ago.main
    since = held_copy(client, story_url(story))
    story.add_correction(by=editor, text="An earlier version gave the wrong district.")
    response = revalidate(client, story_url(story), since)
    assert response.status_code == 200
    assert response.json()["corrections"][-1]["text"].startswith("An earlier version")


def test_a_linked_event_renamed_or_retracted_moves_the_story(client, five_minutes_ago, editor):
    story, event = five_minutes_ago.main, five_minutes_ago.kharkiv
    since = held_copy(client, story_url(story))
    renamed = Event.objects.get(pk=event.pk)
    renamed.title = "Kharkiv drone strike kills three"
    renamed.save()
    response = revalidate(client, story_url(story), since)
    assert response.status_code == 200
    assert "Kharkiv drone strike kills three" in [e["title"] for e in response.json()["events"]]

    rewind(timedelta(minutes=1))
    since = held_copy(client, story_url(story))
    Event.objects.get(pk=event.pk).retract(by=editor, reason="Duplicate of another record.")
    response = revalidate(client, story_url(story), since)
    assert response.status_code == 200
    assert event.slug not in [e["slug"] for e in response.json()["events"]]


def test_tagging_moves_the_story(client, five_minutes_ago):
    story = five_minutes_ago.talks_story
    checked_at = timezone.now()
    story.tags.add(Tag.objects.create(slug="diplomacy-watch", name="Diplomacy watch"))
    assert story.slug in updated_since(client, "/api/v1/stories/", checked_at)


def test_tagging_from_the_tag_side_moves_its_stories(client, five_minutes_ago):
    story = five_minutes_ago.talks_story
    tag = Tag.objects.create(slug="sanctions", name="Sanctions")
    checked_at = timezone.now()
    tag.stories.add(story)
    assert story.slug in updated_since(client, "/api/v1/stories/", checked_at)

    rewind(timedelta(minutes=5))
    checked_at = timezone.now()
    tag.stories.clear()
    assert updated_since(client, "/api/v1/stories/", checked_at) == [story.slug]


def test_a_new_figure_moves_the_event(client, five_minutes_ago, editor):
    event = five_minutes_ago.kharkiv
    url = f"/api/v1/events/{event.slug}/"
    since = held_copy(client, url)
    checked_at = timezone.now()
    CasualtyFigure.objects.create(
        event=event, kind="killed", minimum=4, as_of=timezone.now(), source_note="Governor"
    )
    assert event.slug in updated_since(client, "/api/v1/events/", checked_at)
    response = revalidate(client, url, since)
    assert response.status_code == 200
    killed = [f for f in response.json()["casualties"] if f["kind"] == "killed"]
    assert killed[0]["minimum"] == 4


def test_a_related_event_retracted_moves_the_event(client, five_minutes_ago, editor):
    wave, spiderweb = five_minutes_ago.wave, five_minutes_ago.spiderweb
    url = f"/api/v1/events/{wave.slug}/"
    since = held_copy(client, url)
    Event.objects.get(pk=spiderweb.pk).retract(by=editor, reason="Merged into another record.")
    response = revalidate(client, url, since)
    assert response.status_code == 200
    assert spiderweb.slug not in [r["slug"] for r in response.json()["related"]]


def test_a_retracted_event_moves_the_event_list(client, five_minutes_ago, editor):
    since = held_copy(client, "/api/v1/events/")
    Event.objects.get(pk=five_minutes_ago.talks.pk).retract(by=editor, reason="Wrong date.")
    response = revalidate(client, "/api/v1/events/", since)
    assert response.status_code == 200
    assert five_minutes_ago.talks.slug not in [e["slug"] for e in response.json()["results"]]


def test_a_story_taken_down_moves_its_briefing(client, five_minutes_ago, editor):
    briefing, story = five_minutes_ago.briefing, five_minutes_ago.talks_story
    url = f"/api/v1/briefings/{briefing.slug}/"
    since = held_copy(client, url)
    Story.objects.get(pk=story.pk).unpublish(by=editor)
    response = revalidate(client, url, since)
    assert response.status_code == 200
    assert story.slug not in [item["story"]["slug"] for item in response.json()["items"]]
