"""Keep each public record's ``updated_at`` honest about what readers see of it.

A story's public face includes rows that are not the story: its approved key points, quotes,
corrections, tags and linked events; an event's includes its figures, actors and relations; a
briefing's its items. Changing one of those rows, from the admin, the desk, the worker or a
shell, touches the record it belongs to (``EditorialRecord.touch``), so ``updated_since`` finds
it and its ``Last-Modified`` moves. Signals rather than calls in each view, because the admin's
inlines, the desk, the worker and the model methods all write these rows. ``update()`` sends no
signal, so ``Story.approve_key_points``, the one bulk update of such rows, touches by hand.

Key points touch their story only when readers see or saw them (approved now, or when loaded):
drafts are not public, so the worker's drafting does not look like news to API consumers.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .models import (
    BriefingItem,
    CasualtyFigure,
    Correction,
    EventActor,
    EventRelation,
    KeyPoint,
    MunitionCount,
    Quote,
    Story,
    StoryEvent,
)

#: row model -> the attributes naming the public records it is part of
OWNERS = {
    Quote: ("story",),
    Correction: ("story",),
    StoryEvent: ("story",),
    KeyPoint: ("story",),
    CasualtyFigure: ("event",),
    MunitionCount: ("event",),
    EventActor: ("event",),
    EventRelation: ("from_event", "to_event"),
    BriefingItem: ("briefing",),
}


def touch_owners(sender, instance, **kwargs) -> None:
    if sender is KeyPoint:
        # Readers see approved points only: drafts, edited or not, are the desk's business.
        seen = instance.is_approved or instance.was_approved
        instance.was_approved = instance.is_approved
        if not seen:
            return
    for name in OWNERS[sender]:
        field = sender._meta.get_field(name)
        owner_id = getattr(instance, field.attname)
        if owner_id is not None:
            # By id, not via the related object, so a cascade delete does not load it.
            field.related_model(pk=owner_id).touch()


def touch_tagged_stories(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:  # story.tags changed
        instance.touch()
        return
    # tag.stories changed: pk_set holds story ids; a clear is seen before it empties the set.
    ids = pk_set if action != "pre_clear" else instance.stories.values_list("pk", flat=True)
    Story.objects.filter(pk__in=list(ids)).update(updated_at=timezone.now())


def connect() -> None:
    for model in OWNERS:
        uid = f"freshness-{model._meta.label_lower}"
        post_save.connect(touch_owners, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(touch_owners, sender=model, dispatch_uid=uid + "-delete")
    m2m_changed.connect(
        touch_tagged_stories, sender=Story.tags.through, dispatch_uid="freshness-story-tags"
    )
