"""Forms of the event editor: the event, and the rows added to it (figures, sources, links)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from ..admin.base import VersionedForm
from ..models import (
    CasualtyFigure,
    Event,
    EventActor,
    EventRelation,
    EventType,
    MunitionCount,
    Source,
)
from .widgets import LocalDateTimeInput


class EventForm(VersionedForm):
    parent = forms.ModelChoiceField(
        queryset=Event.objects.order_by("-starts_at", "title"),
        required=False,
        label="Parent event",
        help_text="The wider event this one is part of.",
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "summary",
            "internal_note",
            "event_type",
            "sub_type",
            "starts_at",
            "ends_at",
            "time_precision",
            "location",
            "geo_precision",
            "occurrence_status",
            "parent",
        ]
        widgets = {
            "title": forms.TextInput(attrs={"size": 60}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "internal_note": forms.Textarea(attrs={"rows": 3}),
            "starts_at": LocalDateTimeInput,
            "ends_at": LocalDateTimeInput,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(
                pk=self.instance.pk
            )
        self.fields["event_type"].queryset = EventType.objects.filter(parent__isnull=True)
        self.fields["sub_type"].queryset = EventType.objects.filter(parent__isnull=False)

    def clean_parent(self) -> Event | None:
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk is not None:
            ancestor, seen = parent, set()
            while ancestor is not None and ancestor.pk not in seen:
                if ancestor.pk == self.instance.pk:
                    raise ValidationError(
                        "That event is already inside this one; an event cannot contain its "
                        "own parent."
                    )
                seen.add(ancestor.pk)
                ancestor = ancestor.parent
        return parent

    def clean(self) -> dict:
        cleaned = super().clean()
        event_type, sub_type = cleaned.get("event_type"), cleaned.get("sub_type")
        if sub_type is not None and event_type is not None and sub_type.parent_id != event_type.pk:
            self.add_error("sub_type", f"“{sub_type.name}” is not a kind of “{event_type}”.")
        return cleaned


class FigureForm(forms.ModelForm):
    """A new figure row of one event; its source can only be one of that event's sources."""

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.event = event
        self.fields["source"].queryset = event.sources.all()


class CasualtyFigureForm(FigureForm):
    class Meta:
        model = CasualtyFigure
        fields = [
            "kind",
            "civilians_only",
            "minimum",
            "maximum",
            "at_least",
            "as_of",
            "source",
            "source_note",
        ]
        widgets = {"as_of": LocalDateTimeInput}


class MunitionCountForm(FigureForm):
    class Meta:
        model = MunitionCount
        fields = [
            "munition_type",
            "launched",
            "intercepted",
            "hit",
            "as_of",
            "source",
            "source_note",
        ]
        widgets = {"as_of": LocalDateTimeInput}


class SourceForm(forms.ModelForm):
    url = forms.URLField(label="URL", max_length=500, assume_scheme="https")

    class Meta:
        model = Source
        fields = ["url", "publisher", "title", "accessed_at"]
        widgets = {"accessed_at": LocalDateTimeInput}

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.event = event


class EventRelationForm(forms.ModelForm):
    to_event = forms.ModelChoiceField(
        queryset=Event.objects.order_by("-starts_at", "title"), label="Related event"
    )

    class Meta:
        model = EventRelation
        fields = ["kind", "to_event"]

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.from_event = event
        self.fields["to_event"].queryset = self.fields["to_event"].queryset.exclude(pk=event.pk)

    def clean(self) -> dict:
        cleaned = super().clean()
        target, kind = cleaned.get("to_event"), cleaned.get("kind")
        event = self.instance.from_event
        if target is not None and kind and event.relations.filter(to_event=target, kind=kind):
            raise ValidationError(f"This event is already linked to “{target}” that way.")
        return cleaned


class EventActorForm(forms.ModelForm):
    class Meta:
        model = EventActor
        fields = ["actor", "role"]

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.event = event

    def clean(self) -> dict:
        cleaned = super().clean()
        actor, role = cleaned.get("actor"), cleaned.get("role")
        event = self.instance.event
        if actor is not None and role and event.event_actors.filter(actor=actor, role=role):
            raise ValidationError(f"“{actor}” is already listed in that role.")
        return cleaned


class VerificationForm(forms.Form):
    verification_status = forms.ChoiceField(
        label="Verification", choices=Event.Verification.choices
    )
