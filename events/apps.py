from django.apps import AppConfig


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        # Imported for what they register: the database check, the records with django-reversion,
        # the integer lookup that keeps an out-of-range id from crashing a query.
        from . import checks, history, lookups  # noqa: F401
        from .models import publication, tracking
        from .publication.store import publish_soon

        tracking.connect()
        publication.publisher = publish_soon
