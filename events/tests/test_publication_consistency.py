"""No path forgets the public documents: random sequences of real changes, then a fresh build of
every record must equal what is stored, nothing non-public may be stored, and nothing the desk
keeps to itself (internal notes, unapproved key points, drafts, unpublishing reasons) may appear
in any stored document.

The operations go through the entry points people and tasks use: the model workflow methods,
the desk's and the admin's form posts (inlines included), the key-point review steps, the
worker's key-point write, beat's ``publish_due``, vocabulary renames, and the ``update()`` /
``bulk_create`` paths the code itself takes (approving key points, reordering a briefing,
Django's m2m ``add`` on a through model). Each operation runs as one transaction, as a request
or a task would; its rebuilds run when it "commits" (``publish_as_if_committed`` in conftest).

Each sequence applies every operation at least once, in a random order and on random records,
with random operations in between (a rare path must not depend on luck to be tried), and the
documents are checked after every step: a later rebuild of the same record would otherwise hide
a path that forgot to ask for one. ``NEWSROOM_PROPERTY_EXAMPLES`` sets the number of sequences
(default 4). A failure names the steps that led to it; shrinking them to the fewest takes
minutes here, so it runs only with ``NEWSROOM_PROPERTY_SHRINK=1``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from events import tasks
from events.keypoints import generation_settings, write_key_points
from events.models import (
    Actor,
    Briefing,
    BriefingItem,
    CasualtyFigure,
    Event,
    EventActor,
    EventRelation,
    EventType,
    KeyPoint,
    Location,
    MunitionCount,
    Story,
    StoryEvent,
    Tag,
)
from events.models.publication import PendingRebuild, PublicDocument
from events.publication.builders import MODELS
from events.publication.rebuild import check_all

from .admin_forms import admin_form_data

EXAMPLES = int(os.environ.get("NEWSROOM_PROPERTY_EXAMPLES", "4"))
PHASES = [Phase.explicit, Phase.reuse, Phase.generate] + (
    [Phase.shrink] if os.environ.get("NEWSROOM_PROPERTY_SHRINK") else []
)

#: text the desk keeps to itself; none of it may ever be in a stored document
SECRET = "SECRET-7f3a"
SECRETS = {
    "note": f"{SECRET} internal note",
    "draft": f"{SECRET} draft-only text",
    "point": f"{SECRET} unapproved key point",
    "reason": f"{SECRET} why it was unpublished",
    "event": f"{SECRET} draft event",
}


@dataclass
class World:
    """Ids of the records one random sequence works on (re-read fresh for each operation)."""

    editor: object
    client: object
    stories: list[int]
    events: list[int]
    briefings: list[int]
    tags: list[int]
    actors: list[int]
    locations: list[int]
    types: list[int]
    secret_story: int
    secret_event: int
    counter: int = 0

    def story(self, n: int) -> Story:
        return Story.objects.get(pk=self.stories[n % len(self.stories)])

    def any_story(self, n: int) -> Story:
        """Any story, the secret draft included (for links and tags, never for publishing)."""
        ids = [*self.stories, self.secret_story]
        return Story.objects.get(pk=ids[n % len(ids)])

    def event(self, n: int) -> Event:
        return Event.objects.get(pk=self.events[n % len(self.events)])

    def any_event(self, n: int) -> Event:
        ids = [*self.events, self.secret_event]
        return Event.objects.get(pk=ids[n % len(ids)])

    def briefing(self, n: int) -> Briefing:
        return Briefing.objects.get(pk=self.briefings[n % len(self.briefings)])

    def pick(self, ids: list[int], n: int) -> int:
        return ids[n % len(ids)]

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix} {self.counter}"


def make_world(editor, client) -> World:
    now = timezone.now()
    kind = EventType.objects.create(name="Strike", slug="strike-pbt")
    sub = EventType.objects.create(name="Drone strike", slug="drone-strike-pbt", parent=kind)
    locations = [
        Location.objects.create(name=name, country="UA", latitude=50, longitude=36)
        for name in ("Kharkiv", "Odesa")
    ]
    actors = [
        Actor.objects.create(name=name, slug=name.lower(), kind="state_forces")
        for name in ("Russian forces", "Ukrainian forces")
    ]
    tags = [Tag.objects.create(name=name, slug=name.lower()) for name in ("Drones", "Energy")]
    events = []
    for number in range(4):
        event = Event.objects.create(
            title=f"Strike number {number}",
            summary=f"What happened at place {number}.",
            internal_note=SECRETS["note"],
            event_type=kind,
            sub_type=sub,
            starts_at=now - timedelta(hours=number),
            location=locations[number % 2],
            created_by=editor,
        )
        if number < 3:
            event.publish(by=editor)
        events.append(event.pk)
    secret_event = Event.objects.create(
        title=SECRETS["event"],
        summary=SECRETS["draft"],
        internal_note=SECRETS["note"],
        created_by=editor,
    )
    stories = []
    for number in range(4):
        story = Story.objects.create(
            headline=f"Story number {number}",
            standfirst=f"The short of story {number}.",
            body=f"The body of story {number}.",
            byline="By Olena",
            created_by=editor,
        )
        story.tags.add(tags[number % 2])
        StoryEvent.objects.create(story=story, event_id=events[number % 2], is_primary=True)
        first = story.add_key_point(f"Point one of story {number}.", editor)
        story.add_key_point(SECRETS["point"], editor)
        first.approve(editor)
        if number < 3:
            story.publish(by=editor)
        stories.append(story.pk)
    secret_story = Story.objects.create(
        headline=SECRETS["draft"],
        standfirst=SECRETS["draft"],
        body=SECRETS["draft"],
        byline="By nobody",
        created_by=editor,
    )
    secret_story.tags.add(*tags)
    StoryEvent.objects.create(story=secret_story, event_id=events[0], is_primary=True)
    briefings = []
    for number in range(2):
        briefing = Briefing.objects.create(
            title=f"Briefing {number}", edition_date=now.date(), intro="The night in short."
        )
        briefing.add_story(Story.objects.get(pk=stories[number]))
        if number == 0:
            briefing.add_story(Story.objects.get(pk=stories[1]))
            briefing.publish(by=editor)
        briefings.append(briefing.pk)
    return World(
        editor=editor,
        client=client,
        stories=stories,
        events=events,
        briefings=briefings,
        tags=[tag.pk for tag in tags],
        actors=[actor.pk for actor in actors],
        locations=[location.pk for location in locations],
        types=[kind.pk, sub.pk],
        secret_story=secret_story.pk,
        secret_event=secret_event.pk,
    )


# --- the operations: each takes the world and two random numbers ---------------------------------


def public_points(story: Story) -> list[KeyPoint]:
    return [point for point in story.key_points.all() if SECRET not in point.text]


def story_publish(w: World, a: int, b: int) -> None:
    w.story(a).publish(by=w.editor)


def story_unpublish(w: World, a: int, b: int) -> None:
    w.story(a).unpublish(by=w.editor, reason=SECRETS["reason"])


def story_retract(w: World, a: int, b: int) -> None:
    w.story(a).retract(by=w.editor, reason="The figures were wrong.")


def story_schedule_then_due(w: World, a: int, b: int) -> None:
    story = w.story(a)
    story.schedule(w.editor, timezone.now() + timedelta(hours=1))
    # Time passes (publish_at is not public; the update sends no signal, as beat never would).
    Story.objects.filter(pk=story.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    tasks.publish_due()


def story_edit_model(w: World, a: int, b: int) -> None:
    story = w.story(a)
    story.headline = w.fresh("Headline")
    story.standfirst = w.fresh("Standfirst")
    story.save()


def story_edit_desk(w: World, a: int, b: int) -> None:
    story = w.story(a)
    data = {
        "headline": w.fresh("Desk headline"),
        "standfirst": story.standfirst,
        "body": story.body + f"\n\nMore, {b}.",
        "dateline": "KYIV",
        "byline": story.byline,
        "tags": [str(pk) for pk in story.tags.values_list("pk", flat=True)],
        "expected_version": story.version,
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
    }
    response = w.client.post(reverse("desk:story-edit", args=[story.pk]), data)
    assert response.status_code in (302, 403), response.content[:2000]


def story_admin_inline(w: World, a: int, b: int) -> None:
    """A quote, a correction, a key point approved or reworded, or a new standfirst, through
    the admin's change form."""
    story = w.story(a)
    url = reverse("admin:events_story_change", args=[story.pk])
    data = admin_form_data(w.client.get(url))
    points = [
        index
        for index in range(int(data["key_points-TOTAL_FORMS"]))
        if SECRET not in data[f"key_points-{index}-text"]
    ]
    if b % 5 == 3 and points:
        index = points[b % len(points)]
        if b % 2:
            data[f"key_points-{index}-mark_approved"] = "on"
        else:
            data[f"key_points-{index}-text"] = w.fresh("Admin point")
    elif b % 3 == 0:
        index = int(data["quotes-TOTAL_FORMS"])
        data["quotes-TOTAL_FORMS"] = index + 1
        data[f"quotes-{index}-speaker"] = "Governor"
        data[f"quotes-{index}-text"] = w.fresh("We are rebuilding")
        data[f"quotes-{index}-order"] = index
    elif b % 3 == 1 and story.first_published_at:
        index = int(data["corrections-TOTAL_FORMS"])
        data["corrections-TOTAL_FORMS"] = index + 1
        data[f"corrections-{index}-text"] = w.fresh("An earlier version said")
    else:
        data["standfirst"] = w.fresh("Admin standfirst")
    response = w.client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")


