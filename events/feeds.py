"""Feeds of published stories and briefings: RSS 2.0, Atom 1.0 and JSON Feed 1.1.

Read from the stored public documents only, newest publication first. Each item links to the
record's public page (its ``web_url``), is identified by a ``tag:`` URI that no slug change or
move of the API alters (``tag_uri``), and gives its times in UTC. Its updated time is the
document's ``updated_at``, which moves whenever what readers see of the record changes (a
correction, a key point approved), and a story's content lists its corrections.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from events.api.conditional import make_conditional
from events.publication import read
from events.publication.urls import site, tag_uri

FEED_LENGTH = 50


#: the tagging date of every id (RFC 4151): part of the ids, so never changed
class Item(NamedTuple):
    record_id: int
    document: dict


def latest(kind: str) -> list[Item]:
    documents = (
        read.live(kind)
        .order_by("-published_at", "-record_id")
        .only("record_id", "body")[:FEED_LENGTH]
    )
    return [Item(doc.record_id, read.body(doc)) for doc in documents]


class UTC(datetime):
    """A UTC time that Atom writes with ``Z`` (Django's writer appends nothing to an aware
    time's ``isoformat``)."""

    def isoformat(self, sep: str = "T", timespec: str = "auto") -> str:
        return super().isoformat(sep, timespec).replace("+00:00", "Z")


def moment(text: str | None) -> UTC | None:
    """A document's time (ISO 8601 with ``Z``) for the feed writers."""
    return None if text is None else UTC.fromisoformat(text)


class UTCAtom1Feed(Atom1Feed):
    def latest_post_date(self):
        latest_date = super().latest_post_date()
        return UTC.fromisoformat(latest_date.isoformat())


def shown_date(text: str) -> str:
    return f"{datetime.fromisoformat(text):%-d %B %Y, %H:%M} UTC"


def author(story: dict) -> str:
    return story["byline"].removeprefix("By ").strip()


def story_html(story: dict) -> str:
    """Standfirst, the approved key points, the body, then the corrections: what a feed
    reader shows. The body was sanitised when it was saved."""
    points = "".join(f"<li>{escape(point)}</li>" for point in story["key_points"])
    corrections = "".join(
        f'<li><time datetime="{escape(c["date"])}">{shown_date(c["date"])}</time>: '
        f"{escape(c['text'])}</li>"
        for c in story["corrections"]
    )
    return (
        f"<p><strong>{escape(story['standfirst'])}</strong></p>"
        + (f"<ul>{points}</ul>" if points else "")
        + story["body_html"]
        + (f"<h2>Corrections</h2><ul>{corrections}</ul>" if corrections else "")
    )


def briefing_html(briefing: dict) -> str:
    items = "".join(
        f'<li><a href="{escape(item["story"]["web_url"])}"><strong>{escape(item["headline"])}'
        f"</strong></a>" + (f"<p>{escape(item['blurb'])}</p>" if item["blurb"] else "") + "</li>"
        for item in briefing["items"]
    )
    return f"<p>{escape(briefing['intro'])}</p>" + (f"<ol>{items}</ol>" if items else "")


class DocumentFeed(Feed):
    """A feed of one kind's documents, with ETag/Cache-Control like the rest of the API."""

    kind: str
    plural: str
    item_guid_is_permalink = False

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        return make_conditional(request, response)

    def title(self) -> str:
        return f"{settings.NEWSROOM_NAME}: {self.plural}"

    def link(self) -> str:
        return site() + reverse("public:home")

    def feed_guid(self) -> str:
        return tag_uri("feed", self.plural)

    def items(self) -> list[Item]:
        return latest(self.kind)

    def item_link(self, item: Item) -> str:
        return item.document["web_url"]

    def item_guid(self, item: Item) -> str:
        return tag_uri(self.kind, item.record_id)

    def item_pubdate(self, item: Item):
        return moment(item.document["first_published_at"])

    def item_updateddate(self, item: Item):
        return moment(item.document["updated_at"])


class StoriesRSSFeed(DocumentFeed):
    kind, plural = "story", "stories"
    description = "The latest published stories."

    def item_title(self, item: Item) -> str:
        return item.document["headline"]

    def item_description(self, item: Item) -> str:
        return story_html(item.document)

    def item_author_name(self, item: Item) -> str:
        return author(item.document)

    def item_categories(self, item: Item) -> list[str]:
        return [tag["name"] for tag in item.document["tags"]]


class StoriesAtomFeed(StoriesRSSFeed):
    feed_type = UTCAtom1Feed
    subtitle = StoriesRSSFeed.description


class BriefingsRSSFeed(DocumentFeed):
    kind, plural = "briefing", "briefings"
    description = "The newsroom's briefings, newest first."

    def item_title(self, item: Item) -> str:
        return item.document["title"]

    def item_description(self, item: Item) -> str:
        return briefing_html(item.document)


class BriefingsAtomFeed(BriefingsRSSFeed):
    feed_type = UTCAtom1Feed
    subtitle = BriefingsRSSFeed.description


# --- JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) ------------------------------------


def json_feed(request: HttpRequest, title: str, feed_name: str, items: list[dict]):
    body = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": site() + reverse("public:home"),
        "feed_url": request.build_absolute_uri(reverse(feed_name)),
        "language": settings.LANGUAGE_CODE,
        "items": items,
    }
    response = JsonResponse(body, content_type="application/feed+json")
    return make_conditional(request, response)


def json_item(kind: str, item: Item, title: str, summary: str, content_html: str) -> dict:
    document = item.document
    return {
        "id": tag_uri(kind, item.record_id),
        "url": document["web_url"],
        "title": title,
        "summary": summary,
        "content_html": content_html,
        "date_published": document["first_published_at"],
        "date_modified": document["updated_at"],
    }


def stories_json_feed(request: HttpRequest):
    items = [
        {
            **json_item("story", item, story["headline"], story["standfirst"], story_html(story)),
            "authors": [{"name": author(story)}] if story["byline"] else [],
            "tags": [tag["name"] for tag in story["tags"]],
        }
        for item in latest("story")
        for story in [item.document]
    ]
    return json_feed(request, f"{settings.NEWSROOM_NAME}: stories", "api:feed-stories-json", items)


def briefings_json_feed(request: HttpRequest):
    items = [
        json_item("briefing", item, briefing["title"], briefing["intro"], briefing_html(briefing))
        for item in latest("briefing")
        for briefing in [item.document]
    ]
    return json_feed(
        request, f"{settings.NEWSROOM_NAME}: briefings", "api:feed-briefings-json", items
    )
