"""Bulk exports: dated, gzipped dumps of every public document, listed and served by the API,
each with counts, sha256 and the change-log position a consumer resumes from."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import threading
from datetime import UTC, date, timedelta
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from events import tasks
from events.models import Change, Event, Story
from events.publication import exports
from events.publication.read import live
from events.publication.urls import api_url, web_url

from .test_api_formats import valid_geojson

PLURALS = {"stories": "story", "events": "event", "briefings": "briefing"}


@pytest.fixture(autouse=True)
def exports_dir(settings, tmp_path):
    settings.NEWSROOM_EXPORTS_DIR = tmp_path / "exports"
    cache.clear()
    return settings.NEWSROOM_EXPORTS_DIR


def content(directory, entry) -> bytes:
    return gzip.decompress((directory / entry.name).read_bytes())


def files_by(manifest) -> dict[tuple[str, str], exports.ExportFile]:
    return {(entry.kind, entry.format): entry for entry in manifest.files}


def stored_bodies(kind: str) -> list[str]:
    return list(live(kind).order_by("record_id").values_list("body", flat=True))


def test_an_export_holds_every_live_document_as_stored(newsroom, exports_dir):
    manifest = exports.build_exports()
    assert manifest.date == timezone.now().astimezone(UTC).date().isoformat()  # the UTC day
    for kind in ("story", "event", "briefing"):
        entry = files_by(manifest)[kind, "jsonl"]
        lines = content(exports_dir, entry).decode().splitlines()
        assert lines == stored_bodies(kind)  # byte for byte, one document per line
        assert entry.rows == len(lines) > 0


def test_the_manifest_gives_each_files_rows_bytes_and_sha256(newsroom, exports_dir):
    manifest = exports.build_exports()
    on_disk = json.loads((exports_dir / f"manifest-{manifest.date}.json").read_text())
    assert on_disk == manifest.as_dict()
    assert {(e.kind, e.format) for e in manifest.files} == {
        ("story", "jsonl"),
        ("event", "jsonl"),
        ("briefing", "jsonl"),
        ("event", "csv"),
        ("event", "geojson"),
    }
    for entry in manifest.files:
        raw = (exports_dir / entry.name).read_bytes()
        assert entry.bytes == len(raw)
        assert entry.sha256 == hashlib.sha256(raw).hexdigest()
        assert entry.name.endswith(f"-{manifest.date}.{entry.format}.gz")
    events = live("event").count()
    table = files_by(manifest)["event", "csv"]
    rows = list(csv.DictReader(io.StringIO(content(exports_dir, table).decode())))
    assert table.rows == len(rows) == events
    collection = files_by(manifest)["event", "geojson"]
    body = json.loads(content(exports_dir, collection))
    valid_geojson(body)
    assert collection.rows == len(body["features"]) == events
    assert manifest.position == max(Change.objects.values_list("position", flat=True))


def test_the_events_csv_and_geojson_match_the_apis(client, newsroom, exports_dir):
    manifest = exports.build_exports()
    dumped = content(exports_dir, files_by(manifest)["event", "csv"]).decode()
    served = client.get("/api/v1/events/?format=csv&page_size=100").content.decode()
    # The same rows (the dump by record id, the page by start time), numbers as numbers.
    assert sorted(dumped.splitlines()) == sorted(served.splitlines())
    kharkiv = next(
        r for r in csv.DictReader(io.StringIO(dumped)) if r["slug"] == newsroom.kharkiv.slug
    )
    assert (kharkiv["killed_min"], kharkiv["injured_at_least"]) == ("3", "true")
    features = json.loads(content(exports_dir, files_by(manifest)["event", "geojson"]))["features"]
    page = client.get("/api/v1/events/?format=geojson&page_size=100").json()["features"]
    assert sorted(features, key=lambda f: f["id"]) == sorted(page, key=lambda f: f["id"])


def test_nothing_unpublished_or_internal_is_exported(newsroom, editor, exports_dir):
    newsroom.talks_story.unpublish(by=editor, reason="Embargo until the talks end")
    newsroom.kharkiv.internal_note = "DESK ONLY: the governor's figure is unconfirmed"
    newsroom.kharkiv.save()
    manifest = exports.build_exports()
    everything = b"".join(content(exports_dir, entry) for entry in manifest.files).decode()
    for story in (newsroom.talks_story, newsroom.draft):
        assert api_url("story", story.slug) not in everything
        assert web_url("story", story.slug) not in everything
        assert story.headline not in everything
    assert "Embargo" not in everything
    assert "DESK ONLY" not in everything
    assert newsroom.kharkiv.title in everything  # the event itself is public


def test_the_exports_list_names_each_file_and_where_to_get_it(client, newsroom, exports_dir):
    assert client.get("/api/v1/exports/").json() == {"results": []}
    manifest = exports.build_exports()
    response = client.get("/api/v1/exports/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["ETag"] and response["Last-Modified"]
    results = response.json()["results"]
    assert len(results) == 5
    for listed in results:
        entry = next(e for e in manifest.files if e.name == listed["name"])
        assert listed == {
            "name": entry.name,
            "kind": entry.kind,
            "format": entry.format,
            "date": manifest.date,
            "created_at": manifest.created_at,
            "rows": entry.rows,
            "bytes": entry.bytes,
            "sha256": entry.sha256,
            "position": manifest.position,
            "url": f"http://testserver/api/v1/exports/{entry.name}",
        }
    assert manifest.created_at.endswith("Z")
    unchanged = client.get("/api/v1/exports/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert unchanged.status_code == 304


def test_a_listed_file_downloads_as_it_is_on_disk(client, newsroom, exports_dir):
    manifest = exports.build_exports()
    entry = files_by(manifest)["event", "csv"]
    # A client that accepts gzip gets the file itself, not the file compressed again.
    response = client.get(f"/api/v1/exports/{entry.name}", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert "Content-Encoding" not in response
    assert response["Content-Length"] == str(entry.bytes)
    assert response["ETag"] == f'"{entry.sha256}"'
    assert f'filename="{entry.name}"' in response["Content-Disposition"]
    assert "RateLimit" in response
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == entry.sha256
    assert gzip.decompress(body).decode().startswith("slug,title,")
    again = client.get(f"/api/v1/exports/{entry.name}", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]


def test_an_unknown_file_or_parameter_is_a_problem_document(client, newsroom, exports_dir):
    manifest = exports.build_exports()
    for path in ("/api/v1/exports/passwd", "/api/v1/exports/..", "/api/v1/exports/.lock"):
        response = client.get(path, HTTP_ACCEPT="application/gzip")
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
        assert "/api/v1/exports/" in response.json()["detail"]
    name = manifest.files[0].name
    response = client.get(f"/api/v1/exports/{name}?download=1")
    assert response.status_code == 400
    assert response.json()["invalid-params"][0]["name"] == "download"
    response = client.get("/api/v1/exports/?since=2025-01-01")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def apply(mirror: dict, client, change: Change) -> None:
    """What a consumer does with one change-feed entry: fetch a put, drop a takedown."""
    key = (change.kind, change.slug)
    if change.action == Change.Action.TAKEDOWN:
        mirror.pop(key, None)
        return
    response = client.get(urlsplit(api_url(change.kind, change.slug)).path)
    if response.status_code == 200:
        mirror[key] = response.json()
    # else it was taken down since: a later entry says so


def load(directory, manifest) -> dict:
    mirror = {}
    for entry in manifest.files:
        if entry.format == "jsonl":
            for line in content(directory, entry).decode().splitlines():
                document = json.loads(line)
                mirror[entry.kind, document["slug"]] = document
    return mirror


def current() -> dict:
    return {
        (kind, document["slug"]): document
        for kind in ("story", "event", "briefing")
        for document in (json.loads(body) for body in stored_bodies(kind))
    }


def test_replaying_the_change_feed_from_the_exports_position_reaches_the_current_state(
    client, newsroom, editor, exports_dir
):
    manifest = exports.build_exports()
    mirror = load(exports_dir, manifest)
    assert mirror == current()
    newsroom.talks_story.unpublish(by=editor, reason="Embargo")
    newsroom.talks_story.refresh_from_db()
    newsroom.talks_story.publish(by=editor)  # back again: a takedown, then a put
    newsroom.spiderweb_story.unpublish(by=editor, reason="Pulled")
    newsroom.spiderweb.retract(by=editor, reason="Duplicate of the wave")
    newsroom.kharkiv.title = "Drone strike on residential Kharkiv kills three"
    newsroom.kharkiv.save()
    newsroom.main.add_correction(by=editor, text="An earlier version misstated the district.")
    assert mirror != current()
    for change in Change.objects.filter(position__gt=manifest.position).order_by("position"):
        apply(mirror, client, change)
    assert mirror == current()


def test_an_export_is_written_once_a_day_unless_forced(newsroom, exports_dir):
    first = exports.build_exports()
    path = exports_dir / first.files[0].name
    written = path.stat().st_mtime_ns
    assert exports.build_exports() == first
    assert path.stat().st_mtime_ns == written
    again = exports.build_exports(force=True)
    assert again.created_at >= first.created_at
    # Nothing changed: the same bytes (gzip's header carries no time), the same checksums.
    assert [e.sha256 for e in again.files] == [e.sha256 for e in first.files]


def test_exports_past_keeping_are_deleted(newsroom, exports_dir, settings):
    settings.NEWSROOM_EXPORTS_KEEP_DAYS = 2
    today = date(2026, 12, 2)
    for days_ago in (3, 1, 0):
        exports.build_exports(today=today - timedelta(days=days_ago))
    leftover = exports_dir / ".events-2026-11-29.csv.gz.1234.tmp"  # a crashed export's
    leftover.write_text("half")
    stray = exports_dir / "events-2026-11-28.csv.gz"  # renamed, then the export crashed
    stray.write_text("x")
    exports.build_exports(today=today)
    kept = sorted(m.date for m in exports.manifests())
    assert kept == ["2026-12-01", "2026-12-02"]
    names = {path.name for path in exports_dir.iterdir()}
    assert not any("2026-11-29" in name for name in names - {leftover.name})
    assert stray.name not in names
    assert leftover.name in names  # younger than a day: perhaps still being written


def test_the_beat_task_writes_todays_export_and_is_safe_to_run_twice(newsroom, exports_dir):
    done = tasks.export_public_data()
    [manifest] = exports.manifests()
    assert done == f"{manifest.date} at position {manifest.position}"
    assert tasks.export_public_data() == done


def test_one_export_at_a_time(newsroom, exports_dir):
    exports_dir.mkdir(parents=True)
    with exports.exclusive(exports_dir) as mine:
        assert mine
        assert exports.build_exports() is None
        assert tasks.export_public_data() == "busy"
    assert exports.build_exports() is not None


def test_a_failed_export_leaves_no_file_behind(newsroom, exports_dir, monkeypatch):
    def broken(kind, outputs):
        outputs["jsonl"].text("half a line")
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "write_kind", broken)
    with pytest.raises(RuntimeError):
        exports.build_exports()
    assert sorted(path.name for path in exports_dir.iterdir()) == [".lock"]


@pytest.mark.django_db(transaction=True)
def test_the_export_is_one_snapshot_while_others_commit(
    starting_data, newsroom, editor, exports_dir, monkeypatch
):
    """A story unpublished (and logged) while the export reads: the export shows it as of its
    position, whole and consistent, and the change feed after that position brings it up to
    date. (REPEATABLE READ on PostgreSQL; a deferred read transaction on SQLite.)"""
    if connection.vendor not in ("postgresql", "sqlite"):
        pytest.skip("snapshot reads are written for PostgreSQL and SQLite")
    story = newsroom.main
    reading = exports.live_documents
    happened = []

    def unpublish_elsewhere() -> None:
        try:
            Story.objects.get(pk=story.pk).unpublish(by=editor, reason="Legal hold")
            happened.append(
                Change.objects.filter(kind="story", slug=story.slug).order_by("-position").first()
            )
        finally:
            connection.close()

    def live_documents(kind, *columns):
        if not happened:
            other = threading.Thread(target=unpublish_elsewhere)
            other.start()
            other.join()
        yield from reading(kind, *columns)

    monkeypatch.setattr(exports, "live_documents", live_documents)
    manifest = exports.build_exports()
    [takedown] = happened
    assert takedown.action == "takedown" and takedown.position > manifest.position
    mirror = load(exports_dir, manifest)
    assert ("story", story.slug) in mirror  # as it was at the export's position
    assert not live("story").filter(record_id=story.pk).exists()
    # The briefing that showed the story was dumped from the same snapshot: it still shows it.
    briefing = mirror["briefing", newsroom.briefing.slug]
    assert story.slug in [item["story"]["slug"] for item in briefing["items"]]
    client = Client()
    for change in Change.objects.filter(position__gt=manifest.position).order_by("position"):
        apply(mirror, client, change)
    assert mirror == current()
    assert Event.objects.published().count() == len([key for key in mirror if key[0] == "event"])
