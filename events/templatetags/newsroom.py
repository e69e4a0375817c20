"""Template helpers for the desk and the public site."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from ..rendering import render_markdown

register = template.Library()


@register.simple_tag
def site_name() -> str:
    return settings.NEWSROOM_NAME


@register.filter
def markdown(text: str) -> SafeString:
    """Story bodies: Markdown rendered and sanitised (nh3), so safe to show as HTML."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by render_markdown


@register.filter
def message_role(level_tag: str) -> str:
    """Errors interrupt a screen reader (alert); everything else waits its turn (status)."""
    return "alert" if level_tag == "error" else "status"
