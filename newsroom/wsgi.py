"""WSGI entry point for gunicorn (or any WSGI server)."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

# Refuse to serve at all rather than fail on the first request that signs something.
if not settings.SECRET_KEY:
    raise ImproperlyConfigured(settings.MISSING_SECRET_KEY)
