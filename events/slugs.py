"""Unique, readable slugs for records that are published."""

from django.db import models
from django.utils.text import slugify


def unique_slug(model: type[models.Model], text: str, max_length: int = 80) -> str:
    base = slugify(text)[:max_length].strip("-") or model._meta.model_name
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug
