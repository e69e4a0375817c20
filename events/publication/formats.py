"""Events as CSV rows and GeoJSON features: the flat, numeric shapes of an event's document.

The API's CSV and GeoJSON renderers (``events.api.renderers``) and the bulk exports
(``events.publication.exports``) both write events through these functions, one event at a
time, so a page and a dump of 100,000 events have the same columns and properties.

Figures come as numbers, flat, beside the nested ``casualties`` and ``munitions`` (GeoJSON) or
instead of them (CSV), for each kind of casualty and each munition type:

- ``<kind>_min``, ``<kind>_max``, ``<kind>_at_least`` (``killed``, ``injured``, ``missing``), the
  latest figure counting all people; ``civilian_<kind>_…`` the latest counting civilians only.
  A single figure ("3") is ``min`` = ``max`` = 3; a range ("2–4") is 2 and 4; an open-ended
  one ("at least 60") is ``min`` 60, ``max`` empty and ``at_least`` true. No figure: all empty.
- ``<munition type>_launched``, ``_intercepted``, ``_hit``: the latest count (empty if unknown).

``fatalities`` stays (killed, all people, else civilians). Every row and feature carries
``web_url`` (the public page), ``api_url`` and ``url`` (the API address, for older clients).
Times are as the documents give them: ISO 8601 in UTC with ``Z``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from events.models import CasualtyFigure, MunitionCount

CASUALTY_KINDS = tuple(CasualtyFigure.Kind.values)
MUNITION_TYPES = tuple(MunitionCount.MunitionType.values)
MUNITION_FIGURES = ("launched", "intercepted", "hit")


def _figure_columns() -> list[str]:
    columns = []
    for prefix in ("", "civilian_"):
        for kind in CASUALTY_KINDS:
            columns += [f"{prefix}{kind}_min", f"{prefix}{kind}_max", f"{prefix}{kind}_at_least"]
    for munition in MUNITION_TYPES:
        columns += [f"{munition}_{figure}" for figure in MUNITION_FIGURES]
    return columns


FIGURE_COLUMNS = _figure_columns()


def figures(event: dict) -> dict:
    """The event's latest casualty figures and munition counts as flat numeric fields (every
    column present, ``None`` where there is no figure)."""
    flat: dict = dict.fromkeys(FIGURE_COLUMNS)
    for figure in event.get("casualties") or []:
        if figure.get("kind") not in CASUALTY_KINDS:
            continue
        name = ("civilian_" if figure.get("civilians_only") else "") + figure["kind"]
        minimum, maximum, at_least = figure["minimum"], figure.get("maximum"), figure["at_least"]
        if maximum is None and not at_least:
            maximum = minimum  # a single figure: its range is itself
        flat[f"{name}_min"] = minimum
        flat[f"{name}_max"] = None if at_least else maximum
        flat[f"{name}_at_least"] = bool(at_least)
    for count in event.get("munitions") or []:
        munition = count.get("munition_type")
        if munition not in MUNITION_TYPES:
            continue
        for figure in MUNITION_FIGURES:
            flat[f"{munition}_{figure}"] = count.get(figure)
    return flat


# --- GeoJSON ---------------------------------------------------------------------------------


def feature(event: dict) -> dict:
    """One event as an RFC 7946 Feature: a Point at [longitude, latitude] (null geometry when
    the place has no coordinates, never a made-up point), the document's fields as properties
    (the place without its coordinates, which the geometry holds), and the flat figures."""
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
    properties.update(figures(event))
    return {"type": "Feature", "id": event["slug"], "geometry": geometry, "properties": properties}


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


GEOJSON_START = '{"type":"FeatureCollection","features":['


def feature_text(event: dict, first: bool) -> str:
    """One feature as it goes into a collection's ``features`` (a comma before all but the
    first; a line each, so a dump can be read with line tools too)."""
    return ("" if first else ",") + "\n" + dumps(feature(event))


def geojson_end(links: dict | None = None) -> str:
    end = "\n]"
    if links is not None:
        # A foreign member (RFC 7946 §6.1): clients that do not know it ignore it.
        page_links = [{"rel": rel, "href": url} for rel, url in links.items() if url is not None]
        end += ',"links":' + dumps(page_links)
    return end + "}\n"


def geojson_chunks(events: Iterable[dict], links: dict | None = None) -> Iterator[str]:
    """A FeatureCollection as text, a feature at a time."""
    yield GEOJSON_START
    for index, event in enumerate(events):
        yield feature_text(event, first=index == 0)
    yield geojson_end(links)


# --- CSV -------------------------------------------------------------------------------------

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
    *FIGURE_COLUMNS,
    "actors",
    "parent",
    "first_published_at",
    "updated_at",
    "web_url",
    "api_url",
    "url",  # the API address, as in the documents, for existing clients
]


def row(event: dict) -> dict:
    """One event as a CSV row: every column of ``CSV_COLUMNS``, numbers as numbers, ``None``
    for empty (not yet defused: ``CSVText.event`` does that)."""
    location = event.get("location") or {}
    return {
        **{key: event.get(key) for key in CSV_COLUMNS},
        "event_type": (event.get("event_type") or {}).get("name", ""),
        "sub_type": (event.get("sub_type") or {}).get("name", ""),
        "location": location.get("name", ""),
        "country": location.get("country", ""),
        "admin_region": location.get("admin_region", ""),
        "latitude": location.get("latitude"),
        "longitude": location.get("longitude"),
        **figures(event),
        "actors": "; ".join(f"{a['name']} ({a['role']})" for a in event.get("actors") or []),
        "parent": (event.get("parent") or {}).get("slug", ""),
    }


#: spreadsheets run a cell that starts with one of these as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CSVText:
    """CSV a line at a time (a page, or a dump of 100,000 events, never all in memory)."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)

    def line(self, values: list) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow(values)
        return self.buffer.getvalue()

    def header(self) -> str:
        return self.line(CSV_COLUMNS)

    def event(self, event: dict) -> str:
        """The event's row: booleans as true/false (as in JSON; pandas reads them as
        booleans), text that a spreadsheet would run as a formula quoted with ', numbers and
        empties as they are. (Inline, not a function per cell: a dump writes millions.)"""
        values = row(event)
        cells = []
        for column in CSV_COLUMNS:
            value = values[column]
            if value.__class__ is str:
                if value[:1] in FORMULA_STARTS:
                    value = "'" + value
            elif value is True:
                value = "true"
            elif value is False:
                value = "false"
            cells.append(value)
        return self.line(cells)


def csv_lines(events: Iterable[dict]) -> Iterator[str]:
    """The header, then one line per event."""
    text = CSVText()
    yield text.header()
    for event in events:
        yield text.event(event)
