"""/api/v1/docs/: Swagger UI from local static files (drf-spectacular-sidecar), no CDN.

The split view loads its start-up script from a URL rather than inline, which our strict CSP
(script-src 'self') needs. The template still carries one small inline <style>; we allow exactly
that block by its hash instead of loosening style-src.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache

from django.template.loader import get_template
from drf_spectacular.views import SpectacularSwaggerSplitView


@cache
def inline_style_hashes(template_name: str) -> list[str]:
    source = get_template(template_name).template.source
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"
        for block in re.findall(r"<style>(.*?)</style>", source, flags=re.DOTALL)
    ]


class APIDocsView(SpectacularSwaggerSplitView):
    title = "Newsroom API v1"

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        hashes = inline_style_hashes(self.template_name)
        if hashes:
            response._csp_update = {"style-src": hashes}
        return response
