"""Write a large synthetic, published corpus for load tests and benchmarks.

    python manage.py load_sample_corpus --stories 100000 --events 20000

Rows are written in batches (PostgreSQL COPY, see ``events.bench.bulk``), bypassing the
workflow methods on purpose: the records are born published, with their links, figures,
quotes and approved key points, and no audit trail or history (they are test data, not
journalism). Text comes from ``events.bench.corpus`` (templates and invented names). Each run
adds a new set; slugs carry a run token so runs never collide. It then builds the public
documents (``events.publication.rebuild.rebuild_all``, as ``rebuild_published``) and ends with
``ANALYZE``, so the planner knows the new rows at once.
"""

from __future__ import annotations

import multiprocessing
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.text import slugify

from events.bench.bulk import allocate_ids, write_rows
from events.bench.corpus import COUNTRIES, REGION_WORDS, TAGS, Writer
from events.models import (
    Actor,
    Briefing,
    BriefingItem,
    CasualtyFigure,
    Correction,
    Event,
    EventActor,
    EventRelation,
    EventType,
    KeyPoint,
    Location,
    MunitionCount,
    Quote,
    Story,
    StoryEvent,
    Tag,
)
from events.publication.rebuild import rebuild_all
from events.rendering import render_markdown

PLACES = 80
ACTORS = 30


def positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError
    return number


