"""Nothing unpublished or internal ever reaches the public: in JSON, GeoJSON, CSV or any feed."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from events.models import KeyPoint

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
    assert client.get(f"/api/v1/events/{newsroom.spiderweb.slug}/").status_code == 404


def test_story_body_is_sanitised_html(client, newsroom, editor):
    newsroom.main.body += "\n\n<script>alert('x')</script> [click](javascript:alert(1))"
    newsroom.main.save()
    body = client.get(f"/api/v1/stories/{newsroom.main.slug}/").json()["body_html"]
    assert "<script" not in body
    assert "javascript:" not in body
    assert "<p>Seventeen Russian attack drones struck" in body  # the text itself survives
