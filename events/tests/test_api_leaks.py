"""Nothing unpublished or internal ever reaches the public: in JSON, GeoJSON, CSV or any feed."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone

from events.models import (
    Actor,
    BriefingItem,
    Event,
    EventType,
    KeyPoint,
    Location,
    Story,
    StoryEvent,
    Tag,
)

# Every public surface that lists records; each is fetched and searched for secrets.
SURFACES = [
    "/api/v1/stories/",
    "/api/v1/stories/?page_size=100",
    "/api/v1/events/",
    "/api/v1/events/?format=geojson",
    "/api/v1/events/?format=csv",
    "/api/v1/briefings/",
    "/api/v1/feeds/stories.rss",
    "/api/v1/feeds/stories.atom",
    "/api/v1/feeds/stories.json",
    "/api/v1/feeds/briefings.rss",
    "/api/v1/feeds/briefings.atom",
    "/api/v1/feeds/briefings.json",
]


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


def everything_public(client, newsroom) -> str:
    pages = [client.get(url) for url in SURFACES]
    pages += [
        client.get(f"/api/v1/stories/{newsroom.spiderweb_story.slug}/"),
        client.get(f"/api/v1/events/{newsroom.wave.slug}/"),
        client.get(f"/api/v1/events/{newsroom.kharkiv.slug}/?format=geojson"),
        client.get(f"/api/v1/briefings/{newsroom.briefing.slug}/"),
    ]
    for page in pages:
        assert page.status_code == 200, page.request
    return "\n".join(page.content.decode() for page in pages)


def test_drafts_never_appear_anywhere(client, newsroom):
    text = everything_public(client, newsroom)
    assert newsroom.draft.headline not in text
    assert client.get("/api/v1/stories/odesa-port-damage-assessment/").status_code == 404


def test_scheduled_story_stays_hidden_until_it_goes_live(client, newsroom, editor, draft_story):
    draft_story.standfirst = "Crews restore power block by block."
    draft_story.byline = "By Taras Bondar"
    draft_story.save()
    draft_story.schedule(by=editor, at=timezone.now() + timedelta(hours=1))
    draft_story.ensure_slug()
    draft_story.save()
    assert draft_story.headline not in everything_public(client, newsroom)
    assert client.get(f"/api/v1/stories/{draft_story.slug}/").status_code == 404


def test_unpublished_story_disappears_from_lists_briefings_and_feeds(client, newsroom, editor):
    headline = newsroom.main.headline
    assert headline in everything_public(client, newsroom)
    newsroom.main.unpublish(by=editor, reason="Legal review")
    cache.clear()
    text = everything_public(client, newsroom)
    assert headline not in text
    assert newsroom.main.slug not in text
    assert client.get(f"/api/v1/stories/{newsroom.main.slug}/").status_code == 404


def test_internal_notes_never_appear(client, newsroom):
    newsroom.kharkiv.internal_note = "SECRET-DESK-NOTE do not publish the source's name"
    newsroom.kharkiv.save()
    text = everything_public(client, newsroom)
    assert "SECRET-DESK-NOTE" not in text
    assert "Air force numbers still moving" not in text  # the wave's note from the demo


def test_unapproved_key_points_never_appear(client, newsroom):
    KeyPoint.objects.create(
        story=newsroom.main, order=9, text="UNAPPROVED-POINT a machine draft nobody checked"
    )
    text = everything_public(client, newsroom)
    assert "UNAPPROVED-POINT" not in text
    story = client.get(f"/api/v1/stories/{newsroom.main.slug}/").json()
    assert len(story["key_points"]) == 3


def test_staff_accounts_and_workflow_internals_never_appear(client, newsroom, editor, reporter):
    story = client.get(f"/api/v1/stories/{newsroom.main.slug}/").json()
    for field in ("created_by", "updated_by", "version", "state", "key_points_status", "body"):
        assert field not in story
    text = everything_public(client, newsroom)
    for secret in ("key_points_hash", "internal_note", "recorded_by", "approved_by"):
        assert secret not in text
    for user in (editor, reporter):
        assert f'"{user.username}"' not in text


def test_retracted_and_draft_events_are_not_linked_or_listed(client, newsroom, editor):
    newsroom.spiderweb.retract(by=editor, reason="Duplicate of another record")
    text = everything_public(client, newsroom)
    assert newsroom.spiderweb.slug not in text
    assert newsroom.spiderweb.title not in text
    # Its own address says what became of it, as its page does.
    gone = client.get(f"/api/v1/events/{newsroom.spiderweb.slug}/")
    assert gone.status_code == 410
    assert gone.json()["retraction"]["notice"] == "Duplicate of another record"


def test_an_unpublished_story_is_not_found_and_its_reason_stays_inside(client, newsroom, editor):
    newsroom.talks_story.unpublish(by=editor, reason="Lawyers asked us to hold it")
    response = client.get(f"/api/v1/stories/{newsroom.talks_story.slug}/")
    assert response.status_code == 404
    assert "Lawyers" not in everything_public(client, newsroom)
    changes = client.get("/api/v1/changes/").json()["results"]
    takedown = [c for c in changes if c["slug"] == newsroom.talks_story.slug][-1]
    assert takedown["action"] == "takedown" and takedown["reason"] == "unpublished"
    assert "Lawyers" not in str(changes)


def test_story_body_is_sanitised_html(client, newsroom, editor):
    newsroom.main.body += "\n\n<script>alert('x')</script> [click](javascript:alert(1))"
    newsroom.main.save()
    body = client.get(f"/api/v1/stories/{newsroom.main.slug}/").json()["body_html"]
    assert "<script" not in body
    assert "javascript:" not in body
    assert "<p>Seventeen Russian attack drones struck" in body  # the text itself survives


# --- relation filters: a draft's slug answers exactly like a slug that does not exist --------


@pytest.fixture
def drafts(newsroom, editor):
    """A draft event and a draft story, each the only holder of its own terms, linked to
    published records from every side a filter can follow."""
    secret_type = EventType.objects.create(name="Secret type", slug="secret-type")
    secret_place = Location.objects.create(name="Secretville", country="ZZ")
    secret_actor = Actor.objects.create(
        name="Secret unit", slug="secret-unit", kind=Actor.Kind.STATE_FORCES
    )
    event = Event.objects.create(
        title="Draft event nobody may see",
        slug="draft-event-nobody-may-see",
        event_type=secret_type,
        location=secret_place,
        starts_at=newsroom.kharkiv.starts_at,
        created_by=editor,
        updated_by=editor,
    )
    event.event_actors.create(actor=secret_actor, role="attacker")
    newsroom.kharkiv.parent = event  # a published child of the draft
    newsroom.kharkiv.save()
    StoryEvent.objects.create(story=newsroom.main, event=event)  # a published story about it
    story = Story.objects.create(
        headline="Draft story nobody may see",
        slug="draft-story-nobody-may-see",
        body="Not yet.",
        created_by=editor,
        updated_by=editor,
    )
    StoryEvent.objects.create(story=story, event=newsroom.kharkiv)  # about a published event
    story.tags.add(Tag.objects.create(name="Secret tag", slug="secret-tag"))
    BriefingItem.objects.create(briefing=newsroom.briefing, story=story, order=9)
    assert event.state == Event.State.DRAFT and story.state == Story.State.DRAFT
    return SimpleNamespace(event=event, story=story)


#: (list, filter, the draft-only value it is given)
RELATION_FILTERS = [
    ("events", "parent", "draft-event-nobody-may-see"),
    ("events", "story", "draft-story-nobody-may-see"),
    ("events", "actor", "secret-unit"),
    ("events", "event_type", "secret-type"),
    ("events", "location", "Secretville"),
    ("events", "country", "ZZ"),
    ("stories", "event", "draft-event-nobody-may-see"),
    ("stories", "tag", "secret-tag"),
    ("stories", "actor", "secret-unit"),
    ("stories", "event_type", "secret-type"),
    ("stories", "location", "Secretville"),
    ("stories", "country", "ZZ"),
    ("briefings", "story", "draft-story-nobody-may-see"),
]


@pytest.mark.parametrize(("kind", "name", "draft_value"), RELATION_FILTERS)
def test_a_relation_filter_cannot_tell_a_draft_from_nothing(
    client, drafts, kind, name, draft_value
):
    draft = client.get(f"/api/v1/{kind}/", {name: draft_value})
    cache.clear()
    nothing = client.get(f"/api/v1/{kind}/", {name: "xq"})
    assert draft.status_code == nothing.status_code == 200
    assert draft.json() == nothing.json() == {"next": None, "previous": None, "results": []}
    assert draft.get("ETag") == nothing.get("ETag")
    assert draft.get("Last-Modified") == nothing.get("Last-Modified")


def test_a_published_parent_still_selects_its_children(client, newsroom):
    children = client.get("/api/v1/events/", {"parent": newsroom.wave.slug}).json()["results"]
    assert newsroom.kharkiv.slug in {event["slug"] for event in children}
