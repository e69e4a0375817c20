"""Every save is a version; restoring brings back content and never changes the state."""

from django.contrib.auth.models import User
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


def test_version_and_history_pages_are_refused_to_staff_outside_the_newsroom(newsroom, client):
    """A version holds drafts and internal notes: only people who may see the record see it."""
    event = newsroom.wave
    assert event.internal_note
    version = Version.objects.get_for_object(event).first()
    # A staff account (it may open the admin) with no newsroom permission at all.
    client.force_login(User.objects.create(username="it-support", is_staff=True))
    for url in (
        reverse("admin:events_event_revision", args=[event.pk, version.pk]),
        reverse("admin:events_event_history", args=[event.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert event.internal_note not in response.text
    assert (
        client.post(reverse("admin:events_event_revision", args=[event.pk, version.pk])).status_code
        == 403
    )


def test_restore_by_a_reporter_leaves_verification_and_the_slug_alone(
    reporter, reporter_client, editor
):
    from reversion import create_revision

    from events.models import Event

    with create_revision():
        event = Event.objects.create(
            title="Explosions in Sumy", slug="explosions-in-sumy", created_by=reporter
        )
    earliest = Version.objects.get_for_object(event).first()
    with create_revision():
        event.title = "Explosions reported in Sumy overnight"
        event.slug = "sumy-explosions"
        event.save()
    event.set_verification(Event.Verification.CONFIRMED, by=editor)
    event.refresh_from_db()

    url = reverse("admin:events_event_revision", args=[event.pk, earliest.pk])
    page = reporter_client.get(url)
    assert "Verification" not in page.text  # not offered as a difference to restore
    reporter_client.post(url, {"expected_version": event.version})

    event.refresh_from_db()
    assert event.title == "Explosions in Sumy"  # the content came back
    assert event.verification_status == Event.Verification.CONFIRMED  # the editor's call stays
    assert event.slug == "sumy-explosions"  # the address stays


def test_a_restore_from_a_page_opened_before_a_save_is_refused(newsroom, client, editor):
    story = newsroom.main
    first = Version.objects.get_for_object(story).last()
    client.force_login(editor)
    opened_at = story.version
    edit_in_admin(client, story, headline="Saved while the restore page was open")
    response = client.post(
        reverse("admin:events_story_revision", args=[story.pk, first.pk]),
        {"expected_version": opened_at},
        follow=True,
    )
    assert "Not done: editor saved this story at" in response.text
    story.refresh_from_db()
    assert story.headline == "Saved while the restore page was open"
