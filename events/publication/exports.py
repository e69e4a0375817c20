"""Bulk exports: dated, gzipped dumps of everything public, for consumers who want it all.

Each day's export (``build_exports``, run by beat through ``events.tasks.export_public_data``
and by ``manage.py export_public_data``) writes into ``NEWSROOM_EXPORTS_DIR``:

- ``stories-<date>.jsonl.gz``, ``events-<date>.jsonl.gz``, ``briefings-<date>.jsonl.gz``: every
  live document of the kind, one per line, exactly the stored text (``PublicDocument.body``);
- ``events-<date>.csv.gz`` and ``events-<date>.geojson.gz``: the events as the API's CSV and
  GeoJSON give them (``events.publication.formats``), from the documents' list form;
- ``manifest-<date>.json``: each file's rows, bytes and sha256 (of the ``.gz`` file as served),
  and ``position``, the change log's position to resume from.

**The position.** Documents and position are read in one snapshot: a REPEATABLE READ, read-only
transaction on PostgreSQL; a deferred read transaction on SQLite (WAL: a reader keeps its
snapshot and blocks no writer). ``position`` is the highest position the log had given out in
that snapshot. Every entry up to it had committed, and a document is stored in the same
transaction as its entry, so the dump holds every change up to ``position``; it may also hold
changes committed just before the snapshot but numbered after it (positions are given after
commit). Entries are whole documents and takedowns, so replaying them is idempotent: a consumer
that loads the dump and then applies ``/api/v1/changes/?after=<position>`` reaches the current
state, never misses a change, and at worst applies one it already has.

Files are written to a temporary name and renamed into place (the manifest last), so a reader
never sees half a file; gzip's header carries no time, so the same data gives the same bytes.
One export runs at a time (a lock file); a day's export that exists is kept unless ``force``.
Dumps older than ``NEWSROOM_EXPORTS_KEEP_DAYS`` are deleted after each export.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from events.models.publication import Change

from .builders import utc
from .formats import GEOJSON_START, CSVText, feature_text, geojson_end
from .read import live

KINDS = ("story", "event", "briefing")
PLURALS = {"story": "stories", "event": "events", "briefing": "briefings"}
#: documents read per query (keyset pages by record id, all in the one snapshot)
BATCH = 1000
MANIFEST = re.compile(r"manifest-(\d{4}-\d{2}-\d{2})\.json")
#: characters compressed at a time
CHUNK = 256 * 1024
#: temporary files older than this are a crashed export's leftovers
STALE_TEMP_SECONDS = 24 * 3600


@dataclass
class ExportFile:
    """One file of an export, as its manifest lists it."""

    name: str
    kind: str
    format: str
    rows: int
    bytes: int
    sha256: str


@dataclass
class Manifest:
    """A day's export: when its snapshot was read, the change-log position it holds, its files."""

    date: str
    created_at: str
    position: int
    files: list[ExportFile] = field(default_factory=list)

    def read_at(self) -> datetime:
        return datetime.fromisoformat(self.created_at)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Manifest:
        return cls(
            date=data["date"],
            created_at=data["created_at"],
            position=data["position"],
            files=[ExportFile(**entry) for entry in data["files"]],
        )


def exports_dir() -> Path:
    return Path(settings.NEWSROOM_EXPORTS_DIR)


def file_name(kind: str, fmt: str, day: date) -> str:
    return f"{PLURALS[kind]}-{day.isoformat()}.{fmt}.gz"


def manifest_name(day: date) -> str:
    return f"manifest-{day.isoformat()}.json"


# --- writing ---------------------------------------------------------------------------------


class Output:
    """One gzipped file being written under a temporary name: counts rows, and hashes and
    counts the compressed bytes as they go to disk (one pass, nothing held in memory)."""

    def __init__(self, directory: Path, name: str, kind: str, fmt: str):
        self.directory, self.name, self.kind, self.format = directory, name, kind, fmt
        self.rows = 0
        self.size = 0
        self.sha256 = hashlib.sha256()
        self.raw = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in finish/abort)
            dir=directory, prefix=f".{name}.", suffix=".tmp", delete=False
        )
        # No name and no time in the gzip header: the same data gives the same bytes. Level 6
        # (zlib's default) is several times faster than gzip's 9 for a few percent more bytes.
        self.gzip = gzip.GzipFile(filename="", mode="wb", fileobj=self, mtime=0, compresslevel=6)
        self.pending: list[str] = []
        self.pending_size = 0

    # The file object GzipFile writes its compressed bytes to.
    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()

    def text(self, text: str) -> None:
        # Compressed in chunks of about 256 KB: a call per row costs more than the row.
        self.pending.append(text)
        self.pending_size += len(text)
        if self.pending_size >= CHUNK:
            self.drain()

    def drain(self) -> None:
        self.gzip.write("".join(self.pending).encode())
        self.pending.clear()
        self.pending_size = 0

    def finish(self) -> ExportFile:
        """Close the file and move it into place under its own name."""
        self.drain()
        self.gzip.close()
        self.raw.flush()
        os.fsync(self.raw.fileno())
        self.raw.close()
        os.chmod(self.raw.name, 0o644)  # mkstemp makes it private; it is public data
        os.replace(self.raw.name, self.directory / self.name)
        return ExportFile(
            self.name, self.kind, self.format, self.rows, self.size, self.sha256.hexdigest()
        )

    def abort(self) -> None:
        self.raw.close()
        Path(self.raw.name).unlink(missing_ok=True)


def write_atomically(path: Path, text: str) -> None:
    with tempfile.NamedTemporaryFile(
        "w", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    ) as temp:
        temp.write(text)
        temp.flush()
        os.fsync(temp.fileno())
    os.chmod(temp.name, 0o644)
    os.replace(temp.name, path)
    sync_directory(path.parent)


