"""Desk forms. Record forms carry the version they were opened on (``VersionedForm``)."""

from .briefing import AddBriefingItemForm, BriefingForm, BriefingItemForm
from .event import (
    CasualtyFigureForm,
    EventActorForm,
    EventForm,
    EventRelationForm,
    MunitionCountForm,
    SourceForm,
    VerificationForm,
)
from .story import (
    QuoteFormSet,
    ReasonForm,
    RegenerateForm,
    ScheduleForm,
    StoryEventFormSet,
    StoryForm,
    TextForm,
)

__all__ = [
    "AddBriefingItemForm",
    "BriefingForm",
    "BriefingItemForm",
    "CasualtyFigureForm",
    "EventActorForm",
    "EventForm",
    "EventRelationForm",
    "MunitionCountForm",
    "QuoteFormSet",
    "ReasonForm",
    "RegenerateForm",
    "ScheduleForm",
    "SourceForm",
    "StoryEventFormSet",
    "StoryForm",
    "TextForm",
    "VerificationForm",
]
