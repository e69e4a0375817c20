"""What every public read of the API shares: anonymous, throttled, refusals as problem+json
(an unknown ``format`` included), and a conditional answer from the validators the view set."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from .conditional import finish_read
from .errors import InvalidParameter, handle_exception
from .negotiation import FormatWinsNegotiation
from .schema import ProblemAutoSchema
from .throttling import AnonymousRateThrottle


class PublicRead:
    """Mixed in before a DRF view class."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRateThrottle]
    content_negotiation_class = FormatWinsNegotiation
    schema = ProblemAutoSchema()
    #: validators known before rendering; without an ETag, it is hashed from the bytes
    etag: str | None = None
    last_modified: datetime | None = None

    def get_exception_handler(self):
        return handle_exception

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except (Http404, NotFound):
            offered = ", ".join(dict.fromkeys(r.format for r in self.get_renderers()))
            raise InvalidParameter("format", f"Not offered here. Use one of: {offered}.") from None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return finish_read(request, response, self.last_modified, self.etag)
