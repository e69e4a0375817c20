"""Feeds of stories and briefings parse in a real feed reader library and carry only what is
published."""

import feedparser
import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_story_feeds_parse_and_list_published_stories(client, newsroom, kind):
    response = client.get(f"/api/v1/feeds/stories.{kind}")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Newsroom: stories"
    titles = [entry.title for entry in feed.entries]
    assert newsroom.main.headline in titles
    assert newsroom.draft.headline not in titles
    main = next(entry for entry in feed.entries if entry.title == newsroom.main.headline)
    assert main.link == f"http://testserver/api/v1/stories/{newsroom.main.slug}/"
    assert newsroom.main.key_points.approved().first().text in main.summary  # a key point
    assert {tag.term for tag in main.tags} == {"War in Ukraine", "Diplomacy"}


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_briefing_feeds_parse_and_show_live_items(client, newsroom, editor, kind):
    newsroom.talks_story.unpublish(by=editor)
    feed = feedparser.parse(client.get(f"/api/v1/feeds/briefings.{kind}").content)
    assert not feed.bozo, feed.bozo_exception
    [entry] = feed.entries
    assert entry.title == "Morning briefing, 11 June"
    assert newsroom.main.headline in entry.summary
    assert newsroom.talks_story.headline not in entry.summary


def test_json_feeds_follow_json_feed_1_1(client, newsroom):
    for name in ("stories", "briefings"):
        response = client.get(f"/api/v1/feeds/{name}.json")
        assert response["Content-Type"] == "application/feed+json"
        # feedparser 6 reads no JSON Feed: check the spec's required members ourselves.
        body = response.json()
        assert body["version"] == "https://jsonfeed.org/version/1.1"
        assert body["title"]
        assert body["feed_url"] == f"http://testserver/api/v1/feeds/{name}.json"
        for item in body["items"]:
            assert item["id"] and item["url"].startswith("http://testserver/")
            assert item["content_html"]
    stories = client.get("/api/v1/feeds/stories.json").json()["items"]
    assert {item["title"] for item in stories} == {
        newsroom.main.headline,
        newsroom.spiderweb_story.headline,
        newsroom.talks_story.headline,
    }


def test_feed_bodies_are_sanitised(client, newsroom):
    newsroom.main.body += "\n\n<script>steal()</script><img src=x onerror=alert(1)>"
    newsroom.main.save()
    for kind in ("rss", "atom", "json"):
        text = client.get(f"/api/v1/feeds/stories.{kind}").content.decode()
        assert "steal()" not in text
        assert "onerror" not in text
