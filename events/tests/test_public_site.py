"""The public site shows what is published, and nothing else: every page is rendered from the
stored public documents, never from the editors' working rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from events.models import Briefing, Event, EventRelation, Story, StoryEvent
from events.models.publication import PublicDocument
from events.publication import read


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
    assert escape(newsroom.main.headline) in page  # what readers had
    assert "The casualty figures could not be verified." in page
    notice = read.for_page(read.find("story", newsroom.main.slug))
    assert notice["status"] == "retracted"
    shown = timezone.localtime(notice["at"])
    assert f'<time datetime="{shown:%Y-%m-%dT%H:%M}' in page
    assert newsroom.main.body[:40] not in page
    assert newsroom.main.standfirst not in page


def test_a_retracted_event_answers_410_with_its_notice(client, editor, newsroom):
    newsroom.talks.retract(editor, "The talks were never scheduled.")
    response = client.get(reverse("public:event", args=[newsroom.talks.slug]))
    assert response.status_code == 410
    page = response.content.decode()
    assert "This event has been retracted" in page
    assert "The talks were never scheduled." in page
    assert escape(newsroom.talks.summary) not in page


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


# --- pages read documents ---------------------------------------------------------------------


def test_pages_show_the_document_until_it_is_rebuilt(client, newsroom):
    """A working row changed without a rebuild (``update`` sends no signal): every page still
    shows what was published, because pages read the stored documents."""
    story, event, briefing = newsroom.main, newsroom.kharkiv, newsroom.briefing
    Story.objects.filter(pk=story.pk).update(headline="Unrebuilt headline 5521", body_html="")
    Event.objects.filter(pk=event.pk).update(title="Unrebuilt event 5521")
    Briefing.objects.filter(pk=briefing.pk).update(title="Unrebuilt briefing 5521")
    day = timezone.localtime(story.first_published_at)
    urls = [
        reverse("public:home"),
        reverse("public:story", args=[story.slug]),
        reverse("public:event", args=[event.slug]),
        reverse("public:event", args=[newsroom.wave.slug]),  # its parent lists it
        reverse("public:briefing", args=[briefing.slug]),
        reverse("public:archive"),
        reverse("public:archive-day", args=[f"{day:%Y}", f"{day:%m}", f"{day:%d}"]),
    ]
    for url in urls:
        page = client.get(url).content.decode()
        assert "Unrebuilt" not in page, url
    story_page = client.get(reverse("public:story", args=[story.slug])).content.decode()
    assert escape(story.headline) in story_page and escape(event.title) in story_page
    assert "<p>" in story_page  # the body as published
    event_page = client.get(reverse("public:event", args=[event.slug])).content.decode()
    assert escape(event.title) in event_page and escape(story.headline) in event_page


def test_a_page_shows_nothing_of_a_record_that_left_public_view_without_a_rebuild(client, newsroom):
    """The other way round: a draft whose row says "published" has no document, no page."""
    Story.objects.filter(pk=newsroom.draft.pk).update(
        state="published", slug="odesa-port-damage-assessment", first_published_at=timezone.now()
    )
    assert client.get(reverse("public:story", args=[newsroom.draft.slug])).status_code == 404
    assert newsroom.draft.headline not in client.get(reverse("public:home")).content.decode()
    assert newsroom.draft.headline not in client.get(reverse("public:archive")).content.decode()


def test_an_internal_note_never_shows(client, newsroom):
    note = "Source is the governor's cousin; do not name."
    newsroom.kharkiv.internal_note = note
    newsroom.kharkiv.save()
    for url in (
        reverse("public:event", args=[newsroom.kharkiv.slug]),
        reverse("public:event", args=[newsroom.wave.slug]),
        reverse("public:story", args=[newsroom.main.slug]),
    ):
        page = client.get(url).content.decode()
        assert escape(note) not in page and "cousin" not in page, url
        assert escape(newsroom.wave.internal_note) not in page, url


def test_a_draft_linked_event_never_shows(client, newsroom):
    draft = Event.objects.create(title="Unconfirmed blast at the depot", slug="unconfirmed-depot")
    StoryEvent.objects.create(story=newsroom.main, event=draft)
    EventRelation.objects.create(from_event=newsroom.kharkiv, to_event=draft)
    Event.objects.filter(pk=draft.pk).update(parent=newsroom.kharkiv)
    for url in (
        reverse("public:story", args=[newsroom.main.slug]),
        reverse("public:event", args=[newsroom.kharkiv.slug]),
    ):
        page = client.get(url).content.decode()
        assert "Unconfirmed blast" not in page and "unconfirmed-depot" not in page, url


def test_event_page_shows_its_context_from_documents(client, editor, newsroom):
    wave = client.get(reverse("public:event", args=[newsroom.wave.slug])).content.decode()
    assert f'Includes: <a href="{reverse("public:event", args=[newsroom.kharkiv.slug])}"' in wave
    assert "Related: <a" in wave and escape(newsroom.spiderweb.title) in wave
    kharkiv = client.get(reverse("public:event", args=[newsroom.kharkiv.slug])).content.decode()
    assert "Part of: <a" in kharkiv and escape(newsroom.wave.title) in kharkiv
    spiderweb = client.get(reverse("public:event", args=[newsroom.spiderweb.slug])).content
    assert "Related: <a" in spiderweb.decode()  # seen from the other side
    newsroom.kharkiv.retract(editor, "Duplicate report.")
    wave = client.get(reverse("public:event", args=[newsroom.wave.slug])).content.decode()
    assert escape(newsroom.kharkiv.title) not in wave


def test_an_unpublished_story_leaves_the_event_page(client, editor, newsroom):
    url = reverse("public:event", args=[newsroom.kharkiv.slug])
    assert escape(newsroom.main.headline) in client.get(url).content.decode()
    newsroom.main.unpublish(by=editor)
    assert escape(newsroom.main.headline) not in client.get(url).content.decode()


def test_an_unpublished_briefing_is_not_found(client, editor, newsroom):
    newsroom.briefing.unpublish(by=editor)
    url = reverse("public:briefing", args=[newsroom.briefing.slug])
    assert client.get(url).status_code == 404
    assert newsroom.briefing.title not in client.get(reverse("public:home")).content.decode()


def test_the_desk_preview_stores_nothing(editor_client, newsroom):
    StoryEvent.objects.create(story=newsroom.draft, event=newsroom.kharkiv)
    before = list(PublicDocument.objects.order_by("pk").values_list("pk", "etag"))
    page = editor_client.get(reverse("desk:story-preview", args=[newsroom.draft.pk]))
    assert page.status_code == 200
    assert escape(newsroom.kharkiv.title) in page.content.decode()  # its public event
    editor_client.get(reverse("desk:briefing-preview", args=[newsroom.briefing.pk]))
    assert list(PublicDocument.objects.order_by("pk").values_list("pk", "etag")) == before
    assert read.find("story", newsroom.draft.slug or "odesa-port-damage-assessment") is None
