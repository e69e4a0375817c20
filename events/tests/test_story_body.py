"""A story's body: rendered once when saved, served as stored, bounded with a clear message."""

import html
import importlib

from django.apps import apps
from django.urls import reverse
from reversion.models import Version

from events.keypoints import generate_key_points_now, plain_text
from events.models import Story
from events.models.publication import request_rebuild
from events.models.story import BODY_MAX_LENGTH
from events.publication.urls import tag_uri
from events.rendering import MAX_NESTING, render_markdown

from .admin_forms import admin_form_data
from .test_desk_stories import story_post

# --- rendered once, when saved ----------------------------------------------------------------


def test_a_saved_story_holds_the_rendering_of_its_body(draft_story):
    assert draft_story.body_html == "<p>Engineers are working to restore power.</p>\n"
    draft_story.body = "Power is back in **most** districts."
    draft_story.save()
    draft_story.refresh_from_db()
    assert draft_story.body_html == render_markdown("Power is back in **most** districts.")


def test_a_desk_save_stores_the_rendering_of_the_new_text(reporter_client, draft_story):
    url = reverse("desk:story-edit", args=[draft_story.pk])
    reporter_client.post(url, story_post(draft_story, body="Crews restored **power**."))
    draft_story.refresh_from_db()
    assert draft_story.body_html == "<p>Crews restored <strong>power</strong>.</p>\n"


def test_an_admin_save_stores_the_rendering_of_the_new_text(newsroom, editor_client):
    url = reverse("admin:events_story_change", args=[newsroom.main.pk])
    data = admin_form_data(editor_client.get(url), body="Seventeen drones hit _Kharkiv_.")
    assert editor_client.post(url, data).status_code == 302
    newsroom.main.refresh_from_db()
    assert newsroom.main.body_html == "<p>Seventeen drones hit <em>Kharkiv</em>.</p>\n"


def test_restoring_a_version_renders_the_restored_body(newsroom, editor_client):
    story = newsroom.main
    first = Version.objects.get_for_object(story).last()  # as the demo wrote it
    assert "body_html" not in first.field_dict  # history keeps what people wrote, not derived
    url = reverse("admin:events_story_change", args=[story.pk])
    editor_client.post(url, admin_form_data(editor_client.get(url), body="A rewrite."))
    editor_client.post(reverse("admin:events_story_revision", args=[story.pk, first.pk]))
    story.refresh_from_db()
    assert story.body == first.field_dict["body"]
    assert story.body_html == render_markdown(story.body)


def test_a_workflow_action_leaves_the_rendering_alone(newsroom, editor):
    story = newsroom.talks_story
    Story.objects.filter(pk=story.pk).update(body_html="<p>as stored</p>")
    story.refresh_from_db()
    story.unpublish(by=editor)
    story.refresh_from_db()
    assert story.body_html == "<p>as stored</p>"


def test_bodies_saved_before_renderings_were_stored_are_rendered_by_the_migration(newsroom):
    migration = importlib.import_module("events.migrations.0008_render_story_bodies")
    Story.objects.update(body_html="")
    migration.render_stored_bodies(apps, None)
    for story in Story.objects.all():
        assert story.body_html == render_markdown(story.body), story


# --- every reader is served the stored HTML ---------------------------------------------------


def store_marker(story: Story) -> str:
    """Put a rendering in the column that no render of the body would give."""
    Story.objects.filter(pk=story.pk).update(body_html="<p>Stored rendering 7431.</p>")
    request_rebuild("story", [story.pk])  # update() sends no signal: ask as a bulk path must
    return "Stored rendering 7431."


def test_the_story_page_shows_the_stored_rendering(newsroom, client):
    marker = store_marker(newsroom.main)
    page = client.get(reverse("public:story", args=[newsroom.main.slug])).text
    assert f"<p>{marker}</p>" in page


def test_the_desk_preview_shows_the_stored_rendering(newsroom, editor_client):
    marker = store_marker(newsroom.draft)
    page = editor_client.get(reverse("desk:story-preview", args=[newsroom.draft.pk])).text
    assert f"<p>{marker}</p>" in page


def test_the_api_detail_serves_the_stored_rendering(newsroom, client):
    marker = store_marker(newsroom.main)
    story = client.get(f"/api/v1/stories/{newsroom.main.slug}/").json()
    assert story["body_html"] == f"<p>{marker}</p>"


def test_every_story_feed_carries_the_stored_rendering(newsroom, client):
    marker = store_marker(newsroom.main)
    for name in ("api:feed-stories-rss", "api:feed-stories-atom"):
        assert html.escape(f"<p>{marker}</p>") in client.get(reverse(name)).text, name
    items = client.get(reverse("api:feed-stories-json")).json()["items"]
    (item,) = [item for item in items if item["id"] == tag_uri("story", newsroom.main.pk)]
    assert item["content_html"].endswith(f"<p>{marker}</p>")


# --- a bounded body, refused with a message that keeps the text -------------------------------


def test_the_body_box_says_its_limit(reporter_client, draft_story, editor_client):
    page = reporter_client.get(reverse("desk:story-edit", args=[draft_story.pk])).text
    assert f'maxlength="{BODY_MAX_LENGTH}"' in page
    admin = editor_client.get(reverse("admin:events_story_change", args=[draft_story.pk])).text
    assert f'maxlength="{BODY_MAX_LENGTH}"' in admin


