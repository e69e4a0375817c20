"""The newsroom's records. One module per kind of record; import them from here."""

from .audit import AuditEntry
from .base import EditorialRecord, StaleEdit
from .briefing import Briefing, BriefingItem
from .event import CasualtyFigure, Event, EventActor, EventRelation, MunitionCount, Source
from .keypoint import KeyPoint
from .publication import Change, PublicDocument
from .story import Correction, Quote, Story, StoryEvent
from .vocabulary import Actor, EventType, Location, Tag

__all__ = [
    "Actor",
    "AuditEntry",
    "Briefing",
    "BriefingItem",
    "CasualtyFigure",
    "Change",
    "Correction",
    "EditorialRecord",
    "Event",
    "EventActor",
    "EventRelation",
    "EventType",
    "KeyPoint",
    "Location",
    "MunitionCount",
    "PublicDocument",
    "Quote",
    "Source",
    "StaleEdit",
    "Story",
    "StoryEvent",
    "Tag",
]
