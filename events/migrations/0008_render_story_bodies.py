"""Story bodies: a length limit and a nesting check in the forms, and every body rendered once.

From here on the rendering is stored when a body is saved (``Story.save``), and readers are
served the stored HTML. Rows saved before have none, so they are rendered here: as part of
``migrate``, which every deploy runs before the new code serves a request, so no reader ever
gets an empty body; a separate command could be forgotten on an upgrade. It uses today's
renderer (``events.rendering``), as the column holds what today's code would write.
"""

from django.db import migrations, models

import events.models.story
from events.rendering import render_markdown

BATCH = 500


def render_stored_bodies(apps, schema_editor) -> None:
    Story = apps.get_model("events", "Story")
    pending = list(
        Story.objects.filter(body_html="")
        .exclude(body="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(pending), BATCH):
        stories = list(Story.objects.filter(pk__in=pending[start : start + BATCH]).only("body"))
        for story in stories:
            story.body_html = render_markdown(story.body)
        Story.objects.bulk_update(stories, ["body_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_storable_dates_and_body_html"),
    ]

    operations = [
        migrations.AlterField(
            model_name="story",
            name="body",
            field=models.TextField(
                blank=True,
                help_text="Markdown, up to 100,000 characters. Raw HTML is dropped.",
                max_length=100000,
                validators=[events.models.story.validate_body_nesting],
            ),
        ),
        migrations.RunPython(render_stored_bodies, migrations.RunPython.noop, elidable=True),
    ]
