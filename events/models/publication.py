"""The readers' side of the records: stored public documents, the change log, and the queue of
records whose documents must be rebuilt.

The working tables (stories, events, briefings and their rows) are the editors'; a record's
``PublicDocument`` is what readers get of it, built by ``events.publication`` and nowhere else.
Anything that changes what readers may see of a record asks for a rebuild with
``request_rebuild``: a row in ``PendingRebuild``, written in the same transaction as the change,
so that no committed change can be without one. The rebuild itself runs once the change has
committed (``after_commit``), reading only committed rows, one record at a time under a lock:
two changes committed close together can never leave a document built from the older one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import models, transaction


class Kind(models.TextChoices):
    STORY = "story", "Story"
    EVENT = "event", "Event"
    BRIEFING = "briefing", "Briefing"


class PublicDocument(models.Model):
    """What readers get of one record: its document while public, its takedown notice after."""

    class Status(models.TextChoices):
        LIVE = "live", "Live"
        UNPUBLISHED = "unpublished", "Unpublished"
        RETRACTED = "retracted", "Retracted"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    record_id = models.BigIntegerField()
    slug = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=Status.choices)
    #: the document as served on its own (JSON text), or the takedown notice
    body = models.TextField()
    #: the document as it appears in lists (JSON text; a story's without its body)
    item = models.TextField(blank=True)
    #: a strong validator of what readers see (not of ``updated_at``, which follows it)
    etag = models.CharField(max_length=40)
    #: list orderings: stories and briefings by last publication, events by start
    published_at = models.DateTimeField(null=True)
    starts_at = models.DateTimeField(null=True)
    edition_date = models.DateField(null=True)
    #: when what readers see last changed, and the change-log position that says so
    changed_at = models.DateTimeField()
    position = models.BigIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="one_document_per_record"),
        ]
        indexes = [
            models.Index(fields=["kind", "slug"], name="document_by_slug"),
            models.Index(
                fields=["kind", "-published_at", "-record_id"],
                condition=models.Q(status="live"),
                name="live_by_published",
            ),
            models.Index(
                fields=["kind", "-starts_at", "-record_id"],
                condition=models.Q(status="live"),
                name="live_by_start",
            ),
            models.Index(
                fields=["kind", "-changed_at", "-record_id"],
                condition=models.Q(status="live"),
                name="live_by_change",
            ),
            models.Index(
                fields=["kind", "-edition_date", "-record_id"],
                condition=models.Q(status="live"),
                name="live_by_edition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.slug} ({self.status})"


class Change(models.Model):
    """One entry of the change log: a document put, or a record taken down.

    ``position`` is taken as the last step of the transaction that stored the document, under
    the log head's lock (``events.publication.log``), so positions follow commit order: a
    consumer reading ``after=N`` never misses an entry that commits later with a lower number.
    """

    class Action(models.TextChoices):
        PUT = "put", "Put"
        TAKEDOWN = "takedown", "Takedown"

    position = models.BigIntegerField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    record_id = models.BigIntegerField()
    slug = models.CharField(max_length=300)
    action = models.CharField(max_length=10, choices=Action.choices)
    #: for a takedown: unpublished or retracted
    reason = models.CharField(max_length=12, blank=True)
    etag = models.CharField(max_length=40, blank=True)
    #: when it was logged (in the transaction that committed it)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "-position"], name="change_by_kind"),
            models.Index(fields=["at", "position"], name="change_by_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.position} {self.action} {self.kind} {self.slug}"


class LogHead(models.Model):
    """The last position given out. Its single row is also the lock that orders positions."""

    position = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"change log at #{self.position}"


class KindHead(models.Model):
    """The last entry about each kind of record: a list of them changed only if this moved, so
    its validators (and a 304) come from one primary-key read, not from the log itself."""

    kind = models.CharField(max_length=10, choices=Kind.choices, primary_key=True)
    position = models.BigIntegerField()
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.kind} at #{self.position}"


class PendingRebuild(models.Model):
    """A record whose document must be rebuilt, written with the change that needs it."""

    kind = models.CharField(max_length=10, choices=Kind.choices)
    record_id = models.BigIntegerField()
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "record_id"], name="pending_by_record")]

    def __str__(self) -> str:
        return f"rebuild {self.kind} {self.record_id}"


#: set by ``events.publication`` when the app is ready: rebuilds what is pending, after commit.
#: (Models never import the layers above them; the publication package plugs itself in.)
publisher: Callable[[], None] | None = None


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current transaction commits (at once outside one). A
    failure there is logged, never raised into the request: the rows it missed stay pending
    for beat's sweep (``events.tasks.publish_pending``)."""
    transaction.on_commit(callback, robust=True)


def request_rebuild(kind: str, ids: Iterable[int]) -> None:
    """Ask for the documents of these records to be rebuilt once this transaction commits."""
    rows = [PendingRebuild(kind=kind, record_id=pk) for pk in dict.fromkeys(ids) if pk is not None]
    if not rows:
        return
    PendingRebuild.objects.bulk_create(rows)
    if publisher is not None and not any(
        callback is publisher for _, callback, _ in transaction.get_connection().run_on_commit
    ):
        after_commit(publisher)