def story_correct(w: World, a: int, b: int) -> None:
    w.story(a).add_correction(w.editor, w.fresh("Corrected"))


def point_add(w: World, a: int, b: int) -> None:
    w.story(a).add_key_point(w.fresh("A new point") if b % 2 else SECRETS["point"], w.editor)


def point_approve(w: World, a: int, b: int) -> None:
    points = public_points(w.story(a))
    if points:
        points[b % len(points)].approve(w.editor)


def points_approve_bulk(w: World, a: int, b: int) -> None:
    story = w.story(a)
    with transaction.atomic():  # as the desk's "Approve all" of the points the panel showed
        story.approve_key_points(w.editor, ids=[point.pk for point in public_points(story)])


def points_approve_desk(w: World, a: int, b: int) -> None:
    """The desk's "Approve all", with the points its panel showed."""
    story = w.story(a)
    shown = [str(point.pk) for point in public_points(story)]
    if not shown:
        return  # (with no ids posted the desk approves every point, the secret ones too)
    response = w.client.post(reverse("desk:key-points-approve", args=[story.pk]), {"point": shown})
    assert response.status_code in (200, 302), response.status_code


def point_edit(w: World, a: int, b: int) -> None:
    points = list(w.story(a).key_points.all())
    if points:
        text = SECRETS["point"] if b % 3 == 0 else w.fresh("Reworded point")
        point = points[b % len(points)]
        if SECRET in point.text and SECRET not in text:
            return  # the secret stays unapproved text for as long as it exists
        point.edit(text, w.editor)


