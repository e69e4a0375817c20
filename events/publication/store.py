"""Storing documents: rebuild what is pending, write what changed, log it, follow dependents.

``publish_pending`` takes the records waiting in ``PendingRebuild`` in batches of one kind, each
batch in its own short transaction under per-record locks, rebuilds their documents from
committed rows and stores each whose bytes changed: a new document, a changed one, or a
takedown in place of one.
Each stored change is a log entry; then the records that show this one (a briefing showing a
story, a story showing an event...) are asked for in turn. A build identical to what is stored
writes nothing: an internal note or a draft's edit moves no public validator.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from events.models import BriefingItem, Event, EventRelation, StoryEvent
from events.models.publication import Change, PendingRebuild, PublicDocument, request_rebuild

from .builders import Build, build, takedown_reason, utc
from .log import append
from .urls import addresses

logger = logging.getLogger(__name__)

KIND_CODES = {"story": 1, "event": 2, "briefing": 3}


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def etag_of(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def lock_record(kind: str, record_id: int) -> None:
    """Serialise rebuilds of one record until this transaction ends. On PostgreSQL an advisory
    lock (the record's own row may be locked by an editor's longer transaction); SQLite runs
    one writing transaction at a time anyway (``transaction_mode`` IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [(KIND_CODES[kind] << 48) | record_id]
            )


def dependents(kind: str, record_id: int) -> dict[str, set[int]]:
    """The records whose documents show this one."""
    if kind == "story":
        briefings = BriefingItem.objects.filter(story_id=record_id).values_list(
            "briefing_id", flat=True
        )
        return {"briefing": set(briefings)}
    if kind == "event":
        stories = StoryEvent.objects.filter(event_id=record_id).values_list("story_id", flat=True)
        events = set(Event.objects.filter(parent_id=record_id).values_list("pk", flat=True))
        relations = EventRelation.objects.filter(
            Q(from_event_id=record_id) | Q(to_event_id=record_id)
        ).values_list("from_event_id", "to_event_id")
        for ends in relations:
            events.update(ends)
        events.discard(record_id)
        return {"story": set(stories), "event": events}
    return {}


def stored(kind: str, ids: list[int]) -> dict[int, PublicDocument]:
    """The documents stored for these records (read under their locks)."""
    return {
        document.record_id: document
        for document in PublicDocument.objects.filter(kind=kind, record_id__in=ids)
    }


def store(
    kind: str,
    record_id: int,
    built: Build | None,
    current: PublicDocument | None,
    follow: bool = True,
) -> Change | None:
    """Write ``built`` (or a takedown) in place of ``current`` if readers would see a
    difference, and (``follow``) ask for the records that show this one. Returns the log entry
    to append, if it wrote anything. Call under the record's lock."""
    now = timezone.now()
    if built is not None:
        etag = etag_of(dumps(built.document))
        unchanged = current is not None and (current.status, current.etag) == ("live", etag)
        if unchanged and current.slug == built.slug:
            return None  # an edit readers do not see (an internal note, a draft's text)
        document = {**built.document, "updated_at": utc(now)}
        item = {k: v for k, v in document.items() if k not in built.detail_only}
        values = {
            "slug": built.slug,
            "status": "live",
            "body": dumps(document),
            "item": dumps(item),
            "etag": etag,
            "published_at": built.published_at,
            "starts_at": built.starts_at,
            "edition_date": built.edition_date,
            "changed_at": now,
        }
        action, reason = Change.Action.PUT, ""
    else:
        if current is None or current.status == "retracted":
            return None  # never public, or retracted for good
        reason, notice = takedown_reason(kind, record_id)
        if current.status == reason:
            return None  # already taken down so
        # A retraction names what readers had: the headline as it was last public (unknown once
        # an unpublishing replaced the document; the current one may never have been public).
        shown = json.loads(current.body) if current.status == "live" else {}
        title = shown.get("headline", shown.get("title", "")) if reason == "retracted" else ""
        notice_document = {
            "kind": kind,
            "slug": current.slug,
            **addresses(kind, current.slug),
            "status": reason,
            "title": title,
            "notice": notice,
            "at": utc(now),
        }
        body = dumps(notice_document)
        values = {
            "slug": current.slug,
            "status": reason,
            "body": body,
            "item": "",
            "etag": etag_of(body),
            "changed_at": now,
        }
        action = Change.Action.TAKEDOWN
    if current is None:
        PublicDocument.objects.create(kind=kind, record_id=record_id, **values)
    else:
        PublicDocument.objects.filter(pk=current.pk).update(**values)
    if follow:
        for dependent_kind, ids in dependents(kind, record_id).items():
            request_rebuild(dependent_kind, ids)
    return Change(
        kind=kind,
        record_id=record_id,
        slug=values["slug"],
        action=action,
        reason=reason,
        etag=values["etag"],
    )


