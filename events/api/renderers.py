"""Events as GeoJSON (RFC 7946) and CSV, chosen with ``?format=geojson`` / ``?format=csv``.

The shapes (flat numeric figures, ``web_url`` and ``api_url``, UTC times) are decided in
``events.publication.formats``, which the bulk exports write through as well.
"""

from __future__ import annotations

from rest_framework.renderers import BaseRenderer, JSONRenderer

from events.publication.formats import csv_lines, geojson_chunks


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
        return "".join(geojson_chunks(events, links)).encode()


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
        return "".join(csv_lines(events)).encode()
