"""The filter terms: what published records use, each with working links to what it selects,
and nothing that only a draft uses."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Actor, Event, EventActor, Location, Tag

LISTS = ["/api/v1/tags/", "/api/v1/event-types/", "/api/v1/actors/", "/api/v1/locations/"]


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


def results(client, url, **params) -> list[dict]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def slugs_of(client, url) -> list[str]:
    """The records behind a term's link, as an API client would follow it."""
    return [record["slug"] for record in results(client, url)]


def test_tags_in_use_link_to_their_stories(client, newsroom):
    tags = {tag["name"]: tag for tag in results(client, "/api/v1/tags/")}
    assert {"War in Ukraine", "Diplomacy"} <= set(tags)
    assert newsroom.talks_story.slug in slugs_of(client, tags["Diplomacy"]["stories_url"])


def test_terms_of_events_link_to_events_and_stories(client, newsroom):
    kharkiv = newsroom.kharkiv
    types = {term["slug"]: term for term in results(client, "/api/v1/event-types/")}
    event_type = types[kharkiv.event_type.slug]
    assert kharkiv.slug in slugs_of(client, event_type["events_url"])
    assert newsroom.main.slug in slugs_of(client, event_type["stories_url"])

    places = [p for p in results(client, "/api/v1/locations/") if p["name"] == "Kharkiv"]
    assert len(places) == 1 and places[0]["country"] == "UA"
    assert kharkiv.slug in slugs_of(client, places[0]["events_url"])
    assert newsroom.main.slug in slugs_of(client, places[0]["stories_url"])

    actors = {actor["name"]: actor for actor in results(client, "/api/v1/actors/")}
    russia = actors["Military Forces of Russia"]
    assert russia["kind"] == "state_forces" and russia["country"] == "RU"
    assert kharkiv.slug in slugs_of(client, russia["events_url"])


def test_terms_only_drafts_use_never_appear(client, newsroom, editor):
    newsroom.draft.tags.add(Tag.objects.create(slug="embargoed-raid", name="Embargoed raid"))
    secret_place = Location.objects.create(name="Undisclosed airfield", country="UA")
    draft_event = Event.objects.create(
        title="Strike on an airfield, not yet confirmed",
        starts_at=newsroom.kharkiv.starts_at,
        location=secret_place,
        event_type=newsroom.kharkiv.event_type,
        created_by=editor,
    )
    EventActor.objects.create(
        event=draft_event,
        actor=Actor.objects.create(slug="unit-x", name="Unit X", kind="armed_group"),
        role="attacker",
    )
    body = b"".join(client.get(url).content for url in LISTS)
    for secret in (b"Embargoed raid", b"Undisclosed airfield", b"Unit X"):
        assert secret not in body


def test_a_term_falls_out_of_the_list_with_its_last_record(client, newsroom, editor):
    talks_only = [a["name"] for a in results(client, "/api/v1/actors/", name="United States")]
    assert talks_only == ["Government of the United States"]
    Event.objects.get(pk=newsroom.talks.pk).retract(by=editor, reason="Wrong venue.")
    assert results(client, "/api/v1/actors/", name="United States") == []


def test_name_filter_and_ordering(client, newsroom):
    names = [a["name"] for a in results(client, "/api/v1/actors/", name="military")]
    assert names == ["Military Forces of Russia", "Military Forces of Ukraine"]
    backwards = [a["name"] for a in results(client, "/api/v1/actors/", ordering="-name")]
    assert backwards == sorted(backwards, reverse=True) and len(backwards) > 2


@pytest.mark.parametrize("url", LISTS)
def test_term_lists_are_strict_and_read_only(client, newsroom, url):
    unknown = client.get(url, {"state": "draft"})
    assert unknown.status_code == 400
    assert unknown.json()["invalid-params"][0]["name"] == "state"
    assert client.post(url, {}).status_code == 405
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.parametrize("url", LISTS)
def test_term_lists_cost_the_same_queries_at_any_page_size(client, newsroom, url):
    with CaptureQueriesContext(connection) as one_term:
        assert len(results(client, url, page_size=1)) == 1
    with CaptureQueriesContext(connection) as every_term:
        assert len(results(client, url, page_size=100)) >= 2
    assert len(every_term) == len(one_term)