def sync_directory(directory: Path) -> None:
    """Make the renames durable (a crash right after cannot bring back the old names)."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- reading one snapshot --------------------------------------------------------------------


@contextmanager
def snapshot() -> Iterator[None]:
    """Every query inside reads the same committed state (see the module's docstring).

    Inside a transaction the caller already opened (tests do), that transaction is used as it
    is: isolation can only be chosen when a transaction begins."""
    if connection.in_atomic_block:
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # Django's atomic() would BEGIN IMMEDIATE (the project's transaction mode) and hold the
        # write lock for the whole export; a deferred transaction that only reads takes none.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")  # it wrote nothing
    else:
        with transaction.atomic():
            yield


def log_position() -> int:
    """The highest position the change log has given out."""
    return Change.objects.aggregate(last=Max("position"))["last"] or 0


def live_documents(kind: str, *columns: str) -> Iterator[tuple]:
    """``columns`` of the live documents of ``kind``, by record id, a batch per query."""
    after = 0
    while True:
        batch = list(
            live(kind)
            .filter(record_id__gt=after)
            .order_by("record_id")
            .values_list("record_id", *columns)[:BATCH]
        )
        if not batch:
            return
        for entry in batch:
            yield entry[1:]
        after = batch[-1][0]


def write_kind(kind: str, outputs: dict[str, Output]) -> None:
    """Stream the live documents of ``kind`` into its outputs: JSON Lines always, and for
    events the CSV and GeoJSON (from each document's list form, as the API's pages)."""
    documents = outputs["jsonl"]
    table, collection = outputs.get("csv"), outputs.get("geojson")
    tabular = table is not None or collection is not None
    text = CSVText()
    if table is not None:
        table.text(text.header())
    if collection is not None:
        collection.text(GEOJSON_START)
    for values in live_documents(kind, *(("body", "item") if tabular else ("body",))):
        documents.text(values[0] + "\n")
        documents.rows += 1
        if not tabular:
            continue
        event = json.loads(values[1])
        if table is not None:
            table.text(text.event(event))
            table.rows += 1
        if collection is not None:
            collection.text(feature_text(event, first=collection.rows == 0))
            collection.rows += 1
    if collection is not None:
        collection.text(geojson_end())


# --- the export --------------------------------------------------------------------------------


@contextmanager
def exclusive(directory: Path) -> Iterator[bool]:
    """Whether this process holds the exports' lock (one export at a time, on this machine)."""
    with open(directory / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build_exports(*, force: bool = False, today: date | None = None) -> Manifest | None:
    """Write today's (UTC) export unless it exists (``force`` writes it again), then delete the
    ones past keeping. Returns its manifest, or None when another export is running."""
    directory = exports_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with exclusive(directory) as mine:
        if not mine:
            return None
        day = today or timezone.now().astimezone(UTC).date()
        manifest = None if force else read_manifest(directory / manifest_name(day))
        if manifest is None:
            manifest = write_export(directory, day)
        remove_old(directory, day)
        return manifest


def write_export(directory: Path, day: date) -> Manifest:
    outputs: dict[str, dict[str, Output]] = {}
    try:
        for kind in KINDS:
            formats = ("jsonl", "csv", "geojson") if kind == "event" else ("jsonl",)
            outputs[kind] = {
                fmt: Output(directory, file_name(kind, fmt, day), kind, fmt) for fmt in formats
            }
        with snapshot():
            position = log_position()
            created_at = timezone.now()
            for kind in KINDS:
                write_kind(kind, outputs[kind])
        files = [output.finish() for kind in KINDS for output in outputs[kind].values()]
    except BaseException:
        for by_format in outputs.values():
            for output in by_format.values():
                output.abort()
        raise
    manifest = Manifest(day.isoformat(), utc(created_at), position, files)
    write_atomically(
        directory / manifest_name(day), json.dumps(manifest.as_dict(), indent=2) + "\n"
    )
    return manifest


def read_manifest(path: Path) -> Manifest | None:
    try:
        return Manifest.from_dict(json.loads(path.read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def manifests(directory: Path | None = None) -> list[Manifest]:
    """The exports on disk, newest first."""
    directory = directory or exports_dir()
    try:
        names = sorted(
            (entry.name for entry in directory.iterdir() if MANIFEST.fullmatch(entry.name)),
            reverse=True,
        )
    except FileNotFoundError:
        return []
    found = (read_manifest(directory / name) for name in names)
    return [manifest for manifest in found if manifest is not None]


def find(name: str) -> tuple[Path, Manifest, ExportFile] | None:
    """The file called ``name`` if a manifest lists it (only those are ever served)."""
    for manifest in manifests():
        for entry in manifest.files:
            if entry.name == name:
                return exports_dir() / name, manifest, entry
    return None


def remove_old(directory: Path, today: date) -> None:
    """Delete the exports past keeping, then any file no kept manifest lists (a crashed
    export's renamed files, temporary files of a day ago)."""
    oldest = today - timedelta(days=settings.NEWSROOM_EXPORTS_KEEP_DAYS - 1)
    kept: set[str] = {".lock"}
    for manifest in manifests(directory):
        name = directory / manifest_name(date.fromisoformat(manifest.date))
        if date.fromisoformat(manifest.date) < oldest:
            name.unlink(missing_ok=True)
        else:
            kept.add(name.name)
            kept.update(entry.name for entry in manifest.files)
    now = time.time()
    for entry in directory.iterdir():
        if entry.name in kept or not entry.is_file():
            continue
        if entry.name.endswith(".tmp") and now - entry.stat().st_mtime < STALE_TEMP_SECONDS:
            continue  # perhaps a manifest being written by hand; leave it a day
        entry.unlink(missing_ok=True)
