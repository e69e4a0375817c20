"""The story editor and the story's workflow buttons."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ...access import desk_view, get_story_for_desk, story_edit_refusal
from ...forms import (
    QuoteFormSet,
    ReasonForm,
    ScheduleForm,
    StoryEventFormSet,
    StoryForm,
    TextForm,
)
from ...models import Story
from ..public import story_page_context
from .base import filter_list, form_errors_text, lock_as_seen, recent_history, run_workflow
from .keypoints import key_points_context

LIST_SIZE = 50


@desk_view
def list_stories(request: HttpRequest) -> HttpResponse:
    context = filter_list(
        request,
        Story.objects.select_related("created_by").order_by("-updated_at"),
        Story.State,
        "headline",
        "standfirst",
    )
    context["stories"] = context.pop("records")[:LIST_SIZE]
    return render(request, "desk/story_list.html", context)


@desk_view
def create_story(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("events.add_story"):
        raise PermissionDenied("You cannot create stories.")
    return story_editor(request, Story())


@desk_view
def edit_story(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_desk(request.user, pk)
    if request.method == "POST" and not story.can_edit(request.user):
        return refuse_story_save(request, story)
    return story_editor(request, story)


def refuse_story_save(request: HttpRequest, story: Story) -> HttpResponse:
    """A save the user may not make (someone published the draft meanwhile, or a crafted POST):
    refused with the reason, and the page shows what they typed so that nothing is lost."""
    reason = story_edit_refusal(request.user, story)
    messages.error(request, f"Nothing was saved. {reason} Copy what you typed before leaving.")
    context = editor_context(
        request,
        story,
        form=StoryForm(request.POST, instance=story),
        links=StoryEventFormSet(request.POST, instance=story, prefix="links"),
        quotes=QuoteFormSet(request.POST, instance=story, prefix="quotes"),
    )
    context.update({"editable": False, "refused": True})
    return render(request, "desk/story_edit.html", context, status=403)


def story_editor(request: HttpRequest, story: Story) -> HttpResponse:
    creating = story.pk is None
    if request.method == "POST":
        # One transaction: the version check locks the row until the save commits.
        with transaction.atomic():
            form = StoryForm(request.POST, instance=story)
            links = StoryEventFormSet(request.POST, instance=story, prefix="links")
            quotes = QuoteFormSet(request.POST, instance=story, prefix="quotes")
            if all([form.is_valid(), links.is_valid(), quotes.is_valid()]):
                story = form.save(commit=False)
                if creating:
                    story.created_by = request.user
                story.updated_by = request.user
                story.save()
                form.save_m2m()
                links.instance = quotes.instance = story
                links.save()
                quotes.save()
                story.queue_key_points()
                messages.success(request, "Saved." if not creating else "Story created.")
                return redirect("desk:story-edit", pk=story.pk)
        messages.error(request, "Nothing was saved: see the messages in the form.")
    else:
        form = StoryForm(instance=story)
        links = StoryEventFormSet(instance=story, prefix="links")
        quotes = QuoteFormSet(instance=story, prefix="quotes")
    editable = story.can_edit(request.user)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    context = editor_context(request, story, form=form, links=links, quotes=quotes)
    return render(request, "desk/story_edit.html", context)


def editor_context(request: HttpRequest, story: Story, **forms) -> dict:
    creating = story.pk is None
    editable = story.can_edit(request.user)
    user = request.user
    context = {
        "story": story,
        **forms,
        "editable": editable,
        "can_submit": not creating and editable and story.state == Story.State.DRAFT,
        "can_publish": not creating and user.has_perm("events.publish_story"),
        "can_correct": bool(story.first_published_at) and user.has_perm("events.correct_story"),
        "schedule_form": ScheduleForm(initial={"publish_at": story.publish_at}),
    }
    if not creating:
        context.update(key_points_context(story, user))
        context["history"] = recent_history(story)
    return context


def back_to_story(story: Story) -> HttpResponse:
    return redirect(reverse("desk:story-edit", args=[story.pk]) + "#workflow")


@desk_view
@require_POST
def submit_story(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_desk(request.user, pk)
    run_workflow(request, lambda: story.submit(by=request.user), "Submitted for review.")
    return back_to_story(story)


@desk_view
@require_POST
def publish_story(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_desk(request.user, pk)

    def publish() -> None:
        lock_as_seen(request, story)
        story.publish(by=request.user)

    run_workflow(request, publish, "Published.")
    return back_to_story(story)


@desk_view
@require_POST
def schedule_story(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_desk(request.user, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not scheduled. " + form_errors_text(form))
        return back_to_story(story)
    at = form.cleaned_data["publish_at"]

    def schedule() -> None:
        lock_as_seen(request, story)
        story.schedule(by=request.user, at=at)

    run_workflow(request, schedule, "Scheduled; it goes live at the time you chose.")
    return back_to_story(story)


@desk_view
@require_POST
def unpublish_story(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_desk(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run_workflow(
        request,
        lambda: story.unpublish(by=request.user, reason=reason),
        "Unpublished: it is gone from the site, the briefings and the API.",
    )
    return back_to_story(story)


@desk_view
@require_POST
def retract_story(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_desk(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run_workflow(request, lambda: story.retract(by=request.user, reason=reason), "Retracted.")
    return back_to_story(story)


@desk_view
@require_POST
def correct_story(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for_desk(request.user, pk)
    form = TextForm(request.POST)
    run_workflow(
        request,
        lambda: story.add_correction(by=request.user, text=form.checked_text()),
        "Correction added; readers see it under the story.",
    )
    return back_to_story(story)


@desk_view
def preview_story(request: HttpRequest, pk: int) -> HttpResponse:
    """The public page as it would look, for staff only, whatever the story's state."""
    story = get_story_for_desk(request.user, pk)
    context = {**story_page_context(story), "preview": True}
    return render(request, "public/story_detail.html", context)
