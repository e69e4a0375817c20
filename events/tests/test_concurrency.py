"""No silent overwrites: a save based on an older version is refused, and both versions survive."""

import pytest
from django.urls import reverse

from events.models import StaleEdit, Story

from .admin_forms import admin_form_data


def test_second_editors_stale_admin_save_is_refused_and_both_versions_survive(
    newsroom, client, editor, second_editor
):
    url = reverse("admin:events_story_change", args=[newsroom.main.pk])
    client.force_login(editor)
    first_form = admin_form_data(client.get(url))
    client.force_login(second_editor)
    second_form = admin_form_data(client.get(url))

    first_form["headline"] = "Three killed in Kharkiv; more than 300 drones across Ukraine"
    client.force_login(editor)
    assert client.post(url, first_form).status_code == 302

    second_form["headline"] = "Night of drones: Kharkiv counts its dead"
    client.force_login(second_editor)
    response = client.post(url, second_form)

    assert response.status_code == 200
    assert "editor saved this story at" in response.text
    assert "nothing was overwritten" in response.text
    # What the second editor typed is still in the form in front of them...
    assert "Night of drones: Kharkiv counts its dead" in response.text
    # ...and the first editor's save is what the database holds.
    newsroom.main.refresh_from_db()
    assert newsroom.main.headline == "Three killed in Kharkiv; more than 300 drones across Ukraine"


def test_fresh_form_after_a_refusal_saves(newsroom, client, editor, second_editor):
    url = reverse("admin:events_story_change", args=[newsroom.talks_story.pk])
    client.force_login(second_editor)
    stale = admin_form_data(client.get(url))
    client.force_login(editor)
    client.post(url, admin_form_data(client.get(url), dateline="ISTANBUL"))
    client.force_login(second_editor)
    assert client.post(url, stale).status_code == 200
    fresh = admin_form_data(client.get(url), standfirst="Flights and Iran on the agenda.")
    assert client.post(url, fresh).status_code == 302
    newsroom.talks_story.refresh_from_db()
    assert (newsroom.talks_story.dateline, newsroom.talks_story.standfirst) == (
        "ISTANBUL",
        "Flights and Iran on the agenda.",
    )


def test_event_admin_refuses_stale_save_too(newsroom, client, editor, second_editor):
    url = reverse("admin:events_event_change", args=[newsroom.kharkiv.pk])
    client.force_login(second_editor)
    stale = admin_form_data(client.get(url), summary="Stale summary")
    client.force_login(editor)
    client.post(url, admin_form_data(client.get(url), summary="Fresh summary"))
    client.force_login(second_editor)
    response = client.post(url, stale)
    assert "saved this event" in response.text
    newsroom.kharkiv.refresh_from_db()
    assert newsroom.kharkiv.summary == "Fresh summary"


def test_check_version_names_who_saved(newsroom, editor):
    story = Story.objects.get(pk=newsroom.main.pk)
    opened_at = story.version
    story.headline = "Updated"
    story.updated_by = editor
    story.save()
    with pytest.raises(StaleEdit, match="editor saved this story"):
        story.check_version(opened_at)
    story.check_version(story.version)  # the current version passes
