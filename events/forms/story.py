"""Forms of the story editor: the story, its linked events and quotes, workflow inputs."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory

from ..admin.base import VersionedForm
from ..models import Event, Quote, Story, StoryEvent, Tag
from ..models.dates import validate_storable
from .widgets import LocalDateTimeInput


class StoryBodyField(forms.CharField):
    """The story body (the limit comes from the model's ``max_length``, also the textarea's).

    Line breaks are stored as "\n": browsers count one per line break against ``maxlength``
    but send two ("\r\n"), so a body the browser let through would otherwise be refused.
    """

    default_error_messages = {
        "max_length": "The body is %(show_value)d characters long; the limit is %(limit_value)d. "
        "Your text is still here: shorten it, or split it into two stories, and save again.",
    }

    def to_python(self, value) -> str:
        return super().to_python(value).replace("\r\n", "\n")


class StoryForm(VersionedForm):
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Story
        fields = ["headline", "standfirst", "body", "dateline", "byline", "tags"]
        field_classes = {"body": StoryBodyField}
        widgets = {
            "headline": forms.TextInput(attrs={"size": 60}),
            "standfirst": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 18}),
        }


class StoryEventForm(forms.ModelForm):
    event = forms.ModelChoiceField(
        queryset=Event.objects.order_by("-starts_at", "title"),
        help_text="Type in the search box above the list to narrow it.",
    )

    class Meta:
        model = StoryEvent
        fields = ["event", "is_primary"]


class BaseStoryEventFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        primaries = [
            form
            for form in self.forms
            if form.cleaned_data.get("is_primary") and not form.cleaned_data.get("DELETE")
        ]
        if len(primaries) > 1:
            raise ValidationError("Mark only one linked event as primary.")


#: the most linked events or quotes one story form takes: a formset builds as many forms as the
#: post claims (Django allows 2,000), and each link form lists every event
MAX_ROWS = 50

StoryEventFormSet = inlineformset_factory(
    Story,
    StoryEvent,
    form=StoryEventForm,
    formset=BaseStoryEventFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
)

QuoteFormSet = inlineformset_factory(
    Story,
    Quote,
    fields=["speaker", "speaker_role", "text", "source", "order"],
    widgets={"text": forms.Textarea(attrs={"rows": 3})},
    extra=1,
    can_delete=True,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
)


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label="Publish at",
        widget=LocalDateTimeInput,
        help_text="Newsroom time.",
        validators=[validate_storable],
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RegenerateForm(forms.Form):
    replace_reviewed = forms.BooleanField(
        label="Also replace edited and approved points", required=False
    )


class TextForm(forms.Form):
    """One text typed on the desk outside a record's form (a key point, a correction). The
    model says whether it is enough; the form refuses what no text column can hold (a NUL
    byte), with a message instead of a database error."""

    text = forms.CharField(required=False, strip=False)

    def checked_text(self) -> str:
        """The text, or a ``ValidationError`` that ``run_workflow`` and the panel show."""
        if not self.is_valid():
            raise ValidationError(self.errors["text"])
        return self.cleaned_data["text"]
