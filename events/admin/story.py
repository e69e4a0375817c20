from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q

from ..forms.story import BaseStoryEventFormSet, StoryBodyField
from ..models import Correction, KeyPoint, Quote, Story, StoryEvent
from .base import EditorialAdmin, VersionedForm, workflow_action
from .guards import SafeInlineMixin, SafeModelAdminMixin

#: the permission behind every key-point review step (edit, reorder, delete, approve, regenerate)
REVIEW_KEY_POINTS = "events.approve_keypoints"
EMPTY_POINT = "A key point cannot be empty; tick “Delete” to remove it."
REDRAFTED = (
    "The summarizer redrafted these key points after you opened the page, so nothing has been "
    "saved yet. Copy what you typed, reload the page to see the new draft, and apply your "
    "edit again."
)


class StoryEventInline(SafeInlineMixin, admin.TabularInline):
    model = StoryEvent
    formset = BaseStoryEventFormSet  # one primary event, as on the desk (two was a 500)
    extra = 1
    autocomplete_fields = ["event"]


class QuoteInline(SafeInlineMixin, admin.StackedInline):
    model = Quote
    extra = 0
    fields = [("speaker", "speaker_role"), "text", ("source", "order")]


class KeyPointForm(forms.ModelForm):
    mark_approved = forms.BooleanField(
        label="approve", required=False, help_text="Only approved points are public."
    )

    class Meta:
        model = KeyPoint
        fields = ["order", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "cols": 70})}
        error_messages = {"text": {"required": EMPTY_POINT}}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.is_approved:
            self.fields["mark_approved"].initial = True
            self.fields["mark_approved"].disabled = True

    def clean_text(self) -> str:
        text = " ".join(self.cleaned_data.get("text", "").split())
        if not text:
            raise ValidationError(EMPTY_POINT)
        return text


class KeyPointFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any("id" in form.errors for form in self.forms):
            # The worker replaced the machine's drafts after this page was opened.
            raise ValidationError(REDRAFTED, code="stale")


