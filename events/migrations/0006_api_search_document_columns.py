"""Full-text search on a stored tsvector column (PostgreSQL only).

The 0004 expression indexes were only used when the planner chose a bitmap scan; for a list
ordered by date it often walked the date index instead and ran ``to_tsvector`` over every
story's body until it had a page (~0.3 ms a row), and ranked by parsing the text again. A
stored generated column is computed once per write: the filter and ``ts_rank`` read it, and
the GIN index is on it. The index keeps its name (``events_story_fulltext``).

``events.api.search.DOCUMENTS`` names these columns. They are raw SQL, outside Django's
migration state, so ``makemigrations`` stays clean and SQLite is untouched.
"""

from django.db import migrations

# table -> (column, expression the column is generated from, index name, 0004's index definition)
COLUMNS = {
    "events_story": (
        "search_document",
        "coalesce(\"headline\", '') || ' ' || coalesce(\"standfirst\", '') || ' ' || "
        "coalesce(\"body\", '')",
        "events_story_fulltext",
        "USING gin ((to_tsvector('english'::regconfig, \"events_story\".\"headline\" || ' ' || "
        '"events_story"."standfirst" || \' \' || "events_story"."body")))',
    ),
    "events_event": (
        "search_document",
        "coalesce(\"title\", '') || ' ' || coalesce(\"summary\", '')",
        "events_event_fulltext",
        "USING gin ((to_tsvector('english'::regconfig, \"events_event\".\"title\" || ' ' || "
        '"events_event"."summary")))',
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (column, expression, index, _) in COLUMNS.items():
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS "{column}" tsvector '
            f"GENERATED ALWAYS AS (to_tsvector('english'::regconfig, {expression})) STORED"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(f'CREATE INDEX {index} ON "{table}" USING gin ("{column}")')
        # Statistics for the new column now, so the planner can cost a search from the start.
        schema_editor.execute(f'ANALYZE "{table}"')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (column, _, index, old_definition) in COLUMNS.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "{column}"')
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {index} ON "{table}" {old_definition}')


class Migration(migrations.Migration):
    dependencies = [("events", "0005_location_country_message")]

    operations = [migrations.RunPython(create, drop)]
