"""Every admin page an editor can reach answers, with the demo night loaded."""

import pytest
from django.contrib import admin
from django.urls import reverse

from events.models import Story

ADMINS = [
    model_admin
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label == "events"
]


@pytest.mark.parametrize("model_admin", ADMINS, ids=lambda a: a.model._meta.model_name)
def test_editor_opens_list_add_and_change_pages(newsroom, editor_client, editor, model_admin):
    opts = model_admin.model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    changelist = editor_client.get(reverse(f"{name}_changelist"))
    assert changelist.status_code == 200
    request = changelist.wsgi_request
    if model_admin.has_add_permission(request):
        assert editor_client.get(reverse(f"{name}_add")).status_code == 200
    record = model_admin.model.objects.first()
    assert record is not None, f"the demo night has no {opts.verbose_name}"
    assert editor_client.get(reverse(f"{name}_change", args=[record.pk])).status_code == 200
    if hasattr(model_admin, "history_view"):
        assert editor_client.get(reverse(f"{name}_history", args=[record.pk])).status_code == 200


def test_list_search_and_filters_answer(newsroom, editor_client):
    url = reverse("admin:events_story_changelist")
    page = editor_client.get(url, {"q": "Kharkiv", "state__exact": "published"})
    assert page.status_code == 200
    assert newsroom.main.headline in page.text
    assert newsroom.talks_story.headline not in page.text


def test_event_autocomplete_finds_events_by_title(newsroom, editor_client):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "residential",
            "app_label": "events",
            "model_name": "storyevent",
            "field_name": "event",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [
        "Drone strike on residential Kharkiv"
    ]


def test_published_story_cannot_be_deleted(newsroom, editor_client):
    url = reverse("admin:events_story_delete", args=[newsroom.main.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert Story.objects.filter(pk=newsroom.main.pk).exists()


def test_audit_trail_is_read_only(newsroom, editor_client):
    assert editor_client.get(reverse("admin:events_auditentry_add")).status_code == 403
