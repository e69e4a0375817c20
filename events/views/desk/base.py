"""What the desk's views share: applying a workflow method and telling the user how it went."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from ...models import AuditEntry

HISTORY_SIZE = 12


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def refusal_text(refusal: ValidationError) -> str:
    return " ".join(refusal.messages)


def run_workflow(request: HttpRequest, action: Callable[[], object], done: str) -> bool:
    """Apply a model rule; a refusal (``ValidationError``) becomes the page's error message.

    ``PermissionDenied`` is left to ``desk_view``, which answers 403 with the model's sentence.
    """
    try:
        with transaction.atomic():
            action()
    except ValidationError as refusal:
        messages.error(request, refusal_text(refusal))
        return False
    messages.success(request, done)
    return True


def filter_list(request: HttpRequest, records, states, *search_fields: str) -> dict:
    """A desk list narrowed by ``?state=`` and ``?q=`` (every field searched), for its template."""
    state = request.GET.get("state", "")
    if state in states.values:
        records = records.filter(state=state)
    query = request.GET.get("q", "").strip()[:200]
    if query:
        match = Q()
        for field in search_fields:
            match |= Q(**{f"{field}__icontains": query})
        records = records.filter(match)
    return {"states": states.choices, "state": state, "query": query, "records": records}


def form_errors_text(form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)


def recent_history(record) -> list[AuditEntry]:
    """The record's latest state changes (who, when, from, to, why), newest first."""
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )
        .select_related("actor")
        .order_by("-at", "-id")[:HISTORY_SIZE]
    )


def posted_version(request: HttpRequest) -> int | None:
    """The record version the page showed (``expected_version``), or None if it sent none.

    Parsed with ``int()``: ``isdigit()`` accepts "²", which ``int()`` then refuses.
    """
    try:
        return int(request.POST.get("expected_version", ""))
    except ValueError:
        return None


def lock_as_seen(request: HttpRequest, record) -> None:
    """Lock the record for a workflow action and refuse it if the record was saved after the
    person's page was opened: publishing acts on what the editor read."""
    record.lock(expected_version=posted_version(request))
