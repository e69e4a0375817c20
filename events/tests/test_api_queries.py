"""A list page costs a constant number of SQL queries, whatever its size."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


@pytest.fixture
def crowded(db):
    """Enough published stories, events and briefings for full pages of 100, each with related
    rows (links, tags, key points, quotes, figures, actors, items), so any per-row query shows."""
    call_command("load_sample_corpus", stories=400, events=150, briefings=110, stdout=io.StringIO())


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/stories/",
        "/api/v1/stories/?q=injured&published_after=2000-01-01T00:00:00Z",
        "/api/v1/events/",
        "/api/v1/events/?format=geojson&fatalities_min=0",
        "/api/v1/briefings/",
    ],
)
def test_queries_do_not_grow_with_page_size(client, crowded, django_assert_num_queries, url):
    joiner = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as small_page:
        small = client.get(f"{url}{joiner}page_size=10")
    assert len(records(small)) == 10
    assert len(small_page) <= 8
    with django_assert_num_queries(len(small_page)):
        large = client.get(f"{url}{joiner}page_size=100")
    assert len(records(large)) == 100


def records(response) -> list:
    assert response.status_code == 200
    body = response.json()
    return body["features"] if "features" in body else body["results"]
