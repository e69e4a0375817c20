"""The change log, read as an API consumer polls it, while other transactions commit (PostgreSQL).

Writer threads publish, unpublish and rename records at the same time through the model methods,
each commit rebuilding documents in its own thread as a request's would (the real
``on_commit``). One of them is slow: right after its rebuild transaction writes a log entry it
sleeps before committing, the case that loses entries when positions are handed out before
commit order is known. A poller meanwhile reads ``position > last seen`` again and again, as a
consumer of ``/changes/?after=`` does. It must never miss an entry: everything it saw plus one
final read is the whole log, and no entry ever turns up at or below a position already read.
Replaying the log from the start gives exactly the published records.

``NEWSROOM_CHANGE_LOG_ROUNDS`` sets the rounds per writer (default 10).
"""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from events.models import Event, EventType, Location, Story, Tag
from events.models.publication import Change, PublicDocument
from events.publication.builders import MODELS
from events.publication.store import publish_pending

from .conftest import make_user

ROUNDS = int(os.environ.get("NEWSROOM_CHANGE_LOG_ROUNDS", "10"))
#: how long the slow transaction stays open after writing its log entry
SLOW = 0.5

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent transactions are PostgreSQL's; SQLite runs one writer at a time",
    ),
]


def sleep_after_logging(execute, sql, params, many, context):
    """Hold the transaction open for a while right after it writes to the change log."""
    result = execute(sql, params, many, context)
    if sql.lstrip().upper().startswith("INSERT") and Change._meta.db_table in sql:
        time.sleep(SLOW)
    return result


class Threads:
    """Runs callables in threads with their own connections; re-raises the first error."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.errors: list[BaseException] = []

    def start(self, call, name: str) -> None:
        def run() -> None:
            try:
                call()
            except BaseException as error:  # re-raised in the test's thread
                self.errors.append(error)
            finally:
                connection.close()

        thread = threading.Thread(target=run, name=name)
        self.threads.append(thread)
        thread.start()

    def join(self) -> None:
        for thread in self.threads:
            thread.join()
        if self.errors:
            raise self.errors[0]


def publishable_story(editor, headline: str, tag: Tag) -> Story:
    story = Story.objects.create(
        headline=headline,
        standfirst="What happened overnight.",
        body="Rescuers worked through the night.",
        byline="By Olena Kovalenko",
        created_by=editor,
    )
    story.tags.add(tag)
    return story


def test_a_polling_consumer_never_misses_an_entry_and_replaying_gives_the_published_set(
    starting_data, settings
):
    settings.NEWSROOM_PUBLISH_INLINE_LIMIT = 1000  # every rebuild in the committing thread
    editor = make_user("editor", "Editor")
    tag = Tag.objects.create(name="Drones", slug="drones")
    stories = [publishable_story(editor, f"Drone night {number}", tag) for number in range(6)]
    for story in stories[:3]:
        story.publish(by=editor)
    kind = EventType.objects.filter(parent=None).first()
    event = Event.objects.create(
        title="Drone strike on Kharkiv",
        summary="Drones hit a residential block.",
        event_type=kind,
        starts_at=timezone.now() - timedelta(hours=1),
        location=Location.objects.create(name="Kharkiv", country="UA"),
        created_by=editor,
    )
    event.publish(by=editor)

    def toggle(story_id: int) -> None:
        story = Story.objects.get(pk=story_id)
        if story.state == Story.State.PUBLISHED:
            story.unpublish(by=editor, reason="Checking a figure.")
        else:
            story.publish(by=editor)

    def toggler(story_id: int) -> None:
        for _ in range(ROUNDS):
            toggle(story_id)

    def slow_toggler(story_id: int) -> None:
        with connection.execute_wrapper(sleep_after_logging):
            for _ in range(ROUNDS):
                toggle(story_id)

    def renamer() -> None:
        for number in range(ROUNDS):
            with transaction.atomic():
                current = Tag.objects.select_for_update().get(pk=tag.pk)
                current.name = f"Drones {number}"
                current.save()
            with transaction.atomic():
                strike = Event.objects.select_for_update().get(pk=event.pk)
                strike.title = f"Drone strike on Kharkiv, update {number}"
                strike.save()
            headline = Story.objects.get(pk=stories[5].pk)
            headline.headline = f"Drone night, rewritten {number}"
            headline.save()

    writing = threading.Event()
    seen: list[int] = []
    late: list[tuple[int, int]] = []  # (position that turned up, highest already read)

    def poll() -> None:
        last = 0
        while True:
            done = not writing.is_set()
            close_old_connections()
            batch = list(
                Change.objects.filter(position__gt=last)
                .order_by("position")
                .values_list("position", flat=True)
            )
            for position in batch:
                if position <= last:
                    late.append((position, last))
                seen.append(position)
                last = position
            if done:
                return
            time.sleep(0.005)

    writing.set()
    writers = Threads()
    writers.start(lambda: slow_toggler(stories[0].pk), "slow")
    writers.start(lambda: toggler(stories[1].pk), "toggler-1")
    writers.start(lambda: toggler(stories[3].pk), "toggler-3")
    writers.start(renamer, "renamer")
    poller = Threads()
    poller.start(poll, "poller")
    try:
        writers.join()
    finally:
        writing.clear()
        poller.join()

    publish_pending()  # nothing should be left, but a consumer's view is of what is settled
    last = max(seen, default=0)
    final = list(
        Change.objects.filter(position__gt=last)
        .order_by("position")
        .values_list("position", flat=True)
    )
    everything = list(Change.objects.order_by("position").values_list("position", flat=True))

    assert late == []
    assert seen == sorted(set(seen))  # strictly increasing
    assert sorted(seen + final) == everything, "the poller missed entries"
    assert everything == list(range(1, len(everything) + 1))
    # Enough happened while polling for the test to mean something.
    assert len(seen) >= 4 * ROUNDS

    replayed: set[tuple[str, str]] = set()
    for kind, slug, action in Change.objects.order_by("position").values_list(
        "kind", "slug", "action"
    ):
        if action == Change.Action.PUT:
            replayed.add((kind, slug))
        else:
            replayed.discard((kind, slug))
    live = set(PublicDocument.objects.filter(status="live").values_list("kind", "slug"))
    published = {
        (kind, slug)
        for kind, model in MODELS.items()
        for slug in model.objects.published().values_list("slug", flat=True)
    }
    assert replayed == live == published
