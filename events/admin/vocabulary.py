from django.conf import settings
from django.contrib import admin, messages
from reversion.admin import VersionAdmin

from ..models import Actor, AuditEntry, EventType, KeyPoint, Location, Tag
from ..models.publication import PendingRebuild
from .guards import SafeModelAdminMixin
from .story import REVIEW_KEY_POINTS


class TermAdmin(VersionAdmin):
    """A term shown on public records: saving it rebuilds their documents (events.models.
    tracking); when there are many, the worker does it and the editor is told how it goes."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and form.has_changed():
            waiting = PendingRebuild.objects.count()
            if waiting > settings.NEWSROOM_PUBLISH_INLINE_LIMIT:
                messages.info(
                    request,
                    f"Readers will see the new wording as {waiting:,} public records are "
                    "rebuilt in the background; the desk dashboard shows how many are left.",
                )


@admin.register(EventType)
class EventTypeAdmin(TermAdmin):
    list_display = ["name", "parent", "slug"]
    list_filter = ["parent"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Location)
class LocationAdmin(TermAdmin):
    list_display = ["name", "country", "admin_region", "latitude", "longitude"]
    list_filter = ["country"]
    search_fields = ["name", "admin_region", "country"]


@admin.register(Actor)
class ActorAdmin(TermAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(TermAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(KeyPoint)
class KeyPointAdmin(SafeModelAdminMixin, admin.ModelAdmin):
    """Key points one by one. Every change goes through the model methods: editing a machine
    draft makes it "edited" (so regeneration keeps it), and only editors review points."""

    list_display = ["text", "story", "order", "origin", "approved_at", "approved_by"]
    list_filter = ["origin", ("approved_at", admin.EmptyFieldListFilter)]
    search_fields = ["text", "story__headline"]
    list_select_related = ["story", "approved_by"]
    autocomplete_fields = ["story"]
    fields = [
        "story",
        "order",
        "text",
        "origin",
        ("approved_by", "approved_at"),
        ("backend", "backend_version", "generated_at"),
    ]
    readonly_fields = [
        "origin",
        "approved_by",
        "approved_at",
        "backend",
        "backend_version",
        "generated_at",
    ]
    actions = ["approve_selected"]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "story"] if obj is not None else readonly

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and request.user.has_perm(REVIEW_KEY_POINTS)

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and request.user.has_perm(REVIEW_KEY_POINTS)

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and request.user.has_perm(REVIEW_KEY_POINTS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(REVIEW_KEY_POINTS):
            actions.pop("approve_selected", None)
        return actions

    @admin.action(description="Approve selected key points")
    def approve_selected(self, request, queryset) -> None:
        approved = 0
        for point in queryset.awaiting_approval():
            point.approve(request.user)
            approved += 1
        self.message_user(request, f"{approved} key point(s) approved.", messages.SUCCESS)

    def save_model(self, request, obj, form, change) -> None:
        by = request.user
        if change:
            point = KeyPoint.objects.get(pk=obj.pk)  # the form has already overwritten obj.text
            if "text" in form.changed_data:
                point.edit(form.cleaned_data["text"], by)
        else:
            point = obj.story.add_key_point(form.cleaned_data["text"], by)
        if "order" in form.changed_data:
            others = [
                pk for pk in obj.story.key_points.exclude(pk=point.pk).values_list("pk", flat=True)
            ]
            others.insert(min(form.cleaned_data["order"], len(others)), point.pk)
            obj.story.reorder_key_points(others, by)
        obj.pk = point.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj) -> None:
        obj.remove(request.user)

    def delete_queryset(self, request, queryset) -> None:
        for point in queryset:
            point.remove(request.user)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail is read-only for everyone."""

    list_display = ["at", "actor", "action", "content_type", "object_id", "from_state", "to_state"]
    list_filter = ["action", "content_type", "at"]
    search_fields = ["note", "actor__username"]
    list_select_related = ["actor", "content_type"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
