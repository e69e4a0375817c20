"""Editors review key points in the admin: edit, reorder, delete, approve, regenerate."""

import pytest
from django.urls import reverse

from events.models import KeyPoint, Story
from events.tasks import generate_key_points

DRAFTS = [
    "Drones killed three people in Kharkiv overnight.",
    "Russia launched more than 300 drones across Ukraine.",
    "Talks between US and Russian officials move to Moscow.",
]


@pytest.fixture
def sent(monkeypatch):
    messages = []
    monkeypatch.setattr(
        generate_key_points, "delay", lambda *args, **kwargs: messages.append((args, kwargs))
    )
    return messages


@pytest.fixture
def story(editor) -> Story:
    story = Story.objects.create(
        headline="Drones kill three in Kharkiv",
        standfirst="A night of drones across Ukraine.",
        body="Drones hit Kharkiv overnight, killing three people.",
        created_by=editor,
        updated_by=editor,
    )
    KeyPoint.objects.bulk_create(
        KeyPoint(story=story, order=order, text=text, origin=KeyPoint.Origin.GENERATED)
        for order, text in enumerate(DRAFTS)
    )
    Story.objects.filter(pk=story.pk).update(
        key_points_status="ready", key_points_hash=story.text_hash
    )
    return Story.objects.get(pk=story.pk)


def change_url(story) -> str:
    return reverse("admin:events_story_change", args=[story.pk])


