from django.apps import AppConfig


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        # Imported for what they register: the database check, the records with django-reversion,
        # the integer lookup that keeps an out-of-range id from crashing a query.
        from . import checks, history, lookups  # noqa: F401
        from .freshness import connect as keep_updated_at_honest

        keep_updated_at_honest()