#: set while this thread rebuilds: the dependents a rebuild asks for are taken by the loop
#: already running, not by a nested one started from the rebuild's own commit
_running = threading.local()

#: records rebuilt in one transaction: one build query set for all of them
BATCH = 100


def rebuild_batch(kind: str, ids: list[int]) -> int:
    """Rebuild and store the documents of ``ids`` (all of ``kind``) in one transaction, each
    under its lock (taken in id order, so two batches never wait on each other in a cycle).
    Returns how many changed."""
    with transaction.atomic():
        for record_id in sorted(ids):
            lock_record(kind, record_id)
        # Read after the locks: every request seen here was committed before the build reads
        # anything. Only these are cleared; one committed meanwhile stays for the next round.
        seen = dict(
            PendingRebuild.objects.filter(kind=kind, record_id__in=ids).values_list(
                "pk", "record_id"
            )
        )
        wanted = sorted(set(seen.values()))
        builds = build(kind, wanted) if wanted else {}
        documents = stored(kind, wanted) if wanted else {}
        changes = [
            change
            for pk in wanted
            if (change := store(kind, pk, builds.get(pk), documents.get(pk))) is not None
        ]
        append(changes)
        PendingRebuild.objects.filter(pk__in=list(seen)).delete()
    return len(changes)


def publish_pending(limit: int | None = None) -> int:
    """Rebuild the records waiting for it, oldest request first, a batch of one kind at a
    time. With ``limit``, stop after about that many records. Returns how many were rebuilt."""
    if getattr(_running, "active", False):
        return 0  # called from a rebuild's own commit: the running loop takes what it asked for
    _running.active = True
    try:
        return _publish_pending(limit)
    finally:
        _running.active = False


def _publish_pending(limit: int | None) -> int:
    done = 0
    failed: set[tuple[str, int]] = set()
    while limit is None or done < limit:
        oldest = PendingRebuild.objects.order_by("id").values_list("kind", "record_id")
        todo = [key for key in dict.fromkeys(oldest[: BATCH * 5]) if key not in failed]
        if not todo:
            break
        kind = todo[0][0]
        room = BATCH if limit is None else min(BATCH, limit - done)
        ids = [record_id for other, record_id in todo if other == kind][:room]
        try:
            rebuild_batch(kind, ids)
        except Exception:
            # One record that cannot be built must not hold up the rest: retry them one by
            # one, and leave the failing one pending (logged) for the next sweep.
            for record_id in ids:
                try:
                    rebuild_batch(kind, [record_id])
                except Exception:
                    logger.exception("Could not rebuild the document of %s %s", kind, record_id)
                    failed.add((kind, record_id))
        done += len(ids)
    return done


def pending_rebuilds() -> bool:
    return PendingRebuild.objects.exists()


def publish_soon() -> None:
    """After a commit that asked for rebuilds: do a few at once, so that a publish is public
    within the request, and leave a big batch (a tag on thousands of stories) to the worker."""
    if getattr(_running, "active", False):
        return
    limit = settings.NEWSROOM_PUBLISH_INLINE_LIMIT
    done = publish_pending(limit=limit)
    if done >= limit and PendingRebuild.objects.exists():
        from celery import current_app

        current_app.send_task("events.tasks.publish_pending")
