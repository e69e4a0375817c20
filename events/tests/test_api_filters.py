"""Filters and search narrow the lists the way a researcher would expect."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from events.models import CasualtyFigure, PublicDocument, Story, StoryEvent


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


def slugs(client, url) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {record["slug"] for record in response.json()["results"]}


ALL_STORIES = {
    "kharkiv-drones-kill-three-as-russia-launches-300",
    "kyiv-calls-wave-retaliation-for-spiderweb",
    "us-russia-talks-move-to-moscow",
}
MAIN, SPIDERWEB, TALKS = sorted(ALL_STORIES)


def test_story_tag_filter(client, newsroom):
    assert slugs(client, "/api/v1/stories/?tag=diplomacy") == {MAIN, TALKS}
    assert slugs(client, "/api/v1/stories/?tag=no-such-tag") == set()


def test_story_linked_event_filter(client, newsroom):
    assert slugs(client, "/api/v1/stories/?event=operation-spiderweb") == {MAIN, SPIDERWEB}


def test_story_event_type_country_location_actor_filters(client, newsroom):
    assert slugs(client, "/api/v1/stories/?event_type=diplomatic-talks") == {MAIN, TALKS}
    assert slugs(client, "/api/v1/stories/?country=ru") == ALL_STORIES
    assert slugs(client, "/api/v1/stories/?location=moscow") == {MAIN, TALKS}
    actor = "government-of-the-united-states"
    assert slugs(client, f"/api/v1/stories/?actor={actor}") == {MAIN, TALKS}


def test_story_date_range_and_updated_since(client, newsroom, editor):
    old = timezone.now() - timedelta(days=30)
    Story.objects.filter(slug=TALKS).update(last_published_at=old)
    # updated_since reads when readers' view last changed: the stored document's change time.
    PublicDocument.objects.filter(kind="story", slug=TALKS).update(changed_at=old)
    cutoff = (timezone.now() - timedelta(days=1)).isoformat().replace("+", "%2B")
    assert slugs(client, f"/api/v1/stories/?published_after={cutoff}") == {MAIN, SPIDERWEB}
    assert slugs(client, f"/api/v1/stories/?published_before={cutoff}") == {TALKS}
    assert slugs(client, f"/api/v1/stories/?updated_since={cutoff}") == {MAIN, SPIDERWEB}
    assert slugs(client, "/api/v1/stories/?published_after=2000-01-01T00:00:00Z") == ALL_STORIES


def test_a_time_without_an_offset_is_refused(client, newsroom):
    response = client.get("/api/v1/stories/?updated_since=2025-06-11T02:00:00")
    assert response.status_code == 400
    assert "offset" in response.json()["detail"]


def test_times_in_any_offset_are_understood(client, newsroom):
    # An offset outside what the database accepts (±15:59) is still a valid ISO 8601 time.
    assert slugs(client, "/api/v1/events/?occurred_after=2025-06-10T12:00:00-20:30") == {
        "us-russia-talks-move-to-moscow"
    }
    assert slugs(client, "/api/v1/stories/?published_before=2000-01-01T00:00:00%2B14:00") == set()


def test_linked_event_filters_ignore_unpublished_events(client, newsroom, editor):
    newsroom.talks.retract(by=editor, reason="Wrong date")
    assert slugs(client, "/api/v1/stories/?event=us-russia-talks-move-to-moscow") == set()


def test_event_filters(client, newsroom):
    children = {
        "kharkiv-drone-strike-june-11",
        "kyiv-drone-strike-june-11",
        "odesa-drone-strike-june-11",
        "dnipro-drone-strike-june-11",
    }
    assert slugs(client, "/api/v1/events/?parent=nationwide-drone-wave-june-11") == children
    assert slugs(client, "/api/v1/events/?country=RU") == {
        "operation-spiderweb",
        "us-russia-talks-move-to-moscow",
    }
    assert slugs(client, "/api/v1/events/?location=Kharkiv") == {"kharkiv-drone-strike-june-11"}
    assert slugs(client, "/api/v1/events/?event_type=strategic-developments") == {
        "us-russia-talks-move-to-moscow"
    }
    assert slugs(client, "/api/v1/events/?actor=military-forces-of-ukraine") == {
        "operation-spiderweb"
    }
    assert slugs(client, "/api/v1/events/?story=us-russia-talks-move-to-moscow") == {
        "us-russia-talks-move-to-moscow"
    }
    assert "kharkiv-drone-strike-june-11" in slugs(
        client, "/api/v1/events/?occurred_after=2025-06-11T00:00:00%2B03:00"
    )
    before = "/api/v1/events/?occurred_before=2025-06-05T00:00:00Z"
    assert slugs(client, before) == {"operation-spiderweb"}


def test_fatalities_min_uses_the_latest_killed_figure(client, newsroom):
    # Kharkiv's figure was revised from 2 to 3 killed during the night.
    assert slugs(client, "/api/v1/events/?fatalities_min=3") == {"kharkiv-drone-strike-june-11"}
    assert slugs(client, "/api/v1/events/?fatalities_min=4") == set()
    CasualtyFigure.objects.create(
        event=newsroom.kharkiv, kind="killed", minimum=5, as_of=timezone.now()
    )
    assert slugs(client, "/api/v1/events/?fatalities_min=4") == {"kharkiv-drone-strike-june-11"}
    event = client.get("/api/v1/events/kharkiv-drone-strike-june-11/").json()
    assert event["fatalities"] == 5


def test_briefing_filters(client, newsroom):
    slug = newsroom.briefing.slug
    assert slugs(client, "/api/v1/briefings/?edition=morning&date_after=2025-06-11") == {slug}
    assert slugs(client, "/api/v1/briefings/?date_before=2025-06-10") == set()
    assert slugs(client, f"/api/v1/briefings/?story={MAIN}") == {slug}


def test_search_finds_words_in_headline_standfirst_and_body(client, newsroom):
    assert slugs(client, "/api/v1/stories/?q=Istanbul") == {MAIN, TALKS}
    assert slugs(client, "/api/v1/stories/?q=rubble") == {MAIN}  # only in the body
    assert slugs(client, "/api/v1/stories/?q=zeppelin") == set()
    assert slugs(client, "/api/v1/events/?q=airbases") == {"operation-spiderweb"}
    assert slugs(client, "/api/v1/stories/?q=Istanbul&tag=diplomacy&ordering=-published_at") == {
        MAIN,
        TALKS,
    }


def test_search_never_finds_drafts(client, newsroom):
    assert slugs(client, "/api/v1/stories/?q=damage") == set()  # only the draft says it


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL")
def test_search_is_stemmed_and_ranked_on_postgresql(client, newsroom):
    # "strike" matches "strikes" and "struck" is not needed: stemming, not substrings.
    assert slugs(client, "/api/v1/stories/?q=strike") >= {SPIDERWEB}
    assert slugs(client, '/api/v1/stories/?q="direct flights" -Kharkiv') == {TALKS}
    # The talks story is about the talks: it outranks the long story that mentions them once.
    ranked = "/api/v1/stories/?q=Moscow talks flights&ordering=-rank"
    results = client.get(ranked).json()["results"]
    assert results[0]["slug"] == TALKS
    # The query uses the GIN index (the plan names it) rather than scanning every story.
    from events.api.search import document_sql

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM events_story WHERE "
            + document_sql("events_story")
            + " @@ websearch_to_tsquery('english', 'drones')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "events_story_fulltext" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL")
def test_search_follows_edits_on_postgresql(client, newsroom):
    # The searchable document is a stored column generated from the text: an edit moves it.
    assert slugs(client, "/api/v1/stories/?q=zeppelin") == set()
    Story.objects.filter(slug=TALKS).update(standfirst="A zeppelin over the talks.")
    assert slugs(client, "/api/v1/stories/?q=zeppelins") == {TALKS}
    Story.objects.filter(slug=TALKS).update(standfirst="")
    assert slugs(client, "/api/v1/stories/?q=zeppelin") == set()


def test_search_handles_any_input(client, newsroom):
    for q in ['"', "-", "&|!():*", "' OR 1=1 --", "ü" * 200, "<script>"]:
        response = client.get("/api/v1/stories/", {"q": q})
        assert response.status_code == 200, q
    assert client.get("/api/v1/stories/", {"q": "x" * 201}).status_code == 400


def test_linking_a_story_to_another_event_updates_the_filter(client, newsroom):
    StoryEvent.objects.create(story=newsroom.talks_story, event=newsroom.kharkiv)
    assert TALKS in slugs(client, "/api/v1/stories/?event=kharkiv-drone-strike-june-11")
