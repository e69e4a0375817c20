"""Nothing lost: an editor's save racing another editor's workflow action, on PostgreSQL.

Each round opens a record as two editors would, then fires the save and the action at the same
moment from two threads (two database connections), through the real desk and admin views.
Whatever the interleaving, a save that was answered "Saved." is what the database holds, an
action that went through left its state, and a refused save changed nothing. The attack that
found the bug lost 18 of 18 edits to a concurrent publish and 13 of 13 to a concurrent verify.

``NEWSROOM_RACE_ROUNDS`` sets the rounds per pairing (default 20; 11 pairings).
"""

from __future__ import annotations

import os
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion import create_revision
from reversion.models import Version

from events.models import AuditEntry, Briefing, Event, EventType, Location, Story

from .conftest import make_user
from .test_desk_events import event_post
from .test_desk_stories import story_post

ROUNDS = int(os.environ.get("NEWSROOM_RACE_ROUNDS", "20"))

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite serialises every write anyway",
    ),
]


def at_once(*calls):
    """Run ``calls`` in threads released together; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list = []

    def run(index: int, call) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:  # re-raised below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


class Tally:
    """Counts of what each round ended as; ``lost`` must stay 0."""

    def __init__(self) -> None:
        self.saved = self.refused = self.lost = 0
        self.failures: list[str] = []

    def __str__(self) -> str:
        return f"{self.saved} saved, {self.refused} refused, {self.lost} lost"

    def saw(self, round_: int, saved: bool, kept: bool) -> None:
        if saved and not kept:
            self.lost += 1
            self.failures.append(f"round {round_}: answered Saved. but the edit is gone")
        elif saved:
            self.saved += 1
        else:
            self.refused += 1


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def desk(starting_data):
    editor = make_user("editor", "Editor")
    return {
        "editor": editor,
        "writer": login(editor),
        "actor": login(make_user("night-editor", "Editor")),
        "kharkiv": Location.objects.create(name="Kharkiv", country="UA"),
        "strike": EventType.objects.filter(parent__isnull=True).first(),
    }


def new_story(desk, round_: int, state: str) -> Story:
    story = Story.objects.create(
        headline=f"Drones hit Kharkiv overnight ({round_})",
        standfirst="Three people were killed.",
        body="Russian drones hit residential districts of Kharkiv overnight.",
        byline="By the desk",
        created_by=desk["editor"],
        updated_by=desk["editor"],
    )
    if state == Story.State.PUBLISHED:
        story.publish(by=desk["editor"])
    return Story.objects.get(pk=story.pk)


def audit(record, action: str) -> AuditEntry | None:
    """The record's audit entry for ``action`` (the action went through), if any."""
    kind = ContentType.objects.get_for_model(record)
    return AuditEntry.objects.filter(content_type=kind, object_id=record.pk, action=action).first()


def action_still_holds(record, action: str, to_state: str) -> bool:
    """If the action went through, the record is still in the state it moved to (a save that
    came after it may not have put the old state back)."""
    return audit(record, action) is None or type(record).objects.get(pk=record.pk).state == to_state


STORY_ACTIONS = {
    # action: (state the story starts in, URL name, extra POST data, state it moves to)
    "publish": (Story.State.DRAFT, "desk:story-publish", {}, Story.State.PUBLISHED),
    "unpublish": (Story.State.PUBLISHED, "desk:story-unpublish", {}, Story.State.UNPUBLISHED),
    "retract": (
        Story.State.PUBLISHED,
        "desk:story-retract",
        {"reason": "The casualty figure was wrong."},
        Story.State.RETRACTED,
    ),
    "schedule": (Story.State.DRAFT, "desk:story-schedule", None, Story.State.SCHEDULED),
}


@pytest.mark.parametrize("action", list(STORY_ACTIONS))
def test_a_story_save_racing_a_workflow_action_is_never_lost(desk, action):
    start_state, url_name, extra, to_state = STORY_ACTIONS[action]
    tally = Tally()
    for round_ in range(ROUNDS):
        story = new_story(desk, round_, start_state)
        typed = f"Russian drones hit Kharkiv overnight; round {round_} revision."
        edit = story_post(story, body=typed)
        when = timezone.localtime(timezone.now() + timedelta(days=1))
        act = {"expected_version": story.version, **(extra or {})}
        if extra is None:
            act["publish_at"] = when.strftime("%Y-%m-%dT%H:%M")

        saved, acted = at_once(
            lambda s=story, e=edit: desk["writer"].post(reverse("desk:story-edit", args=[s.pk]), e),
            lambda s=story, a=act: desk["actor"].post(reverse(url_name, args=[s.pk]), a),
        )

        story.refresh_from_db()
        tally.saw(round_, saved.status_code == 302, story.body == typed)
        if saved.status_code != 302:
            assert "saved this story at" in saved.text  # refused with who and when
            assert story.body != typed
        assert acted.status_code == 302
        assert action_still_holds(story, action, to_state), f"round {round_}: {action} undone"
    print(f"\n{tally}")  # shown with -s: the figures for the issue note
    assert tally.lost == 0, tally.failures
    assert tally.saved + tally.refused == ROUNDS


def new_event(desk, round_: int, state: str) -> Event:
    event = Event.objects.create(
        title=f"Drone strike on Kharkiv ({round_})",
        summary="Drones hit residential districts.",
        event_type=desk["strike"],
        starts_at=timezone.now() - timedelta(hours=3),
        location=desk["kharkiv"],
        created_by=desk["editor"],
        updated_by=desk["editor"],
    )
    if state == Event.State.PUBLISHED:
        event.publish(by=desk["editor"])
    return Event.objects.get(pk=event.pk)


