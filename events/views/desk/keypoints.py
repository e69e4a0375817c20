"""The key-points panel of the story editor: status, review controls, live while drafting.

Every control is a plain form that works without JavaScript (it redirects back to the editor);
with htmx the panel swaps itself in place and polls while the worker is drafting.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ...access import desk_view, get_key_point_for_review, get_story_for_desk
from ...forms import RegenerateForm, TextForm
from ...models import Story
from .base import is_htmx, refusal_text

DRAFTING = (Story.KeyPointsStatus.QUEUED, Story.KeyPointsStatus.RUNNING)


def key_points_context(story: Story, user, error: str = "", notice: str = "") -> dict:
    return {
        "story": story,
        "points": list(story.key_points.select_related("approved_by")),
        "drafting": story.key_points_status in DRAFTING,
        "can_review": user.has_perm("events.approve_keypoints"),
        "panel_error": error,
        "panel_notice": notice,
    }


def panel_response(request: HttpRequest, story: Story, action, done: str) -> HttpResponse:
    """Apply ``action``; answer with the fresh panel (htmx) or back to the editor (no JS)."""
    error = notice = ""
    try:
        with transaction.atomic():
            action()
    except ValidationError as refusal:
        error = refusal_text(refusal)
    else:
        notice = done
    if is_htmx(request):
        story.refresh_from_db()
        context = key_points_context(story, request.user, error=error, notice=notice)
        return render(request, "desk/_key_points.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(reverse("desk:story-edit", args=[story.pk]) + "#key-points")


@desk_view
@require_GET
def show_key_points(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_desk(request.user, pk)
    return render(request, "desk/_key_points.html", key_points_context(story, request.user))


@desk_view
@require_POST
def regenerate_key_points(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_desk(request.user, pk)
    form = RegenerateForm(request.POST)
    replace = form.is_valid() and form.cleaned_data["replace_reviewed"]
    return panel_response(
        request,
        story,
        lambda: story.regenerate_key_points(by=request.user, replace_reviewed=replace),
        "Asked for a fresh draft." + ("" if replace else " Edited and approved points will stay."),
    )


@desk_view
@require_POST
def add_key_point(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_desk(request.user, pk)
    form = TextForm(request.POST)
    return panel_response(
        request,
        story,
        lambda: story.add_key_point(form.checked_text(), by=request.user),
        "Key point added.",
    )


@desk_view
@require_POST
def approve_all_key_points(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_desk(request.user, pk)
    # Only the points the panel showed: a draft the worker wrote meanwhile has not been read.
    shown = posted_ids(request, "point")
    return panel_response(
        request,
        story,
        lambda: story.approve_key_points(by=request.user, ids=shown),
        "All points approved.",
    )


def posted_ids(request: HttpRequest, name: str) -> list[int] | None:
    """The ids posted under ``name`` (None if the form sent none; bad ones are skipped)."""
    if name not in request.POST:
        return None
    ids = []
    for value in request.POST.getlist(name):
        try:
            ids.append(int(value))
        except ValueError:
            continue
    return ids


@desk_view
@require_POST
def edit_key_point(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_key_point_for_review(request.user, pk)
    form = TextForm(request.POST)
    return panel_response(
        request,
        point.story,
        lambda: point.edit(form.checked_text(), by=request.user),
        "Key point saved; approve it again when it reads right.",
    )


@desk_view
@require_POST
def approve_key_point(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_key_point_for_review(request.user, pk)
    seen = request.POST.get("seen")  # the wording the editor read; approval is of that
    return panel_response(
        request,
        point.story,
        lambda: point.approve(by=request.user, seen_text=seen),
        "Key point approved.",
    )


@desk_view
@require_POST
def delete_key_point(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_key_point_for_review(request.user, pk)
    return panel_response(
        request, point.story, lambda: point.remove(by=request.user), "Key point deleted."
    )


@desk_view
@require_POST
def move_key_point(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    point = get_key_point_for_review(request.user, pk)
    story = point.story

    def move() -> None:
        ids = list(story.key_points.values_list("pk", flat=True))
        index = ids.index(point.pk)
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(ids):
            raise ValidationError(f"This point is already {'first' if target < 0 else 'last'}.")
        ids[index], ids[target] = ids[target], ids[index]
        story.reorder_key_points(ids, by=request.user)

    return panel_response(request, story, move, f"Moved {direction}.")
