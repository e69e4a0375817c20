"""The story editor: drafts always save, rules come from the model, no silent overwrites."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Story


def story_post(story: Story | None = None, **overrides) -> dict:
    """The editor's form as a browser would send it, for ``story`` (or a new one)."""
    data = {
        "headline": story.headline if story else "",
        "standfirst": story.standfirst if story else "",
        "body": story.body if story else "",
        "dateline": story.dateline if story else "",
        "byline": story.byline if story else "",
        "expected_version": story.version if story else "",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_reporter_saves_a_half_written_draft_with_a_quote_and_a_linked_event(
    reporter_client, newsroom, reporter
):
    data = story_post(
        headline="Night of drones over Odesa",
        body="Port buildings caught fire.",
        **{
            "links-TOTAL_FORMS": "1",
            "links-0-event": str(newsroom.kharkiv.pk),
            "links-0-is_primary": "on",
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-speaker": "Port official",
            "quotes-0-text": "We lost two warehouses.",
            "quotes-0-order": "0",
        },
    )
    response = reporter_client.post(reverse("desk:story-new"), data, follow=True)
    story = Story.objects.get(headline="Night of drones over Odesa")
    assert b"Story created." in response.content
    assert story.state == "draft" and story.created_by == reporter
    assert story.quotes.get().speaker == "Port official"
    assert story.story_events.get().is_primary
    # saving text asks the worker for key points
    assert story.key_points_status == "queued"


def test_reporter_submits_their_draft_and_then_cannot_change_it(reporter_client, draft_story):
    response = reporter_client.post(
        reverse("desk:story-submit", args=[draft_story.pk]), follow=True
    )
    assert b"Submitted for review." in response.content
    draft_story.refresh_from_db()
    assert draft_story.state == "in_review"
    page = reporter_client.get(reverse("desk:story-edit", args=[draft_story.pk]))
    assert b"You can read this story but not change it" in page.content
    refused = reporter_client.post(
        reverse("desk:story-edit", args=[draft_story.pk]),
        story_post(draft_story, headline="Changed after submitting"),
    )
    assert refused.status_code == 403
    # refused, but what they typed is still on the page to copy
    assert b"Nothing was saved." in refused.content
    assert b"Changed after submitting" in refused.content
    draft_story.refresh_from_db()
    assert draft_story.headline == "Power cuts across Kharkiv after strike"


def test_reporter_cannot_edit_another_reporters_draft(client, other_reporter, draft_story):
    client.force_login(other_reporter)
    response = client.post(
        reverse("desk:story-edit", args=[draft_story.pk]), story_post(draft_story, headline="x")
    )
    assert response.status_code == 403
    assert b"your own drafts" in response.content
    draft_story.refresh_from_db()
    assert draft_story.headline == "Power cuts across Kharkiv after strike"


def test_reporter_sees_no_publish_controls(reporter_client, draft_story):
    page = reporter_client.get(reverse("desk:story-edit", args=[draft_story.pk])).content
    assert b"Submit for review" in page
    for control in (b"publish-story", b"schedule-story", b"unpublish-story", b"kp-approve-all"):
        assert control not in page


@pytest.mark.parametrize("action", ["publish", "schedule", "unpublish", "retract", "correct"])
def test_reporters_crafted_workflow_post_is_refused_and_changes_nothing(
    reporter_client, newsroom, action
):
    story = newsroom.main if action != "publish" else newsroom.draft
    before = (story.state, story.version, story.corrections.count())
    later = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = reporter_client.post(
        reverse(f"desk:story-{action}", args=[story.pk]),
        {"publish_at": later, "reason": "crafted", "text": "crafted"},
    )
    assert response.status_code == 403
    assert b"You do not have permission" in response.content
    story.refresh_from_db()
    assert (story.state, story.version, story.corrections.count()) == before


def test_editor_sees_publish_controls(editor_client, draft_story):
    page = editor_client.get(reverse("desk:story-edit", args=[draft_story.pk])).content
    assert b"Publish now" in page and b"Schedule" in page


def test_publishing_an_incomplete_draft_names_what_is_missing(editor_client, draft_story):
    response = editor_client.post(reverse("desk:story-publish", args=[draft_story.pk]), follow=True)
    assert b"cannot be published yet. Missing: standfirst, byline." in response.content
    draft_story.refresh_from_db()
    assert draft_story.state == "draft"


def test_editor_publishes_and_unpublishes(editor_client, newsroom):
    story = newsroom.draft
    story.standfirst, story.byline = "Damage to the port is being assessed.", "By the desk"
    story.body = story.body or "Text."
    story.save()
    editor_client.post(reverse("desk:story-publish", args=[story.pk]))
    story.refresh_from_db()
    assert story.state == "published"
    response = editor_client.post(
        reverse("desk:story-unpublish", args=[story.pk]), {"reason": "legal check"}, follow=True
    )
    assert b"Unpublished" in response.content
    story.refresh_from_db()
    assert story.state == "unpublished"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", b"This field is required."),
        ("tomorrow-ish", b"Enter a valid date/time."),
        ("2020-01-01T10:00", b"Choose a publishing time in the future."),
    ],
)
def test_bad_schedule_times_are_refused_clearly(editor_client, newsroom, value, message):
    response = editor_client.post(
        reverse("desk:story-schedule", args=[newsroom.draft.pk]),
        {"publish_at": value},
        follow=True,
    )
    assert message in response.content
    newsroom.draft.refresh_from_db()
    assert newsroom.draft.state == "draft"


