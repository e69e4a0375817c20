from django.contrib import admin

from ..models import Briefing, BriefingItem
from .base import EditorialAdmin, workflow_action
from .guards import SafeInlineMixin, SafeModelAdminMixin


class BriefingItemInline(SafeInlineMixin, admin.TabularInline):
    model = BriefingItem
    extra = 1
    autocomplete_fields = ["story"]
    fields = ["order", "story", "headline_override", "blurb_override"]


@admin.register(Briefing)
class BriefingAdmin(SafeModelAdminMixin, EditorialAdmin):
    list_display = [
        "__str__",
        "edition",
        "edition_date",
        "state",
        "item_count",
        "last_published_at",
    ]
    list_filter = ["state", "edition", "edition_date"]
    search_fields = ["title", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "edition_date"
    inlines = [BriefingItemInline]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", ("edition", "edition_date"), "intro", "expected_version"]},
        ),
        (
            "Publishing",
            {"fields": ["state", "publish_at", "first_published_at", "last_published_at"]},
        ),
        (
            "Record",
            {"fields": [("created_by", "created_at"), ("updated_by", "updated_at"), "version"]},
        ),
    ]
    publish_permission = "events.publish_briefing"
    workflow_actions = (
        "publish_selected",
        "schedule_at_publish_time_selected",
        "unpublish_selected",
    )
    actions = [
        workflow_action("publish", "Publish selected briefings", done="published"),
        workflow_action(
            "schedule_at_publish_time",
            "Schedule selected briefings at their publish time",
            done="scheduled",
        ),
        workflow_action("unpublish", "Unpublish selected briefings", done="unpublished"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("items")

    @admin.display(description="stories")
    def item_count(self, briefing: Briefing) -> int:
        return len(briefing.items.all())
