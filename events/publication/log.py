"""The change log's order: positions are given after commit, in the order entries appear.

An id taken at insert is not commit order: a slow transaction that inserted first commits
last, and a consumer that had already read past its id would never see it. So entries are
written without a position, and ``sequence`` (run after each commit that wrote some, and by
beat's sweep) numbers the committed ones under the log head's row lock. Whatever commits later
is numbered later, so ``after=N`` never misses anything.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Case, F, Q, When
from django.utils import timezone

from events.models.publication import Change, LogHead, PublicDocument

#: entries numbered per transaction (SQLite parses a long OR as a deep tree: keep it modest)
BATCH = 200


def lock_head() -> LogHead:
    """Take the log head's row lock (an UPDATE first: on SQLite too, a write takes the lock)."""
    if not LogHead.objects.filter(pk=1).update(position=F("position")):
        LogHead.objects.get_or_create(pk=1)
    return LogHead.objects.select_for_update().get(pk=1)


def sequence() -> int:
    """Give positions to the committed entries that have none, oldest first. Returns how many."""
    numbered = 0
    while True:
        with transaction.atomic():
            if not Change.objects.filter(position=None).exists():
                return numbered
            head = lock_head()
            pending = list(
                Change.objects.filter(position=None)
                .order_by("id")
                .values_list("id", "kind", "record_id")[:BATCH]
            )
            if not pending:
                return numbered
            now = timezone.now()
            positions = {pk: head.position + offset for offset, (pk, *_) in enumerate(pending, 1)}
            Change.objects.filter(pk__in=positions).update(
                position=Case(*(When(pk=pk, then=value) for pk, value in positions.items())),
                at=now,
            )
            # Each document's validators follow its latest entry.
            latest: dict[tuple[str, int], int] = {}
            for pk, kind, record_id in pending:
                latest[kind, record_id] = positions[pk]
            condition = Q()
            for (kind, record_id), position in latest.items():
                condition |= Q(kind=kind, record_id=record_id, position__lt=position) | Q(
                    kind=kind, record_id=record_id, position=None
                )
            PublicDocument.objects.filter(condition).update(
                position=Case(
                    *(
                        When(kind=kind, record_id=record_id, then=position)
                        for (kind, record_id), position in latest.items()
                    )
                ),
                changed_at=now,
            )
            head.position += len(pending)
            head.save(update_fields=["position"])
            numbered += len(pending)
