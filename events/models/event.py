"""Events: what happened, when, where and to whom, with sources and revisable figures."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from .base import EditorialRecord
from .dates import validate_storable
from .vocabulary import Actor, EventType, Location


class EventQuerySet(models.QuerySet):
    def published(self) -> EventQuerySet:
        return self.filter(state=Event.State.PUBLISHED)

    def drafts(self) -> EventQuerySet:
        return self.filter(state=Event.State.DRAFT)


class Event(EditorialRecord):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETRACTED = "retracted", "Retracted"

    class TimePrecision(models.TextChoices):
        EXACT = "exact", "Exact time"
        DAY = "day", "Day"
        WEEK = "week", "Week"
        MONTH = "month", "Month"

    class GeoPrecision(models.TextChoices):
        EXACT = "exact", "Exact place"
        NEAR = "near", "Near the place"
        REGION = "region", "Region"
        COUNTRY = "country", "Country"

    class Occurrence(models.TextChoices):
        REPORTED = "reported", "Reported"
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"
        POSTPONED = "postponed", "Postponed"

    class Verification(models.TextChoices):
        UNVERIFIED = "unverified", "Unverified"
        SINGLE_SOURCE = "single_source", "Single source"
        CORROBORATED = "corroborated", "Corroborated"
        CONFIRMED = "confirmed", "Confirmed"
        DISPUTED = "disputed", "Disputed"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300, unique=True, null=True, blank=True)
    summary = models.TextField("public summary", blank=True)
    internal_note = models.TextField(
        blank=True, help_text="For the desk only. Never shown to the public or in the API."
    )
    event_type = models.ForeignKey(
        EventType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        limit_choices_to={"parent__isnull": True},
    )
    sub_type = models.ForeignKey(
        EventType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_type_events",
        limit_choices_to={"parent__isnull": False},
    )
    starts_at = models.DateTimeField(null=True, blank=True, validators=[validate_storable])
    ends_at = models.DateTimeField(null=True, blank=True, validators=[validate_storable])
    time_precision = models.CharField(
        max_length=10, choices=TimePrecision.choices, default=TimePrecision.EXACT
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    geo_precision = models.CharField(
        max_length=10, choices=GeoPrecision.choices, default=GeoPrecision.EXACT
    )
    occurrence_status = models.CharField(
        max_length=12, choices=Occurrence.choices, default=Occurrence.REPORTED
    )
    verification_status = models.CharField(
        max_length=16, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    actors = models.ManyToManyField(Actor, through="EventActor", blank=True)
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.DRAFT, editable=False
    )

    required_to_publish = ("title", "summary", "event_type", "starts_at", "location")

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        permissions = [
            ("publish_event", "Can publish and retract events"),
            ("verify_event", "Can set the verification status of events"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="event_not_own_parent",
                violation_error_message="An event cannot be its own parent.",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message="An event cannot end before it starts.",
            ),
        ]
        indexes = [models.Index(fields=["state", "-starts_at"])]

    def __str__(self) -> str:
        return self.title or f"Event #{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("public:event", kwargs={"slug": self.slug}) if self.slug else ""

    # --- who may do what ----------------------------------------------------------------------

    def can_edit(self, user) -> bool:
        if user.has_perm("events.publish_event"):
            return True
        return (
            user.has_perm("events.change_event")
            and self.state == self.State.DRAFT
            and (self.pk is None or self.created_by_id == user.pk)
        )

    # --- workflow -----------------------------------------------------------------------------

    @transaction.atomic
    def publish(self, by) -> None:
        self.require_perm(by, "events.publish_event", "publish events")
        self.lock()
        self.validate_for_publish()
        self.mark_published(timezone.now())
        self.ensure_slug()
        self._transition(
            by,
            self.State.PUBLISHED,
            "publish",
            fields=("slug", "first_published_at", "last_published_at"),
        )

    @transaction.atomic
    def retract(self, by, reason: str = "") -> None:
        self.require_perm(by, "events.publish_event", "retract events")
        self.lock()
        if self.state != self.State.PUBLISHED:
            raise ValidationError("Only a published event can be retracted.")
        self._transition(by, self.State.RETRACTED, "retract", reason)

    @transaction.atomic
    def set_verification(self, status: str, by) -> None:
        self.require_perm(by, "events.verify_event", "set the verification status")
        if status not in self.Verification.values:
            raise ValidationError("Choose one of the verification statuses.")
        self.lock()
        previous = self.verification_status
        if status == previous:
            return  # nothing changed: no new version, no audit entry
        self.verification_status = status
        self.updated_by = by
        self.save(update_fields={"verification_status", "updated_by"})
        self.record_transition(by, self.state, "verify", f"{previous} → {status}")

    def restorable_fields(self, user=None) -> list:
        """Verification is an editor's call: a restore by anyone else leaves it as it is."""
        fields = super().restorable_fields(user)
        if user is not None and user.has_perm("events.verify_event"):
            return fields
        return [field for field in fields if field.name != "verification_status"]

    def ensure_slug(self) -> None:
        if not self.slug:
            from ..slugs import unique_slug

            self.slug = unique_slug(type(self), self.title)

    # --- figures ------------------------------------------------------------------------------

    # Both read ``.all()`` and order in Python, so a page that prefetches the figures of many
    # events (``casualty_figures``, ``munition_counts``) asks nothing more per event.

    def latest_casualties(self) -> list[CasualtyFigure]:
        """The newest figure for each kind (killed, injured, missing) and group."""
        latest: dict[tuple[str, bool], CasualtyFigure] = {}
        for figure in sorted(self.casualty_figures.all(), key=lambda f: (f.as_of, f.pk)):
            latest[(figure.kind, figure.civilians_only)] = figure
        return sorted(
            latest.values(), key=lambda f: CasualtyFigure.display_order(f.kind, f.civilians_only)
        )

    def latest_munitions(self) -> list[MunitionCount]:
        latest: dict[str, MunitionCount] = {}
        for count in sorted(self.munition_counts.all(), key=lambda c: (c.as_of, c.pk)):
            latest[count.munition_type] = count
        return list(latest.values())


