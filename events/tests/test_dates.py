"""Dates people type: year 1 and year 9999 in every date field never take the desk down.

0001-01-01 00:00 in Kyiv is still year 0 in UTC (Kyiv then kept local mean time, +02:02): stored
by PostgreSQL as a BC timestamp that the driver cannot read, it made every desk page that listed
the event answer 500. Such a time is refused with a message; the latest times of year 9999 that
are still year 9999 in UTC are kept, and the pages that show them work.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from events.checks import check_unstorable_dates
from events.models import CasualtyFigure, Event, Source, Story
from events.models.dates import OUT_OF_RANGE

from .admin_forms import admin_form_data
from .test_desk_events import event_post

YEAR_ONE = "0001-01-01T00:00"  # year 0 in UTC
YEAR_9999 = "9999-12-31T23:00"  # 21:00 UTC, still year 9999

DESK_PAGES = ["desk:dashboard", "desk:event-list", "desk:story-list"]


def pages_work(client, event: Event) -> None:
    for name in DESK_PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("desk:event-edit", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:events_event_changelist")).status_code == 200


@pytest.mark.parametrize("field", ["starts_at", "ends_at"])
def test_year_one_in_an_event_is_refused_and_the_text_kept(editor_client, newsroom, field):
    event = newsroom.kharkiv
    data = event_post(event, summary="Typed before the bad date.", starts_at="2025-06-11T01:00")
    data[field] = YEAR_ONE
    response = editor_client.post(reverse("desk:event-edit", args=[event.pk]), data)
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.text
    assert "Typed before the bad date." in response.text
    event.refresh_from_db()
    assert event.summary != "Typed before the bad date."
    pages_work(editor_client, event)


def test_year_9999_in_an_event_saves_and_every_page_still_works(editor_client, newsroom):
    event = newsroom.kharkiv
    data = event_post(event, starts_at="2025-06-11T01:00", ends_at=YEAR_9999)
    response = editor_client.post(reverse("desk:event-edit", args=[event.pk]), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.ends_at.year == 9999
    pages_work(editor_client, event)
    for public in (reverse("public:event", args=[event.slug]), "/api/v1/events/?format=csv"):
        assert editor_client.get(public).status_code == 200, public


@pytest.mark.parametrize(
    ("url_name", "prefix", "fields", "rows"),
    [
        (
            "desk:event-casualty-add",
            "casualty",
            {"kind": "killed", "minimum": "3", "as_of": YEAR_ONE},
            CasualtyFigure.objects,
        ),
        (
            "desk:event-source-add",
            "source",
            {"url": "https://example.org/a", "publisher": "Governor", "accessed_at": YEAR_ONE},
            Source.objects,
        ),
    ],
)
def test_year_one_in_a_figure_or_source_is_refused(
    editor_client, newsroom, url_name, prefix, fields, rows
):
    before = rows.count()
    data = {f"{prefix}-{name}": value for name, value in fields.items()}
    response = editor_client.post(reverse(url_name, args=[newsroom.kharkiv.pk]), data)
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.text
    assert rows.count() == before
    pages_work(editor_client, newsroom.kharkiv)


@pytest.mark.parametrize("when", [YEAR_ONE, YEAR_9999])
def test_scheduling_at_either_end_of_the_calendar_never_fails(editor_client, newsroom, when):
    story = newsroom.draft
    story.headline, story.standfirst, story.byline = "Odesa port", "Damage assessed.", "By us"
    story.body = "Cranes were damaged."
    story.save()
    response = editor_client.post(
        reverse("desk:story-schedule", args=[story.pk]),
        {"publish_at": when, "expected_version": story.version},
        follow=True,
    )
    assert response.status_code == 200
    story.refresh_from_db()
    if when == YEAR_ONE:
        assert OUT_OF_RANGE in response.text and story.state == Story.State.DRAFT
    else:
        assert story.state == Story.State.SCHEDULED and story.publish_at.year == 9999
    assert editor_client.get(reverse("desk:dashboard")).status_code == 200


def test_the_admin_refuses_year_one_too(editor_client, newsroom):
    url = reverse("admin:events_event_change", args=[newsroom.kharkiv.pk])
    data = admin_form_data(editor_client.get(url), starts_at_0="0001-01-01", starts_at_1="00:00")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.text
    newsroom.kharkiv.refresh_from_db()
    assert newsroom.kharkiv.starts_at.year == 2025


def store_year_zero(event: Event) -> None:
    """What the old code let through, written the only way still possible: by SQL."""
    value = {
        "postgresql": "timestamptz '0001-01-01 00:00:00+00' - interval '2 hours'",
        "sqlite": "'0000-12-31 22:00:00'",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE events_event SET starts_at = {value} WHERE id = %s", [event.pk])


def test_a_stored_year_zero_is_found_by_the_check_and_repaired(editor_client, newsroom, capsys):
    store_year_zero(newsroom.kharkiv)
    errors = check_unstorable_dates(databases=["default"])
    assert [error.id for error in errors] == ["events.E001"]
    assert "events.Event.starts_at: 1 row(s)" in errors[0].msg
    with pytest.raises(CommandError):
        call_command("repair_dates", "--check")

    call_command("repair_dates")

    assert check_unstorable_dates(databases=["default"]) == []
    event = Event.objects.get(pk=newsroom.kharkiv.pk)
    assert event.starts_at is None  # emptied: an editor sets it again
    assert "Repaired 1 value(s)." in capsys.readouterr().out
    pages_work(editor_client, event)