def form_data(page, **changes) -> dict:
    """What the browser would send back for the change page as rendered, plus ``changes``."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(item) for item in value]
            elif value is not None and value is not False:
                data[form.add_prefix(name)] = value

    add(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {
                f"{formset.prefix}-TOTAL_FORMS": len(formset.initial_forms),
                f"{formset.prefix}-INITIAL_FORMS": len(formset.initial_forms),
            }
        )
        for form in formset.initial_forms:
            add(form)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def save_change_page(client, story, **changes):
    page = client.get(change_url(story))
    return client.post(change_url(story), form_data(page, **changes))


def texts(story) -> list[str]:
    return list(story.key_points.values_list("text", flat=True))


def test_editing_a_generated_point_marks_it_edited(editor_client, story, sent):
    response = save_change_page(
        editor_client, story, **{"key_points-0-text": "Three people died in Kharkiv."}
    )
    assert response.status_code == 302
    point = story.key_points.get(order=0)
    assert point.text == "Three people died in Kharkiv."
    assert point.origin == KeyPoint.Origin.EDITED
    assert sent == []  # the story text did not change: nothing to regenerate


def test_reordering_with_the_order_column(editor_client, story, sent):
    save_change_page(editor_client, story, **{"key_points-2-order": "0"})
    assert texts(story) == [DRAFTS[2], DRAFTS[0], DRAFTS[1]]
    assert list(story.key_points.values_list("order", flat=True)) == [0, 1, 2]


def test_deleting_and_adding_points(editor_client, story, sent):
    page = editor_client.get(change_url(story))
    data = form_data(page, **{"key_points-1-DELETE": "on"})
    data.update(
        {
            "key_points-TOTAL_FORMS": 4,
            "key_points-3-order": "0",  # as the blank row is rendered
            "key_points-3-text": "A point the editor wrote by hand.",
        }
    )
    assert editor_client.post(change_url(story), data).status_code == 302
    assert texts(story) == [DRAFTS[0], DRAFTS[2], "A point the editor wrote by hand."]
    assert story.key_points.get(order=2).origin == KeyPoint.Origin.MANUAL


def test_approving_in_the_inline_makes_a_point_public(editor_client, editor, story, sent):
    save_change_page(editor_client, story, **{"key_points-0-mark_approved": "on"})
    approved = story.key_points.approved()
    assert list(approved.values_list("text", flat=True)) == [DRAFTS[0]]
    assert approved.get().approved_by == editor


def test_rewording_an_approved_point_waits_for_a_fresh_approval(editor_client, editor, story, sent):
    story.key_points.get(order=0).approve(editor)
    save_change_page(editor_client, story, **{"key_points-0-text": "Four people died in Kharkiv."})
    reworded = story.key_points.get(order=0)
    assert reworded.text == "Four people died in Kharkiv."
    assert not reworded.is_approved  # readers get none of it until an editor approves it


def test_an_empty_point_is_refused_and_the_form_keeps_what_was_typed(editor_client, story, sent):
    response = save_change_page(
        editor_client,
        story,
        headline="A new headline the editor typed",
        **{"key_points-0-text": "   "},
    )
    assert response.status_code == 200
    assert "A key point cannot be empty" in response.text
    assert "A new headline the editor typed" in response.text
    assert texts(story) == DRAFTS
    assert Story.objects.get(pk=story.pk).headline == "Drones kill three in Kharkiv"


def test_a_redraft_while_the_page_is_open_is_explained_and_nothing_is_lost(
    editor_client, story, sent
):
    page = editor_client.get(change_url(story))
    # Meanwhile the worker replaces the machine drafts with a new set.
    story.key_points.all().delete()
    KeyPoint.objects.create(story=story, text="A fresh draft.", origin="generated")
    response = editor_client.post(
        change_url(story), form_data(page, headline="The editor's new headline")
    )
    assert response.status_code == 200
    assert "redrafted these key points after you opened the page" in response.text
    assert "The editor&#x27;s new headline" in response.text
    assert texts(story) == ["A fresh draft."]
    assert Story.objects.get(pk=story.pk).headline == "Drones kill three in Kharkiv"


def test_saving_new_text_queues_key_points_after_commit(
    editor_client, story, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        save_change_page(editor_client, story, body="Drones hit Kharkiv, killing four people.")
    story.refresh_from_db()
    assert story.key_points_status == "queued"
    assert sent == [((story.pk, story.text_hash), {"replace_reviewed": False})]


def test_status_and_failure_reason_are_shown(editor_client, story):
    Story.objects.filter(pk=story.pk).update(
        key_points_status="failed", key_points_error="The summarizer server timed out."
    )
    listing = editor_client.get(reverse("admin:events_story_changelist"))
    assert "Failed: The summarizer server timed out." in listing.text
    page = editor_client.get(change_url(story))
    assert "The summarizer server timed out." in page.text


def test_list_counts_points_awaiting_approval(editor_client, story):
    listing = editor_client.get(reverse("admin:events_story_changelist"))
    assert "Ready, 3 awaiting approval" in listing.text


def run_action(client, action, *stories):
    return client.post(
        reverse("admin:events_story_changelist"),
        {"action": action, "_selected_action": [s.pk for s in stories]},
        follow=True,
    )


def test_approve_all_key_points_action(editor_client, story):
    response = run_action(editor_client, "approve_key_points_selected", story)
    assert "3 key point(s) approved." in response.text
    assert story.key_points.awaiting_approval().count() == 0


def test_regenerate_action_keeps_reviewed_points(
    editor_client, editor, story, sent, django_capture_on_commit_callbacks
):
    story.key_points.first().approve(by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(editor_client, "regenerate_key_points_selected", story)
    assert "Edited and approved points are kept" in response.text
    assert sent == [((story.pk, story.text_hash), {"replace_reviewed": False})]
    assert Story.objects.get(pk=story.pk).key_points_status == "queued"


def test_regenerate_replacing_reviewed_is_a_separate_action(
    editor_client, story, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(
            editor_client, "regenerate_key_points_replacing_reviewed_selected", story
        )
    assert "including edited and approved ones, will be replaced" in response.text
    assert sent == [((story.pk, story.text_hash), {"replace_reviewed": True})]


def test_a_reporter_gets_no_review_actions_and_cannot_edit_points(
    reporter_client, reporter, sent, django_capture_on_commit_callbacks
):
    story = Story.objects.create(
        headline="Reporter's draft", body="Some text.", created_by=reporter, updated_by=reporter
    )
    point = KeyPoint.objects.create(story=story, text="A drafted point.", origin="generated")
    listing = reporter_client.get(reverse("admin:events_story_changelist"))
    assert "regenerate_key_points_selected" not in listing.text
    assert "approve_key_points_selected" not in listing.text

    with django_capture_on_commit_callbacks(execute=True):
        run_action(reporter_client, "approve_key_points_selected", story)
        run_action(reporter_client, "regenerate_key_points_selected", story)
        save_change_page(reporter_client, story, **{"key_points-0-text": "Rewritten"})
    point.refresh_from_db()
    assert (point.text, point.is_approved) == ("A drafted point.", False)
    assert all(kwargs != {"replace_reviewed": True} for _, kwargs in sent)

    edit = reporter_client.post(
        reverse("admin:events_keypoint_change", args=[point.pk]),
        {"order": 0, "text": "Rewritten"},
    )
    assert edit.status_code == 403


def test_key_point_admin_edits_through_the_review_rules(editor_client, editor, story):
    point = story.key_points.get(order=1)
    point.approve(by=editor)
    response = editor_client.post(
        reverse("admin:events_keypoint_change", args=[point.pk]),
        {"order": 0, "text": "More than 300 drones were launched."},
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.origin == KeyPoint.Origin.EDITED
    assert not point.is_approved  # the new wording needs a fresh approval
    assert texts(story)[0] == "More than 300 drones were launched."


def test_key_point_admin_adds_a_hand_written_point_at_the_end(editor_client, story):
    response = editor_client.post(
        reverse("admin:events_keypoint_add"),
        {"story": story.pk, "order": 0, "text": "  A point   written by hand. "},
    )
    assert response.status_code == 302
    assert texts(story)[-1] == "A point written by hand."
    assert story.key_points.last().origin == KeyPoint.Origin.MANUAL


def test_key_point_admin_approve_action(editor_client, story):
    response = editor_client.post(
        reverse("admin:events_keypoint_changelist"),
        {"action": "approve_selected", "_selected_action": [story.key_points.first().pk]},
        follow=True,
    )
    assert "1 key point(s) approved." in response.text
    assert story.key_points.approved().count() == 1
