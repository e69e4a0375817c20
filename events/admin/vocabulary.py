from django.contrib import admin
from reversion.admin import VersionAdmin

from ..models import Actor, AuditEntry, EventType, KeyPoint, Location, Tag


@admin.register(EventType)
class EventTypeAdmin(VersionAdmin):
    list_display = ["name", "parent", "slug"]
    list_filter = ["parent"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Location)
class LocationAdmin(VersionAdmin):
    list_display = ["name", "country", "admin_region", "latitude", "longitude"]
    list_filter = ["country"]
    search_fields = ["name", "admin_region", "country"]


@admin.register(Actor)
class ActorAdmin(VersionAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(VersionAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(KeyPoint)
class KeyPointAdmin(admin.ModelAdmin):
    list_display = ["text", "story", "order", "origin", "approved_at"]
    list_filter = ["origin", ("approved_at", admin.EmptyFieldListFilter)]
    search_fields = ["text", "story__headline"]
    list_select_related = ["story"]
    autocomplete_fields = ["story"]


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
