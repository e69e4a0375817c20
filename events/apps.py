from django.apps import AppConfig


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        # Imported for what they register: the database check, the records with django-reversion.
        from . import checks, history  # noqa: F401
        from .freshness import connect as keep_updated_at_honest

        keep_updated_at_honest()