def point_remove(w: World, a: int, b: int) -> None:
    points = list(w.story(a).key_points.all())
    if points:
        points[b % len(points)].remove(w.editor)


def points_reorder(w: World, a: int, b: int) -> None:
    story = w.story(a)
    ids = list(story.key_points.values_list("pk", flat=True))
    story.reorder_key_points(ids[::-1], w.editor)


def points_regenerated(w: World, a: int, b: int) -> None:
    """The worker's write (a bulk delete and bulk_create), keeping or replacing reviewed ones."""
    story = w.story(a)
    write_key_points(
        story,
        [w.fresh("Drafted bullet"), SECRETS["point"]],
        text_hash=story.text_hash,
        config=generation_settings(),
        replace_reviewed=bool(b % 2),
    )


def tag_add(w: World, a: int, b: int) -> None:
    w.any_story(a).tags.add(w.pick(w.tags, b))


def tag_remove(w: World, a: int, b: int) -> None:
    w.any_story(a).tags.remove(w.pick(w.tags, b))


def tag_rename(w: World, a: int, b: int) -> None:
    tag = Tag.objects.get(pk=w.pick(w.tags, a))
    tag.name = w.fresh("Tag")
    tag.save()


def tag_replaced(w: World, a: int, b: int) -> None:
    """A tag deleted (its links go with no m2m signal), and a new one in its place."""
    index = a % len(w.tags)
    Tag.objects.get(pk=w.tags[index]).delete()
    name = w.fresh("New tag")
    w.tags[index] = Tag.objects.create(name=name, slug=name.lower().replace(" ", "-")).pk


def tag_cleared(w: World, a: int, b: int) -> None:
    Tag.objects.get(pk=w.pick(w.tags, a)).stories.clear()


def tag_given_to_stories(w: World, a: int, b: int) -> None:
    Tag.objects.get(pk=w.pick(w.tags, a)).stories.add(*w.stories[: 1 + b % len(w.stories)])


