"""The stored documents and their log: what moves a public validator, what a takedown shows,
big rebuilds handed to the worker, and ``rebuild_published`` finding and fixing drift."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from events import tasks
from events.models import Event, EventType, Location, Story, StoryEvent, Tag
from events.models.publication import Change, PendingRebuild, PublicDocument


@pytest.fixture
def strike(editor) -> Event:
    kind = EventType.objects.create(name="Strike", slug="strike-store")
    event = Event.objects.create(
        title="Drone strike on Kharkiv",
        summary="Drones hit a residential block.",
        internal_note="Governor's office asked us to hold the street name.",
        event_type=kind,
        starts_at=timezone.now() - timedelta(hours=3),
        location=Location.objects.create(name="Kharkiv", country="UA"),
        created_by=editor,
    )
    event.publish(by=editor)
    return event


def publishable_story(editor, headline: str, **more) -> Story:
    return Story.objects.create(
        headline=headline,
        standfirst="Three people were killed.",
        body="Rescuers worked through the night.",
        byline="By Olena Kovalenko",
        created_by=editor,
        **more,
    )


@pytest.fixture
def story(editor) -> Story:
    story = publishable_story(editor, "Kharkiv drones kill three")
    story.publish(by=editor)
    return story


def document(kind: str, record: Story | Event) -> PublicDocument:
    return PublicDocument.objects.get(kind=kind, record_id=record.pk)


def entries(kind: str, record) -> list[tuple[str, str]]:
    return list(
        Change.objects.filter(kind=kind, record_id=record.pk)
        .order_by("position")
        .values_list("action", "reason")
    )


def test_a_change_readers_cannot_see_logs_nothing_and_keeps_the_validators(
    editor, strike, reporter
):
    before = document("event", strike)
    logged = Change.objects.count()

    strike.refresh_from_db()
    strike.internal_note = "Street name cleared for publication tomorrow."
    strike.save()
    # A reporter's draft about the event: its text is nobody's business but the desk's.
    draft = Story.objects.create(headline="Draft", body="Not yet.", created_by=reporter)
    StoryEvent.objects.create(story=draft, event=strike, is_primary=True)
    draft.body = "Still not ready."
    draft.save()

    assert not PendingRebuild.objects.exists()  # asked for, built, found identical
    after = document("event", strike)
    assert (after.etag, after.changed_at, after.position, after.body) == (
        before.etag,
        before.changed_at,
        before.position,
        before.body,
    )
    assert Change.objects.count() == logged
    assert not PublicDocument.objects.filter(kind="story", record_id=draft.pk).exists()


def test_a_visible_change_logs_one_put_and_moves_the_validators(editor, strike):
    before = document("event", strike)
    strike.refresh_from_db()
    strike.title = "Drone strike on Kharkiv kills three"
    strike.save()

    after = document("event", strike)
    assert after.etag != before.etag and after.changed_at > before.changed_at
    assert after.position > before.position
    assert json.loads(after.body)["title"] == "Drone strike on Kharkiv kills three"
    assert entries("event", strike) == [("put", ""), ("put", "")]


def test_a_retraction_stores_the_public_notice_and_the_last_public_headline(editor, story):
    story.refresh_from_db()
    story.headline = "Kharkiv drones kill four"
    story.save()
    story.retract(by=editor, reason="The death toll we reported was not confirmed.")

    taken_down = document("story", story)
    notice = json.loads(taken_down.body)
    assert taken_down.status == "retracted" and taken_down.item == ""
    assert notice["status"] == "retracted"
    assert notice["notice"] == "The death toll we reported was not confirmed."
    assert notice["title"] == "Kharkiv drones kill four"
    assert notice["slug"] == story.slug and notice["web_url"].endswith(f"/stories/{story.slug}/")
    assert entries("story", story)[-1] == ("takedown", "retracted")


def test_an_unpublishing_reason_is_never_shown(editor, story):
    story.unpublish(by=editor, reason="Lawyers asked us to take it down pending review.")

    taken_down = document("story", story)
    assert taken_down.status == "unpublished"
    assert "Lawyers" not in taken_down.body
    notice = json.loads(taken_down.body)
    assert notice["notice"] == "" and notice["title"] == ""
    assert entries("story", story)[-1] == ("takedown", "unpublished")


def test_a_story_retracted_after_it_was_unpublished_shows_the_retraction(editor, story):
    story.unpublish(by=editor, reason="Lawyers asked us to take it down pending review.")
    story.refresh_from_db()
    story.headline = "Headline rewritten while it was down, never public"
    story.save()
    story.retract(by=editor, reason="The story was wrong.")

    taken_down = document("story", story)
    notice = json.loads(taken_down.body)
    assert taken_down.status == "retracted" and notice["notice"] == "The story was wrong."
    assert "never public" not in taken_down.body and "Lawyers" not in taken_down.body
    assert entries("story", story)[-2:] == [("takedown", "unpublished"), ("takedown", "retracted")]


def test_unpublishing_then_republishing_logs_a_takedown_then_a_put(editor, story):
    story.unpublish(by=editor, reason="Checking a figure.")
    story.refresh_from_db()
    story.publish(by=editor)

    assert entries("story", story) == [("put", ""), ("takedown", "unpublished"), ("put", "")]
    positions = list(
        Change.objects.filter(kind="story", record_id=story.pk)
        .order_by("id")
        .values_list("position", flat=True)
    )
    assert positions == sorted(positions) and len(set(positions)) == 3
    assert document("story", story).status == "live"


def test_renaming_a_tag_rebuilds_every_story_showing_it_the_rest_in_the_worker(
    editor, settings, monkeypatch
):
    settings.NEWSROOM_PUBLISH_INLINE_LIMIT = 3
    queued: list[str] = []
    from celery import current_app

    monkeypatch.setattr(current_app, "send_task", lambda name, *a, **k: queued.append(name))
    tag = Tag.objects.create(name="Drones", slug="drones")
    stories = []
    for number in range(10):
        story = publishable_story(editor, f"Drone night {number}")
        story.tags.add(tag)
        story.publish(by=editor)
        stories.append(story)
    untagged = publishable_story(editor, "Talks in Istanbul")
    untagged.publish(by=editor)
    logged = Change.objects.count()
    last = Change.objects.order_by("-position").values_list("position", flat=True).first()

    tag.name = "Attack drones"
    tag.save()

    # A few rebuilt at once after the commit; the rest handed to the worker.
    assert queued == ["events.tasks.publish_pending"]
    assert PendingRebuild.objects.exists()
    assert 0 < Change.objects.count() - logged <= 3  # NEWSROOM_PUBLISH_INLINE_LIMIT
    assert tasks.publish_pending() > 0
    assert not PendingRebuild.objects.exists()
    for story in stories:
        assert json.loads(document("story", story).body)["tags"] == [
            {"slug": "drones", "name": "Attack drones"}
        ]
    assert Change.objects.count() == logged + 10  # the untagged story did not move
    assert not Change.objects.filter(
        kind="story", record_id=untagged.pk, position__gt=last
    ).exists()


def test_rebuild_published_check_lists_drift_from_a_bulk_update_and_rebuild_fixes_it(
    editor, story, strike
):
    # update() sends no signal: the kind of change a data fix in a shell makes.
    Story.objects.filter(pk=story.pk).update(headline="Changed behind the documents' back")
    Event.objects.filter(pk=strike.pk).update(state="retracted")
    unpublished = Story.objects.create(headline="Pulled", created_by=editor)
    PublicDocument.objects.create(
        kind="story", record_id=unpublished.pk, slug="pulled", status="unpublished", body="{}",
        etag="x", changed_at=timezone.now(),
    )  # fmt: skip
    Story.objects.filter(pk=unpublished.pk).update(state="retracted")
    out = StringIO()

    with pytest.raises(CommandError) as failed:
        call_command("rebuild_published", "--check", verbosity=0, stdout=out)

    assert failed.value.returncode == 1
    assert "3 public documents differ" in str(failed.value)
    listed = out.getvalue()
    assert "story pulled: retracted, but its takedown says unpublished" in listed
    assert f"story {story.slug}: stored document is out of date" in listed
    assert f"event {strike.slug}: stored but not public" in listed
    assert "Kharkiv drones kill three" in document("story", story).body  # --check wrote nothing

    out = StringIO()
    call_command("rebuild_published", verbosity=0, stdout=out)
    assert "3 changed" in out.getvalue()
    assert json.loads(document("story", story).body)["headline"] == (
        "Changed behind the documents' back"
    )
    assert document("event", strike).status == "retracted"

    out = StringIO()
    call_command("rebuild_published", "--check", verbosity=0, stdout=out)
    assert "Every public document matches a fresh build." in out.getvalue()
