"""Publishing at a set time, shared by stories and briefings (Celery beat calls these)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

#: what going live writes besides the state
PUBLISHING_FIELDS = ("slug", "first_published_at", "last_published_at", "publish_at")


class ScheduledPublishing:
    """Mixin for an EditorialRecord with ``publish_at`` and a SCHEDULED state."""

    #: where a scheduled record goes when it can no longer be published on time
    held_back_state: str

    @transaction.atomic
    def publish_on_schedule(self) -> None:
        """Publish at the scheduled time; the editor who scheduled it had the right."""
        self.lock()
        self._go_live(None, "on schedule")

    @transaction.atomic
    def hold_back(self, reason: str) -> None:
        """A scheduled record that can no longer go out is taken back, with the reason."""
        self.lock()
        self.publish_at = None
        self._transition(None, self.held_back_state, "hold back", reason, fields=("publish_at",))

    def schedule_at_publish_time(self, by) -> None:
        """Schedule at the time already set in ``publish_at`` (the admin's bulk action)."""
        self.schedule(by, self.publish_at)

    def _go_live(self, by, note: str) -> None:
        """Publish the row as locked by the caller (``lock``), writing only publishing columns."""
        self.validate_for_publish()
        self.ensure_slug()
        self.mark_published(timezone.now())
        self.publish_at = None
        self._transition(by, self.State.PUBLISHED, "publish", note, fields=PUBLISHING_FIELDS)
