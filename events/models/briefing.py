"""Briefings: ordered collections of published stories, such as the morning briefing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from .base import EditorialRecord
from .dates import validate_storable
from .publication import request_rebuild
from .scheduling import ScheduledPublishing
from .story import Story


class BriefingQuerySet(models.QuerySet):
    def published(self) -> BriefingQuerySet:
        return self.filter(state=Briefing.State.PUBLISHED)

    def due(self, now=None) -> BriefingQuerySet:
        return self.filter(state=Briefing.State.SCHEDULED, publish_at__lte=now or timezone.now())


class Briefing(ScheduledPublishing, EditorialRecord):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    class Edition(models.TextChoices):
        MORNING = "morning", "Morning briefing"
        MIDDAY = "midday", "Midday briefing"
        EVENING = "evening", "Evening briefing"
        SPECIAL = "special", "Special briefing"

    title = models.CharField(max_length=300, blank=True)
    slug = models.SlugField(max_length=300, unique=True, null=True, blank=True)
    edition = models.CharField(max_length=10, choices=Edition.choices, default=Edition.MORNING)
    edition_date = models.DateField(null=True, blank=True)
    intro = models.TextField(blank=True)
    stories = models.ManyToManyField(Story, through="BriefingItem", related_name="briefings")
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.DRAFT, editable=False
    )
    publish_at = models.DateTimeField(null=True, blank=True, validators=[validate_storable])

    held_back_state = State.DRAFT
    required_to_publish = ("title", "edition_date")

    objects = BriefingQuerySet.as_manager()

    class Meta:
        ordering = ["-edition_date", "-id"]
        permissions = [("publish_briefing", "Can publish, schedule and unpublish briefings")]

    def __str__(self) -> str:
        return self.title or f"Briefing #{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("public:briefing", kwargs={"slug": self.slug}) if self.slug else ""

    def public_items(self) -> models.QuerySet[BriefingItem]:
        """Items whose story is live: an unpublished story drops out of every briefing at once."""
        return self.items.filter(story__state=Story.State.PUBLISHED).select_related("story")

    def missing_for_publish(self) -> list[str]:
        missing = super().missing_for_publish()
        if self.pk is None or not self.items.exists():
            missing.append("at least one story")
        return missing

    def unpublished_stories(self) -> list[Story]:
        """The briefing's stories that are not live, read under a lock on every story in it:
        a story cannot be unpublished between this check and the commit of what follows."""
        stories = Story.objects.select_for_update(of=("self",)).filter(
            briefing_items__briefing=self
        )
        return [story for story in stories.order_by("pk") if story.state != Story.State.PUBLISHED]

    def validate_for_publish(self) -> None:
        super().validate_for_publish()
        pending = self.unpublished_stories()
        if pending:
            names = "; ".join(f"“{story}” ({story.get_state_display()})" for story in pending)
            raise ValidationError(
                f"Publish these stories first, or take them out of the briefing: {names}.",
                code="stories_not_published",
            )

    @transaction.atomic
    def publish(self, by) -> None:
        self.require_perm(by, "events.publish_briefing", "publish briefings")
        self.lock()
        self._go_live(by, "")

    @transaction.atomic
    def schedule(self, by, at) -> None:
        self.require_perm(by, "events.publish_briefing", "schedule briefings")
        if at is None or at <= timezone.now():
            raise ValidationError("Choose a publishing time in the future.")
        self.lock()
        # Stories may still be scheduled themselves, as long as they go live first.
        super().validate_for_publish()
        late = [
            item.story
            for item in self.items.select_related("story")
            if not item.story.is_public
            and not (item.story.state == Story.State.SCHEDULED and item.story.publish_at <= at)
        ]
        if late:
            names = "; ".join(f"“{story}”" for story in late)
            raise ValidationError(
                f"These stories will not be published by then: {names}.",
                code="stories_not_published",
            )
        self.publish_at = at
        self._transition(
            by, self.State.SCHEDULED, "schedule", f"for {at.isoformat()}", fields=("publish_at",)
        )

    @transaction.atomic
    def unpublish(self, by, reason: str = "") -> None:
        self.require_perm(by, "events.publish_briefing", "unpublish briefings")
        self.lock()
        if self.state not in (self.State.PUBLISHED, self.State.SCHEDULED):
            raise ValidationError("Only a published or scheduled briefing can be unpublished.")
        self.publish_at = None
        self._transition(by, self.State.UNPUBLISHED, "unpublish", reason, fields=("publish_at",))

    # --- composing -----------------------------------------------------------------------------

    #: stories a briefing may hold: live ones, and scheduled ones that will be live in time
    addable_states = (Story.State.PUBLISHED, Story.State.SCHEDULED)

    @transaction.atomic
    def add_story(self, story: Story) -> BriefingItem:
        """Append ``story`` as the last item (its state read under a lock, as it is now)."""
        story.lock()
        if story.state not in self.addable_states:
            raise ValidationError(
                f"“{story}” is {story.get_state_display().lower()}: only published or "
                "scheduled stories go into a briefing."
            )
        items = self.items.select_for_update()
        if items.filter(story=story).exists():
            raise ValidationError(f"“{story}” is already in this briefing.")
        last = items.aggregate(last=models.Max("order"))["last"]
        return self.items.create(story=story, order=0 if last is None else last + 1)

    @transaction.atomic
    def move_item(self, item: BriefingItem, step: int) -> bool:
        """Swap ``item`` with its neighbour (step -1: up, +1: down). False when already at the end.

        Positions are unique within a briefing, so the new order is stored in two passes: every
        item first moves out of the way (above the highest position in use), then into its place.
        """
        ordered = list(self.items.select_for_update().order_by("order", "id"))
        index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
        target = index + step
        if not 0 <= target < len(ordered):
            return False
        ordered[index], ordered[target] = ordered[target], ordered[index]
        offset = max(other.order for other in ordered) + 1
        for position, other in enumerate(ordered):
            BriefingItem.objects.filter(pk=other.pk).update(order=offset + position)
        for position, other in enumerate(ordered):
            BriefingItem.objects.filter(pk=other.pk).update(order=position)
        request_rebuild("briefing", [self.pk])  # update() sends no signal to hear
        return True

    def ensure_slug(self) -> None:
        if not self.slug:
            from ..slugs import unique_slug

            self.slug = unique_slug(type(self), f"{self.title} {self.edition_date or ''}")

    def default_blurb(self, story: Story) -> str:
        first = story.key_points.approved().first()
        return first.text if first else story.standfirst


class BriefingItem(models.Model):
    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="items")
    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="briefing_items")
    order = models.PositiveSmallIntegerField(default=0)
    headline_override = models.CharField(max_length=300, blank=True)
    blurb_override = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["briefing", "order"],
                name="unique_order_within_briefing",
                violation_error_message="Two items of a briefing cannot share a position.",
            ),
            models.UniqueConstraint(
                fields=["briefing", "story"],
                name="unique_story_within_briefing",
                violation_error_message="This story is already in the briefing.",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    @property
    def headline(self) -> str:
        return self.headline_override or self.story.headline

    @property
    def blurb(self) -> str:
        return self.blurb_override or self.briefing.default_blurb(self.story)