def test_schedule_is_entered_in_newsroom_time(editor_client, newsroom):
    story = newsroom.spiderweb_story
    editor_client.post(reverse("desk:story-unpublish", args=[story.pk]))
    local = timezone.localtime() + timedelta(days=2)
    editor_client.post(
        reverse("desk:story-schedule", args=[story.pk]),
        {"publish_at": local.strftime("%Y-%m-%dT%H:%M")},
    )
    story.refresh_from_db()
    assert story.state == "scheduled"
    assert timezone.localtime(story.publish_at).strftime("%H:%M") == local.strftime("%H:%M")


def test_stale_save_shows_the_conflict_and_keeps_the_typed_text(
    client, editor, second_editor, newsroom
):
    story = newsroom.main
    opened = story_post(story)  # the first editor opened the form at this version
    story.headline = "Night editor's headline"
    story.updated_by = second_editor
    story.save()
    client.force_login(editor)
    opened["headline"] = "My better headline"
    opened["body"] = "Everything I typed tonight."
    response = client.post(reverse("desk:story-edit", args=[story.pk]), opened)
    page = response.content.decode()
    assert response.status_code == 200
    assert "night-editor saved this story at" in page
    assert "Everything I typed tonight." in page and "My better headline" in page
    story.refresh_from_db()
    assert story.headline == "Night editor's headline"


def test_two_primary_events_are_refused_and_nothing_is_saved(reporter_client, newsroom):
    data = story_post(
        headline="Two primaries",
        **{
            "links-TOTAL_FORMS": "2",
            "links-0-event": str(newsroom.kharkiv.pk),
            "links-0-is_primary": "on",
            "links-1-event": str(newsroom.wave.pk),
            "links-1-is_primary": "on",
        },
    )
    response = reporter_client.post(reverse("desk:story-new"), data)
    assert response.status_code == 200
    assert b"Mark only one linked event as primary." in response.content
    assert b"Two primaries" in response.content
    assert not Story.objects.filter(headline="Two primaries").exists()


def test_a_bad_event_id_is_a_form_error_not_a_crash(reporter_client, db):
    data = story_post(
        headline="Bad link", **{"links-TOTAL_FORMS": "1", "links-0-event": "not-a-number"}
    )
    response = reporter_client.post(reverse("desk:story-new"), data)
    assert response.status_code == 200
    assert b"Select a valid choice." in response.content
    assert not Story.objects.filter(headline="Bad link").exists()


def test_a_tampered_formset_is_a_clear_error(reporter_client, db):
    response = reporter_client.post(reverse("desk:story-new"), {"headline": "No management"})
    assert response.status_code == 200
    assert b"ManagementForm data is missing" in response.content
    assert b"No management" in response.content


def test_editor_adds_a_dated_public_correction(editor_client, newsroom):
    response = editor_client.post(
        reverse("desk:story-correct", args=[newsroom.main.pk]),
        {"text": "An earlier version gave the wrong district."},
        follow=True,
    )
    assert b"Correction added" in response.content
    public = editor_client.get(reverse("public:story", args=[newsroom.main.slug]))
    assert b"An earlier version gave the wrong district." in public.content


def test_empty_correction_is_refused(editor_client, newsroom):
    response = editor_client.post(
        reverse("desk:story-correct", args=[newsroom.main.pk]), {"text": "  "}, follow=True
    )
    assert b"A correction needs its text." in response.content
    assert newsroom.main.corrections.count() == 0


def test_staff_preview_an_unpublished_story_that_the_public_cannot_see(
    reporter_client, client, newsroom
):
    preview = reporter_client.get(reverse("desk:story-preview", args=[newsroom.draft.pk]))
    assert preview.status_code == 200
    assert b"Preview" in preview.content and newsroom.draft.headline.encode() in preview.content
    client.logout()
    assert client.get(reverse("desk:story-preview", args=[newsroom.draft.pk])).status_code == 302


def test_story_list_filters_by_state_and_words(editor_client, newsroom):
    page = editor_client.get(reverse("desk:story-list"), {"state": "draft"}).content.decode()
    assert newsroom.draft.headline in page and newsroom.main.headline not in page
    page = editor_client.get(reverse("desk:story-list"), {"q": "Moscow"}).content.decode()
    assert newsroom.talks_story.headline in page and newsroom.draft.headline not in page
    # an unknown state is ignored rather than an error
    assert editor_client.get(reverse("desk:story-list"), {"state": "bogus"}).status_code == 200


def test_the_editor_shows_who_changed_the_state_and_why(editor_client, editor, newsroom):
    newsroom.main.unpublish(by=editor, reason="Checking the casualty figures")
    page = editor_client.get(reverse("desk:story-edit", args=[newsroom.main.pk])).content
    assert b"unpublish (published \xe2\x86\x92 unpublished): Checking the casualty figures" in page


def test_publishing_from_a_stale_page_is_refused_until_the_editor_reads_it(
    editor_client, reporter, newsroom
):
    story = newsroom.draft
    story.standfirst, story.byline = "The port was hit again.", "By the desk"
    story.save()
    page_version = story.version
    story.body = "The reporter rewrote the story after the editor opened it."
    story.updated_by = reporter
    story.save()
    url = reverse("desk:story-publish", args=[story.pk])
    response = editor_client.post(url, {"expected_version": page_version}, follow=True)
    assert b"Not done: reporter saved this story at" in response.content
    story.refresh_from_db()
    assert story.state == "draft"
    editor_client.post(url, {"expected_version": story.version})
    story.refresh_from_db()
    assert story.state == "published"
