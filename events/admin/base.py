"""What every editorial admin shares: version checks, authorship, history restore, safe actions."""

from __future__ import annotations

import reversion
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from reversion.admin import VersionAdmin
from reversion.models import Version


class VersionedForm(forms.ModelForm):
    """A form that remembers which version of the record it was opened on.

    The hidden ``expected_version`` travels with the form; on save the record must still be at
    that version, or the save is refused and the user keeps everything they typed.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version

    def clean(self) -> dict:
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk is not None:
            if expected is None:
                raise ValidationError("The form lost its version marker; reload the page.")
            self.instance.check_version(expected)
        return cleaned


def workflow_action(method_name: str, description: str, *, done: str):
    """An admin action that applies a model workflow method to each selected record.

    The model method checks permissions and required fields, exactly as on the desk; a refusal
    is reported per record, and the records that could be changed are.
    """

    def action(modeladmin, request: HttpRequest, queryset) -> None:
        changed = 0
        for record in queryset:
            try:
                with transaction.atomic():
                    getattr(record, method_name)(by=request.user)
            except (PermissionDenied, ValidationError) as refusal:
                text = "; ".join(refusal.messages) if hasattr(refusal, "messages") else refusal
                modeladmin.message_user(request, f"“{record}”: {text}", messages.ERROR)
            else:
                changed += 1
        if changed:
            modeladmin.message_user(request, f"{changed} {done}.", messages.SUCCESS)

    action.__name__ = f"{method_name}_selected"
    action.short_description = description
    return action


class EditorialAdmin(VersionAdmin):
    """Admin for Event, Story and Briefing."""

    form = VersionedForm
    publish_permission = ""  # e.g. "events.publish_story"
    workflow_actions: tuple[str, ...] = ()  # names of actions only publishers get
    history_latest_first = True

    def get_readonly_fields(self, request, obj=None) -> tuple[str, ...]:
        return (
            *super().get_readonly_fields(request, obj),
            "state",
            "version",
            "created_by",
            "created_at",
            "updated_by",
            "updated_at",
            "first_published_at",
            "last_published_at",
        )

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.can_edit(request.user))

    def has_delete_permission(self, request, obj=None) -> bool:
        # What has been public is unpublished or retracted, never deleted: readers and API
        # consumers must be able to learn that it went away.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.first_published_at is None)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(self.publish_permission):
            for name in self.workflow_actions:
                actions.pop(name, None)
        return actions

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    # --- history: restore content, never workflow state ---------------------------------------

    def recoverlist_view(self, request, extra_context=None):
        # Recovering a deleted record would bring back its old state without the workflow.
        raise PermissionDenied

    def recover_view(self, request, version_id, extra_context=None):
        raise PermissionDenied

    def revision_view(
        self, request, object_id: str, version_id: str, extra_context=None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        # A version holds everything the record held, drafts and internal notes included:
        # only people who may see the record itself see its versions.
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_for_object(obj), pk=version_id)
        can_restore = self.has_change_permission(request, obj)
        if request.method == "POST":
            if not can_restore:
                raise PermissionDenied
            try:
                expected = int(request.POST.get("expected_version", ""))
            except ValueError:
                expected = None
            try:
                with transaction.atomic(), reversion.create_revision():
                    changed = obj.restore_version(
                        version, by=request.user, expected_version=expected
                    )
                    reversion.set_user(request.user)
                    reversion.set_comment(
                        f"Restored the version of {version.revision.date_created:%Y-%m-%d %H:%M}"
                    )
            except ValidationError as refusal:
                self.message_user(request, " ".join(refusal.messages), messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            if changed:
                self.message_user(request, f"Restored: {', '.join(changed)}.", messages.SUCCESS)
            else:
                self.message_user(request, "That version is the same as the current one.")
            url = reverse(
                f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
            )
            return HttpResponseRedirect(url)
        differences = obj.differences_from(version, request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": obj._meta,
            "object": obj,
            "version": version,
            "differences": differences,
            "can_restore": can_restore,
            "title": f"Restore an earlier version of “{obj}”",
        }
        return TemplateResponse(request, "admin/events/restore_version.html", context)
