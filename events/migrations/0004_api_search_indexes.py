"""Indexes for the public API: full-text search (PostgreSQL only) and ``updated_since``.

The full-text expressions must match ``events.api.search.document_sql`` exactly, or PostgreSQL
will not use them. They are raw SQL because SQLite has no GIN indexes; Django's migration
state does not track them, so ``makemigrations`` stays clean on both databases.
"""

from django.db import migrations

INDEXES = {
    "events_story_fulltext": (
        "events_story",
        "USING gin ((to_tsvector('english'::regconfig, \"events_story\".\"headline\" || ' ' || "
        "\"events_story\".\"standfirst\" || ' ' || \"events_story\".\"body\")))",
    ),
    "events_event_fulltext": (
        "events_event",
        "USING gin ((to_tsvector('english'::regconfig, \"events_event\".\"title\" || ' ' || "
        "\"events_event\".\"summary\")))",
    ),
}
PLAIN = {
    "events_story_state_updated": ("events_story", "(state, updated_at)"),
    "events_event_state_updated": ("events_event", "(state, updated_at)"),
}


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for name, (table, definition) in PLAIN.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {definition}")
    if vendor == "postgresql":
        for name, (table, definition) in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {definition}")


def drop(apps, schema_editor):
    names = list(PLAIN)
    if schema_editor.connection.vendor == "postgresql":
        names += list(INDEXES)
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("events", "0003_story_key_points_requested_at")]

    operations = [migrations.RunPython(create, drop)]
