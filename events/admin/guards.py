"""The admin's forms stay up whatever is posted to them.

- Autocomplete fields: when a form comes back with errors, Django's widget looks up the posted
  values to show their labels with ``id__in=[...]`` over the raw values, and one that cannot be
  an id ("²", a NUL byte, a word) raised ``ValueError``: a 500 instead of the form's error.
  These widgets leave such values out; the field's own error says what was wrong.
- Inline rows: a formset builds as many forms as the posted ``TOTAL_FORMS`` says, up to 2,000 by
  Django's default, for every inline. One post claiming 10^30 rows made the event form build
  and render 10,000 forms (16 s of CPU). No record here has anywhere near ``MAX_INLINE_ROWS``.
"""

from __future__ import annotations

from django.contrib.admin import widgets
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


class SafeInlineMixin(SafeAutocompleteMixin):
    """For every inline: the autocomplete widgets above, and at most ``MAX_INLINE_ROWS`` rows."""

    def get_formset(self, request, obj=None, **kwargs):
        own_max = self.get_max_num(request, obj, **kwargs)
        kwargs.setdefault("max_num", min(own_max or MAX_INLINE_ROWS, MAX_INLINE_ROWS))
        kwargs.setdefault("absolute_max", MAX_INLINE_ROWS)
        return super().get_formset(request, obj, **kwargs)
