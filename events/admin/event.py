from django.contrib import admin

from ..models import CasualtyFigure, Event, EventActor, EventRelation, MunitionCount, Source
from .base import EditorialAdmin, workflow_action
from .guards import SafeInlineMixin, SafeModelAdminMixin


class FigureInline(SafeInlineMixin, admin.TabularInline):
    """Figures are append-only: a revision is a new row, and earlier rows stay as they were."""

    extra = 1
    readonly_fields = ["recorded_by", "recorded_at"]
    ordering = ["as_of", "id"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CasualtyFigureInline(FigureInline):
    model = CasualtyFigure
    fields = [
        "kind", "civilians_only", "minimum", "maximum", "at_least", "as_of", "source_note",
        "recorded_by", "recorded_at",
    ]  # fmt: skip


class MunitionCountInline(FigureInline):
    model = MunitionCount
    fields = [
        "munition_type", "launched", "intercepted", "hit", "as_of", "source_note",
        "recorded_by", "recorded_at",
    ]  # fmt: skip


class SourceInline(SafeInlineMixin, admin.TabularInline):
    model = Source
    extra = 0


class EventActorInline(SafeInlineMixin, admin.TabularInline):
    model = EventActor
    extra = 0
    autocomplete_fields = ["actor"]


class EventRelationInline(SafeInlineMixin, admin.TabularInline):
    model = EventRelation
    fk_name = "from_event"
    extra = 0
    autocomplete_fields = ["to_event"]


@admin.register(Event)
class EventAdmin(SafeModelAdminMixin, EditorialAdmin):
    list_display = [
        "title", "state", "event_type", "sub_type", "location", "starts_at",
        "verification_status", "parent",
    ]  # fmt: skip
    list_filter = [
        "state", "event_type", "sub_type", "verification_status", "occurrence_status",
        "location__country", "starts_at",
    ]  # fmt: skip
    search_fields = ["title", "summary", "location__name"]
    autocomplete_fields = ["location", "parent"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"
    inlines = [
        CasualtyFigureInline,
        MunitionCountInline,
        SourceInline,
        EventActorInline,
        EventRelationInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "internal_note", "expected_version"]}),
        (
            "What",
            {"fields": [("event_type", "sub_type"), ("occurrence_status", "verification_status")]},
        ),
        ("When", {"fields": [("starts_at", "ends_at"), "time_precision"]}),
        ("Where", {"fields": [("location", "geo_precision")]}),
        ("Context", {"fields": ["parent"]}),
        ("Publishing", {"fields": ["state", "first_published_at", "last_published_at"]}),
        (
            "Record",
            {"fields": [("created_by", "created_at"), ("updated_by", "updated_at"), "version"]},
        ),
    ]
    publish_permission = "events.publish_event"
    workflow_actions = ("publish_selected", "retract_selected")
    actions = [
        workflow_action("publish", "Publish selected events", done="published"),
        workflow_action("retract", "Retract selected events", done="retracted"),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if not request.user.has_perm("events.verify_event"):
            readonly = (*readonly, "verification_status")
        return readonly

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("event_type", "sub_type", "location", "parent")
        )

    def save_model(self, request, obj, form, change) -> None:
        if change and "verification_status" in form.changed_data:
            obj.require_perm(request.user, "events.verify_event", "set the verification status")
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model in (CasualtyFigure, MunitionCount):
            for figure in formset.save(commit=False):
                figure.recorded_by = request.user
                figure.save()
            return
        super().save_formset(request, form, formset, change)