EVENT_ACTIONS = {
    "verify": (
        Event.State.PUBLISHED,
        "desk:event-verify",
        {"verification_status": "corroborated"},
        Event.State.PUBLISHED,
    ),
    "publish": (Event.State.DRAFT, "desk:event-publish", {}, Event.State.PUBLISHED),
    "retract": (Event.State.PUBLISHED, "desk:event-retract", {}, Event.State.RETRACTED),
}


@pytest.mark.parametrize("action", list(EVENT_ACTIONS))
def test_an_event_save_racing_a_workflow_action_is_never_lost(desk, action):
    start_state, url_name, extra, to_state = EVENT_ACTIONS[action]
    tally = Tally()
    for round_ in range(ROUNDS):
        event = new_event(desk, round_, start_state)
        typed = f"Drones hit residential districts; round {round_} revision."
        starts = timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M")
        edit = event_post(event, summary=typed, starts_at=starts)
        act = {"expected_version": event.version, **extra}

        saved, acted = at_once(
            lambda e=event, d=edit: desk["writer"].post(reverse("desk:event-edit", args=[e.pk]), d),
            lambda e=event, a=act: desk["actor"].post(reverse(url_name, args=[e.pk]), a),
        )

        event.refresh_from_db()
        tally.saw(round_, saved.status_code == 302, event.summary == typed)
        assert acted.status_code == 302
        assert action_still_holds(event, action, to_state), f"round {round_}: {action} undone"
        if action == "verify" and audit(event, "verify"):
            assert event.verification_status == "corroborated", f"round {round_}: verify undone"
    print(f"\n{tally}")  # shown with -s: the figures for the issue note
    assert tally.lost == 0, tally.failures


def new_briefing(desk, round_: int, published: bool) -> Briefing:
    story = new_story(desk, round_, Story.State.PUBLISHED)
    briefing = Briefing.objects.create(
        title=f"Morning briefing ({round_})",
        edition_date=timezone.localdate(),
        created_by=desk["editor"],
        updated_by=desk["editor"],
    )
    briefing.add_story(story)
    if published:
        briefing.publish(by=desk["editor"])
    return Briefing.objects.get(pk=briefing.pk)


@pytest.mark.parametrize("action", ["publish", "unpublish"])
def test_a_briefing_save_racing_publish_or_unpublish_is_never_lost(desk, action):
    tally = Tally()
    to_state = Briefing.State.PUBLISHED if action == "publish" else Briefing.State.UNPUBLISHED
    for round_ in range(ROUNDS):
        briefing = new_briefing(desk, round_, published=action == "unpublish")
        typed = f"What happened overnight, round {round_}."
        edit = {
            "title": briefing.title,
            "edition": briefing.edition,
            "edition_date": briefing.edition_date.isoformat(),
            "intro": typed,
            "expected_version": briefing.version,
        }
        url = reverse(f"desk:briefing-{action}", args=[briefing.pk])
        saved, acted = at_once(
            lambda b=briefing, d=edit: desk["writer"].post(
                reverse("desk:briefing-edit", args=[b.pk]), d
            ),
            lambda a={"expected_version": briefing.version}, u=url: desk["actor"].post(u, a),
        )
        briefing.refresh_from_db()
        tally.saw(round_, saved.status_code == 302, briefing.intro == typed)
        assert acted.status_code == 302
        assert action_still_holds(briefing, action, to_state), f"round {round_}: {action} undone"
    print(f"\n{tally}")  # shown with -s: the figures for the issue note
    assert tally.lost == 0, tally.failures


def test_a_restore_racing_a_save_never_loses_the_save(desk):
    """Both are edits of the content: one of them is refused, never silently overwritten."""
    tally = Tally()
    for round_ in range(ROUNDS):
        story = new_story(desk, round_, Story.State.PUBLISHED)
        # An earlier version to restore: the story as first written.
        with create_revision():
            story.save()
        first = Version.objects.get_for_object(story).last()
        with create_revision():
            story.body = "A later wording of the body."
            story.save()
        story.refresh_from_db()
        typed = f"The editor's own revision, round {round_}."
        edit = story_post(story, body=typed)
        page = reverse("admin:events_story_revision", args=[story.pk, first.pk])

        saved, restored = at_once(
            lambda s=story, e=edit: desk["writer"].post(reverse("desk:story-edit", args=[s.pk]), e),
            lambda v=story.version, p=page: desk["actor"].post(p, {"expected_version": v}),
        )
        story.refresh_from_db()
        restore_done = audit(story, "restore") is not None
        tally.saw(round_, saved.status_code == 302, story.body == typed)
        assert not (saved.status_code == 302 and restore_done), f"round {round_}: both went in"
        assert restored.status_code == 302
    print(f"\n{tally}")  # shown with -s: the figures for the issue note
    assert tally.lost == 0, tally.failures


def test_a_briefing_never_goes_live_on_a_story_unpublished_at_the_same_moment(desk):
    """The briefing's check of its stories holds until it commits: the story's unpublishing
    lands either before (the briefing is refused) or after (it then drops out, as the rules
    say), never in between (13 of 50 rounds left a live briefing of unpublished stories)."""
    live_on_unpublished = 0
    for round_ in range(ROUNDS):
        briefing = new_briefing(desk, round_, published=False)
        story = briefing.items.get().story
        at_once(
            lambda b=briefing: desk["actor"].post(
                reverse("desk:briefing-publish", args=[b.pk]), {"expected_version": b.version}
            ),
            lambda s=story: desk["writer"].post(
                reverse("desk:story-unpublish", args=[s.pk]), {"reason": "Checking figures."}
            ),
        )
        published, unpublished = audit(briefing, "publish"), audit(story, "unpublish")
        if published and unpublished and unpublished.pk < published.pk:
            live_on_unpublished += 1
    assert live_on_unpublished == 0
