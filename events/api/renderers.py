"""Events as GeoJSON (RFC 7946) and CSV, chosen with ``?format=geojson`` / ``?format=csv``."""

from __future__ import annotations

import csv
import io
import json

from rest_framework.renderers import BaseRenderer, JSONRenderer


def _events_of(data) -> tuple[list[dict], dict | None]:
    """(events, page links) from a list page or a single event."""
    if isinstance(data, dict) and "results" in data:
        return data["results"], {"next": data.get("next"), "previous": data.get("previous")}
    return [data], None


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            return super().render(data, accepted_media_type, renderer_context)
        events, links = _events_of(data)
        body = {"type": "FeatureCollection", "features": [feature(e) for e in events]}
        if links is not None:
            # A foreign member (RFC 7946 §6.1): clients that do not know it ignore it.
            body["links"] = [
                {"rel": rel, "href": url} for rel, url in links.items() if url is not None
            ]
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def feature(event: dict) -> dict:
    location = event.get("location") or {}
    lat, lon = location.get("latitude"), location.get("longitude")
    geometry = (
        {"type": "Point", "coordinates": [lon, lat]}
        if lat is not None and lon is not None
        else None
    )
    properties = {key: value for key, value in event.items() if key != "location"}
    properties["location"] = {
        k: v for k, v in location.items() if k not in ("latitude", "longitude")
    }
    return {"type": "Feature", "id": event["slug"], "geometry": geometry, "properties": properties}


CSV_COLUMNS = [
    "slug",
    "title",
    "summary",
    "event_type",
    "sub_type",
    "starts_at",
    "ends_at",
    "time_precision",
    "location",
    "country",
    "admin_region",
    "latitude",
    "longitude",
    "geo_precision",
    "occurrence_status",
    "verification_status",
    "fatalities",
    "killed",
    "injured",
    "missing",
    "actors",
    "parent",
    "url",
]


class CSVRenderer(BaseRenderer):
    """One row per event; the page's next link travels in the ``Link`` header."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            return JSONRenderer().render(data)
        events, _ = _events_of(data)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for event in events:
            writer.writerow({key: defuse(value) for key, value in row(event).items()})
        return out.getvalue().encode()


def defuse(value):
    """Spreadsheets run a cell that starts with = + - @ as a formula; quote such text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def row(event: dict) -> dict:
    location = event.get("location") or {}
    figures = {
        f["kind"]: f["display"] for f in event.get("casualties", []) if not f["civilians_only"]
    }
    return {
        **{key: event.get(key) for key in CSV_COLUMNS},
        "event_type": (event.get("event_type") or {}).get("name", ""),
        "sub_type": (event.get("sub_type") or {}).get("name", ""),
        "location": location.get("name", ""),
        "country": location.get("country", ""),
        "admin_region": location.get("admin_region", ""),
        "latitude": location.get("latitude"),
        "longitude": location.get("longitude"),
        "killed": figures.get("killed", ""),
        "injured": figures.get("injured", ""),
        "missing": figures.get("missing", ""),
        "actors": "; ".join(f"{a['name']} ({a['role']})" for a in event.get("actors", [])),
        "parent": (event.get("parent") or {}).get("slug", ""),
    }
