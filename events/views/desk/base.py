"""What the desk's views share: applying a workflow method and telling the user how it went."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

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


def refuse_if_changed(request: HttpRequest, record) -> None:
    """Publishing acts on what the editor read: if the record was saved after their page was
    opened (the page sends the version it showed), refuse and ask them to read it first."""
    expected = request.POST.get("expected_version", "")
    if not expected.isdigit() or int(expected) == record.version:
        return
    who = record.updated_by.username if record.updated_by else "someone else"
    when = date_format(timezone.localtime(record.updated_at), "j M Y, H:i:s")
    raise ValidationError(
        f"Not done: {who} saved this {record._meta.verbose_name} at {when}, after you opened "
        "the page. Read the current version on this page, then try again.",
        code="stale",
    )
