"""Which records' documents a saved or deleted row changes.

Signals, because the admin's inlines, the desk, the worker, the model methods and a shell all
write these rows, and a forgotten call would leave readers an old document. Each handler only
asks for a rebuild (``request_rebuild``): the builder decides what, if anything, readers see
differently, so asking too often costs a build, never a wrong document. ``update()`` and
``bulk_create`` send no signal; the few places that use them on public rows ask by hand.
The property-based test in ``test_publication_consistency`` drives random changes through
every path and checks that every stored document equals a fresh build.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from .briefing import Briefing, BriefingItem
from .event import CasualtyFigure, Event, EventActor, EventRelation, MunitionCount
from .keypoint import KeyPoint
from .publication import request_rebuild
from .story import Correction, Quote, Story, StoryEvent
from .vocabulary import Actor, EventType, Location, Tag

RECORDS = {Story: "story", Event: "event", Briefing: "briefing"}

#: row model -> (kind, attribute naming the record) for each record it is part of
OWNERS = {
    Quote: (("story", "story_id"),),
    Correction: (("story", "story_id"),),
    StoryEvent: (("story", "story_id"),),
    KeyPoint: (("story", "story_id"),),
    CasualtyFigure: (("event", "event_id"),),
    MunitionCount: (("event", "event_id"),),
    EventActor: (("event", "event_id"),),
    EventRelation: (("event", "from_event_id"), ("event", "to_event_id")),
    BriefingItem: (("briefing", "briefing_id"),),
}


def record_changed(sender, instance, **kwargs) -> None:
    request_rebuild(RECORDS[sender], [instance.pk])


def row_changed(sender, instance, **kwargs) -> None:
    if sender is KeyPoint:
        # Readers see approved points only: the worker's drafts are the desk's business.
        seen = instance.is_approved or instance.was_approved
        instance.was_approved = instance.is_approved
        if not seen:
            return
    for kind, attribute in OWNERS[sender]:
        request_rebuild(kind, [getattr(instance, attribute)])


#: many-to-many fields whose ``add()`` writes rows without ``post_save`` (Django bulk-creates the
#: through rows, even those of a through model), by their through model: the field's name on the
#: record whose document shows the link
LINKS = {
    Story.tags.through: "tags",
    Story.events.through: "events",
    Event.actors.through: "actors",
    Briefing.stories.through: "stories",
}


def links_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """``story.tags.add(tag)``, ``tag.stories.clear()``, ``story.events.add(event, ...)``..."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:  # e.g. story.tags changed: the record is ``instance``
        request_rebuild(RECORDS[type(instance)], [instance.pk])
        return
    # e.g. tag.stories changed: pk_set holds the records' ids; a clear is seen before it empties
    # the set.
    ids = (
        pk_set
        if action != "pre_clear"
        else model.objects.filter(**{LINKS[sender]: instance.pk}).values_list("pk", flat=True)
    )
    request_rebuild(RECORDS[model], list(ids))


def term_changed(sender, instance, **kwargs) -> None:
    """A vocabulary term renamed (or a tag deleted): every record showing it."""
    if sender is Tag:
        request_rebuild("story", instance.stories.values_list("pk", flat=True).iterator())
    elif sender is EventType:
        events = Event.objects.filter(event_type=instance) | Event.objects.filter(sub_type=instance)
        request_rebuild("event", events.values_list("pk", flat=True).iterator())
    elif sender is Location:
        request_rebuild("event", instance.events.values_list("pk", flat=True).iterator())
    elif sender is Actor:
        events = EventActor.objects.filter(actor=instance).values_list("event_id", flat=True)
        request_rebuild("event", events.iterator())


def connect() -> None:
    for model in RECORDS:
        uid = f"publication-{model._meta.model_name}"
        post_save.connect(record_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(record_changed, sender=model, dispatch_uid=uid + "-delete")
    for model in OWNERS:
        uid = f"publication-{model._meta.model_name}"
        post_save.connect(row_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(row_changed, sender=model, dispatch_uid=uid + "-delete")
    for through, name in LINKS.items():
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"publication-m2m-{name}")
    for model in (Tag, EventType, Location, Actor):
        uid = f"publication-{model._meta.model_name}"
        post_save.connect(term_changed, sender=model, dispatch_uid=uid + "-save")
    # A deleted tag's links go without an m2m signal: ask while they are still there.
    pre_delete.connect(term_changed, sender=Tag, dispatch_uid="publication-tag-delete")
