"""Choosing the output format: an explicit ``format`` (query or ``.csv``/``.geojson`` suffix)
wins over ``Accept``. GDAL, QGIS and spreadsheets fetch a URL with whatever ``Accept`` their HTTP
library sends; the format in the URL is what their user asked for."""

from __future__ import annotations

from django.http import Http404
from rest_framework.negotiation import DefaultContentNegotiation


class FormatWinsNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        chosen = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if chosen:
            for renderer in renderers:
                if renderer.format == chosen:
                    return renderer, renderer.media_type
            raise Http404(chosen)
        return super().select_renderer(request, renderers, format_suffix)
