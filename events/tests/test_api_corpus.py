"""The sample corpus for load tests: published, linked, and fully visible through the API."""

import io

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from events.models import Briefing, Event, KeyPoint, Story


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


def test_corpus_is_published_with_links_figures_quotes_and_key_points(client, db):
    out = io.StringIO()
    call_command("load_sample_corpus", stories=60, events=20, briefings=3, stdout=out)
    assert "Wrote 60 stories, 20 events and 3 briefings" in out.getvalue()
    assert Story.objects.published().count() == 60
    assert Event.objects.published().count() == 20
    assert Briefing.objects.published().count() == 3
    assert KeyPoint.objects.approved().count() == 180
    page = client.get("/api/v1/stories/?page_size=60").json()["results"]
    assert len(page) == 60
    assert all(story["key_points"] and story["events"] and story["quotes"] for story in page)
    assert sum(story["events"][0]["is_primary"] for story in page) == 60
    events = client.get("/api/v1/events/?page_size=20").json()["results"]
    assert any(event["casualties"] for event in events)
    assert all(event["actors"] for event in events)


def test_running_twice_adds_a_second_set(db):
    call_command("load_sample_corpus", stories=5, events=2, stdout=io.StringIO())
    call_command("load_sample_corpus", stories=5, events=2, stdout=io.StringIO())
    assert Story.objects.published().count() == 10


def test_stories_without_events_are_refused_clearly(db):
    with pytest.raises(CommandError, match="--events"):
        call_command("load_sample_corpus", stories=5, events=0, stdout=io.StringIO())
