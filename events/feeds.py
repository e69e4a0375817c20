"""Feeds of published stories and briefings: RSS 2.0, Atom 1.0 and JSON Feed 1.1.

Items link to the public page when the model offers one (``get_absolute_url``), else to the
API record, so every link works whichever parts of the site are deployed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from events.api.conditional import make_conditional
from events.models import Briefing, BriefingItem, KeyPoint, Story

FEED_LENGTH = 50


def public_link(record, api_name: str) -> str:
    if hasattr(record, "get_absolute_url"):
        return record.get_absolute_url()
    return reverse(api_name, kwargs={"slug": record.slug})


def feed_stories():
    return (
        Story.objects.published()
        .order_by("-last_published_at", "-id")
        .prefetch_related(
            "tags",
            Prefetch("key_points", queryset=KeyPoint.objects.approved(), to_attr="approved_points"),
        )[:FEED_LENGTH]
    )


def feed_briefings():
    live = BriefingItem.objects.filter(story__state=Story.State.PUBLISHED).select_related("story")
    return (
        Briefing.objects.published()
        .order_by("-last_published_at", "-id")
        .prefetch_related(Prefetch("items", queryset=live, to_attr="live_items"))[:FEED_LENGTH]
    )


def story_html(story: Story) -> str:
    """Standfirst, the approved key points, then the body: what a feed reader shows."""
    points = "".join(f"<li>{escape(p.text)}</li>" for p in story.approved_points)
    return (
        f"<p><strong>{escape(story.standfirst)}</strong></p>"
        + (f"<ul>{points}</ul>" if points else "")
        + story.body_html
    )


def briefing_html(briefing: Briefing) -> str:
    items = "".join(
        f"<li><strong>{escape(item.headline_override or item.story.headline)}</strong></li>"
        for item in briefing.live_items
    )
    return f"<p>{escape(briefing.intro)}</p>" + (f"<ol>{items}</ol>" if items else "")


class ConditionalFeed(Feed):
    """A syndication feed with ETag/Last-Modified/Cache-Control like the rest of the API."""

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        return make_conditional(request, response)


class StoriesRSSFeed(ConditionalFeed):
    description = "The latest published stories."

    def title(self) -> str:
        return f"{settings.NEWSROOM_NAME}: stories"

    def link(self) -> str:
        return reverse("api:story-list")

    def items(self):
        return feed_stories()

    def item_title(self, story: Story) -> str:
        return story.headline

    def item_description(self, story: Story) -> str:
        return story_html(story)

    def item_link(self, story: Story) -> str:
        return public_link(story, "api:story-detail")

    def item_guid(self, story: Story) -> str:
        return f"story:{story.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, story: Story) -> str:
        return story.byline.removeprefix("By ").strip()

    def item_pubdate(self, story: Story):
        return story.first_published_at

    def item_updateddate(self, story: Story):
        return story.last_published_at

    def item_categories(self, story: Story):
        return [tag.name for tag in story.tags.all()]


class StoriesAtomFeed(StoriesRSSFeed):
    feed_type = Atom1Feed
    subtitle = StoriesRSSFeed.description


class BriefingsRSSFeed(ConditionalFeed):
    description = "The newsroom's briefings, newest first."

    def title(self) -> str:
        return f"{settings.NEWSROOM_NAME}: briefings"

    def link(self) -> str:
        return reverse("api:briefing-list")

    def items(self):
        return feed_briefings()

    def item_title(self, briefing: Briefing) -> str:
        return briefing.title

    def item_description(self, briefing: Briefing) -> str:
        return briefing_html(briefing)

    def item_link(self, briefing: Briefing) -> str:
        return public_link(briefing, "api:briefing-detail")

    def item_guid(self, briefing: Briefing) -> str:
        return f"briefing:{briefing.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, briefing: Briefing):
        return briefing.first_published_at

    def item_updateddate(self, briefing: Briefing):
        return briefing.last_published_at


class BriefingsAtomFeed(BriefingsRSSFeed):
    feed_type = Atom1Feed
    subtitle = BriefingsRSSFeed.description


# --- JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) ------------------------------------


def json_feed(request: HttpRequest, title: str, home: str, feed_name: str, items: list[dict]):
    body = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": request.build_absolute_uri(home),
        "feed_url": request.build_absolute_uri(reverse(feed_name)),
        "language": settings.LANGUAGE_CODE,
        "items": items,
    }
    response = JsonResponse(body, content_type="application/feed+json")
    return make_conditional(request, response)


def stories_json_feed(request: HttpRequest):
    items = [
        {
            "id": f"story:{story.pk}",
            "url": request.build_absolute_uri(public_link(story, "api:story-detail")),
            "title": story.headline,
            "summary": story.standfirst,
            "content_html": story_html(story),
            "date_published": story.first_published_at.isoformat(),
            "date_modified": story.last_published_at.isoformat(),
            "authors": [{"name": story.byline.removeprefix("By ").strip()}] if story.byline else [],
            "tags": [tag.name for tag in story.tags.all()],
        }
        for story in feed_stories()
    ]
    return json_feed(
        request,
        f"{settings.NEWSROOM_NAME}: stories",
        reverse("api:story-list"),
        "api:feed-stories-json",
        items,
    )


def briefings_json_feed(request: HttpRequest):
    items = [
        {
            "id": f"briefing:{briefing.pk}",
            "url": request.build_absolute_uri(public_link(briefing, "api:briefing-detail")),
            "title": briefing.title,
            "summary": briefing.intro,
            "content_html": briefing_html(briefing),
            "date_published": briefing.first_published_at.isoformat(),
            "date_modified": briefing.last_published_at.isoformat(),
        }
        for briefing in feed_briefings()
    ]
    return json_feed(
        request,
        f"{settings.NEWSROOM_NAME}: briefings",
        reverse("api:briefing-list"),
        "api:feed-briefings-json",
        items,
    )