class KeyPointInline(SafeInlineMixin, admin.TabularInline):
    """Review of the drafted points. Saves go through the model methods (see save_formset)."""

    model = KeyPoint
    form = KeyPointForm
    formset = KeyPointFormSet
    extra = 0
    fields = ["order", "text", "origin", "mark_approved", "approval"]
    readonly_fields = ["origin", "approval"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not request.user.has_perm(REVIEW_KEY_POINTS):
            fields = [name for name in fields if name != "mark_approved"]  # read-only view
        return fields

    @admin.display(description="approval")
    def approval(self, point: KeyPoint) -> str:
        if point.pk is None:
            return ""
        if not point.is_approved:
            return "Awaiting approval"
        return f"Approved by {point.approved_by or 'a former user'}"

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(REVIEW_KEY_POINTS)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(REVIEW_KEY_POINTS)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(REVIEW_KEY_POINTS)


class CorrectionInline(SafeInlineMixin, admin.TabularInline):
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


class StoryAdminForm(VersionedForm):
    class Meta:
        field_classes = {"body": StoryBodyField}  # the desk's limit and message


@admin.register(Story)
class StoryAdmin(SafeModelAdminMixin, EditorialAdmin):
    form = StoryAdminForm
    list_display = [
        "headline_or_untitled",
        "state",
        "key_points",
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
        (
            "Key points",
            {"fields": ["key_points_status", "key_points_error", "key_points_requested_at"]},
        ),
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
        "approve_key_points_selected",
        "regenerate_key_points_selected",
        "regenerate_key_points_replacing_reviewed_selected",
    ]
    key_point_actions = (
        "approve_key_points_selected",
        "regenerate_key_points_selected",
        "regenerate_key_points_replacing_reviewed_selected",
    )

    def get_readonly_fields(self, request, obj=None):
        return (
            *super().get_readonly_fields(request, obj),
            "key_points_status",
            "key_points_error",
            "key_points_requested_at",
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(REVIEW_KEY_POINTS):
            for name in self.key_point_actions:
                actions.pop(name, None)
        return actions

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("created_by")
            .prefetch_related("story_events__event")
            .annotate(
                key_points_awaiting=Count(
                    "key_points", filter=Q(key_points__approved_at__isnull=True)
                )
            )
        )

    @admin.display(description="headline", ordering="headline")
    def headline_or_untitled(self, story: Story) -> str:
        return str(story)

    @admin.display(description="primary event")
    def primary_event(self, story: Story) -> str:
        primary = next((link for link in story.story_events.all() if link.is_primary), None)
        return str(primary.event) if primary else "—"

    @admin.display(description="key points", ordering="key_points_status")
    def key_points(self, story: Story) -> str:
        status = story.get_key_points_status_display()
        if story.key_points_status == Story.KeyPointsStatus.FAILED:
            return f"{status}: {story.key_points_error}"
        awaiting = getattr(story, "key_points_awaiting", 0)
        return f"{status}, {awaiting} awaiting approval" if awaiting else status

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # Drafted by the worker once this transaction commits; a no-op if the text is the same.
        obj.queue_key_points()

    # --- key-point review ---------------------------------------------------------------------

    @admin.action(description="Approve all key points of the selected stories")
    def approve_key_points_selected(self, request, queryset) -> None:
        approved = 0
        for story in queryset:
            approved += self._review(request, story, lambda s: s.approve_key_points(request.user))
        self.message_user(request, f"{approved} key point(s) approved.", messages.SUCCESS)

    @admin.action(description="Regenerate key points of the selected stories (keeps reviewed ones)")
    def regenerate_key_points_selected(self, request, queryset) -> None:
        queued = self._regenerate(request, queryset, replace_reviewed=False)
        self.message_user(
            request,
            f"Key points queued for {queued} story(ies). Edited and approved points are kept; "
            "the new draft appears within seconds.",
            messages.SUCCESS,
        )

    @admin.action(
        description="Regenerate key points, REPLACING edited and approved ones, of the selected "
        "stories"
    )
    def regenerate_key_points_replacing_reviewed_selected(self, request, queryset) -> None:
        queued = self._regenerate(request, queryset, replace_reviewed=True)
        self.message_user(
            request,
            f"Key points queued for {queued} story(ies). Every current point, including edited "
            "and approved ones, will be replaced by the new draft.",
            messages.WARNING,
        )

    def _regenerate(self, request, queryset, *, replace_reviewed: bool) -> int:
        """Queue a fresh draft for each story; returns how many were queued."""

        def regenerate(story: Story) -> int:
            story.regenerate_key_points(request.user, replace_reviewed=replace_reviewed)
            return 1

        return sum(self._review(request, story, regenerate) for story in queryset)

    def _review(self, request, story: Story, step) -> int:
        """Apply one review step to a story; a refusal is reported per story and counts 0."""
        try:
            with transaction.atomic():
                return step(story)
        except (PermissionDenied, ValidationError) as refusal:
            text = "; ".join(refusal.messages) if hasattr(refusal, "messages") else refusal
            self.message_user(request, f"“{story}”: {text}", messages.ERROR)
            return 0

    def save_key_points(self, request, formset) -> None:
        """Apply the inline through the model methods: editing a machine draft makes it
        "edited", so regeneration keeps it; the order column is normalised to 0, 1, 2…"""
        story, by = formset.instance, request.user
        # What the admin's history message lists ("Changed text for key point …").
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if not by.has_perm(REVIEW_KEY_POINTS):
            return  # the inline was read-only for this user
        deleted = set(map(id, formset.deleted_forms))
        wanted: dict[int, tuple] = {}
        for form in formset.forms:
            existing = form.instance.pk is not None
            if not existing and not form.has_changed():
                continue  # an empty extra row
            point = story.key_points.filter(pk=form.instance.pk).first() if existing else None
            if id(form) in deleted:
                if point is not None:
                    point.remove(by)
                    formset.deleted_objects.append(point)
                continue
            text = form.cleaned_data["text"]
            if existing and point is None and "text" not in form.changed_data:
                continue  # regenerated away meanwhile, and the editor had not touched it
            if point is None:  # new, or the editor's rewrite of a point regenerated meanwhile
                point = story.add_key_point(text, by)
                formset.new_objects.append(point)
            elif form.changed_data:
                if "text" in form.changed_data:
                    point.edit(text, by)
                formset.changed_objects.append((point, form.changed_data))
            # Ticked by the editor now: a disabled box (the point was approved) is "ticked" as
            # well, and would approve again at once the new wording that edit() just withdrew.
            ticked = "mark_approved" in form.changed_data and form.cleaned_data["mark_approved"]
            if ticked and not point.is_approved:
                point.approve(by)
            moved = "order" in form.changed_data
            wanted[point.pk] = (form.cleaned_data["order"] if moved else point.order, not moved)
        points = list(story.key_points.all())
        ranked = sorted(points, key=lambda p: (*wanted.get(p.pk, (p.order, True)), p.order, p.pk))
        if [p.pk for p in ranked] != [p.pk for p in points] or any(
            p.order != position for position, p in enumerate(ranked)
        ):
            story.reorder_key_points([p.pk for p in ranked], by)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is KeyPoint:
            self.save_key_points(request, formset)
            return
        if formset.model is Correction:
            # New corrections go through the model rule (permission, audit entry).
            formset.new_objects = [
                form.instance.add_correction(request.user, correction_form.cleaned_data["text"])
                for correction_form in formset.extra_forms
                if correction_form.has_changed() and correction_form.cleaned_data.get("text")
            ]
            formset.changed_objects, formset.deleted_objects = (
                [],
                [],
            )  # the change message reads these
            return
        super().save_formset(request, form, formset, change)
