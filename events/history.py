"""Revision history (django-reversion): every save of a record and its parts is a version."""

import reversion

from .models import (
    Actor,
    Briefing,
    BriefingItem,
    CasualtyFigure,
    Correction,
    Event,
    EventActor,
    EventRelation,
    EventType,
    KeyPoint,
    Location,
    MunitionCount,
    Quote,
    Source,
    Story,
    StoryEvent,
    Tag,
)

# A record's version holds its inline parts too, so the history shows what the whole form held.
# Not the body's rendering: it is derived from the body, and rendered again when one is restored.
reversion.register(
    Story,
    exclude=["body_html"],
    follow=["quotes", "story_events", "key_points", "corrections"],
)
reversion.register(
    Event,
    follow=["casualty_figures", "munition_counts", "sources", "event_actors", "relations"],
)
reversion.register(Briefing, follow=["items"])
for part in (
    Quote,
    StoryEvent,
    KeyPoint,
    Correction,
    CasualtyFigure,
    MunitionCount,
    Source,
    EventActor,
    EventRelation,
    BriefingItem,
):
    reversion.register(part)
for vocabulary in (EventType, Location, Actor, Tag):
    reversion.register(vocabulary)
