"""Every save is a version; restoring brings back content and never changes the state."""

from django.urls import reverse
from reversion.models import Version

from events.models import AuditEntry, Story

from .admin_forms import admin_form_data


def edit_in_admin(client, story, **changes):
    url = reverse("admin:events_story_change", args=[story.pk])
    response = client.post(url, admin_form_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_each_admin_save_is_a_version_with_its_author(newsroom, editor_client, editor):
    edit_in_admin(editor_client, newsroom.main, headline="First rewrite")
    edit_in_admin(editor_client, newsroom.main, headline="Second rewrite")
    versions = Version.objects.get_for_object(newsroom.main)
    assert [v.field_dict["headline"] for v in versions[:2]] == ["Second rewrite", "First rewrite"]
    assert versions[0].revision.user == editor


def test_restore_brings_back_earlier_text_and_keeps_the_state(newsroom, editor_client):
    original = newsroom.main.headline
    first = Version.objects.get_for_object(newsroom.main).last()  # as the demo wrote it
    assert first.field_dict["headline"] == original
    edit_in_admin(editor_client, newsroom.main, headline="Another rewrite")
    newsroom.main.refresh_from_db()
    state_before = newsroom.main.state

    url = reverse("admin:events_story_revision", args=[newsroom.main.pk, first.pk])
    preview = editor_client.get(url)
    assert preview.status_code == 200
    assert "Another rewrite" in preview.text and original in preview.text

    editor_client.post(url)
    newsroom.main.refresh_from_db()
    assert newsroom.main.headline == original
    assert newsroom.main.state == state_before == Story.State.PUBLISHED
    assert AuditEntry.objects.filter(object_id=newsroom.main.pk, action="restore").exists()
    # The restore is itself a version, so it can be undone.
    assert Version.objects.get_for_object(newsroom.main)[0].field_dict["headline"] == original


def test_restoring_an_unpublished_versions_content_does_not_unpublish(
    draft_story, editor, editor_client
):
    edit_in_admin(editor_client, draft_story, standfirst="Power is back in most districts.")
    draft_version = Version.objects.get_for_object(draft_story)[0]
    edit_in_admin(editor_client, draft_story, byline="By Taras Bondar")
    draft_story.refresh_from_db()
    draft_story.publish(by=editor)
    url = reverse("admin:events_story_revision", args=[draft_story.pk, draft_version.pk])
    editor_client.post(url)
    draft_story.refresh_from_db()
    assert draft_story.state == Story.State.PUBLISHED
    assert draft_story.byline == ""  # the content did go back


def test_reporter_cannot_restore_a_published_story(newsroom, client, editor, reporter):
    client.force_login(editor)
    edit_in_admin(client, newsroom.main, headline="Edited by the desk")
    version = Version.objects.get_for_object(newsroom.main).last()
    url = reverse("admin:events_story_revision", args=[newsroom.main.pk, version.pk])
    client.force_login(reporter)
    assert client.post(url).status_code == 403
    newsroom.main.refresh_from_db()
    assert newsroom.main.headline == "Edited by the desk"
