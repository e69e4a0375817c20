"""The admin's forms stay up whatever is posted to them.

- Autocomplete fields: when a form comes back with errors, Django's widget looks up the posted
  values to show their labels with ``id__in=[...]`` over the raw values, and one that cannot be
  an id ("²", a NUL byte, a word) raised ``ValueError``: a 500 instead of the form's error.
  These widgets leave such values out; the field's own error says what was wrong.
- Inline rows: a formset builds as many forms as the posted ``TOTAL_FORMS`` says, up to 2,000 by
  Django's default, for every inline. One post claiming 10^30 rows made the event form build
  and render 10,000 forms (16 s of CPU). No record here has anywhere near ``MAX_INLINE_ROWS``.
  ``INITIAL_FORMS`` says how many posted rows already exist; Django believes any number, and a
  negative one (or one too low) had existing rows inserted again: an IntegrityError. Now a
  posted row that carries an id but is counted as new is refused with a message.
- Lists with a date hierarchy: ``?starts_at__year=<30 digits>`` overflows ``datetime()``, which
  Django's changelist does not catch (it catches ``ValueError``); now it is a bad lookup like
  any other (the list reloads with the "?e=1" notice).
"""

from __future__ import annotations

from django.contrib.admin import widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError

MAX_INLINE_ROWS = 200


class UsableChoicesMixin:
    def optgroups(self, name, value, attr=None):
        opts = self.field.remote_field.model._meta
        target = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        usable = []
        for choice in value:
            if "\x00" in str(choice):
                continue
            try:
                target.to_python(choice)
            except ValidationError:
                continue
            usable.append(choice)
        return super().optgroups(name, usable, attr)


class AutocompleteSelect(UsableChoicesMixin, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(UsableChoicesMixin, widgets.AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For a ModelAdmin or an inline with ``autocomplete_fields``: the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class SafeChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class SafeModelAdminMixin(SafeAutocompleteMixin):
    """For every ModelAdmin: the autocomplete widgets and the change list above."""

    def get_changelist(self, request, **kwargs):
        return SafeChangeList


class HonestCountMixin:
    def initial_form_count(self) -> int:
        return max(0, super().initial_form_count())

    def clean(self) -> None:
        super().clean()
        if not self.is_bound:
            return
        pk_name = self.model._meta.pk.name
        if any(form.data.get(form.add_prefix(pk_name)) for form in self.extra_forms):
            raise ValidationError(
                "The form's count of existing rows does not match its rows; reload the page.",
                code="row_count",
            )


class SafeInlineMixin(SafeAutocompleteMixin):
    """For every inline: the autocomplete widgets above, at most ``MAX_INLINE_ROWS`` rows, and
    no negative count of existing rows."""

    def get_formset(self, request, obj=None, **kwargs):
        own_max = self.get_max_num(request, obj, **kwargs)
        kwargs.setdefault("max_num", min(own_max or MAX_INLINE_ROWS, MAX_INLINE_ROWS))
        kwargs.setdefault("absolute_max", MAX_INLINE_ROWS)
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (HonestCountMixin, formset), {})
