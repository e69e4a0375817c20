"""Routes of the desk (/desk/, staff only) and the public site (/)."""

from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from .sitemaps import SITEMAPS
from .views import public
from .views.desk import briefings, dashboard, events, keypoints, lookups, stories

UP, DOWN = {"direction": "up"}, {"direction": "down"}

desk_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", dashboard.show_dashboard, name="dashboard"),
    # stories
    path("stories/", stories.list_stories, name="story-list"),
    path("stories/new/", stories.create_story, name="story-new"),
    path("stories/<int:pk>/", stories.edit_story, name="story-edit"),
    path("stories/<int:pk>/preview/", stories.preview_story, name="story-preview"),
    path("stories/<int:pk>/submit/", stories.submit_story, name="story-submit"),
    path("stories/<int:pk>/publish/", stories.publish_story, name="story-publish"),
    path("stories/<int:pk>/schedule/", stories.schedule_story, name="story-schedule"),
    path("stories/<int:pk>/unpublish/", stories.unpublish_story, name="story-unpublish"),
    path("stories/<int:pk>/retract/", stories.retract_story, name="story-retract"),
    path("stories/<int:pk>/correct/", stories.correct_story, name="story-correct"),
    # the key-points panel
    path("stories/<int:pk>/key-points/", keypoints.show_key_points, name="key-points"),
    path(
        "stories/<int:pk>/key-points/regenerate/",
        keypoints.regenerate_key_points,
        name="key-points-regenerate",
    ),
    path("stories/<int:pk>/key-points/add/", keypoints.add_key_point, name="key-point-add"),
    path(
        "stories/<int:pk>/key-points/approve/",
        keypoints.approve_all_key_points,
        name="key-points-approve",
    ),
    path("key-points/<int:pk>/edit/", keypoints.edit_key_point, name="key-point-edit"),
    path("key-points/<int:pk>/approve/", keypoints.approve_key_point, name="key-point-approve"),
    path("key-points/<int:pk>/delete/", keypoints.delete_key_point, name="key-point-delete"),
    path("key-points/<int:pk>/up/", keypoints.move_key_point, UP, name="key-point-up"),
    path("key-points/<int:pk>/down/", keypoints.move_key_point, DOWN, name="key-point-down"),
    # events
    path("events/", events.list_events, name="event-list"),
    path("events/new/", events.create_event, name="event-new"),
    path("events/options/", lookups.list_event_options, name="event-options"),
    path("events/<int:pk>/", events.edit_event, name="event-edit"),
    path("events/<int:pk>/casualties/", events.add_casualty_figure, name="event-casualty-add"),
    path("events/<int:pk>/munitions/", events.add_munition_count, name="event-munition-add"),
    path("events/<int:pk>/sources/", events.add_source, name="event-source-add"),
    path(
        "events/<int:pk>/sources/<int:source_pk>/delete/",
        events.delete_source,
        name="event-source-delete",
    ),
    path("events/<int:pk>/actors/", events.add_actor, name="event-actor-add"),
    path(
        "events/<int:pk>/actors/<int:actor_pk>/delete/",
        events.remove_actor,
        name="event-actor-delete",
    ),
    path("events/<int:pk>/relations/", events.add_relation, name="event-relation-add"),
    path(
        "events/<int:pk>/relations/<int:relation_pk>/delete/",
        events.delete_relation,
        name="event-relation-delete",
    ),
    path("events/<int:pk>/publish/", events.publish_event, name="event-publish"),
    path("events/<int:pk>/retract/", events.retract_event, name="event-retract"),
    path("events/<int:pk>/verify/", events.verify_event, name="event-verify"),
    # briefings
    path("briefings/", briefings.list_briefings, name="briefing-list"),
    path("briefings/new/", briefings.create_briefing, name="briefing-new"),
    path("briefings/<int:pk>/", briefings.edit_briefing, name="briefing-edit"),
    path("briefings/<int:pk>/preview/", briefings.preview_briefing, name="briefing-preview"),
    path(
        "briefings/<int:pk>/stories/",
        briefings.search_briefing_stories,
        name="briefing-stories",
    ),
    path("briefings/<int:pk>/items/", briefings.add_briefing_item, name="briefing-item-add"),
    path("briefings/<int:pk>/publish/", briefings.publish_briefing, name="briefing-publish"),
    path("briefings/<int:pk>/schedule/", briefings.schedule_briefing, name="briefing-schedule"),
    path("briefings/<int:pk>/unpublish/", briefings.unpublish_briefing, name="briefing-unpublish"),
    path("items/<int:pk>/", briefings.update_briefing_item, name="briefing-item-update"),
    path("items/<int:pk>/remove/", briefings.remove_briefing_item, name="briefing-item-remove"),
    path("items/<int:pk>/up/", briefings.move_briefing_item, UP, name="briefing-item-up"),
    path("items/<int:pk>/down/", briefings.move_briefing_item, DOWN, name="briefing-item-down"),
]

# Four-digit years from 1900 on: the archive never has to compute the year after 9999.
YEAR = r"(?P<year>(19|20)\d{2})"

public_patterns = [
    path("", public.show_home, name="home"),
    path("stories/<slug:slug>/", public.show_story, name="story"),
    path("events/<slug:slug>/", public.show_event, name="event"),
    path("briefings/<slug:slug>/", public.show_briefing, name="briefing"),
    path("archive/", public.ArchiveIndex.as_view(), name="archive"),
    re_path(rf"^archive/{YEAR}/$", public.YearArchive.as_view(), name="archive-year"),
    re_path(
        rf"^archive/{YEAR}/(?P<month>\d{{2}})/$",
        public.MonthArchive.as_view(),
        name="archive-month",
    ),
    re_path(
        rf"^archive/{YEAR}/(?P<month>\d{{2}})/(?P<day>\d{{2}})/$",
        public.DayArchive.as_view(),
        name="archive-day",
    ),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
]

urlpatterns = [
    path("desk/", include((desk_patterns, "desk"))),
    path("", include((public_patterns, "public"))),
]