def link_event(w: World, a: int, b: int) -> None:
    story, event = w.any_story(a), w.any_event(b)
    primary = not story.story_events.filter(is_primary=True).exists()
    StoryEvent.objects.get_or_create(story=story, event=event, defaults={"is_primary": primary})


def link_event_m2m(w: World, a: int, b: int) -> None:
    """Django's own m2m API on the through model (a shell, a data fix): a bulk_create."""
    w.any_story(a).events.add(w.any_event(b), through_defaults={"is_primary": False})


def unlink_event(w: World, a: int, b: int) -> None:
    links = list(w.any_story(a).story_events.all())
    if links:
        links[b % len(links)].delete()


def event_publish(w: World, a: int, b: int) -> None:
    w.event(a).publish(by=w.editor)


def event_retract(w: World, a: int, b: int) -> None:
    w.event(a).retract(by=w.editor, reason="It did not happen as reported.")


def event_verify(w: World, a: int, b: int) -> None:
    statuses = Event.Verification.values
    w.event(a).set_verification(statuses[b % len(statuses)], by=w.editor)


def event_rename(w: World, a: int, b: int) -> None:
    event = w.event(a)
    event.title = w.fresh("Renamed event")
    event.save()


def event_internal_note(w: World, a: int, b: int) -> None:
    event = w.any_event(a)
    event.internal_note = w.fresh(SECRETS["note"])
    event.save()


def event_admin(w: World, a: int, b: int) -> None:
    """The admin's change form: a new casualty figure in the inline, or a new title."""
    event = w.event(a)
    url = reverse("admin:events_event_change", args=[event.pk])
    data = admin_form_data(w.client.get(url))
    if b % 2:
        index = int(data["casualty_figures-TOTAL_FORMS"])
        data["casualty_figures-TOTAL_FORMS"] = index + 1
        row = f"casualty_figures-{index}-"
        as_of = timezone.localtime() + timedelta(minutes=index)
        data.update(
            {
                row + "kind": "killed",
                row + "minimum": str(b % 50),
                row + "as_of_0": as_of.strftime("%Y-%m-%d"),
                row + "as_of_1": as_of.strftime("%H:%M:%S"),
                row + "source_note": "regional governor",
            }
        )
    else:
        data["title"] = w.fresh("Admin title")
    response = w.client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")


