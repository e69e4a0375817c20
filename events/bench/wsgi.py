"""WSGI entry point for the API bench: the real app, routed through ``events.bench.urls``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (settings exist only after setup)

settings.ROOT_URLCONF = "events.bench.urls"