class Command(BaseCommand):
    help = "Add a synthetic published corpus (stories, events, briefings) for load tests."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--stories", type=positive, default=1000)
        parser.add_argument("--events", type=positive, default=200)
        parser.add_argument(
            "--briefings", type=positive, default=None, help="Default: one per 100 stories."
        )
        parser.add_argument("--batch-size", type=positive, default=2000)
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument(
            "--workers",
            type=positive,
            default=0,
            help="Processes writing stories (default: 2 on PostgreSQL, else 1).",
        )

    def handle(self, *args, **options) -> None:
        stories, events = options["stories"], options["events"]
        if stories and not events:
            raise CommandError("Stories need at least one event to link to: pass --events.")
        briefings = options["briefings"]
        if briefings is None:
            briefings = stories // 100
        self.batch = max(1, options["batch_size"])
        self.writer = Writer(options["seed"])
        self.rng = self.writer.rng
        self.token = format(int(time.time() * 1000) % 36**6, "x")
        self.now = timezone.now()
        started = time.monotonic()
        self.vocabulary()
        event_ids, descriptions = self.write_events(events)
        workers = options["workers"] or (2 if connection.vendor == "postgresql" else 1)
        self.write_stories_in_parallel(stories, workers, event_ids, descriptions)
        story_ids = list(
            Story.objects.filter(slug__contains=f"-{self.token}-").values_list("id", flat=True)
        )
        self.write_briefings(briefings, story_ids)
        # Right after a bulk load the planner has no statistics for the new rows (autovacuum
        # gets to them minutes later), and the API's list ran several times slower until then.
        self.analyze()
        # The rows were written directly, past the changes that ask for rebuilds: build their
        # public documents as ``rebuild_published`` does (what is current stays as it is).
        built = time.monotonic()
        changed = rebuild_all()
        self.stdout.write(f"Built {changed} public documents in {time.monotonic() - built:.1f}s.")
        self.analyze()  # the documents and the change log are new rows too
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(story_ids)} stories, {len(event_ids)} events and {briefings} "
                f"briefings in {time.monotonic() - started:.1f}s (run {self.token})."
            )
        )

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # --- vocabulary -----------------------------------------------------------------------------

    def vocabulary(self) -> None:
        writer = self.writer
        wanted = {
            (writer.place_name(), self.rng.choice(COUNTRIES), f"{self.rng.choice(REGION_WORDS)} "
             "region")
            for _ in range(PLACES)
        }  # fmt: skip
        Location.objects.bulk_create(
            [
                Location(
                    name=name,
                    country=country,
                    admin_region=region,
                    latitude=round(self.rng.uniform(30, 60), 5),
                    longitude=round(self.rng.uniform(20, 50), 5),
                )
                for name, country, region in wanted
            ],
            ignore_conflicts=True,
        )
        names = [name for name, _, _ in wanted]
        self.places = list(Location.objects.filter(name__in=names))
        Actor.objects.bulk_create(
            [
                Actor(
                    name=f"{writer.place_name()} {kind.label}",
                    slug=f"sample-actor-{n}",
                    kind=kind,
                )
                for n, kind in enumerate([self.rng.choice(list(Actor.Kind)) for _ in range(ACTORS)])
            ],
            ignore_conflicts=True,
        )
        self.actors = list(Actor.objects.filter(slug__startswith="sample-actor-"))
        Tag.objects.bulk_create(
            [Tag(name=name, slug=slugify(name)) for name in TAGS], ignore_conflicts=True
        )
        self.tags = list(Tag.objects.filter(slug__in=[slugify(name) for name in TAGS]))
        types = {t.slug: t for t in EventType.objects.all()}
        try:
            self.strike_types = [
                (types["explosions-remote-violence"], types[slug])
                for slug in ("air-drone-strike", "shelling-artillery-missile-attack")
            ]
            self.talks_type = (types["strategic-developments"], types["diplomatic-talks"])
        except KeyError as missing:
            raise CommandError(f"Event type {missing} is missing: run migrate first.") from None

    # --- events ---------------------------------------------------------------------------------

    def write_events(self, count: int) -> tuple[list[int], list[dict]]:
        writer, rng = self.writer, self.rng
        ids, descriptions = [], []
        for start in range(0, count, self.batch):
            size = min(count, start + self.batch) - start
            batch_ids = allocate_ids(Event, size)
            rows, batch_descriptions = [], []
            for pk, n in zip(batch_ids, range(start, start + size), strict=True):
                place = rng.choice(self.places)
                talks = n % 9 == 0
                about = writer.talks(place.name) if talks else writer.strike(place.name)
                kind, sub = self.talks_type if talks else rng.choice(self.strike_types)
                starts = self.now - timedelta(minutes=41 * n + 30, seconds=rng.randint(0, 59))
                parent = rng.choice(ids) if ids and rng.random() < 0.1 else None
                rows.append(
                    {
                        "id": pk,
                        "title": about["title"],
                        "slug": f"{slugify(about['title'])[:200]}-{self.token}-{n}",
                        "summary": about["summary"],
                        "internal_note": "Synthetic load-test record.",
                        "event_type_id": kind.pk,
                        "sub_type_id": sub.pk,
                        "starts_at": starts,
                        "ends_at": starts + timedelta(hours=rng.randint(1, 6)),
                        "location_id": place.pk,
                        "geo_precision": Event.GeoPrecision.EXACT,
                        "verification_status": rng.choice(Event.Verification.values),
                        "occurrence_status": Event.Occurrence.CONFIRMED,
                        "parent_id": parent,
                        "state": Event.State.PUBLISHED,
                        "created_at": starts,
                        "updated_at": self.now,
                        "first_published_at": starts + timedelta(hours=1),
                        "last_published_at": starts + timedelta(hours=1),
                    }
                )
                about["id"] = pk
                # Stories about the same event share its paragraphs, as wire rewrites do.
                about["paragraphs"] = [writer.paragraph(about) for _ in range(8)]
                about["starts_at"] = starts
                batch_descriptions.append(about)
            with transaction.atomic():
                write_rows(Event, rows, with_id=True)
                self.event_details(batch_descriptions, ids)
            ids += batch_ids
            descriptions += batch_descriptions
        return ids, descriptions

    def event_details(self, about: list[dict], earlier: list[int]) -> None:
        rng = self.rng
        actors, figures, munitions, relations = [], [], [], []
        for info in about:
            event_id = info["id"]
            attacker, target = rng.sample(self.actors, 2)
            actors += [
                {"event_id": event_id, "actor_id": attacker.pk, "role": "attacker"},
                {"event_id": event_id, "actor_id": target.pk, "role": "target"},
            ]
            if info["kind"] == "strike":
                early = info["starts_at"] + timedelta(hours=1)
                late = info["starts_at"] + timedelta(hours=5)
                first_count = max(0, info["killed"] - rng.randint(0, 2))
                figure = {"event_id": event_id, "civilians_only": False, "maximum": None,
                          "at_least": False, "recorded_at": late}  # fmt: skip
                figures += [
                    {**figure, "kind": "killed", "minimum": first_count, "as_of": early,
                     "source_note": "first report"},
                    {**figure, "kind": "killed", "minimum": info["killed"], "as_of": late,
                     "source_note": "regional governor"},
                    {**figure, "kind": "injured", "minimum": info["injured"], "at_least": True,
                     "as_of": late, "source_note": "regional governor"},
                ]  # fmt: skip
                munitions.append(
                    {
                        "event_id": event_id,
                        "munition_type": "drone",
                        "launched": info["launched"],
                        "intercepted": rng.randint(0, info["launched"]),
                        "hit": None,
                        "as_of": late,
                        "recorded_at": late,
                        "source_note": "air force",
                    }
                )
            if earlier and rng.random() < 0.15:
                relations.append(
                    {
                        "from_event_id": event_id,
                        "to_event_id": rng.choice(earlier),
                        "kind": "related",
                    }
                )
        write_rows(EventActor, actors)
        write_rows(CasualtyFigure, figures)
        write_rows(MunitionCount, munitions)
        write_rows(EventRelation, relations)

    # --- stories --------------------------------------------------------------------------------

    def write_stories_in_parallel(self, count, workers, event_ids, about) -> None:
        """Split the stories between forked processes, each with its own connection: on
        PostgreSQL the database's text indexing then runs on every core."""
        if workers <= 1 or count < 2 * self.batch:
            self.write_stories(0, count, event_ids, about)
            return
        connections.close_all()
        share = -(-count // workers)
        context = multiprocessing.get_context("fork")
        processes = []
        for worker in range(workers):
            first, last = worker * share, min(count, (worker + 1) * share)
            process = context.Process(
                target=self.story_worker, args=(worker, first, last, event_ids, about)
            )
            process.start()
            processes.append(process)
        for process in processes:
            process.join()
        if any(process.exitcode != 0 for process in processes):
            raise CommandError("A story writer failed; see the error above.")

    def story_worker(self, worker, first, last, event_ids, about) -> None:
        self.rng.seed(f"{self.token}-{worker}")
        try:
            self.write_stories(first, last, event_ids, about)
        finally:
            connections.close_all()

    def write_stories(self, first: int, last: int, event_ids: list[int], about: list[dict]):
        writer, rng = self.writer, self.rng
        for start in range(first, last, self.batch):
            size = min(last, start + self.batch) - start
            batch_ids = allocate_ids(Story, size)
            rows, picks = [], []
            for pk, n in zip(batch_ids, range(start, start + size), strict=True):
                index = rng.randrange(len(event_ids))
                info = about[index]
                headline = writer.headline(info)
                body = "\n\n".join(rng.sample(info["paragraphs"], rng.randint(3, 6)))
                # Strictly decreasing publication times: the cursor's position field is unique.
                published = self.now - timedelta(
                    seconds=13 * n + 1, microseconds=rng.randint(0, 999_999)
                )
                rows.append(
                    {
                        "id": pk,
                        "headline": headline,
                        "slug": f"{slugify(headline)[:200]}-{self.token}-{n}",
                        "standfirst": writer.standfirst(info),
                        "body": body,
                        "body_html": render_markdown(body),  # rows written directly: no save()
                        "dateline": info["place"].upper(),
                        "byline": f"By {writer.person()}",
                        "state": Story.State.PUBLISHED,
                        "created_at": published,
                        "updated_at": published,
                        "first_published_at": published,
                        "last_published_at": published,
                        "key_points_status": Story.KeyPointsStatus.READY,
                    }
                )
                picks.append((pk, published, index))
            with transaction.atomic():
                write_rows(Story, rows, with_id=True)
                self.story_details(picks, event_ids, about)

    def story_details(self, picks, event_ids, about) -> None:
        writer, rng = self.writer, self.rng
        links, tags, points, quotes, corrections = [], [], [], [], []
        for story_id, published, index in picks:
            info = about[index]
            linked = {event_ids[index]}
            links.append({"story_id": story_id, "event_id": event_ids[index], "is_primary": True})
            for _ in range(rng.randint(0, 2)):
                other = rng.choice(event_ids)
                if other not in linked:
                    linked.add(other)
                    links.append({"story_id": story_id, "event_id": other, "is_primary": False})
            tags += [
                {"story_id": story_id, "tag_id": tag.pk}
                for tag in rng.sample(self.tags, rng.randint(1, 2))
            ]
            approved = published - timedelta(minutes=5)
            points += [
                {"story_id": story_id, "order": order, "text": text, "origin": "generated",
                 "backend": "sample", "generated_at": approved, "approved_at": approved,
                 "approved_by_id": None}
                for order, text in enumerate(writer.key_points(info))
            ]  # fmt: skip
            for order in range(rng.randint(1, 2)):
                text, speaker, role = writer.quote(info)
                quotes.append(
                    {"story_id": story_id, "order": order, "text": text, "speaker": speaker,
                     "speaker_role": role}
                )  # fmt: skip
            if rng.random() < 0.02:
                corrections.append(
                    {
                        "story_id": story_id,
                        "text": "An earlier version gave the wrong district.",
                        "created_at": published + timedelta(hours=2),
                        "created_by_id": None,
                    }
                )
        write_rows(StoryEvent, links)
        write_rows(Story.tags.through, tags)
        write_rows(KeyPoint, points)
        write_rows(Quote, quotes)
        write_rows(Correction, corrections)

    # --- briefings ------------------------------------------------------------------------------

    def write_briefings(self, count: int, story_ids: list[int]) -> None:
        if not count or not story_ids:
            return
        editions = list(Briefing.Edition)
        for start in range(0, count, self.batch):
            size = min(count, start + self.batch) - start
            batch_ids = allocate_ids(Briefing, size)
            rows, items = [], []
            for pk, n in zip(batch_ids, range(start, start + size), strict=True):
                edition = editions[n % 3]
                published = self.now - timedelta(hours=8 * n + 1)
                day = timezone.localtime(published).date()
                rows.append(
                    {
                        "id": pk,
                        "title": f"{edition.label}, {day.day} {day:%B %Y}",
                        "slug": f"{edition.value}-briefing-{day.isoformat()}-{self.token}-{n}",
                        "edition": edition.value,
                        "edition_date": day,
                        "intro": "The main events of the last hours, in brief.",
                        "state": Briefing.State.PUBLISHED,
                        "created_at": published,
                        "updated_at": published,
                        "first_published_at": published,
                        "last_published_at": published,
                    }
                )
                chosen = self.rng.sample(story_ids, min(5, len(story_ids)))
                items += [
                    {"briefing_id": pk, "story_id": story_id, "order": order,
                     "headline_override": "", "blurb_override": ""}
                    for order, story_id in enumerate(chosen)
                ]  # fmt: skip
            with transaction.atomic():
                write_rows(Briefing, rows, with_id=True)
                write_rows(BriefingItem, items)
