"""The briefing composer: find, add, order, override, preview, publish — or a clear refusal."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from events.models import Briefing


def headlines(briefing: Briefing) -> list[str]:
    return [item.headline for item in briefing.items.order_by("order")]


def new_briefing(editor) -> Briefing:
    return Briefing.objects.create(
        title="Evening briefing", edition="evening", edition_date=timezone.localdate(),
        created_by=editor,
    )  # fmt: skip


def test_reporters_cannot_open_the_composer(reporter_client, newsroom):
    for name, args in [
        ("desk:briefing-list", []),
        ("desk:briefing-new", []),
        ("desk:briefing-edit", [newsroom.briefing.pk]),
    ]:
        response = reporter_client.get(reverse(name, args=args))
        assert response.status_code == 403
        assert b"Only editors compose briefings." in response.content


def test_editor_creates_a_briefing_and_bad_dates_are_refused(editor_client, db):
    bad = editor_client.post(
        reverse("desk:briefing-new"),
        {"title": "Night briefing", "edition": "special", "edition_date": "31/02/2025"},
    )
    assert b"Enter a valid date." in bad.content and b"Night briefing" in bad.content
    assert not Briefing.objects.exists()
    response = editor_client.post(
        reverse("desk:briefing-new"),
        {"title": "Night briefing", "edition": "special", "edition_date": "2025-06-12"},
        follow=True,
    )
    assert b"Briefing created." in response.content
    assert Briefing.objects.get().title == "Night briefing"


def test_search_finds_published_stories_and_adds_them_in_order(editor_client, editor, newsroom):
    briefing = new_briefing(editor)
    url = reverse("desk:briefing-stories", args=[briefing.pk])
    results = editor_client.get(url, {"q": "Moscow"}).content.decode()
    assert newsroom.talks_story.headline in results
    assert newsroom.draft.headline not in editor_client.get(url, {"q": ""}).content.decode()
    for story in (newsroom.main, newsroom.talks_story):
        editor_client.post(
            reverse("desk:briefing-item-add", args=[briefing.pk]), {"story": story.pk}
        )
    assert headlines(briefing) == [newsroom.main.headline, newsroom.talks_story.headline]
    # added stories leave the search results
    assert newsroom.main.headline not in editor_client.get(url, {"q": ""}).content.decode()


def test_adding_a_draft_a_duplicate_or_a_bad_id_is_refused(editor_client, editor, newsroom):
    briefing = new_briefing(editor)
    add = reverse("desk:briefing-item-add", args=[briefing.pk])
    page = editor_client.post(add, {"story": newsroom.draft.pk}, follow=True).content
    assert b"is draft: only published or scheduled stories go into a briefing." in page
    editor_client.post(add, {"story": newsroom.main.pk})
    page = editor_client.post(add, {"story": newsroom.main.pk}, follow=True).content
    assert b"is already in this briefing." in page
    for bad in ("", "abc", "999999"):
        page = editor_client.post(add, {"story": bad}, follow=True).content
        assert b"That story does not exist" in page
    assert briefing.items.count() == 1


def test_up_and_down_reorder_items(editor_client, newsroom):
    briefing = newsroom.briefing
    first, second = briefing.items.order_by("order")[:2]
    response = editor_client.post(reverse("desk:briefing-item-up", args=[second.pk]))
    assert response["Location"].endswith(f"#item-{second.pk}")
    order = headlines(briefing)
    assert order[:2] == [second.headline, first.headline]
    editor_client.post(reverse("desk:briefing-item-down", args=[second.pk]))
    assert headlines(briefing)[:2] == [first.headline, second.headline]
    page = editor_client.post(reverse("desk:briefing-item-up", args=[first.pk]), follow=True)
    assert b"is already first" in page.content


def test_default_blurb_is_the_first_approved_key_point_and_can_be_overridden(
    editor_client, newsroom
):
    item = newsroom.briefing.items.get(story=newsroom.main)
    first_point = newsroom.main.key_points.approved().first().text
    page = editor_client.get(reverse("desk:briefing-edit", args=[newsroom.briefing.pk]))
    assert first_point in page.content.decode()
    editor_client.post(
        reverse("desk:briefing-item-update", args=[item.pk]),
        {
            f"item-{item.pk}-headline_override": "Kharkiv: three dead",
            f"item-{item.pk}-blurb_override": "Our own blurb.",
        },
    )
    public = editor_client.get(reverse("public:briefing", args=[newsroom.briefing.slug]))
    assert b"Kharkiv: three dead" in public.content and b"Our own blurb." in public.content


def test_publishing_with_an_unpublished_story_is_refused_by_name(editor_client, editor, newsroom):
    briefing = new_briefing(editor)
    editor_client.post(
        reverse("desk:briefing-item-add", args=[briefing.pk]), {"story": newsroom.main.pk}
    )
    newsroom.main.unpublish(by=editor)
    response = editor_client.post(reverse("desk:briefing-publish", args=[briefing.pk]), follow=True)
    assert "Publish these stories first" in response.content.decode()
    assert newsroom.main.headline in response.content.decode()
    briefing.refresh_from_db()
    assert briefing.state == "draft"


def test_editor_publishes_schedules_and_unpublishes(editor_client, editor, newsroom):
    briefing = new_briefing(editor)
    editor_client.post(
        reverse("desk:briefing-item-add", args=[briefing.pk]), {"story": newsroom.main.pk}
    )
    later = (timezone.localtime() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    editor_client.post(reverse("desk:briefing-schedule", args=[briefing.pk]), {"publish_at": later})
    briefing.refresh_from_db()
    assert briefing.state == "scheduled"
    editor_client.post(reverse("desk:briefing-publish", args=[briefing.pk]))
    briefing.refresh_from_db()
    assert briefing.state == "published"
    assert editor_client.get(reverse("public:briefing", args=[briefing.slug])).status_code == 200
    editor_client.post(reverse("desk:briefing-unpublish", args=[briefing.pk]))
    assert editor_client.get(reverse("public:briefing", args=[briefing.slug])).status_code == 404


def test_preview_marks_stories_that_readers_would_not_see(editor_client, editor, newsroom):
    briefing = newsroom.briefing
    newsroom.talks_story.unpublish(by=editor)
    preview = editor_client.get(reverse("desk:briefing-preview", args=[briefing.pk])).content
    assert b"Preview" in preview and b"not public" in preview
    public = editor_client.get(reverse("public:briefing", args=[briefing.slug])).content
    assert newsroom.talks_story.headline.encode() not in public


def test_removing_an_item(editor_client, newsroom):
    item = newsroom.briefing.items.get(story=newsroom.talks_story)
    editor_client.post(reverse("desk:briefing-item-remove", args=[item.pk]))
    assert newsroom.talks_story.headline not in headlines(newsroom.briefing)


def test_stale_briefing_save_is_refused(client, editor, second_editor, newsroom):
    briefing = newsroom.briefing
    version = briefing.version
    briefing.intro = "Night editor's intro."
    briefing.updated_by = second_editor
    briefing.save()
    client.force_login(editor)
    response = client.post(
        reverse("desk:briefing-edit", args=[briefing.pk]),
        {
            "title": briefing.title,
            "edition": briefing.edition,
            "edition_date": briefing.edition_date.isoformat(),
            "intro": "My intro.",
            "expected_version": version,
        },
    )
    assert b"night-editor saved this briefing at" in response.content
    assert b"My intro." in response.content
    briefing.refresh_from_db()
    assert briefing.intro == "Night editor's intro."
