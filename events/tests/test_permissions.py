"""Who may do what: reporters write and submit, editors publish, whatever the entry point."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from events.models import Briefing, Event, KeyPoint, Story

from .admin_forms import admin_form_data


def test_reporter_cannot_publish_a_story_through_the_model(newsroom, reporter):
    with pytest.raises(PermissionDenied, match="permission to publish"):
        newsroom.draft.publish(by=reporter)
    newsroom.draft.refresh_from_db()
    assert newsroom.draft.state == Story.State.DRAFT


def test_reporters_crafted_admin_action_does_not_publish(newsroom, reporter_client):
    draft = newsroom.draft
    response = reporter_client.post(
        reverse("admin:events_story_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.state == Story.State.DRAFT
    assert response.status_code == 200
    assert "No action selected" in response.text or "permission" in response.text


def test_reporters_crafted_state_field_in_the_change_form_is_ignored(newsroom, reporter_client):
    draft = newsroom.draft
    url = reverse("admin:events_story_change", args=[draft.pk])
    data = admin_form_data(reporter_client.get(url), state="published", standfirst="Short.")
    response = reporter_client.post(url, data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.standfirst == "Short."
    assert draft.state == Story.State.DRAFT
    assert draft.first_published_at is None


def test_reporter_cannot_publish_events_or_briefings(newsroom, reporter):
    event = Event.objects.create(title="Shelling near Kupiansk", created_by=reporter)
    with pytest.raises(PermissionDenied):
        event.publish(by=reporter)
    with pytest.raises(PermissionDenied):
        newsroom.briefing.unpublish(by=reporter)
    assert Briefing.objects.published().filter(pk=newsroom.briefing.pk).exists()


def test_reporter_cannot_approve_key_points_or_set_verification(newsroom, reporter):
    point = KeyPoint.objects.create(story=newsroom.draft, text="Odesa port is damaged.")
    with pytest.raises(PermissionDenied):
        point.approve(by=reporter)
    with pytest.raises(PermissionDenied):
        newsroom.kharkiv.set_verification(Event.Verification.CONFIRMED, by=reporter)
    point.refresh_from_db()
    assert point.approved_at is None


def test_reporter_edits_own_draft_but_not_others_or_submitted(
    newsroom, reporter, other_reporter, draft_story
):
    assert draft_story.can_edit(reporter)
    assert not draft_story.can_edit(other_reporter)
    assert not newsroom.main.can_edit(reporter)  # published: the desk's now
    draft_story.submit(by=reporter)
    assert not draft_story.can_edit(reporter)


def test_reporter_sees_others_stories_read_only_in_the_admin(newsroom, reporter_client):
    url = reverse("admin:events_story_change", args=[newsroom.main.pk])
    page = reporter_client.get(url)
    assert page.status_code == 200
    assert 'type="submit" value="Save"' not in page.text
    data = admin_form_data(page) if "adminform" in page.context else {}
    reporter_client.post(url, {**data, "headline": "Rewritten by a reporter"})
    newsroom.main.refresh_from_db()
    assert newsroom.main.headline != "Rewritten by a reporter"


def test_reporter_does_not_get_publish_actions(newsroom, client, reporter, editor):
    url = reverse("admin:events_story_changelist")
    client.force_login(reporter)
    assert "publish_selected" not in client.get(url).text
    assert "submit_selected" in client.get(url).text
    client.force_login(editor)
    assert "publish_selected" in client.get(url).text


def test_editor_publishes_through_the_admin_action(newsroom, editor_client, reporter):
    story = Story.objects.create(
        headline="Kharkiv schools move online",
        standfirst="Classes go remote after the strike.",
        body="City officials said schools will teach online this week.",
        byline="By Taras Bondar",
        created_by=reporter,
    )
    editor_client.post(
        reverse("admin:events_story_changelist"),
        {"action": "publish_selected", "_selected_action": [story.pk]},
    )
    story.refresh_from_db()
    assert story.state == Story.State.PUBLISHED
    assert story.slug == "kharkiv-schools-move-online"


def test_outsider_cannot_reach_the_admin(outsider, client):
    client.force_login(outsider)
    response = client.get(reverse("admin:events_story_changelist"))
    assert response.status_code == 302  # not staff: back to the login page
