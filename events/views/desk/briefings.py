"""The briefing composer: find published stories, add and order them, override blurbs, publish."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ...access import (
    desk_view,
    get_briefing_for_edit,
    get_briefing_item_for_edit,
    require_briefing_editor,
)
from ...forms import AddBriefingItemForm, BriefingForm, BriefingItemForm, ScheduleForm
from ...models import Briefing, Story
from ..public import briefing_page_context
from .base import form_errors_text, lock_as_seen, recent_history, run_workflow

SEARCH_SIZE = 20


@desk_view
def list_briefings(request: HttpRequest) -> HttpResponse:
    require_briefing_editor(request.user)
    briefings = Briefing.objects.order_by("-edition_date", "-id")[:50]
    return render(request, "desk/briefing_list.html", {"briefings": briefings})


@desk_view
def create_briefing(request: HttpRequest) -> HttpResponse:
    require_briefing_editor(request.user)
    if not request.user.has_perm("events.add_briefing"):
        raise PermissionDenied("You cannot create briefings.")
    return briefing_composer(request, Briefing())


@desk_view
def edit_briefing(request: HttpRequest, pk: int) -> HttpResponse:
    return briefing_composer(request, get_briefing_for_edit(request.user, pk))


def find_stories(briefing: Briefing, query: str):
    """Published (or scheduled) stories matching every word, newest first, not yet included."""
    stories = Story.objects.filter(state__in=Briefing.addable_states).order_by(
        "-last_published_at", "-id"
    )
    if briefing.pk:
        stories = stories.exclude(briefing_items__briefing=briefing)
    for word in query.split()[:6]:
        stories = stories.filter(Q(headline__icontains=word) | Q(standfirst__icontains=word))
    return stories[:SEARCH_SIZE]


def briefing_composer(request: HttpRequest, briefing: Briefing) -> HttpResponse:
    creating = briefing.pk is None
    if request.method == "POST":
        with transaction.atomic():
            form = BriefingForm(request.POST, instance=briefing)
            if form.is_valid():
                briefing = form.save(commit=False)
                if creating:
                    briefing.created_by = request.user
                briefing.updated_by = request.user
                briefing.save()
                messages.success(request, "Briefing created." if creating else "Saved.")
                return redirect("desk:briefing-edit", pk=briefing.pk)
        messages.error(request, "Nothing was saved: see the messages in the form.")
    else:
        form = BriefingForm(instance=briefing)
    query = request.GET.get("q", "").strip()[:200]
    context = {"briefing": briefing, "form": form, "query": query}
    if not creating:
        items = list(briefing.items.select_related("story").order_by("order", "id"))
        context.update(
            {
                "items": [
                    (item, BriefingItemForm(instance=item, prefix=f"item-{item.pk}"))
                    for item in items
                ],
                "results": find_stories(briefing, query),
                "schedule_form": ScheduleForm(initial={"publish_at": briefing.publish_at}),
                "can_publish": request.user.has_perm("events.publish_briefing"),
                "history": recent_history(briefing),
            }
        )
    return render(request, "desk/briefing_edit.html", context)


def back_to_briefing(briefing: Briefing, anchor: str = "items") -> HttpResponse:
    return redirect(reverse("desk:briefing-edit", args=[briefing.pk]) + f"#{anchor}")


@desk_view
@require_GET
def search_briefing_stories(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = get_briefing_for_edit(request.user, pk)
    query = request.GET.get("q", "").strip()[:200]
    context = {"briefing": briefing, "results": find_stories(briefing, query), "query": query}
    return render(request, "desk/_briefing_results.html", context)


@desk_view
@require_POST
def add_briefing_item(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = get_briefing_for_edit(request.user, pk)
    form = AddBriefingItemForm(request.POST)
    story = Story.objects.filter(pk=form.cleaned_data["story"]).first() if form.is_valid() else None
    if story is None:
        messages.error(request, "That story does not exist; search again.")
    else:
        try:
            briefing.add_story(story)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, f"Added “{story}”.")
    return back_to_briefing(briefing)


@desk_view
@require_POST
def update_briefing_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_briefing_item_for_edit(request.user, pk)
    form = BriefingItemForm(request.POST, instance=item, prefix=f"item-{item.pk}")
    if form.is_valid():
        form.save()
        messages.success(request, f"Saved the headline and blurb of “{item.story}”.")
    else:
        messages.error(request, "Not saved. " + form_errors_text(form))
    return back_to_briefing(item.briefing)


@desk_view
@require_POST
def remove_briefing_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_briefing_item_for_edit(request.user, pk)
    item.delete()
    messages.success(request, f"Removed “{item.story}” from the briefing.")
    return back_to_briefing(item.briefing)


@desk_view
@require_POST
def move_briefing_item(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    item = get_briefing_item_for_edit(request.user, pk)
    briefing = item.briefing
    if briefing.move_item(item, -1 if direction == "up" else 1):
        messages.success(request, f"Moved “{item.story}” {direction}.")
    else:
        messages.info(
            request, f"“{item.story}” is already {'first' if direction == 'up' else 'last'}."
        )
    return back_to_briefing(briefing, f"item-{item.pk}")


@desk_view
@require_POST
def publish_briefing(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = get_briefing_for_edit(request.user, pk)

    def publish() -> None:
        lock_as_seen(request, briefing)
        briefing.publish(by=request.user)

    run_workflow(request, publish, "Briefing published.")
    return back_to_briefing(briefing, "workflow")


@desk_view
@require_POST
def schedule_briefing(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = get_briefing_for_edit(request.user, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not scheduled. " + form_errors_text(form))
        return back_to_briefing(briefing, "workflow")
    at = form.cleaned_data["publish_at"]

    def schedule() -> None:
        lock_as_seen(request, briefing)
        briefing.schedule(by=request.user, at=at)

    run_workflow(request, schedule, "Scheduled.")
    return back_to_briefing(briefing, "workflow")


@desk_view
@require_POST
def unpublish_briefing(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = get_briefing_for_edit(request.user, pk)
    run_workflow(request, lambda: briefing.unpublish(by=request.user), "Briefing unpublished.")
    return back_to_briefing(briefing, "workflow")


@desk_view
def preview_briefing(request: HttpRequest, pk: int) -> HttpResponse:
    """The briefing as readers would see it, with every item (published or not) marked."""
    briefing = get_briefing_for_edit(request.user, pk)
    context = {**briefing_page_context(briefing, preview=True), "preview": True}
    return render(request, "public/briefing_detail.html", context)
