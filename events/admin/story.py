from django.contrib import admin

from ..models import Correction, KeyPoint, Quote, Story, StoryEvent
from .base import EditorialAdmin, workflow_action


class StoryEventInline(admin.TabularInline):
    model = StoryEvent
    extra = 1
    autocomplete_fields = ["event"]


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    fields = [("speaker", "speaker_role"), "text", ("source", "order")]


class KeyPointInline(admin.TabularInline):
    model = KeyPoint
    extra = 0
    fields = ["order", "text", "origin", "approved_by", "approved_at"]
    readonly_fields = ["origin", "approved_by", "approved_at"]


class CorrectionInline(admin.TabularInline):
    """Corrections are added, never edited: each one is a public, dated record."""

    model = Correction
    extra = 0
    fields = ["created_at", "text"]
    readonly_fields = ["created_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request, obj=None) -> bool:
        return (
            obj is not None
            and obj.first_published_at is not None
            and request.user.has_perm("events.correct_story")
        )


@admin.register(Story)
class StoryAdmin(EditorialAdmin):
    list_display = [
        "headline_or_untitled",
        "state",
        "key_points_status",
        "primary_event",
        "created_by",
        "updated_at",
        "last_published_at",
    ]
    list_filter = ["state", "key_points_status", "tags", "created_at", "last_published_at"]
    search_fields = ["headline", "standfirst", "body", "byline"]
    autocomplete_fields = ["tags"]
    prepopulated_fields = {"slug": ["headline"]}
    date_hierarchy = "created_at"
    inlines = [StoryEventInline, QuoteInline, KeyPointInline, CorrectionInline]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body", "expected_version"]}),
        ("Dateline and byline", {"fields": [("dateline", "byline"), "tags"]}),
        (
            "Publishing",
            {"fields": ["state", "publish_at", "first_published_at", "last_published_at"]},
        ),
        ("Key points", {"fields": ["key_points_status", "key_points_error"]}),
        (
            "Record",
            {"fields": [("created_by", "created_at"), ("updated_by", "updated_at"), "version"]},
        ),
    ]
    publish_permission = "events.publish_story"
    workflow_actions = (
        "publish_selected",
        "schedule_at_publish_time_selected",
        "unpublish_selected",
    )
    actions = [
        workflow_action("submit", "Submit selected stories for review", done="submitted"),
        workflow_action("publish", "Publish selected stories", done="published"),
        workflow_action(
            "schedule_at_publish_time",
            "Schedule selected stories at their publish time",
            done="scheduled",
        ),
        workflow_action("unpublish", "Unpublish selected stories", done="unpublished"),
    ]

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "key_points_status", "key_points_error")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("created_by")
            .prefetch_related("story_events__event")
        )

    @admin.display(description="headline", ordering="headline")
    def headline_or_untitled(self, story: Story) -> str:
        return str(story)

    @admin.display(description="primary event")
    def primary_event(self, story: Story) -> str:
        primary = next((link for link in story.story_events.all() if link.is_primary), None)
        return str(primary.event) if primary else "—"

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is Correction:
            # New corrections go through the model rule (permission, audit entry).
            for correction_form in formset.extra_forms:
                if correction_form.has_changed() and correction_form.cleaned_data.get("text"):
                    form.instance.add_correction(request.user, correction_form.cleaned_data["text"])
            return
        super().save_formset(request, form, formset, change)
