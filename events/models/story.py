"""Stories: what the desk writes about events, with quotes, corrections and key points."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from ..rendering import MAX_NESTING, nesting_depth, render_markdown
from .base import EditorialRecord
from .dates import validate_storable
from .event import Event
from .publication import request_rebuild
from .scheduling import ScheduledPublishing
from .vocabulary import Tag

#: about 15,000 words, several times the longest read; a crafted body this long still renders in
#: tens of milliseconds (``make bench``)
BODY_MAX_LENGTH = 100_000


def validate_body_nesting(body: str) -> None:
    """Refuse a body whose quotes, lists or emphasis nest too deeply to be shown as Markdown
    (readers would get it as plain paragraphs: see ``events.rendering``)."""
    depth = nesting_depth(body)
    if depth > MAX_NESTING:
        raise ValidationError(
            f"Quotes, lists or emphasis in the body are nested more than {MAX_NESTING} levels "
            "deep, too deep to show as formatted text. Your text is still here: remove some of "
            "the nesting (the > or - at the start of lines) and save again.",
            code="too_deep",
        )


class StoryQuerySet(models.QuerySet):
    def published(self) -> StoryQuerySet:
        return self.filter(state=Story.State.PUBLISHED)

    def in_review(self) -> StoryQuerySet:
        return self.filter(state=Story.State.IN_REVIEW)

    def scheduled(self) -> StoryQuerySet:
        return self.filter(state=Story.State.SCHEDULED)

    def due(self, now=None) -> StoryQuerySet:
        """Scheduled stories whose publishing time has come."""
        return self.scheduled().filter(publish_at__lte=now or timezone.now())

    def drafts_of(self, user) -> StoryQuerySet:
        return self.filter(state=Story.State.DRAFT, created_by=user)


class Story(ScheduledPublishing, EditorialRecord):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"
        RETRACTED = "retracted", "Retracted"

    class KeyPointsStatus(models.TextChoices):
        NONE = "none", "Not generated"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    headline = models.CharField(max_length=300, blank=True)
    slug = models.SlugField(max_length=300, unique=True, null=True, blank=True)
    standfirst = models.TextField(blank=True, help_text="The one- or two-sentence summary.")
    body = models.TextField(
        blank=True,
        max_length=BODY_MAX_LENGTH,
        validators=[validate_body_nesting],
        help_text=f"Markdown, up to {BODY_MAX_LENGTH:,} characters. Raw HTML is dropped.",
    )
    body_html = models.TextField(
        blank=True, editable=False, help_text="The body rendered and sanitised, at save."
    )
    dateline = models.CharField(max_length=100, blank=True, help_text="e.g. KYIV")
    byline = models.CharField(max_length=300, blank=True, help_text="e.g. By Olena Kovalenko")
    events = models.ManyToManyField(Event, through="StoryEvent", blank=True, related_name="stories")
    tags = models.ManyToManyField(Tag, blank=True, related_name="stories")
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.DRAFT, editable=False
    )
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[validate_storable],
        help_text="When a scheduled story goes live (newsroom time).",
    )
    key_points_status = models.CharField(
        max_length=10,
        choices=KeyPointsStatus.choices,
        default=KeyPointsStatus.NONE,
        editable=False,
    )
    key_points_error = models.TextField(blank=True, editable=False)
    key_points_hash = models.CharField(max_length=64, blank=True, editable=False)
    key_points_requested_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When key points were last requested; beat re-sends lost requests.",
    )

    held_back_state = State.IN_REVIEW
    required_to_publish = ("headline", "standfirst", "body", "byline")
    workflow_fields = (
        *EditorialRecord.workflow_fields,
        "key_points_status",
        "key_points_error",
        "key_points_hash",
        "key_points_requested_at",
    )
    #: the rendering follows the body: a restored body is rendered again as it is saved
    never_restored = (*EditorialRecord.never_restored, "body_html")

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-last_published_at", "-updated_at", "-id"]
        verbose_name_plural = "stories"
        permissions = [
            ("publish_story", "Can publish, schedule, unpublish and retract stories"),
            ("correct_story", "Can add public corrections to stories"),
            ("approve_keypoints", "Can approve key points"),
        ]
        indexes = [
            models.Index(fields=["state", "-last_published_at"]),
            models.Index(fields=["state", "publish_at"]),
        ]

    def __str__(self) -> str:
        return self.headline or f"Untitled story #{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("public:story", kwargs={"slug": self.slug}) if self.slug else ""

    def save(self, *args, **kwargs) -> None:
        # ``body_html`` is derived data, like ``auto_now`` and the version counter, not a
        # workflow: every path that writes the body (desk and admin forms, history restore, the
        # demo seed, tests) saves through here, so none can leave readers an old rendering. A
        # method each writer had to call would be one more thing for the next path to forget.
        fields = kwargs.get("update_fields")
        if "body" not in self.get_deferred_fields() and (fields is None or "body" in fields):
            self.body_html = render_markdown(self.body)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "body_html"}
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def text_hash(self) -> str:
        """Fingerprint of the text key points are drafted from."""
        text = "\n".join([self.headline, self.standfirst, self.body])
        return hashlib.sha256(text.encode()).hexdigest()

    # --- who may do what ----------------------------------------------------------------------

    def can_edit(self, user) -> bool:
        if user.has_perm("events.publish_story"):
            return True
        return (
            user.has_perm("events.change_story")
            and self.state == self.State.DRAFT
            and (self.pk is None or self.created_by_id == user.pk)
        )

    # --- workflow -----------------------------------------------------------------------------

    def missing_for_publish(self) -> list[str]:
        missing = super().missing_for_publish()
        if (
            self.pk
            and self.story_events.exists()
            and not self.story_events.filter(is_primary=True).exists()
        ):
            missing.append("a primary event (one linked event must be marked primary)")
        return missing

    @transaction.atomic
    def submit(self, by) -> None:
        if not (by.has_perm("events.change_story") and self.can_edit(by)):
            raise ValidationError("Only the author of a draft can submit it for review.")
        self.lock()
        if self.state != self.State.DRAFT:
            raise ValidationError("Only a draft can be submitted for review.")
        self._transition(by, self.State.IN_REVIEW, "submit")

    @transaction.atomic
    def publish(self, by, note: str = "") -> None:
        self.require_perm(by, "events.publish_story", "publish stories")
        self.lock()
        if self.state == self.State.RETRACTED:
            raise ValidationError("A retracted story cannot be published again.")
        self._go_live(by, note)

    @transaction.atomic
    def schedule(self, by, at) -> None:
        self.require_perm(by, "events.publish_story", "schedule stories")
        if at is None or at <= timezone.now():
            raise ValidationError("Choose a publishing time in the future.")
        self.lock()
        if self.state in (self.State.PUBLISHED, self.State.RETRACTED):
            raise ValidationError(
                f"A {self.get_state_display().lower()} story cannot be scheduled."
            )
        self.validate_for_publish()
        self.publish_at = at
        self._transition(
            by, self.State.SCHEDULED, "schedule", f"for {at.isoformat()}", fields=("publish_at",)
        )

    @transaction.atomic
    def unpublish(self, by, reason: str = "") -> None:
        self.require_perm(by, "events.publish_story", "unpublish stories")
        self.lock()
        if self.state not in (self.State.PUBLISHED, self.State.SCHEDULED):
            raise ValidationError("Only a published or scheduled story can be unpublished.")
        self.publish_at = None
        self._transition(by, self.State.UNPUBLISHED, "unpublish", reason, fields=("publish_at",))

    @transaction.atomic
    def retract(self, by, reason: str) -> None:
        self.require_perm(by, "events.publish_story", "retract stories")
        if not reason.strip():
            raise ValidationError("Say why the story is retracted; readers will see it.")
        self.lock()
        # A retraction is a public notice (a 410 page with the headline): only of what readers
        # have had. A draft or a story in review is simply never published.
        if self.state not in (self.State.PUBLISHED, self.State.UNPUBLISHED) or (
            not self.first_published_at
        ):
            raise ValidationError(
                "Only a story that has been published can be retracted; "
                f"this one is {self.get_state_display().lower()}."
            )
        self.publish_at = None
        self._transition(by, self.State.RETRACTED, "retract", reason, fields=("publish_at",))

    @transaction.atomic
    def add_correction(self, by, text: str) -> Correction:
        self.require_perm(by, "events.correct_story", "correct stories")
        if not self.first_published_at:
            raise ValidationError("Only a story that has been published can carry a correction.")
        if not text.strip():
            raise ValidationError("A correction needs its text.")
        correction = self.corrections.create(text=text.strip(), created_by=by)
        self.record_transition(by, self.state, "correct", text.strip())
        return correction

    def ensure_slug(self) -> None:
        if not self.slug:
            from ..slugs import unique_slug

            self.slug = unique_slug(type(self), self.headline)

    # --- key points (drafted by the worker, reviewed by editors) -------------------------------

    def add_key_point(self, text: str, by):
        self.require_perm(by, "events.approve_keypoints", "write key points")
        text = " ".join(text.split())
        if not text:
            raise ValidationError("A key point needs its text.")
        last = self.key_points.order_by("-order").values_list("order", flat=True).first()
        return self.key_points.create(
            text=text, order=0 if last is None else last + 1, origin="manual"
        )

    @transaction.atomic
    def reorder_key_points(self, ordered_ids: list[int], by) -> None:
        """Put the story's key points in the order given (every point, each once)."""
        self.require_perm(by, "events.approve_keypoints", "reorder key points")
        points = {point.pk: point for point in self.key_points.select_for_update()}
        if sorted(ordered_ids) != sorted(points):
            raise ValidationError(
                "The order must list each of this story's key points once; reload the page."
            )
        for position, pk in enumerate(ordered_ids):
            if points[pk].order != position:
                points[pk].order = position
                points[pk].save(update_fields=["order"])

    def queue_key_points(self, force: bool = False, *, replace_reviewed: bool = False) -> bool:
        """Ask the worker to draft key points for the current text, once it is committed.

        Does nothing (returns False) when this text is the one already queued or drafted, unless
        ``force``. The status is written with ``update()`` so that the version does not move: a
        background status change must not make an editor's open form stale. If the broker is
        down the save still succeeds and the story stays "queued" for beat's sweep to re-send.
        """
        from ..keypoints import send_generate_key_points

        text_hash = self.text_hash
        if self.pk is None or (not force and text_hash == self.key_points_hash):
            return False
        self.key_points_status = self.KeyPointsStatus.QUEUED
        self.key_points_error = ""
        self.key_points_hash = text_hash
        self.key_points_requested_at = timezone.now()
        type(self).objects.filter(pk=self.pk).update(
            key_points_status=self.key_points_status,
            key_points_error="",
            key_points_hash=text_hash,
            key_points_requested_at=self.key_points_requested_at,
        )
        story_id = self.pk
        transaction.on_commit(
            lambda: send_generate_key_points(story_id, text_hash, replace_reviewed=replace_reviewed)
        )
        return True

    def regenerate_key_points(self, by, replace_reviewed: bool = False) -> None:
        """An editor asks for a fresh draft; reviewed points stay unless ``replace_reviewed``."""
        self.require_perm(by, "events.approve_keypoints", "regenerate key points")
        self.queue_key_points(force=True, replace_reviewed=replace_reviewed)

    @transaction.atomic
    def approve_key_points(self, by, ids: list[int] | None = None) -> int:
        """Approve the points awaiting approval (with ``ids``: only those, the ones the editor
        read; a draft the worker wrote meanwhile waits for its own look). Returns how many."""
        self.require_perm(by, "events.approve_keypoints", "approve key points")
        waiting = self.key_points.awaiting_approval()
        if ids is not None:
            waiting = waiting.filter(pk__in=ids)
        locked = list(waiting.select_for_update().values_list("pk", flat=True))
        approved = self.key_points.filter(pk__in=locked).update(
            approved_by=by, approved_at=timezone.now()
        )
        if approved:
            request_rebuild("story", [self.pk])  # update() sends no signal to hear
        return approved


class StoryEvent(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="story_events")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="story_links")
    is_primary = models.BooleanField("primary", default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name = "linked event"
        constraints = [
            models.UniqueConstraint(fields=["story", "event"], name="unique_story_event"),
            models.UniqueConstraint(
                fields=["story"],
                condition=Q(is_primary=True),
                name="one_primary_event_per_story",
                violation_error_message="A story has only one primary event.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event}{' (primary)' if self.is_primary else ''}"


class Quote(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="quotes")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    speaker = models.CharField(max_length=200)
    speaker_role = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Where it was said.")

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text[:60]}"


class Correction(models.Model):
    """A public, dated correction. Corrections are never edited away."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d}: {self.text[:60]}"
