"""Template helpers for the desk and the public site."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name() -> str:
    return settings.NEWSROOM_NAME


@register.filter
def message_role(level_tag: str) -> str:
    """Errors interrupt a screen reader (alert); everything else waits its turn (status)."""
    return "alert" if level_tag == "error" else "status"
