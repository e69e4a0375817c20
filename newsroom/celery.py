"""The Celery app: configuration comes from Django settings (the CELERY_ names)."""

import logging
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.celeryd_after_setup.connect
def warn_if_sigterm_waits_for_tasks(**kwargs) -> None:
    # Celery reads REMAP_SIGTERM when it starts, before this file: settings cannot set it.
    if os.environ.get("REMAP_SIGTERM") != "SIGQUIT":
        logging.getLogger(__name__).warning(
            "REMAP_SIGTERM=SIGQUIT is not set: on SIGTERM this worker waits for its running "
            "tasks (up to their time limit) instead of returning them to the queue within "
            "CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT."
        )
