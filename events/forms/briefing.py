"""Forms of the briefing composer."""

from __future__ import annotations

from django import forms

from ..admin.base import VersionedForm
from ..models import Briefing, BriefingItem
from .widgets import DateInput


class BriefingForm(VersionedForm):
    class Meta:
        model = Briefing
        fields = ["title", "edition", "edition_date", "intro"]
        widgets = {
            "title": forms.TextInput(attrs={"size": 60}),
            "edition_date": DateInput,
            "intro": forms.Textarea(attrs={"rows": 3}),
        }


class BriefingItemForm(forms.ModelForm):
    class Meta:
        model = BriefingItem
        fields = ["headline_override", "blurb_override"]
        labels = {"headline_override": "Headline", "blurb_override": "Blurb"}
        widgets = {"blurb_override": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "headline_override": "Leave empty to use the story's headline.",
            "blurb_override": "Leave empty to use the first approved key point.",
        }


class AddBriefingItemForm(forms.Form):
    story = forms.IntegerField(widget=forms.HiddenInput)
