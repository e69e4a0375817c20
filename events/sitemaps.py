"""The sitemap (/sitemap.xml): the public pages of the live documents, each last modified when
what readers see of it last changed."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from .models.publication import PublicDocument
from .publication import read


class DocumentSitemap(Sitemap):
    kind: str
    #: the order of a live-documents index (``PublicDocument.Meta.indexes``)
    ordering: tuple[str, ...]

    def items(self) -> QuerySet[PublicDocument]:
        return read.live(self.kind).order_by(*self.ordering).only("slug", "changed_at")

    def location(self, document: PublicDocument) -> str:
        return reverse(f"public:{self.kind}", kwargs={"slug": document.slug})

    def lastmod(self, document: PublicDocument):
        return document.changed_at


class StorySitemap(DocumentSitemap):
    kind, ordering = "story", ("-published_at", "-record_id")
    changefreq = "hourly"
    priority = 0.8


class EventSitemap(DocumentSitemap):
    kind, ordering = "event", ("-starts_at", "-record_id")
    changefreq = "hourly"
    priority = 0.5


class BriefingSitemap(DocumentSitemap):
    kind, ordering = "briefing", ("-edition_date", "-record_id")
    changefreq = "daily"
    priority = 0.6


SITEMAPS = {"stories": StorySitemap, "events": EventSitemap, "briefings": BriefingSitemap}