class EventActor(models.Model):
    class Role(models.TextChoices):
        ATTACKER = "attacker", "Attacker"
        TARGET = "target", "Target"
        PARTICIPANT = "participant", "Participant"
        MEDIATOR = "mediator", "Mediator"
        CLAIMANT = "claimant", "Claimed responsibility"
        AFFECTED = "affected", "Affected"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_actors")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="event_roles")
    role = models.CharField(max_length=12, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "actor", "role"], name="unique_event_actor")
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_role_display()})"


class EventRelation(models.Model):
    class Kind(models.TextChoices):
        RELATED = "related", "Related"
        FOLLOW_UP = "follow_up", "Follow-up"
        DUPLICATE_OF = "duplicate_of", "Duplicate of"

    from_event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="relations")
    to_event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="inverse_relations")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.RELATED)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_event", "to_event", "kind"], name="unique_event_relation"
            ),
            models.CheckConstraint(
                condition=~Q(from_event=F("to_event")),
                name="event_relation_not_to_itself",
                violation_error_message="An event cannot be related to itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.to_event}"


class Source(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField("URL", max_length=500)
    publisher = models.CharField(max_length=200)
    title = models.CharField(max_length=300, blank=True)
    accessed_at = models.DateTimeField(default=timezone.now, validators=[validate_storable])

    class Meta:
        ordering = ["accessed_at", "id"]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title or self.url}"


class Figure(models.Model):
    """A figure as known at a moment. Rows are never edited: a revision is a new row."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE)
    as_of = models.DateTimeField(
        default=timezone.now,
        validators=[validate_storable],
        help_text="When this figure was current.",
    )
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)
    source_note = models.CharField(
        max_length=300, blank=True, help_text="Who gave the figure, e.g. 'regional governor'."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["-as_of", "-id"]


class CasualtyFigure(Figure):
    class Kind(models.TextChoices):
        KILLED = "killed", "Killed"
        INJURED = "injured", "Injured"
        MISSING = "missing", "Missing"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="casualty_figures")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    civilians_only = models.BooleanField(
        default=False, help_text="Tick when the figure counts civilians only."
    )
    minimum = models.IntegerField(help_text="The figure, or the low end of a range.")
    maximum = models.IntegerField(
        null=True, blank=True, help_text="The high end of a range; empty for a single figure."
    )
    at_least = models.BooleanField(
        "at least", default=False, help_text="The figure is a floor ('at least 60')."
    )

    class Meta(Figure.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum__gte=0),
                name="casualty_minimum_not_negative",
                violation_error_message="A casualty figure cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(maximum__gte=F("minimum")),
                name="casualty_minimum_not_above_maximum",
                violation_error_message="The minimum cannot be above the maximum.",
            ),
            models.CheckConstraint(
                condition=Q(at_least=False) | Q(maximum__isnull=True),
                name="casualty_at_least_has_no_maximum",
                violation_error_message="An 'at least' figure has no maximum.",
            ),
        ]
        indexes = [models.Index(fields=["event", "kind", "-as_of"])]

    def __str__(self) -> str:
        who = " civilians" if self.civilians_only else ""
        return f"{self.get_kind_display()}{who}: {self.value_display}"

    @classmethod
    def display_order(cls, kind: str, civilians_only: bool) -> tuple[int, bool]:
        """Killed, injured, missing; for each, all people before civilians only."""
        return list(cls.Kind.values).index(kind), civilians_only

    @property
    def value_display(self) -> str:
        return self.describe(self.minimum, self.maximum, self.at_least)

    @staticmethod
    def describe(minimum: int, maximum: int | None, at_least: bool) -> str:
        """How a figure reads: "3", "2–4" or "at least 60"."""
        if at_least:
            return f"at least {minimum}"
        if maximum is not None and maximum != minimum:
            return f"{minimum}–{maximum}"
        return str(minimum)


class MunitionCount(Figure):
    class MunitionType(models.TextChoices):
        DRONE = "drone", "Attack drone (e.g. Shahed)"
        DECOY_DRONE = "decoy_drone", "Decoy drone"
        CRUISE_MISSILE = "cruise_missile", "Cruise missile"
        BALLISTIC_MISSILE = "ballistic_missile", "Ballistic missile"
        GUIDED_BOMB = "guided_bomb", "Guided bomb"
        OTHER = "other", "Other"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="munition_counts")
    munition_type = models.CharField(max_length=20, choices=MunitionType.choices)
    launched = models.IntegerField(null=True, blank=True)
    intercepted = models.IntegerField(null=True, blank=True)
    hit = models.IntegerField(null=True, blank=True, help_text="Reached a target.")

    class Meta(Figure.Meta):
        constraints = [
            models.CheckConstraint(
                condition=(
                    (Q(launched__isnull=True) | Q(launched__gte=0))
                    & (Q(intercepted__isnull=True) | Q(intercepted__gte=0))
                    & (Q(hit__isnull=True) | Q(hit__gte=0))
                ),
                name="munition_counts_not_negative",
                violation_error_message="Munition counts cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(launched__isnull=True)
                | Q(intercepted__isnull=True)
                | Q(intercepted__lte=F("launched")),
                name="munition_intercepted_not_above_launched",
                violation_error_message="More munitions cannot be intercepted than launched.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_munition_type_display()}: {self.launched} launched"
