"""Conditional requests: unchanged content answers 304; any visible change gives a new ETag."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.http import http_date

from events.models import KeyPoint
from events.models.publication import KindHead


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


@pytest.fixture
def urls(newsroom):
    return [
        "/api/v1/stories/",
        f"/api/v1/stories/{newsroom.main.slug}/",
        "/api/v1/events/?format=geojson",
        f"/api/v1/events/{newsroom.kharkiv.slug}/",
        "/api/v1/briefings/",
        "/api/v1/feeds/stories.rss",
        "/api/v1/feeds/briefings.json",
    ]


def test_same_etag_answers_304_with_no_body(client, urls):
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200
        assert first["ETag"].startswith('"')
        assert "max-age=60" in first["Cache-Control"] and "public" in first["Cache-Control"]
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, url
        assert again.content == b""
        assert again["ETag"] == first["ETag"]


def test_not_modified_since_answers_304(client, newsroom):
    url = f"/api/v1/stories/{newsroom.main.slug}/"
    first = client.get(url)
    assert first["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    long_ago = http_date(0)
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=long_ago).status_code == 200


def test_approving_a_key_point_changes_the_etag(client, newsroom, editor):
    url = f"/api/v1/stories/{newsroom.main.slug}/"
    before = client.get(url)
    point = KeyPoint.objects.create(story=newsroom.main, order=5, text="A fourth point.")
    # Unapproved: the public sees nothing new, so the cached copy is still right.
    assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304
    point.approve(by=editor)
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "A fourth point." in after.json()["key_points"]


def test_unpublishing_changes_the_list_etag(client, newsroom, editor):
    before = client.get("/api/v1/stories/")
    newsroom.talks_story.unpublish(by=editor)
    after = client.get("/api/v1/stories/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert newsroom.talks_story.headline not in after.content.decode()


def test_unpublishing_moves_the_list_last_modified(client, newsroom, editor):
    before = client.get("/api/v1/briefings/")
    newsroom.talks_story.unpublish(by=editor)
    # HTTP dates count whole seconds: let the change be logged visibly later than the first copy.
    later = timezone.now() + timedelta(seconds=5)
    KindHead.objects.filter(kind="briefing").update(at=later)
    after = client.get("/api/v1/briefings/", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 200
    assert newsroom.talks_story.headline not in after.content.decode()


def test_304_keeps_rate_limit_headers(client, newsroom):
    first = client.get("/api/v1/stories/")
    again = client.get("/api/v1/stories/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["RateLimit"]


def test_cors_allows_reading_from_any_origin(client, newsroom):
    response = client.get("/api/v1/stories/", HTTP_ORIGIN="https://reader.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/stories/",
        HTTP_ORIGIN="https://reader.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
