"""The publication layer's write-side figures, for ``events.bench.api`` (run in its own process,
with the bench's environment; prints one JSON line).

    python -m events.bench.publication publish --base http://127.0.0.1:PORT [--count 20]
    python -m events.bench.publication rename [--stories 10000]

``publish``: drafts written for the bench, each published with ``Story.publish(by=editor)``;
the time from the call to its slug showing in ``/api/v1/changes/?after=<the last position>``
(polled over HTTP, as a consumer would), and that its document is stored and live. One
publish before them warms the process and is not counted.

``rename``: the tag with the most live stories (at least ``--stories``) renamed as an editor
would in the admin (``Tag.rename`` if the model has one, else ``save()``); the time until every
live document of its stories carries the new name, polled in the database. The tag is then
renamed back, and that waited for too, so the corpus is as it was for the next run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import urllib.request

import django

POLL_SECONDS = 0.02
GIVE_UP_SECONDS = 180


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()


def editor():
    from django.contrib.auth.models import Group, User

    user, _ = User.objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "first_name": "Bench"}
    )
    user.groups.add(Group.objects.get(name="Editor"))
    return User.objects.get(pk=user.pk)  # fresh: no stale permission cache


def last_position() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(position), 0) FROM events_change")
        return cursor.fetchone()[0]


def entries(base: str, after: int) -> list[dict]:
    """Every change-feed entry after ``after``, following ``next``."""
    url, found = f"{base}/api/v1/changes/?after={after}", []
    while url:
        with urllib.request.urlopen(url, timeout=30) as response:
            body = json.loads(response.read())
        page = body.get("results", body) if isinstance(body, dict) else body
        found += page
        url = body.get("next") if isinstance(body, dict) and page else None
    return found


def publish(base: str, count: int) -> dict:
    from django.db import connection

    from events.models import Event, Story, StoryEvent

    by = editor()
    event = Event.objects.published().order_by("-starts_at").first()
    token = format(int(time.time() * 1000) % 36**6, "x")
    seconds = []
    # The first publish in a process also loads what the publish path imports and warms its
    # connections, as a running web worker has long done: it is not counted.
    for n in range(-1, count):
        story = Story.objects.create(
            headline=f"Bench story {token} {n}: drones hit a depot",
            standfirst="A story written by the API bench to time publishing.",
            body="Drones hit a depot overnight, officials said.\n\nNo one was hurt.",
            byline="By the API bench",
            created_by=by,
        )
        StoryEvent.objects.create(story=story, event=event, is_primary=True)
        after = last_position()
        started = time.perf_counter()
        story.publish(by=by)
        slug = Story.objects.values_list("slug", flat=True).get(pk=story.pk)
        while not any(entry.get("slug") == slug for entry in entries(base, after)):
            if time.perf_counter() - started > GIVE_UP_SECONDS:
                raise SystemExit(f"{slug} never showed in the change feed")
            time.sleep(POLL_SECONDS)
        if n >= 0:
            seconds.append(time.perf_counter() - started)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM events_publicdocument"
                " WHERE kind = 'story' AND record_id = %s AND status = 'live'",
                [story.pk],
            )
            if cursor.fetchone()[0] != 1:
                raise SystemExit(f"{slug} is in the change feed but has no live document")
        time.sleep(0.1)  # one publication at a time, as a desk publishes
    ordered = sorted(seconds)
    return {
        "count": count,
        "p50_s": statistics.median(ordered),
        "p95_s": ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)],
        "max_s": ordered[-1],
    }


def renamed_documents(tag_id: int, name: str) -> tuple[int, int]:
    """(live documents of the tag's stories, how many of them show the tag as ``name``)"""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE d.item::jsonb -> 'tags' @> %s::jsonb)"
            " FROM events_publicdocument d JOIN events_story_tags st"
            " ON st.story_id = d.record_id AND st.tag_id = %s"
            " WHERE d.kind = 'story' AND d.status = 'live'",
            [json.dumps([{"name": name}]), tag_id],
        )
        return cursor.fetchone()


def rename_to(tag, name: str, by) -> float:
    """Rename as the admin would; seconds until every document shows the new name."""
    started = time.perf_counter()
    if hasattr(tag, "rename"):
        tag.rename(name, by=by)
    else:
        tag.name = name
        tag.save()
    while True:
        live, done = renamed_documents(tag.pk, name)
        if done == live:
            return time.perf_counter() - started
        if time.perf_counter() - started > GIVE_UP_SECONDS:
            return float("inf")
        time.sleep(1.0)


def rename(stories: int) -> dict:
    from django.db.models import Count, Q

    from events.models import Tag

    tag = (
        Tag.objects.annotate(n=Count("stories", filter=Q(stories__state="published")))
        .order_by("-n")
        .first()
    )
    if tag is None or tag.n < stories:
        return {"skipped": f"no tag is on {stories} published stories"}
    by = editor()
    original = tag.name.split(" (bench ")[0]  # an interrupted run may have left its name
    token = format(int(time.time()) % 36**5, "x")
    seconds = rename_to(tag, f"{original} (bench {token})", by)
    back = rename_to(Tag.objects.get(pk=tag.pk), original, by)
    return {
        "tag": original,
        "stories": renamed_documents(tag.pk, original)[0],
        "seconds": seconds,
        "back_seconds": back,
        "complete": seconds != float("inf"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    timed = commands.add_parser("publish")
    timed.add_argument("--base", required=True)
    timed.add_argument("--count", type=int, default=20)
    renamed = commands.add_parser("rename")
    renamed.add_argument("--stories", type=int, default=10_000)
    args = parser.parse_args()
    setup()
    if args.command == "publish":
        json.dump(publish(args.base, args.count), sys.stdout)
    else:
        json.dump(rename(args.stories), sys.stdout)
    print()


if __name__ == "__main__":
    main()
