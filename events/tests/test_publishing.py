"""Drafts always save; publishing checks what a published record needs, and says what is missing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.models import AuditEntry, Briefing, Event, Story


def test_half_written_draft_saves(reporter):
    story = Story.objects.create(headline="", body="Notes so far.", created_by=reporter)
    assert Story.objects.get(pk=story.pk).body == "Notes so far."


def test_publishing_an_incomplete_draft_names_the_missing_fields(draft_story, editor):
    with pytest.raises(ValidationError) as refusal:
        draft_story.publish(by=editor)
    message = refusal.value.messages[0]
    assert "standfirst" in message and "byline" in message
    assert "headline" not in message  # it has one
    draft_story.refresh_from_db()
    assert draft_story.state == Story.State.DRAFT
    assert draft_story.body == "Engineers are working to restore power."


def test_admin_publish_refusal_is_shown_to_the_editor(draft_story, editor_client):
    response = editor_client.post(
        reverse("admin:events_story_changelist"),
        {"action": "publish_selected", "_selected_action": [draft_story.pk]},
        follow=True,
    )
    assert "cannot be published yet. Missing: standfirst, byline" in response.text
    draft_story.refresh_from_db()
    assert draft_story.state == Story.State.DRAFT


def test_publishing_records_dates_slug_and_an_audit_entry(draft_story, editor):
    draft_story.standfirst = "Much of the city is without power."
    draft_story.byline = "By Taras Bondar"
    draft_story.save()
    draft_story.publish(by=editor)
    assert draft_story.first_published_at is not None
    assert draft_story.slug == "power-cuts-across-kharkiv-after-strike"
    entry = AuditEntry.objects.filter(object_id=draft_story.pk, action="publish").get()
    assert (entry.actor, entry.from_state, entry.to_state) == (editor, "draft", "published")


def test_event_needs_its_facts_before_publishing(reporter, editor):
    event = Event.objects.create(title="Explosions in Zaporizhzhia", created_by=reporter)
    with pytest.raises(ValidationError, match="public summary, event type, starts at, location"):
        event.publish(by=editor)


def test_briefing_with_an_unpublished_story_cannot_publish(newsroom, editor):
    briefing = Briefing.objects.create(title="Evening briefing", edition_date="2025-06-11")
    briefing.items.create(story=newsroom.main, order=0)
    briefing.items.create(story=newsroom.draft, order=1)
    with pytest.raises(ValidationError, match="Odesa counts damage"):
        briefing.publish(by=editor)
    briefing.refresh_from_db()
    assert briefing.state == Briefing.State.DRAFT


def test_empty_briefing_cannot_publish(editor):
    briefing = Briefing.objects.create(title="Evening briefing", edition_date="2025-06-11")
    with pytest.raises(ValidationError, match="at least one story"):
        briefing.publish(by=editor)


def test_unpublishing_a_story_removes_it_from_everything_public(newsroom, editor):
    assert newsroom.main in [item.story for item in newsroom.briefing.public_items()]
    newsroom.main.unpublish(by=editor, reason="Figures under review")
    assert newsroom.main not in Story.objects.published()
    assert newsroom.main not in [item.story for item in newsroom.briefing.public_items()]
    assert newsroom.briefing.public_items().count() == 2
    assert AuditEntry.objects.filter(action="unpublish", note="Figures under review").exists()


def test_retraction_needs_a_reason(newsroom, editor):
    with pytest.raises(ValidationError, match="Say why"):
        newsroom.talks_story.retract(by=editor, reason=" ")
    newsroom.talks_story.retract(by=editor, reason="The talks were not moved.")
    assert newsroom.talks_story.state == Story.State.RETRACTED
    with pytest.raises(ValidationError):
        newsroom.talks_story.publish(by=editor)


def test_corrections_are_public_dated_and_only_on_published_stories(newsroom, editor, draft_story):
    correction = newsroom.main.add_correction(editor, "An earlier version said 50 injured.")
    assert correction.created_at is not None
    assert list(newsroom.main.corrections.values_list("text", flat=True)) == [
        "An earlier version said 50 injured."
    ]
    with pytest.raises(ValidationError, match="has been published"):
        draft_story.add_correction(editor, "Anything")


def test_admin_correction_inline_goes_through_the_rule(newsroom, editor_client):
    from .admin_forms import admin_form_data

    url = reverse("admin:events_story_change", args=[newsroom.main.pk])
    data = admin_form_data(editor_client.get(url))
    data["corrections-TOTAL_FORMS"] = 1
    data["corrections-0-text"] = "An earlier version misspelled the governor's name."
    assert editor_client.post(url, data).status_code == 302
    assert newsroom.main.corrections.get().text.startswith("An earlier version misspelled")
    assert AuditEntry.objects.filter(object_id=newsroom.main.pk, action="correct").exists()


def test_briefing_takes_live_or_scheduled_stories_once_and_in_order(newsroom, editor):
    briefing = Briefing.objects.create(title="Evening briefing", edition_date="2025-06-11")
    with pytest.raises(ValidationError, match="only published or scheduled"):
        briefing.add_story(newsroom.draft)
    first = briefing.add_story(newsroom.talks_story)
    second = briefing.add_story(newsroom.main)
    with pytest.raises(ValidationError, match="already in this briefing"):
        briefing.add_story(newsroom.main)
    assert briefing.move_item(second, -1) is True
    assert [item.story for item in briefing.items.all()] == [newsroom.main, newsroom.talks_story]
    assert briefing.move_item(first, +1) is False  # already last


def test_a_story_never_published_cannot_be_retracted_so_readers_never_see_its_headline(
    editor_client, draft_story, client
):
    response = editor_client.post(
        reverse("desk:story-retract", args=[draft_story.pk]),
        {"reason": "Wrong figures."},
        follow=True,
    )
    assert "Only a story that has been published can be retracted" in response.text
    draft_story.refresh_from_db()
    assert draft_story.state == Story.State.DRAFT
    draft_story.ensure_slug()
    draft_story.save()
    public = client.get(reverse("public:story", args=[draft_story.slug]))
    assert public.status_code == 404
    assert draft_story.headline not in public.text


def test_setting_the_same_verification_again_changes_nothing(newsroom, editor):
    event = newsroom.kharkiv
    version, entries = event.version, AuditEntry.objects.filter(object_id=event.pk).count()
    event.set_verification(event.verification_status, by=editor)
    event.refresh_from_db()
    assert event.version == version
    assert AuditEntry.objects.filter(object_id=event.pk).count() == entries
