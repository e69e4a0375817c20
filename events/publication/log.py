"""The change log's order: positions follow commit order.

An id taken at insert is not commit order: a slow transaction that inserted first commits
last, and a consumer that had already read past its id would never see it. So each rebuild
transaction takes its positions as its very last step, under the log head's row lock, which it
holds until it commits: whatever takes positions later also commits later. The lock is held
for the few statements between numbering and commit, never while a document is built.
"""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from events.models.publication import Change, KindHead, LogHead, PublicDocument


def lock_head() -> LogHead:
    """Take the log head's row lock (an UPDATE first: on SQLite too, a write takes the lock)."""
    if not LogHead.objects.filter(pk=1).update(position=F("position")):
        LogHead.objects.get_or_create(pk=1)
    return LogHead.objects.select_for_update().get(pk=1)


def append(changes: list[Change]) -> None:
    """Number and write ``changes``, and stamp each changed document with its position and
    time. Call last in the transaction that stored the documents."""
    if not changes:
        return
    head = lock_head()
    now = timezone.now()
    for offset, change in enumerate(changes, 1):
        change.position = head.position + offset
        change.at = now
    Change.objects.bulk_create(changes)
    for change in changes:
        PublicDocument.objects.filter(kind=change.kind, record_id=change.record_id).update(
            position=change.position, changed_at=now
        )
    head.position += len(changes)
    head.save(update_fields=["position"])
    last = {change.kind: change.position for change in changes}  # in order: the last wins
    for kind, position in last.items():
        KindHead.objects.update_or_create(kind=kind, defaults={"position": position, "at": now})


def latest(kind: str) -> KindHead | None:
    """The last entry about a record of ``kind`` (its position and time): a list of them
    changes only with a new one."""
    return KindHead.objects.filter(kind=kind).first()
