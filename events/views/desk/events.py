"""The event editor: the event, its figures (with history), sources, parent and related events."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ...access import desk_view, event_edit_refusal, get_event_for_desk, get_event_for_edit
from ...forms import (
    CasualtyFigureForm,
    EventActorForm,
    EventForm,
    EventRelationForm,
    MunitionCountForm,
    ReasonForm,
    SourceForm,
    VerificationForm,
)
from ...models import Event, EventActor, EventRelation, Source
from .base import filter_list, form_errors_text, lock_as_seen, recent_history, run_workflow

LIST_SIZE = 50


@desk_view
def list_events(request: HttpRequest) -> HttpResponse:
    context = filter_list(
        request,
        Event.objects.select_related("location", "event_type").order_by("-updated_at"),
        Event.State,
        "title",
        "location__name",
    )
    context["events"] = context.pop("records")[:LIST_SIZE]
    return render(request, "desk/event_list.html", context)


@desk_view
def create_event(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("events.add_event"):
        raise PermissionDenied("You cannot create events.")
    return event_editor(request, Event())


@desk_view
def edit_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_desk(request.user, pk)
    if request.method == "POST" and not event.can_edit(request.user):
        # Refused (published meanwhile, or a crafted POST), with what they typed still on screen.
        reason = event_edit_refusal(request.user, event)
        messages.error(request, f"Nothing was saved. {reason} Copy what you typed before leaving.")
        context = {"event": event, "form": EventForm(request.POST, instance=event)}
        context.update({"editable": False, "refused": True})
        return render(request, "desk/event_edit.html", context, status=403)
    return event_editor(request, event)


def event_editor(request: HttpRequest, event: Event, **subforms) -> HttpResponse:
    creating = event.pk is None
    form = subforms.pop("form", None)
    if request.method == "POST" and form is None:
        with transaction.atomic():
            form = EventForm(request.POST, instance=event)
            if form.is_valid():
                event = form.save(commit=False)
                if creating:
                    event.created_by = request.user
                event.updated_by = request.user
                event.save()
                messages.success(request, "Event created." if creating else "Saved.")
                return redirect("desk:event-edit", pk=event.pk)
        messages.error(request, "Nothing was saved: see the messages in the form.")
    elif form is None:
        form = EventForm(instance=event)
    editable = creating or event.can_edit(request.user)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    context = {"event": event, "form": form, "editable": editable}
    if not creating:
        context.update(
            {
                "casualty_form": subforms.get("casualty_form")
                or CasualtyFigureForm(event=event, prefix="casualty"),
                "munition_form": subforms.get("munition_form")
                or MunitionCountForm(event=event, prefix="munition"),
                "source_form": subforms.get("source_form")
                or SourceForm(event=event, prefix="source"),
                "actor_form": subforms.get("actor_form")
                or EventActorForm(event=event, prefix="actor"),
                "actors": event.event_actors.select_related("actor"),
                "relation_form": subforms.get("relation_form")
                or EventRelationForm(event=event, prefix="relation"),
                "verification_form": VerificationForm(
                    initial={"verification_status": event.verification_status}
                ),
                "casualty_history": event.casualty_figures.select_related(
                    "source", "recorded_by"
                ).order_by("kind", "civilians_only", "-as_of", "-id"),
                "munition_history": event.munition_counts.select_related(
                    "source", "recorded_by"
                ).order_by("munition_type", "-as_of", "-id"),
                "latest_casualties": event.latest_casualties(),
                "latest_munitions": event.latest_munitions(),
                "sources": event.sources.all(),
                "relations": event.relations.select_related("to_event"),
                "inverse_relations": event.inverse_relations.select_related("from_event"),
                "children": event.children.order_by("-starts_at"),
                "covering_stories": event.stories.order_by("-updated_at").distinct(),
                "can_publish": request.user.has_perm("events.publish_event"),
                "can_verify": request.user.has_perm("events.verify_event"),
                "history": recent_history(event),
            }
        )
    return render(request, "desk/event_edit.html", context)


def back_to_event(event: Event, anchor: str = "") -> HttpResponse:
    return redirect(reverse("desk:event-edit", args=[event.pk]) + (f"#{anchor}" if anchor else ""))


def add_row(request: HttpRequest, pk: int, form_class, prefix: str, done: str, anchor: str):
    """Add a figure, source or relation: a new row, never an edit of an earlier one."""
    event = get_event_for_edit(request.user, pk)
    form = form_class(request.POST, event=event, prefix=prefix)
    if form.is_valid():
        row = form.save(commit=False)
        if hasattr(row, "recorded_by_id"):
            row.recorded_by = request.user
        row.save()
        messages.success(request, done)
        return back_to_event(event, anchor)
    # Re-render the whole editor so the user keeps what they typed, with the errors beside it.
    messages.error(request, f"Not added. {form_errors_text(form)}")
    return event_editor(request, event, form=EventForm(instance=event), **{f"{prefix}_form": form})


@desk_view
@require_POST
def add_casualty_figure(request: HttpRequest, pk: int) -> HttpResponse:
    return add_row(
        request,
        pk,
        CasualtyFigureForm,
        "casualty",
        "Figure added; earlier figures stay on record.",
        "figures",
    )


@desk_view
@require_POST
def add_munition_count(request: HttpRequest, pk: int) -> HttpResponse:
    return add_row(request, pk, MunitionCountForm, "munition", "Munition count added.", "figures")


@desk_view
@require_POST
def add_source(request: HttpRequest, pk: int) -> HttpResponse:
    return add_row(request, pk, SourceForm, "source", "Source added.", "sources")


@desk_view
@require_POST
def add_relation(request: HttpRequest, pk: int) -> HttpResponse:
    return add_row(request, pk, EventRelationForm, "relation", "Events linked.", "related")


@desk_view
@require_POST
def add_actor(request: HttpRequest, pk: int) -> HttpResponse:
    return add_row(request, pk, EventActorForm, "actor", "Actor added.", "actors")


@desk_view
@require_POST
def remove_actor(request: HttpRequest, pk: int, actor_pk: int) -> HttpResponse:
    event = get_event_for_edit(request.user, pk)
    get_object_or_404(EventActor, pk=actor_pk, event=event).delete()
    messages.success(request, "Actor removed.")
    return back_to_event(event, "actors")


@desk_view
@require_POST
def delete_source(request: HttpRequest, pk: int, source_pk: int) -> HttpResponse:
    event = get_event_for_edit(request.user, pk)
    source = get_object_or_404(Source, pk=source_pk, event=event)
    source.delete()
    messages.success(request, "Source removed; figures that cited it keep their note.")
    return back_to_event(event, "sources")


@desk_view
@require_POST
def delete_relation(request: HttpRequest, pk: int, relation_pk: int) -> HttpResponse:
    event = get_event_for_edit(request.user, pk)
    get_object_or_404(EventRelation, pk=relation_pk, from_event=event).delete()
    messages.success(request, "Link removed.")
    return back_to_event(event, "related")


@desk_view
@require_POST
def publish_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_desk(request.user, pk)

    def publish() -> None:
        lock_as_seen(request, event)
        event.publish(by=request.user)

    run_workflow(request, publish, "Event published.")
    return back_to_event(event, "workflow")


@desk_view
@require_POST
def retract_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_desk(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run_workflow(request, lambda: event.retract(by=request.user, reason=reason), "Event retracted.")
    return back_to_event(event, "workflow")


@desk_view
@require_POST
def verify_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_desk(request.user, pk)
    form = VerificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not changed. " + form_errors_text(form))
        return back_to_event(event, "workflow")
    status = form.cleaned_data["verification_status"]
    run_workflow(
        request,
        lambda: event.set_verification(status, by=request.user),
        "Verification status set.",
    )
    return back_to_event(event, "workflow")
