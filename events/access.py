"""Who may open which record on the desk: one access helper per model.

Each helper answers 404 for a record that does not exist and ``PermissionDenied`` (403, with a
sentence the desk shows) for one the user may not touch. The workflow rules themselves stay on
the models; these helpers only decide which record a view may work on.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from .models import Briefing, BriefingItem, Event, KeyPoint, Story


def is_desk_member(user) -> bool:
    """Reporters and editors (and superusers). Other staff accounts have no business here."""
    return user.is_active and user.has_perm("events.change_story")


def desk_view(view):
    """Login required; a logged-in account outside the newsroom groups gets a 403 page.

    A refusal raised by a model rule (``PermissionDenied`` with a sentence) is shown as a 403
    page carrying that sentence, so the user learns why.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            if not is_desk_member(request.user):
                raise PermissionDenied(
                    "This account is not in the Reporter or Editor group; ask an editor for access."
                )
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            reason = str(refusal) or "You do not have permission to do that."
            return render(request, "desk/forbidden.html", {"reason": reason}, status=403)

    return wrapper


def get_story_for_desk(user, pk: int) -> Story:
    """Any desk member may read any story on the desk (and preview it)."""
    return get_object_or_404(Story, pk=pk)


def story_edit_refusal(user, story: Story) -> str:
    """Why ``user`` may not change ``story`` ("" when they may)."""
    if story.can_edit(user):
        return ""
    return (
        "You can edit only your own drafts; this story is "
        f"{story.get_state_display().lower()}. An editor can change it."
    )


def get_story_for_edit(user, pk: int) -> Story:
    story = get_object_or_404(Story, pk=pk)
    refusal = story_edit_refusal(user, story)
    if refusal:
        raise PermissionDenied(refusal)
    return story


def get_key_point_for_review(user, pk: int) -> KeyPoint:
    point = get_object_or_404(KeyPoint.objects.select_related("story"), pk=pk)
    if not user.has_perm("events.approve_keypoints"):
        raise PermissionDenied("Only editors review key points.")
    return point


def get_event_for_desk(user, pk: int) -> Event:
    return get_object_or_404(Event, pk=pk)


def event_edit_refusal(user, event: Event) -> str:
    """Why ``user`` may not change ``event`` ("" when they may)."""
    if event.can_edit(user):
        return ""
    return (
        "You can edit only your own draft events; this one is "
        f"{event.get_state_display().lower()}. An editor can change it."
    )


def get_event_for_edit(user, pk: int) -> Event:
    event = get_object_or_404(Event, pk=pk)
    refusal = event_edit_refusal(user, event)
    if refusal:
        raise PermissionDenied(refusal)
    return event


def require_briefing_editor(user) -> None:
    if not user.has_perm("events.change_briefing"):
        raise PermissionDenied("Only editors compose briefings.")


def get_briefing_for_edit(user, pk: int) -> Briefing:
    require_briefing_editor(user)
    return get_object_or_404(Briefing, pk=pk)


def get_briefing_item_for_edit(user, pk: int) -> BriefingItem:
    require_briefing_editor(user)
    return get_object_or_404(BriefingItem.objects.select_related("briefing", "story"), pk=pk)
