"""What every editorial record shares: authorship, an edit version, and audited state changes."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format


class StaleEdit(ValidationError):
    """Raised when a save is based on a version of the record that someone else has replaced."""


class EditorialRecord(models.Model):
    """Base for Event, Story and Briefing.

    ``version`` is an optimistic lock: each save increments it, and a form that was opened at
    version N may only be saved while the record is still at version N (``check_version``).
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    #: fields that must be filled before the record may be published
    required_to_publish: tuple[str, ...] = ()
    #: fields that only the workflow methods change; history restore never touches them
    workflow_fields = (
        "state",
        "publish_at",
        "first_published_at",
        "last_published_at",
        "version",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        # The version counter is bookkeeping, like auto_now: every write of an existing row moves
        # it on, so that a form opened before this write is recognised as stale.
        if self.pk is not None and not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "updated_at"}
        super().save(*args, **kwargs)

    def can_edit(self, user) -> bool:
        """Whether ``user`` may change this record (Story and Event narrow it for reporters)."""
        return user.has_perm(f"{self._meta.app_label}.change_{self._meta.model_name}")

    # --- optimistic locking -------------------------------------------------------------------

    def lock(self, expected_version: int | None = None) -> None:
        """Re-read this record under a row lock held until the transaction ends.

        Every workflow method starts here, so that it checks and changes the row as it is in the
        database, not a copy loaded before someone else's save: saving such a copy wrote its
        stale columns back and silently undid the other save. With ``expected_version`` (the
        version the person's page showed), an action on a record saved since is refused.
        """
        if self.pk is None:
            return
        self.refresh_from_db(from_queryset=type(self).objects.select_for_update(of=("self",)))
        if expected_version is not None and expected_version != self.version:
            raise StaleEdit(
                f"Not done: {self._saved_by()}, after you opened the page. Read the current "
                "version on this page, then try again.",
                code="stale",
            )

    def check_version(self, expected: int) -> None:
        """Refuse a form save based on version ``expected`` if the record has moved on since.

        Called by ``VersionedForm.clean`` inside the transaction that saves: the row stays
        locked until commit, so two simultaneous saves cannot both pass, and the instance is
        re-read under the lock, so the form's values go onto the row as it is now (columns the
        form does not show, such as the key-points status, are not written back stale).
        """
        if self.pk is None:
            return
        self.lock()
        if self.version != expected:
            raise StaleEdit(
                f"{self._saved_by()}, after you opened it. Your changes have not been saved and "
                "nothing was overwritten: copy what you need from this form, reload the page to "
                "see their version, and apply your edit again.",
                code="stale",
            )

    def _saved_by(self) -> str:
        """ "editor saved this story at 11 Jun 2025, 02:14:05" (of the row as last read)."""
        who = self.updated_by.username if self.updated_by else "someone else"
        when = date_format(timezone.localtime(self.updated_at), "j M Y, H:i:s")
        return f"{who} saved this {self._meta.verbose_name} at {when}"

    # --- publishing rules ---------------------------------------------------------------------

    def missing_for_publish(self) -> list[str]:
        """Names of the fields (verbose) that publishing needs and this record lacks."""
        missing = []
        for name in self.required_to_publish:
            value = getattr(self, name)
            if value is None or (isinstance(value, str) and not value.strip()):
                missing.append(str(self._meta.get_field(name).verbose_name))
        return missing

    def validate_for_publish(self) -> None:
        missing = self.missing_for_publish()
        if missing:
            raise ValidationError(
                f"This {self._meta.verbose_name} cannot be published yet. Missing: "
                + ", ".join(missing)
                + ".",
                code="incomplete",
            )

    @staticmethod
    def require_perm(user, perm: str, action: str) -> None:
        if user is None or not user.has_perm(perm):
            raise PermissionDenied(f"You do not have permission to {action}.")

    def _transition(
        self, by, to_state: str, action: str, note: str = "", fields: tuple[str, ...] = ()
    ) -> None:
        """Move to ``to_state``, writing only the state and ``fields`` (call ``lock`` first)."""
        from_state = self.state
        self.state = to_state
        self.updated_by = by
        self.save(update_fields={"state", "updated_by", *fields})
        self.record_transition(by, from_state, action, note)

    def record_transition(self, by, from_state: str, action: str, note: str = "") -> None:
        from .audit import AuditEntry

        AuditEntry.objects.create(
            record=self,
            action=action,
            from_state=from_state,
            to_state=self.state,
            actor=by if by is not None and by.is_authenticated else None,
            note=note,
        )

    def mark_published(self, now) -> None:
        self.first_published_at = self.first_published_at or now
        self.last_published_at = now

    #: content that a restore never brings back: the public address stays where it is
    never_restored: tuple[str, ...] = ("slug",)

    def restorable_fields(self, user=None) -> list:
        """The content fields a restore may set (``user``: those that person may change)."""
        return [
            field
            for field in self._meta.concrete_fields
            if not field.primary_key
            and field.name not in self.workflow_fields
            and field.name not in self.never_restored
        ]

    def differences_from(self, version, user=None) -> list[tuple[str, object, object]]:
        """(field, current value, value in ``version``) for each restorable field that differs."""
        old = version.field_dict
        return [
            (str(field.verbose_name), getattr(self, field.attname), old[field.attname])
            for field in self.restorable_fields(user)
            if field.attname in old and getattr(self, field.attname) != old[field.attname]
        ]

    def restore_version(self, version, by, expected_version: int | None = None) -> list[str]:
        """Bring back an earlier version's content, leaving the workflow state alone.

        Restoring history must never publish or unpublish anything: state changes go through
        the workflow methods only, and fields ``by`` may not change (an event's verification
        for a reporter) stay as they are. The restore is itself a new version, so it can be
        undone. Returns the names of the fields that changed.
        """
        self.lock(expected_version)
        old = version.field_dict
        changed = []
        for field in self.restorable_fields(by):
            if field.attname in old and getattr(self, field.attname) != old[field.attname]:
                setattr(self, field.attname, old[field.attname])
                changed.append(field)
        if changed:
            self.updated_by = by
            self.save(update_fields={"updated_by", *(field.name for field in changed)})
            names = ", ".join(str(field.verbose_name) for field in changed)
            self.record_transition(by, self.state, "restore", names)
        return [str(field.verbose_name) for field in changed]