def test_an_over_long_body_is_refused_and_the_text_stays_in_the_box(reporter_client, draft_story):
    body = "Crews worked all night. " * (BODY_MAX_LENGTH // 24 + 1) + "The last words."
    url = reverse("desk:story-edit", args=[draft_story.pk])
    response = reporter_client.post(url, story_post(draft_story, body=body))
    assert response.status_code == 200
    page = response.text
    assert "Nothing was saved" in page
    assert f"The body is {len(body)} characters long; the limit is {BODY_MAX_LENGTH}." in page
    assert body.strip() in html.unescape(page)  # in the textarea, to shorten and save again
    draft_story.refresh_from_db()
    assert draft_story.body == "Engineers are working to restore power."
    assert draft_story.version == 1


def test_a_body_larger_than_the_old_request_limit_gets_the_same_message(reporter_client, reporter):
    # 3 MB: Django's default request limit (2.5 MB) answered this with a bare 400.
    body = "x" * 3_000_000
    response = reporter_client.post(
        reverse("desk:story-new"), story_post(headline="Long night", body=body)
    )
    assert response.status_code == 200
    assert f"The body is {len(body)} characters long" in response.text
    assert body in response.text
    assert not Story.objects.filter(headline="Long night").exists()


def test_line_breaks_count_once_as_the_browser_counts_them(reporter_client, draft_story):
    # The browser counts each line break once against maxlength, and sends it as "\r\n".
    lines = ["Sirens sounded across the city."] * (BODY_MAX_LENGTH // 32)
    body = "\r\n".join(lines)
    assert len(body.replace("\r\n", "\n")) <= BODY_MAX_LENGTH < len(body)
    url = reverse("desk:story-edit", args=[draft_story.pk])
    response = reporter_client.post(url, story_post(draft_story, body=body), follow=True)
    assert "Saved." in response.text
    draft_story.refresh_from_db()
    assert draft_story.body == "\n".join(lines)


def test_a_body_nested_too_deeply_is_refused_with_a_message(reporter_client, draft_story):
    body = "> " * (MAX_NESTING + 5) + "a quote in a quote in a quote"
    url = reverse("desk:story-edit", args=[draft_story.pk])
    response = reporter_client.post(url, story_post(draft_story, body=body))
    assert response.status_code == 200
    assert f"nested more than {MAX_NESTING} levels deep" in response.text
    assert html.escape(body, quote=False) in response.text
    draft_story.refresh_from_db()
    assert draft_story.body == "Engineers are working to restore power."


def test_the_admin_refuses_an_over_long_body_and_keeps_it(newsroom, editor_client):
    url = reverse("admin:events_story_change", args=[newsroom.main.pk])
    body = "y" * (BODY_MAX_LENGTH + 1)
    response = editor_client.post(url, admin_form_data(editor_client.get(url), body=body))
    assert response.status_code == 200
    assert f"the limit is {BODY_MAX_LENGTH}" in response.text and body in response.text
    newsroom.main.refresh_from_db()
    assert newsroom.main.body != body


def test_a_request_too_large_to_read_gets_a_page_that_says_what_to_do(
    reporter_client, draft_story, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    url = reverse("desk:story-edit", args=[draft_story.pk])
    response = reporter_client.post(url, story_post(draft_story, body="z" * 20_000))
    assert response.status_code == 400
    assert "Request not accepted" in response.text and "Nothing was saved" in response.text
    assert "Back button" in response.text
    draft_story.refresh_from_db()
    assert draft_story.version == 1


# --- key points are drafted from what readers see ---------------------------------------------

RAW_HTML_BODY = (
    '<div class="note">Seventeen drones hit <b onclick="steal()">Kharkiv</b> overnight, '
    "officials said.</div>\n\n"
    "Rescuers &amp; volunteers worked until dawn &mdash; the governor said three people were "
    "killed and 60 injured.\n\n"
    "<script>document.title = 'owned'</script>\n\n"
    "Power cuts hit the <i>Saltivka</i> district, and <textarea><b>engineers</b></textarea> "
    "worked to restore it &#8212; AT&T's office &lt;closed&gt;."
)


def test_key_points_text_never_carries_the_raw_html_of_a_body(draft_story):
    draft_story.body = RAW_HTML_BODY
    draft_story.save()
    text = plain_text(draft_story)
    for raw in ("<div", "<b", "onclick", "<script", "document.title", "<textarea", "<i>"):
        assert raw not in text
    assert "Rescuers & volunteers worked until dawn — the governor said" in text
    assert "Power cuts hit the Saltivka district, and engineers worked to restore it —" in text
    assert "AT&T's office <closed>." in text  # what readers see, entities decoded once


def test_drafted_key_points_hold_no_markup(draft_story):
    draft_story.body = RAW_HTML_BODY
    draft_story.save()
    points = [point.text for point in generate_key_points_now(draft_story)]
    assert points
    for point in points:
        assert "<b" not in point and "onclick" not in point and "&amp;" not in point
        assert "<script" not in point and "<div" not in point
