"""Editable vocabularies the records point at: event types, places, actors, tags."""

from django.db import models
from django.db.models import Q


class EventType(models.Model):
    """An ACLED-style event type; a row with a parent is a sub-type of that type."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="sub_types"
    )

    class Meta:
        ordering = ["parent__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="event_type_not_own_parent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} → {self.name}" if self.parent_id else self.name


class Location(models.Model):
    name = models.CharField(max_length=200)
    country = models.CharField(
        "country (ISO 3166-1 alpha-2)", max_length=2, help_text="Two letters, e.g. UA."
    )
    admin_region = models.CharField("administrative region", max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        ordering = ["country", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country", "admin_region"], name="unique_location"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="location_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="location_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{2}$"),
                name="location_country_iso_code",
                violation_error_message="The country is a two-letter ISO code in capitals: UA.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.country}"


class Actor(models.Model):
    class Kind(models.TextChoices):
        STATE_FORCES = "state_forces", "State forces"
        GOVERNMENT = "government", "Government"
        ARMED_GROUP = "armed_group", "Armed group"
        CIVILIANS = "civilians", "Civilians"
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    country = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