def figure_add(w: World, a: int, b: int) -> None:
    event = w.event(a)
    if b % 2:
        CasualtyFigure.objects.create(event=event, kind="injured", minimum=b % 40, at_least=True)
    else:
        MunitionCount.objects.create(event=event, munition_type="drone", launched=b, hit=b // 2)


def actor_add(w: World, a: int, b: int) -> None:
    EventActor.objects.get_or_create(
        event=w.event(a), actor_id=w.pick(w.actors, b), role="attacker"
    )


def actor_remove(w: World, a: int, b: int) -> None:
    roles = list(w.event(a).event_actors.all())
    if roles:
        roles[b % len(roles)].delete()


def actor_rename(w: World, a: int, b: int) -> None:
    actor = Actor.objects.get(pk=w.pick(w.actors, a))
    actor.name = w.fresh("Actor")
    actor.save()


def term_rename(w: World, a: int, b: int) -> None:
    if a % 2:
        term = EventType.objects.get(pk=w.pick(w.types, b))
    else:
        term = Location.objects.get(pk=w.pick(w.locations, b))
    term.name = w.fresh("Renamed")
    term.save()


def relation_add(w: World, a: int, b: int) -> None:
    source, target = w.any_event(a), w.any_event(b)
    if source.pk != target.pk:
        kinds = EventRelation.Kind.values
        EventRelation.objects.get_or_create(
            from_event=source, to_event=target, kind=kinds[(a + b) % len(kinds)]
        )


def relation_remove(w: World, a: int, b: int) -> None:
    relations = list(EventRelation.objects.filter(from_event_id__in=[*w.events, w.secret_event]))
    if relations:
        relations[(a + b) % len(relations)].delete()


def parent_set(w: World, a: int, b: int) -> None:
    event = w.event(a)
    parent = w.any_event(b)
    event.parent = None if parent.pk == event.pk or b % 4 == 0 else parent
    event.save()


def briefing_add_story(w: World, a: int, b: int) -> None:
    w.briefing(a).add_story(w.story(b))


def briefing_move(w: World, a: int, b: int) -> None:
    briefing = w.briefing(a)
    items = list(briefing.items.all())
    if items:
        briefing.move_item(items[b % len(items)], -1 if b % 2 else 1)


def briefing_move_desk(w: World, a: int, b: int) -> None:
    items = list(w.briefing(a).items.all())
    if items:
        name = "desk:briefing-item-up" if b % 2 else "desk:briefing-item-down"
        response = w.client.post(reverse(name, args=[items[b % len(items)].pk]))
        assert response.status_code == 302, response.status_code


def briefing_publish(w: World, a: int, b: int) -> None:
    w.briefing(a).publish(by=w.editor)


def briefing_unpublish(w: World, a: int, b: int) -> None:
    w.briefing(a).unpublish(by=w.editor, reason=SECRETS["reason"])


def briefing_item_remove(w: World, a: int, b: int) -> None:
    items = list(w.briefing(a).items.all())
    if items:
        items[b % len(items)].delete()


def briefing_item_override(w: World, a: int, b: int) -> None:
    items = list(BriefingItem.objects.filter(briefing_id=w.pick(w.briefings, a)))
    if items:
        item = items[b % len(items)]
        item.headline_override = "" if b % 3 == 0 else w.fresh("Override")
        item.save()


OPERATIONS = [
    story_publish,
    story_unpublish,
    story_retract,
    story_schedule_then_due,
    story_edit_model,
    story_edit_desk,
    story_admin_inline,
    story_correct,
    point_add,
    point_approve,
    points_approve_bulk,
    points_approve_desk,
    point_edit,
    point_remove,
    points_reorder,
    points_regenerated,
    tag_add,
    tag_remove,
    tag_rename,
    tag_replaced,
    tag_cleared,
    tag_given_to_stories,
    link_event,
    link_event_m2m,
    unlink_event,
    event_publish,
    event_retract,
    event_verify,
    event_rename,
    event_internal_note,
    event_admin,
    figure_add,
    actor_add,
    actor_remove,
    actor_rename,
    term_rename,
    relation_add,
    relation_remove,
    parent_set,
    briefing_add_story,
    briefing_move,
    briefing_move_desk,
    briefing_publish,
    briefing_unpublish,
    briefing_item_remove,
    briefing_item_override,
]

number = st.integers(0, 10_000)
operation = st.tuples(st.sampled_from(OPERATIONS), number, number)


def apply(w: World, step) -> None:
    """One operation as one committed unit of work; a refusal (the rules said no) is fine."""
    function, a, b = step
    try:
        with transaction.atomic():
            function(w, a, b)
    except (ValidationError, PermissionDenied, IntegrityError):
        pass


def assert_consistent() -> None:
    """What must hold after every commit: nothing left to rebuild, every stored document (and
    takedown) as a fresh build gives it, nothing non-public live (``check_all`` lists a stored
    document of a record that is not public), no secret stored."""
    assert not PendingRebuild.objects.exists(), "a rebuild was asked for and never run"
    assert check_all() == []
    leaked = PublicDocument.objects.filter(Q(body__contains=SECRET) | Q(item__contains=SECRET))
    assert not leaked.exists(), leaked.values_list("body", flat=True).first()


def assert_live_exactly_the_public_records() -> None:
    for kind, model in MODELS.items():
        live = set(
            PublicDocument.objects.filter(kind=kind, status="live").values_list(
                "record_id", flat=True
            )
        )
        public = set(model.objects.published().values_list("pk", flat=True))
        assert live == public, f"{kind}: stored {sorted(live)}, public {sorted(public)}"


@pytest.mark.django_db
def test_random_changes_from_every_entry_point_keep_every_document_equal_to_a_fresh_build(
    editor, client
):
    client.force_login(editor)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=PHASES,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def run(data) -> None:
        # Each example in its own savepoint, undone afterwards. Marked as the test case's own, so
        # that the rebuilds still run when each operation's transaction "commits".
        example = transaction.atomic()
        example._from_testcase = True
        example.__enter__()
        try:
            world = make_world(editor, client)
            assert_consistent()
            steps = 0
            for function in data.draw(st.permutations(OPERATIONS), label="order"):
                for step in [
                    (function, *data.draw(st.tuples(number, number))),
                    *data.draw(st.lists(operation, max_size=1)),
                ]:
                    steps += 1
                    note(f"step {steps}: {step[0].__name__}({step[1]}, {step[2]})")
                    apply(world, step)
                    assert_consistent()
            assert_live_exactly_the_public_records()
        finally:
            transaction.set_rollback(True)
            example.__exit__(None, None, None)

    run()
