"""The key-points panel: status, review controls, live while drafting, refusals shown."""

import pytest
from django.urls import reverse

from events.models import KeyPoint, Story

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def drafted(draft_story) -> Story:
    """The reporter's draft with three machine-drafted points, none approved."""
    for order, text in enumerate(["First drafted point.", "Second one.", "Third one."]):
        draft_story.key_points.create(text=text, order=order, origin="generated")
    Story.objects.filter(pk=draft_story.pk).update(key_points_status="ready")
    draft_story.refresh_from_db()
    return draft_story


def texts(story: Story) -> list[str]:
    return list(story.key_points.values_list("text", flat=True))


def test_panel_shows_status_points_origin_and_approval(editor_client, drafted):
    page = editor_client.get(reverse("desk:key-points", args=[drafted.pk])).content.decode()
    assert "Status: <strong>Ready</strong>" in page
    assert "First drafted point." in page and "Generated" in page
    assert page.count("Awaiting approval") == 3
    assert 'hx-trigger="every 2s"' not in page  # nothing to wait for


def test_panel_polls_while_the_worker_drafts_and_shows_failures(editor_client, drafted):
    Story.objects.filter(pk=drafted.pk).update(key_points_status="running")
    page = editor_client.get(reverse("desk:key-points", args=[drafted.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Running" in page
    # no typing inside a panel that replaces itself every two seconds
    assert "<textarea" not in page and "Editing and writing points come back" in page
    Story.objects.filter(pk=drafted.pk).update(
        key_points_status="failed", key_points_error="The summarizer timed out."
    )
    page = editor_client.get(reverse("desk:key-points", args=[drafted.pk])).content.decode()
    assert "Drafting failed: The summarizer timed out." in page
    assert 'hx-trigger="every 2s"' not in page


def test_editing_a_point_marks_it_edited_and_asks_for_approval_again(editor_client, drafted):
    point = drafted.key_points.first()
    KeyPoint.objects.filter(pk=point.pk).update(approved_at="2025-06-11T02:00Z")
    response = editor_client.post(
        reverse("desk:key-point-edit", args=[point.pk]), {"text": "Rewritten by hand."}, **HTMX
    )
    assert b"Key point saved" in response.content
    assert b"<html" not in response.content  # htmx gets only the panel
    point.refresh_from_db()
    assert (point.text, point.origin, point.approved_at) == ("Rewritten by hand.", "edited", None)


def test_an_empty_edit_is_refused_and_the_point_is_kept(editor_client, drafted):
    point = drafted.key_points.first()
    response = editor_client.post(
        reverse("desk:key-point-edit", args=[point.pk]), {"text": "   "}, **HTMX
    )
    assert b"A key point cannot be empty; delete it instead." in response.content
    point.refresh_from_db()
    assert point.text == "First drafted point."


def test_approve_one_then_all(editor_client, drafted, editor):
    first = drafted.key_points.first()
    editor_client.post(reverse("desk:key-point-approve", args=[first.pk]), **HTMX)
    first.refresh_from_db()
    assert first.approved_by == editor
    response = editor_client.post(reverse("desk:key-points-approve", args=[drafted.pk]), **HTMX)
    assert b"All points approved." in response.content
    assert not drafted.key_points.awaiting_approval().exists()


def test_up_and_down_reorder_the_points(editor_client, drafted):
    second = drafted.key_points.get(text="Second one.")
    editor_client.post(reverse("desk:key-point-up", args=[second.pk]), **HTMX)
    assert texts(drafted) == ["Second one.", "First drafted point.", "Third one."]
    editor_client.post(reverse("desk:key-point-down", args=[second.pk]), **HTMX)
    editor_client.post(reverse("desk:key-point-down", args=[second.pk]), **HTMX)
    assert texts(drafted) == ["First drafted point.", "Third one.", "Second one."]


def test_moving_the_last_point_down_says_it_is_already_last(editor_client, drafted):
    last = drafted.key_points.last()
    response = editor_client.post(reverse("desk:key-point-down", args=[last.pk]), **HTMX)
    assert b"already last" in response.content
    assert texts(drafted)[-1] == "Third one."


def test_delete_and_add_a_point_without_javascript(editor_client, drafted):
    point = drafted.key_points.first()
    response = editor_client.post(reverse("desk:key-point-delete", args=[point.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/desk/stories/{drafted.pk}/#key-points")
    response = editor_client.post(
        reverse("desk:key-point-add", args=[drafted.pk]),
        {"text": "Written by the editor."},
        follow=True,
    )
    assert b"Key point added." in response.content
    assert texts(drafted) == ["Second one.", "Third one.", "Written by the editor."]
    assert drafted.key_points.last().origin == "manual"


def test_regenerate_queues_a_draft_and_keeps_reviewed_points_by_default(
    editor_client, drafted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = editor_client.post(
            reverse("desk:key-points-regenerate", args=[drafted.pk]), **HTMX
        )
    assert b"Edited and approved points will stay." in response.content
    assert b'hx-trigger="every 2s"' in response.content
    drafted.refresh_from_db()
    assert drafted.key_points_status == "queued"
    assert len(callbacks) == 1


def test_reporter_cannot_review_key_points(reporter_client, drafted):
    point = drafted.key_points.first()
    page = reporter_client.get(reverse("desk:story-edit", args=[drafted.pk])).content
    assert b"First drafted point." in page and b"kp-approve-all" not in page
    for name, arg in [
        ("desk:key-point-approve", point.pk),
        ("desk:key-point-edit", point.pk),
        ("desk:key-point-delete", point.pk),
        ("desk:key-point-up", point.pk),
        ("desk:key-points-approve", drafted.pk),
        ("desk:key-point-add", drafted.pk),
        ("desk:key-points-regenerate", drafted.pk),
    ]:
        response = reporter_client.post(reverse(name, args=[arg]), {"text": "x"})
        assert response.status_code == 403, name
    assert texts(drafted) == ["First drafted point.", "Second one.", "Third one."]
    assert not drafted.key_points.approved().exists()


def test_approving_a_point_reworded_since_the_editor_read_it_is_refused(
    editor_client, drafted, second_editor
):
    point = drafted.key_points.first()
    point.edit("Reworded by another editor.", by=second_editor)
    response = editor_client.post(
        reverse("desk:key-point-approve", args=[point.pk]),
        {"seen": "First drafted point."},
        **HTMX,
    )
    assert b"changed after you read it" in response.content
    assert b"Reworded by another editor." in response.content  # the panel shows the new text
    point.refresh_from_db()
    assert point.approved_at is None


def test_approve_all_approves_only_the_points_the_panel_showed(editor_client, drafted):
    panel = editor_client.get(reverse("desk:key-points", args=[drafted.pk])).content.decode()
    shown = [str(pk) for pk in drafted.key_points.values_list("pk", flat=True)]
    assert all(f'name="point" value="{pk}"' in panel for pk in shown)
    # Meanwhile the worker adds a draft nobody has read.
    unread = drafted.key_points.create(text="A point nobody has read.", order=9)
    editor_client.post(reverse("desk:key-points-approve", args=[drafted.pk]), {"point": shown})
    assert drafted.key_points.awaiting_approval().get() == unread


def test_acting_on_a_point_the_worker_replaced_says_so(editor_client, drafted):
    point = drafted.key_points.first()
    pk = point.pk
    point.delete()  # the worker's redraft removed it after the panel was drawn
    response = editor_client.post(
        reverse("desk:key-point-edit", args=[pk]), {"text": "Too late."}, **HTMX
    )
    assert response.status_code == 404
    assert not drafted.key_points.filter(text="Too late.").exists()
