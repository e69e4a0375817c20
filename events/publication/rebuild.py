"""Rebuild every document, or check that the stored ones are what a fresh build gives."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import transaction

from events.models.publication import PublicDocument

from .builders import MODELS, build
from .log import append
from .store import dumps, etag_of, lock_record, store, stored

BATCH = 500


@dataclass(frozen=True)
class Drift:
    kind: str
    record_id: int
    slug: str
    problem: str

    def __str__(self) -> str:
        return f"{self.kind} {self.slug or self.record_id}: {self.problem}"


def candidates(kind: str) -> list[int]:
    """Every record that is public now or has a document (or a takedown): each may need a put
    or a takedown, or a takedown's reason may have changed."""
    public = MODELS[kind].objects.filter(state="published").values_list("pk", flat=True)
    stored = PublicDocument.objects.filter(kind=kind).values_list("record_id", flat=True)
    return sorted({*public, *stored})


def batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def rebuild_all(progress: Callable[[int], None] = lambda done: None) -> int:
    """Rebuild and store every document (``progress`` gets the count done after each batch).
    Returns how many documents changed."""
    changed = 0
    for kind in MODELS:
        for ids in batches(candidates(kind)):
            with transaction.atomic():
                for record_id in ids:
                    lock_record(kind, record_id)
                builds, documents = build(kind, ids), stored(kind, ids)
                changes = [
                    change
                    for pk in ids
                    if (change := store(kind, pk, builds.get(pk), documents.get(pk), follow=False))
                ]
                append(changes)
            changed += len(changes)
            progress(len(ids))
    return changed


def total() -> int:
    return sum(len(candidates(kind)) for kind in MODELS)


def check_all(progress: Callable[[int], None] = lambda done: None) -> list[Drift]:
    """What differs between the stored documents and a fresh build, without writing anything."""
    drift = []
    for kind in MODELS:
        for ids in batches(candidates(kind)):
            builds = build(kind, ids)
            stored = {
                doc.record_id: doc
                for doc in PublicDocument.objects.filter(kind=kind, record_id__in=ids).only(
                    "record_id", "slug", "status", "etag"
                )
            }
            for record_id in ids:
                built, doc = builds.get(record_id), stored.get(record_id)
                if built is None and doc is not None and doc.status == "live":
                    drift.append(Drift(kind, record_id, doc.slug, "stored but not public"))
                elif built is not None and (doc is None or doc.status != "live"):
                    drift.append(Drift(kind, record_id, built.slug, "public but not stored"))
                elif built is not None and etag_of(dumps(built.document)) != doc.etag:
                    drift.append(
                        Drift(kind, record_id, built.slug, "stored document is out of date")
                    )
            progress(len(ids))
        retracted = MODELS[kind].objects.filter(state="retracted").values("pk")
        for record_id, slug in PublicDocument.objects.filter(
            kind=kind, status=PublicDocument.Status.UNPUBLISHED, record_id__in=retracted
        ).values_list("record_id", "slug"):
            drift.append(
                Drift(kind, record_id, slug, "retracted, but its takedown says unpublished")
            )
    return drift
