"""Who gets into the desk: anonymous visitors sign in, staff outside the newsroom get a 403."""

from django.urls import reverse
from django.utils.html import escape

from events.models import Story

# Every desk route, with made-up ids: the access check comes before any lookup.
DESK_ROUTES = [
    ("desk:dashboard", []),
    ("desk:story-list", []),
    ("desk:story-new", []),
    ("desk:story-edit", [1]),
    ("desk:story-preview", [1]),
    ("desk:story-submit", [1]),
    ("desk:story-publish", [1]),
    ("desk:story-schedule", [1]),
    ("desk:story-unpublish", [1]),
    ("desk:story-retract", [1]),
    ("desk:story-correct", [1]),
    ("desk:key-points", [1]),
    ("desk:key-points-regenerate", [1]),
    ("desk:key-point-add", [1]),
    ("desk:key-points-approve", [1]),
    ("desk:key-point-edit", [1]),
    ("desk:key-point-approve", [1]),
    ("desk:key-point-delete", [1]),
    ("desk:key-point-up", [1]),
    ("desk:key-point-down", [1]),
    ("desk:event-list", []),
    ("desk:event-new", []),
    ("desk:event-options", []),
    ("desk:event-edit", [1]),
    ("desk:event-casualty-add", [1]),
    ("desk:event-munition-add", [1]),
    ("desk:event-source-add", [1]),
    ("desk:event-source-delete", [1, 1]),
    ("desk:event-actor-add", [1]),
    ("desk:event-actor-delete", [1, 1]),
    ("desk:event-relation-add", [1]),
    ("desk:event-relation-delete", [1, 1]),
    ("desk:event-publish", [1]),
    ("desk:event-retract", [1]),
    ("desk:event-verify", [1]),
    ("desk:briefing-list", []),
    ("desk:briefing-new", []),
    ("desk:briefing-edit", [1]),
    ("desk:briefing-preview", [1]),
    ("desk:briefing-stories", [1]),
    ("desk:briefing-item-add", [1]),
    ("desk:briefing-publish", [1]),
    ("desk:briefing-schedule", [1]),
    ("desk:briefing-unpublish", [1]),
    ("desk:briefing-item-update", [1]),
    ("desk:briefing-item-remove", [1]),
    ("desk:briefing-item-up", [1]),
    ("desk:briefing-item-down", [1]),
]


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for name, args in DESK_ROUTES:
        url = reverse(name, args=args)
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("desk:login") + "?next="), name


def test_staff_outside_the_newsroom_groups_are_refused(client, outsider):
    client.force_login(outsider)
    for name, args in DESK_ROUTES:
        url = reverse(name, args=args)
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 403, name
            assert b"not in the Reporter or Editor group" in response.content, name


def test_sign_in_page_logs_a_reporter_into_the_dashboard(client, reporter):
    reporter.set_password("a long demo password")
    reporter.save()
    page = client.get(reverse("desk:dashboard"), follow=True)
    assert b"Sign in to the desk" in page.content
    response = client.post(
        reverse("desk:login"),
        {"username": "reporter", "password": "a long demo password", "next": "/desk/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/desk/"
    assert b"My drafts" in response.content


def test_wrong_password_says_so_and_keeps_the_user_out(client, reporter):
    response = client.post(reverse("desk:login"), {"username": "reporter", "password": "nope"})
    assert response.status_code == 200
    assert b"did not match" in response.content
    assert client.get(reverse("desk:dashboard")).status_code == 302


def test_signing_out_ends_the_desk_session(reporter_client):
    response = reporter_client.post(reverse("desk:logout"))
    assert response.status_code == 302
    assert reporter_client.get(reverse("desk:dashboard")).status_code == 302


def test_state_changes_refuse_get_requests(editor_client, newsroom):
    url = reverse("desk:story-unpublish", args=[newsroom.main.pk])
    assert editor_client.get(url).status_code == 405
    newsroom.main.refresh_from_db()
    assert newsroom.main.state == "published"


def test_missing_records_are_404(editor_client, db):
    for name in ("desk:story-edit", "desk:event-edit", "desk:briefing-edit", "desk:key-points"):
        assert editor_client.get(reverse(name, args=[999999])).status_code == 404
    for name in ("desk:story-publish", "desk:key-point-approve", "desk:briefing-item-up"):
        assert editor_client.post(reverse(name, args=[999999])).status_code == 404


def test_dashboard_lists_what_needs_attention(client, newsroom, reporter, draft_story):
    client.force_login(reporter)
    page = client.get(reverse("desk:dashboard")).content.decode()
    assert "My drafts" in page and draft_story.headline in page
    assert "Recent events" in page and newsroom.kharkiv.title in page
    # reporters get no briefing composer in the menu
    assert reverse("desk:briefing-list") not in page


def test_dashboard_lists_stories_whose_key_points_need_an_editor(editor_client, newsroom):
    newsroom.talks_story.key_points.create(text="A fresh machine draft.", order=5)
    Story.objects.filter(pk=newsroom.spiderweb_story.pk).update(
        key_points_status="failed", key_points_error="timeout"
    )
    page = editor_client.get(reverse("desk:dashboard")).content.decode()
    section = page.split("Key points awaiting approval or failed")[1].split("Recent events")[0]
    assert escape(newsroom.talks_story.headline) in section
    assert escape(newsroom.spiderweb_story.headline) in section
    assert escape(newsroom.main.headline) not in section  # all its points are approved
