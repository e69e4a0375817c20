"""The sitemap (/sitemap.xml): published stories, events and briefings."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Briefing, Event, Story


class StorySitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return Story.objects.published().order_by("-last_published_at", "-id")

    def location(self, story: Story) -> str:
        return reverse("public:story", args=[story.slug])

    def lastmod(self, story: Story):
        return story.updated_at


class EventSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.5

    def items(self):
        return Event.objects.published().order_by("-starts_at", "-id")

    def location(self, event: Event) -> str:
        return reverse("public:event", args=[event.slug])

    def lastmod(self, event: Event):
        return event.updated_at


class BriefingSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Briefing.objects.published().order_by("-edition_date", "-id")

    def location(self, briefing: Briefing) -> str:
        return reverse("public:briefing", args=[briefing.slug])

    def lastmod(self, briefing: Briefing):
        return briefing.updated_at


SITEMAPS = {"stories": StorySitemap, "events": EventSitemap, "briefings": BriefingSitemap}
