"""Cursor pages: walking them visits every record once, in order, at any page size."""

import pytest
from django.core.cache import cache

from events.models import Story


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


@pytest.fixture
def many_stories(newsroom, editor):
    for n in range(12):
        story = Story.objects.create(
            headline=f"Night report {n:02d}",
            standfirst="Overnight summary.",
            body="Shelling reported near the front line.",
            byline="By Desk",
        )
        story.publish(by=editor)
    return Story.objects.published()


def walk(client, url):
    seen = []
    while url:
        page = client.get(url).json()
        seen += [story["slug"] for story in page["results"]]
        url = page["next"]
    return seen


@pytest.mark.parametrize("ordering", ["", "&ordering=published_at", "&ordering=-updated_at"])
def test_walking_the_cursor_visits_each_story_once(client, many_stories, ordering):
    slugs = walk(client, f"/api/v1/stories/?page_size=4{ordering}")
    assert len(slugs) == len(set(slugs)) == many_stories.count()


def test_default_order_is_newest_first(client, many_stories):
    slugs = walk(client, "/api/v1/stories/?page_size=5")
    expected = list(
        many_stories.order_by("-last_published_at", "-id").values_list("slug", flat=True)
    )
    assert slugs == expected


def test_next_link_is_in_the_body_and_the_link_header(client, many_stories):
    response = client.get("/api/v1/stories/?page_size=2")
    body = response.json()
    assert len(body["results"]) == 2
    assert body["next"].startswith("http://testserver/api/v1/stories/?cursor=")
    assert f'<{body["next"]}>; rel="next"' in response["Link"]
    back = client.get(body["next"]).json()["previous"]
    assert client.get(back).json()["results"] == body["results"]
