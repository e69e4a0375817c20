"""A term renamed on many records: the rebuild runs in the background; the desk sees it."""

from celery import current_app
from django.test import override_settings

from events.models import Story, Tag
from events.models.publication import PendingRebuild, PublicDocument
from events.tasks import publish_pending


@override_settings(NEWSROOM_PUBLISH_INLINE_LIMIT=1)
def test_a_renamed_tag_on_many_stories_is_rebuilt_in_the_background(
    client, newsroom, editor, monkeypatch
):
    queued = []  # the broker's edge: what would be sent to the worker
    monkeypatch.setattr(current_app, "send_task", lambda name, *a, **k: queued.append(name))
    tag = Tag.objects.create(slug="night-of-june-11", name="Night of 11 June")
    for story in Story.objects.published():
        story.tags.add(tag)
    publish_pending()
    queued.clear()
    client.force_login(editor)
    response = client.post(
        f"/admin/events/tag/{tag.pk}/change/",
        {"name": "The night of 11 June", "slug": tag.slug},
        follow=True,
    )
    assert "rebuilt in the background" in response.content.decode()
    assert queued == ["events.tasks.publish_pending"]
    dashboard = client.get("/desk/").content.decode()
    assert "still to rebuild" in dashboard

    publish_pending()  # what the worker does with the task queued after the commit

    assert not PendingRebuild.objects.exists()
    tagged = PublicDocument.objects.filter(kind="story", body__contains="The night of 11 June")
    assert tagged.count() == Story.objects.published().count()
    assert "still to rebuild" not in client.get("/desk/").content.decode()
