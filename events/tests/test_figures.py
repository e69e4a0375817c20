"""Figures are revised by adding rows: the earlier figure stays, the event shows the latest."""

from datetime import timedelta

from django.urls import reverse

from events.models import CasualtyFigure

from .admin_forms import admin_form_data


def test_revised_figure_keeps_the_earlier_one(newsroom):
    kharkiv = newsroom.kharkiv
    killed = kharkiv.casualty_figures.filter(kind="killed").order_by("as_of")
    assert [f.minimum for f in killed] == [2, 3]
    latest = {(f.kind, f.civilians_only): f.value_display for f in kharkiv.latest_casualties()}
    assert latest == {("killed", False): "3", ("injured", False): "at least 60"}


def test_a_later_revision_becomes_the_latest(newsroom, editor):
    last = newsroom.kharkiv.casualty_figures.order_by("-as_of").first()
    CasualtyFigure.objects.create(
        event=newsroom.kharkiv, kind="killed", minimum=4, as_of=last.as_of + timedelta(hours=3)
    )
    killed = [f for f in newsroom.kharkiv.latest_casualties() if f.kind == "killed"]
    assert [f.minimum for f in killed] == [4]
    assert newsroom.kharkiv.casualty_figures.filter(kind="killed").count() == 3


def add_figure_row(data: dict, **fields) -> None:
    """Append one new casualty-figure row to the inline formset's POST data."""
    prefix = "casualty_figures"
    index = data[f"{prefix}-TOTAL_FORMS"]
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    data.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})


def test_admin_adds_a_revision_and_cannot_edit_earlier_rows(newsroom, editor_client, editor):
    url = reverse("admin:events_event_change", args=[newsroom.kharkiv.pk])
    data = admin_form_data(editor_client.get(url))
    # A crafted change to an earlier row is ignored: rows are shown read-only and never saved.
    data["casualty_figures-0-minimum"] = 99
    add_figure_row(
        data,
        kind="injured",
        minimum=64,
        at_least="on",
        as_of_0="2025-06-11",
        as_of_1="12:00:00",
        source_note="Regional governor, midday update",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    injured = newsroom.kharkiv.casualty_figures.filter(kind="injured").order_by("as_of")
    assert [f.minimum for f in injured] == [40, 60, 64]
    assert injured.last().recorded_by == editor
    assert not newsroom.kharkiv.casualty_figures.filter(minimum=99).exists()


def test_bad_figure_in_the_admin_is_a_clear_error_and_nothing_saved(newsroom, editor_client):
    url = reverse("admin:events_event_change", args=[newsroom.kharkiv.pk])
    data = admin_form_data(editor_client.get(url), summary="A new summary that must not be lost")
    add_figure_row(
        data, kind="killed", minimum=5, maximum=3, as_of_0="2025-06-11", as_of_1="12:00:00"
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "The minimum cannot be above the maximum." in response.text
    assert "A new summary that must not be lost" in response.text
    newsroom.kharkiv.refresh_from_db()
    assert newsroom.kharkiv.summary != "A new summary that must not be lost"
    assert newsroom.kharkiv.casualty_figures.count() == 4
