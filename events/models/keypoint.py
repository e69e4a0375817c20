"""Key points: short highlight bullets on a story, drafted by a machine, approved by people."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .story import Story


class KeyPointQuerySet(models.QuerySet):
    def approved(self) -> KeyPointQuerySet:
        return self.filter(approved_at__isnull=False)

    def awaiting_approval(self) -> KeyPointQuerySet:
        return self.filter(approved_at__isnull=True)


class KeyPoint(models.Model):
    class Origin(models.TextChoices):
        GENERATED = "generated", "Generated"
        EDITED = "edited", "Generated, then edited"
        MANUAL = "manual", "Written by hand"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="key_points")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    backend = models.CharField(max_length=40, blank=True, editable=False)
    backend_version = models.CharField(max_length=40, blank=True, editable=False)
    text_hash = models.CharField(
        max_length=64, blank=True, editable=False, help_text="The story text it was drafted from."
    )
    generated_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = KeyPointQuerySet.as_manager()

    #: whether it was approved as loaded from the database (readers may have seen it)
    was_approved = False

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text

    @classmethod
    def from_db(cls, db, field_names, values):
        point = super().from_db(db, field_names, values)
        point.was_approved = point.approved_at is not None
        return point

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def is_reviewed(self) -> bool:
        """Edited, hand-written or approved: a person stands behind it; no machine replaces it."""
        return self.is_approved or self.origin != self.Origin.GENERATED

    def lock(self) -> None:
        """Re-read the point under a row lock; refuse if the worker replaced it meanwhile."""
        try:
            self.refresh_from_db(from_queryset=KeyPoint.objects.select_for_update())
        except KeyPoint.DoesNotExist:
            raise ValidationError(
                "This key point was replaced by a new draft meanwhile; the panel now shows the "
                "current points."
            ) from None
        self.was_approved = self.is_approved

    def approve(self, by, seen_text: str | None = None) -> None:
        """Approve the point; given ``seen_text`` (what the editor read), only if it still
        reads so."""
        Story.require_perm(by, "events.approve_keypoints", "approve key points")
        self.lock()
        if seen_text is not None and " ".join(seen_text.split()) != self.text:
            raise ValidationError(
                "This key point was changed after you read it: read it again, then approve."
            )
        if self.is_approved:
            return
        self.approved_by = by
        self.approved_at = timezone.now()
        self.save(update_fields=["approved_by", "approved_at"])

    def edit(self, text: str, by) -> None:
        """An editor rewrites the point; a machine draft becomes an edited one."""
        Story.require_perm(by, "events.approve_keypoints", "edit key points")
        text = " ".join(text.split())
        if not text:
            raise ValidationError("A key point cannot be empty; delete it instead.")
        self.lock()
        if text == self.text:
            return
        self.text = text
        if self.origin == self.Origin.GENERATED:
            self.origin = self.Origin.EDITED
        # Approval was of the old wording: the new one needs a fresh look.
        self.approved_by = self.approved_at = None
        self.save(update_fields=["text", "origin", "approved_by", "approved_at"])

    def remove(self, by) -> None:
        Story.require_perm(by, "events.approve_keypoints", "delete key points")
        self.lock()
        self.delete()
