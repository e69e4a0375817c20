"""WSGI entry point for gunicorn (or any WSGI server)."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

# Refuse to serve at all rather than fail on the first request that signs something
# (Django raises when an empty SECRET_KEY is read; say which variable to set).
try:
    settings.SECRET_KEY  # noqa: B018
except ImproperlyConfigured:
    raise ImproperlyConfigured(settings.MISSING_SECRET_KEY) from None
