"""Feeds of stories and briefings parse in a real feed reader library, carry only what is
published, link to the public pages and keep their ids whatever changes."""

from datetime import datetime

import feedparser
import pytest
from django.core.cache import cache
from django.urls import reverse

from events.feeds import tag_uri
from events.models import Story
from events.publication import read

SITE = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def fresh_throttle(settings):
    settings.NEWSROOM_SITE_URL = SITE
    cache.clear()


def parse(client, url: str):
    feed = feedparser.parse(client.get(url).content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def entry_titled(feed, title: str):
    return next(entry for entry in feed.entries if entry.title == title)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_story_feeds_parse_and_list_published_stories(client, newsroom, kind):
    feed = parse(client, f"/api/v1/feeds/stories.{kind}")
    assert feed.feed.title == "Newsroom: stories"
    titles = [entry.title for entry in feed.entries]
    assert newsroom.main.headline in titles
    assert newsroom.draft.headline not in titles
    main = entry_titled(feed, newsroom.main.headline)
    assert newsroom.main.key_points.approved().first().text in main.summary  # a key point
    assert {tag.term for tag in main.tags} == {"War in Ukraine", "Diplomacy"}


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feed_items_link_to_the_public_pages_with_tag_ids(client, newsroom, kind):
    feed = parse(client, f"/api/v1/feeds/stories.{kind}")
    main = entry_titled(feed, newsroom.main.headline)
    assert main.link == SITE + reverse("public:story", args=[newsroom.main.slug])
    assert "/api/" not in main.link
    assert (
        main.id
        == f"tag:127.0.0.1,2025:story/{newsroom.main.pk}"
        == tag_uri("story", newsroom.main.pk)
    )
    briefings = parse(client, f"/api/v1/feeds/briefings.{kind}")
    [entry] = briefings.entries
    assert entry.link == SITE + reverse("public:briefing", args=[newsroom.briefing.slug])
    assert entry.id == f"tag:127.0.0.1,2025:briefing/{newsroom.briefing.pk}"


def test_atom_feed_times_are_utc_with_z(client, newsroom):
    text = client.get("/api/v1/feeds/stories.atom").content.decode()
    for tag in ("updated", "published"):
        assert f"<{tag}>" in text
        for value in text.split(f"<{tag}>")[1:]:
            assert value.split("<")[0].endswith("Z"), value[:40]
    assert "+00:00" not in text and "+03:00" not in text


def test_an_item_keeps_its_id_when_its_slug_changes(client, newsroom, editor):
    """The id is the record's, not its address: a reader never sees the item twice."""
    before = entry_titled(parse(client, "/api/v1/feeds/stories.atom"), newsroom.main.headline)
    Story.objects.filter(pk=newsroom.main.pk).update(slug="kharkiv-drones-renamed")
    newsroom.main.refresh_from_db()
    newsroom.main.add_correction(editor, "Renamed while a reader polled.")  # a rebuild
    cache.clear()
    after = entry_titled(parse(client, "/api/v1/feeds/stories.atom"), newsroom.main.headline)
    assert after.link.endswith("/stories/kharkiv-drones-renamed/")
    assert after.id == before.id


def test_a_correction_moves_the_items_updated_time_and_shows_in_it(client, newsroom, editor):
    def main_entries():
        cache.clear()
        atom = parse(client, "/api/v1/feeds/stories.atom")
        items = client.get("/api/v1/feeds/stories.json").json()["items"]
        return (
            entry_titled(atom, newsroom.main.headline),
            next(item for item in items if item["title"] == newsroom.main.headline),
        )

    entry, item = main_entries()
    newsroom.main.add_correction(editor, "An earlier version misspelt a district.")
    corrected, corrected_item = main_entries()
    assert datetime.fromisoformat(corrected.updated) > datetime.fromisoformat(entry.updated)
    assert corrected_item["date_modified"] > item["date_modified"]
    assert corrected_item["date_published"] == item["date_published"]  # published stays
    assert corrected_item["date_modified"].endswith("Z")
    assert "An earlier version misspelt a district." not in entry.summary
    assert "An earlier version misspelt a district." in corrected.summary
    assert "Corrections" in corrected.summary
    assert "An earlier version misspelt a district." in corrected_item["content_html"]


def test_feeds_show_the_documents_not_the_working_rows(client, newsroom):
    """A headline changed without a rebuild (``update`` sends no signal) is not in any feed
    until the document is rebuilt."""
    Story.objects.filter(pk=newsroom.main.pk).update(headline="Unrebuilt headline 5521")
    for kind in ("rss", "atom", "json"):
        text = client.get(f"/api/v1/feeds/stories.{kind}").content.decode()
        assert "Unrebuilt headline 5521" not in text
        assert newsroom.main.headline in text


def test_feed_items_are_newest_publication_first(client, newsroom):
    items = client.get("/api/v1/feeds/stories.json").json()["items"]
    expected = [
        tag_uri("story", doc.record_id)
        for doc in read.live("story").order_by("-published_at", "-record_id")
    ]
    assert [item["id"] for item in items] == expected


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_briefing_feeds_parse_and_show_live_items(client, newsroom, editor, kind):
    newsroom.talks_story.unpublish(by=editor)
    feed = parse(client, f"/api/v1/feeds/briefings.{kind}")
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
        assert body["home_page_url"] == SITE + "/"
        for item in body["items"]:
            assert item["id"].startswith("tag:127.0.0.1,2025:")
            assert item["url"].startswith(f"{SITE}/") and "/api/" not in item["url"]
            assert item["content_html"]
            assert item["date_published"].endswith("Z") and item["date_modified"].endswith("Z")
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


def test_feeds_answer_304_to_a_reader_that_has_them(client, newsroom):
    first = client.get("/api/v1/feeds/stories.atom")
    again = client.get("/api/v1/feeds/stories.atom", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
