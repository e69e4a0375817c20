"""Build the POST data an admin change form would send, from the page the server rendered."""

from django.forms import MultiWidget


def _field_data(form, data: dict) -> None:
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(field.widget, MultiWidget):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{key}_{index}"] = "" if part is None else part
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, (list, tuple)):
            data[key] = [str(item) for item in value]
        elif value is not None:
            data[key] = value


def admin_form_data(response, **changes) -> dict:
    """The form as opened, with ``changes`` applied (names as in the main form)."""
    data: dict = {}
    _field_data(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        prefix = formset.prefix
        initial_forms = formset.initial_forms
        data[f"{prefix}-TOTAL_FORMS"] = len(initial_forms)
        data[f"{prefix}-INITIAL_FORMS"] = len(initial_forms)
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for form in initial_forms:
            _field_data(form, data)
    data.update(changes)
    return data
