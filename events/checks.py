"""A database check: date-times stored outside years 1-9999 (UTC), which no page can read back.

Since the validators in ``events.models.dates`` such a value cannot be typed in; rows written
before them (or by hand) are found by ``manage.py check --database default`` and fixed by
``manage.py repair_dates``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core import checks
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from .models.dates import EARLIEST, LATEST


@dataclass(frozen=True)
class UnstorableDates:
    model: type[models.Model]
    field: models.DateTimeField
    ids: list[int]

    def __str__(self) -> str:
        ids = ", ".join(map(str, self.ids[:10])) + (" …" if len(self.ids) > 10 else "")
        return f"{self.model._meta.label}.{self.field.name}: {len(self.ids)} row(s) ({ids})"

    def repair(self) -> int:
        """Empty the value where the field may be empty; otherwise put in the time the row was
        recorded (a figure's ``recorded_at``) or, failing that, now. Returns the rows fixed."""
        if self.field.null:
            value = None
        elif any(f.name == "recorded_at" for f in self.model._meta.concrete_fields):
            value = models.F("recorded_at")
        else:
            value = timezone.now()
        return self.model._default_manager.filter(pk__in=self.ids).update(
            **{self.field.name: value}
        )


def out_of_range(name: str) -> Q:
    # Compared in the database: a value outside the range cannot even be loaded into Python.
    return Q(**{f"{name}__lt": EARLIEST}) | Q(**{f"{name}__gt": LATEST})


def find_unstorable_dates() -> Iterator[UnstorableDates]:
    tables = set(connection.introspection.table_names())  # `migrate` checks before it creates
    for model in apps.get_app_config("events").get_models():
        if model._meta.db_table not in tables:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateTimeField):
                continue
            ids = list(
                model._default_manager.filter(out_of_range(field.name))
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if ids:
                yield UnstorableDates(model, field, ids)


@checks.register(checks.Tags.database)
def check_unstorable_dates(app_configs=None, databases=None, **kwargs) -> list[checks.Error]:
    if not databases:
        return []
    return [
        checks.Error(
            f"Dates outside years 1-9999 (UTC) that no page can read: {found}.",
            hint="Run `manage.py repair_dates` to empty or replace them.",
            id="events.E001",
        )
        for found in find_unstorable_dates()
    ]
