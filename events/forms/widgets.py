"""Widgets shared by the desk forms."""

from django import forms


class LocalDateTimeInput(forms.DateTimeInput):
    """A browser date-time picker. Values are newsroom time (the current timezone)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
