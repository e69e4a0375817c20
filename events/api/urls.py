"""Routes of the public API under /api/v1/."""

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from .. import feeds
from . import vocabulary
from .changes import ChangeFeedView, TombstoneView
from .docs import APIDocsView
from .errors import not_found
from .exports import ExportFileView, ExportListView
from .schema import SchemaView
from .throttling import throttled
from .views import BriefingViewSet, EventFileViewSet, EventViewSet, StoryViewSet

app_name = "api"

LIST = {"get": "list"}


def feed(view):
    """A feed on the API's budget, read-only: GET and HEAD, anything else a 405 (no CSRF
    check first: nothing here changes state, and a refusal should say what is wrong)."""
    return csrf_exempt(throttled(require_safe(view)))


DETAIL = {"get": "retrieve"}

urlpatterns = [
    path("stories/", StoryViewSet.as_view(LIST), name="story-list"),
    path("stories/<slug:slug>/", StoryViewSet.as_view(DETAIL), name="story-detail"),
    path("events/", EventViewSet.as_view(LIST), name="event-list"),
    # For GIS tools and spreadsheets that open a URL and look at its extension.
    path(
        "events.geojson",
        EventFileViewSet.as_view(LIST),
        {"format": "geojson"},
        name="event-geojson",
    ),
    path("events.csv", EventFileViewSet.as_view(LIST), {"format": "csv"}, name="event-csv"),
    path("events/<slug:slug>/", EventViewSet.as_view(DETAIL), name="event-detail"),
    path("briefings/", BriefingViewSet.as_view(LIST), name="briefing-list"),
    path("briefings/<slug:slug>/", BriefingViewSet.as_view(DETAIL), name="briefing-detail"),
    path("changes/", ChangeFeedView.as_view(), name="changes"),
    path("tombstones/", TombstoneView.as_view(), name="tombstones"),
    path("exports/", ExportListView.as_view(), name="exports"),
    path("exports/<str:name>", ExportFileView.as_view(), name="export-file"),
    path("tags/", vocabulary.TagViewSet.as_view(LIST), name="tag-list"),
    path("event-types/", vocabulary.EventTypeViewSet.as_view(LIST), name="event-type-list"),
    path("actors/", vocabulary.ActorViewSet.as_view(LIST), name="actor-list"),
    path("locations/", vocabulary.LocationViewSet.as_view(LIST), name="location-list"),
    path(
        "feeds/stories.rss",
        feed(feeds.StoriesRSSFeed()),
        name="feed-stories-rss",
    ),
    path(
        "feeds/stories.atom",
        feed(feeds.StoriesAtomFeed()),
        name="feed-stories-atom",
    ),
    path(
        "feeds/stories.json",
        feed(feeds.stories_json_feed),
        name="feed-stories-json",
    ),
    path(
        "feeds/briefings.rss",
        feed(feeds.BriefingsRSSFeed()),
        name="feed-briefings-rss",
    ),
    path(
        "feeds/briefings.atom",
        feed(feeds.BriefingsAtomFeed()),
        name="feed-briefings-atom",
    ),
    path(
        "feeds/briefings.json",
        feed(feeds.briefings_json_feed),
        name="feed-briefings-json",
    ),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", APIDocsView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"", not_found),  # anything else, even with newlines in it
]
