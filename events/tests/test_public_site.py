"""The public site shows what is published, and nothing else."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from events.models import Event


def test_home_shows_the_latest_briefing_and_stories(client, newsroom):
    page = client.get(reverse("public:home")).content.decode()
    assert newsroom.briefing.title in page
    assert newsroom.main.headline in page and newsroom.talks_story.headline in page
    assert newsroom.draft.headline not in page


def test_story_page_shows_everything_readers_need(client, editor, newsroom):
    story = newsroom.main
    story.add_correction(editor, "An earlier version misspelt a district.")
    page = client.get(reverse("public:story", args=[story.slug])).content.decode()
    assert escape(story.headline) in page and escape(story.standfirst) in page
    for point in story.key_points.approved():
        assert escape(point.text) in page
    assert escape(story.quotes.first().speaker) in page
    assert "An earlier version misspelt a district." in page
    assert escape(newsroom.kharkiv.title) in page and "Killed: 3" in page  # the latest figure
    assert "<p>" in page  # the body is rendered from Markdown


def test_story_page_costs_the_same_queries_however_many_events_it_covers(client, newsroom):
    """The main story covers seven events, each with figures; the Spiderweb story two."""
    assert newsroom.main.story_events.count() > newsroom.spiderweb_story.story_events.count()
    counts = []
    for story in (newsroom.spiderweb_story, newsroom.main):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("public:story", args=[story.slug])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_unapproved_key_points_never_show(client, newsroom):
    newsroom.main.key_points.create(text="A machine draft nobody approved.", order=9)
    page = client.get(reverse("public:story", args=[newsroom.main.slug])).content.decode()
    assert "A machine draft nobody approved." not in page


def test_story_body_is_sanitised(client, editor, newsroom):
    newsroom.main.body = (
        'Fine text.\n\n<script>alert("x")</script><a href="javascript:alert(1)">link</a>'
    )
    newsroom.main.save()  # the page shows the rendering stored at save
    page = client.get(reverse("public:story", args=[newsroom.main.slug])).content.decode()
    assert "Fine text." in page
    assert 'alert("x")' not in page and "javascript:" not in page


def test_drafts_and_unpublished_stories_are_not_found(client, editor, newsroom):
    newsroom.draft.ensure_slug()
    newsroom.draft.save()
    assert client.get(reverse("public:story", args=[newsroom.draft.slug])).status_code == 404
    newsroom.talks_story.unpublish(by=editor)
    assert client.get(reverse("public:story", args=[newsroom.talks_story.slug])).status_code == 404
    assert client.get(reverse("public:story", args=["no-such-story"])).status_code == 404


def test_a_retracted_story_shows_a_retraction_notice(client, editor, newsroom):
    newsroom.main.retract(editor, "The casualty figures could not be verified.")
    response = client.get(reverse("public:story", args=[newsroom.main.slug]))
    assert response.status_code == 410
    page = response.content.decode()
    assert "This story has been retracted" in page
    assert "The casualty figures could not be verified." in page
    assert newsroom.main.body[:40] not in page


def test_event_page_shows_figures_over_time_and_its_stories(client, newsroom):
    page = client.get(reverse("public:event", args=[newsroom.kharkiv.slug])).content.decode()
    assert "Figures over time" in page
    assert "at least 40" in page and "at least 60" in page  # both the first and revised count
    assert newsroom.main.headline in page
    assert newsroom.kharkiv.internal_note == "" or newsroom.kharkiv.internal_note not in page


def test_draft_events_are_not_public(client, db):
    event = Event.objects.create(title="Unconfirmed blast", slug="unconfirmed-blast")
    assert client.get(reverse("public:event", args=[event.slug])).status_code == 404


def test_briefing_page_drops_an_unpublished_story_at_once(client, editor, newsroom):
    url = reverse("public:briefing", args=[newsroom.briefing.slug])
    assert newsroom.talks_story.headline in client.get(url).content.decode()
    newsroom.talks_story.unpublish(by=editor)
    assert newsroom.talks_story.headline not in client.get(url).content.decode()


def test_archive_lists_stories_by_day_in_newsroom_time(client, newsroom):
    day = timezone.localtime(newsroom.main.first_published_at)
    url = reverse("public:archive-day", args=[f"{day:%Y}", f"{day:%m}", f"{day:%d}"])
    page = client.get(url).content.decode()
    assert newsroom.main.headline in page
    assert newsroom.draft.headline not in page
    assert client.get(reverse("public:archive")).status_code == 200
    assert client.get(reverse("public:archive-year", args=[f"{day:%Y}"])).status_code == 200
    month = reverse("public:archive-month", args=[f"{day:%Y}", f"{day:%m}"])
    assert newsroom.main.headline in client.get(month).content.decode()


def test_impossible_archive_dates_are_not_found(client, db):
    for url in ["/archive/2025/13/", "/archive/2025/02/30/", "/archive/1800/", "/archive/9999/"]:
        assert client.get(url).status_code == 404, url
    assert client.get("/archive/?page=nope").status_code == 404


def test_sitemap_lists_published_records_only(client, newsroom):
    response = client.get("/sitemap.xml")
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("public:story", args=[newsroom.main.slug]) in body
    assert reverse("public:event", args=[newsroom.kharkiv.slug]) in body
    assert reverse("public:briefing", args=[newsroom.briefing.slug]) in body
    assert "odesa-port-damage-assessment" not in body


def test_public_and_desk_pages_carry_a_strict_csp_and_security_headers(editor_client, newsroom):
    urls = [
        reverse("public:home"),
        reverse("public:story", args=[newsroom.main.slug]),
        reverse("desk:dashboard"),
        reverse("desk:story-edit", args=[newsroom.main.pk]),
    ]
    for url in urls:
        response = editor_client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert "<script>" not in response.content.decode()  # no inline script anywhere
        assert "style=" not in response.content.decode()  # nor inline styles


def test_pages_have_landmarks_a_skip_link_and_a_phone_viewport(client, newsroom):
    page = client.get(reverse("public:story", args=[newsroom.main.slug])).content.decode()
    for marker in ('<header', '<nav aria-label="Main"', '<main id="main"', "<footer",
                   'href="#main"', 'name="viewport"'):  # fmt: skip
        assert marker in page
