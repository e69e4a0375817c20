"""Events as GeoJSON and CSV, for maps and spreadsheets."""

import csv
import io

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


def valid_geojson(body: dict) -> None:
    """The RFC 7946 rules a map library relies on."""
    assert body["type"] == "FeatureCollection"
    assert isinstance(body["features"], list)
    for feature in body["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry is not None:
            assert geometry["type"] == "Point"
            lon, lat = geometry["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_events_as_geojson_put_places_on_the_map(client, newsroom):
    response = client.get("/api/v1/events/?format=geojson&page_size=100")
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    valid_geojson(body)
    features = {feature["id"]: feature for feature in body["features"]}
    kharkiv = features["kharkiv-drone-strike-june-11"]
    assert kharkiv["geometry"]["coordinates"] == [36.2304, 49.9935]  # longitude first
    assert kharkiv["properties"]["fatalities"] == 3
    assert kharkiv["properties"]["location"]["name"] == "Kharkiv"
    # The Russian airbases have no coordinates: a feature without geometry, not a made-up point.
    assert features["operation-spiderweb"]["geometry"] is None


def test_geojson_pages_link_to_the_next_page(client, newsroom):
    body = client.get("/api/v1/events/?format=geojson&page_size=2").json()
    valid_geojson(body)
    [link] = [link for link in body["links"] if link["rel"] == "next"]
    assert "format=geojson" in link["href"]
    assert client.get(link["href"])["Content-Type"] == "application/geo+json"


def test_single_event_as_geojson(client, newsroom):
    body = client.get(f"/api/v1/events/{newsroom.kharkiv.slug}/?format=geojson").json()
    valid_geojson(body)
    assert [f["id"] for f in body["features"]] == [newsroom.kharkiv.slug]


def test_events_as_csv_open_in_a_spreadsheet(client, newsroom):
    response = client.get("/api/v1/events/?format=csv&page_size=100")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_slug = {row["slug"]: row for row in rows}
    assert len(rows) == 7  # every published event of the night
    kharkiv = by_slug["kharkiv-drone-strike-june-11"]
    assert kharkiv["killed"] == "3"
    assert kharkiv["injured"] == "at least 60"
    assert kharkiv["country"] == "UA"
    assert kharkiv["parent"] == "nationwide-drone-wave-june-11"
    assert "Military Forces of Russia (attacker)" in kharkiv["actors"]


def test_csv_cells_cannot_smuggle_spreadsheet_formulas(client, newsroom, editor):
    newsroom.kharkiv.title = '=HYPERLINK("http://evil.example")'
    newsroom.kharkiv.save()
    rows = list(
        csv.DictReader(io.StringIO(client.get("/api/v1/events/?format=csv").content.decode()))
    )
    [row] = [row for row in rows if row["slug"] == newsroom.kharkiv.slug]
    assert row["title"].startswith("'=")


def test_story_detail_carries_everything_a_reader_needs(client, newsroom):
    story = client.get(f"/api/v1/stories/{newsroom.main.slug}/").json()
    approved = list(newsroom.main.key_points.approved().values_list("text", flat=True))
    assert story["key_points"] == approved
    assert len(story["key_points"]) == 3
    assert [q["speaker"] for q in story["quotes"]] == ["Volodymyr Zelensky", "Regional governor"]
    primary = [e for e in story["events"] if e["is_primary"]]
    assert [e["slug"] for e in primary] == ["nationwide-drone-wave-june-11"]
    assert story["body_html"].startswith("<p>")


def test_corrections_are_public_and_dated_without_their_author(client, newsroom, editor):
    newsroom.main.add_correction(by=editor, text="An earlier version misstated the district.")
    story = client.get(f"/api/v1/stories/{newsroom.main.slug}/").json()
    [correction] = story["corrections"]
    assert correction["text"] == "An earlier version misstated the district."
    assert correction["date"]
    assert set(correction) == {"text", "date"}


def test_event_detail_has_latest_figures_parent_and_related(client, newsroom):
    event = client.get(f"/api/v1/events/{newsroom.kharkiv.slug}/").json()
    figures = {(f["kind"], f["display"]) for f in event["casualties"]}
    assert figures == {("killed", "3"), ("injured", "at least 60")}  # not the earlier 2 and 40
    assert event["parent"]["slug"] == "nationwide-drone-wave-june-11"
    assert event["munitions"][0]["launched"] == 17
    wave = client.get(f"/api/v1/events/{newsroom.wave.slug}/").json()
    assert {"slug": "operation-spiderweb", "relation": "related"}.items() <= wave["related"][
        0
    ].items()
    spiderweb = client.get("/api/v1/events/operation-spiderweb/").json()
    assert spiderweb["related"][0]["slug"] == "nationwide-drone-wave-june-11"


def test_briefing_items_use_overrides_then_key_point_then_standfirst(client, newsroom):
    items = list(newsroom.briefing.items.order_by("order"))
    items[1].headline_override = "Kyiv links the wave to Spiderweb"
    items[1].blurb_override = "Officials draw a line between the two attacks."
    items[1].save()
    body = client.get(f"/api/v1/briefings/{newsroom.briefing.slug}/").json()
    first, second, third = body["items"]
    first_point = newsroom.main.key_points.approved().first().text
    assert first["blurb"] == first_point  # the story's first approved key point
    assert second["headline"] == "Kyiv links the wave to Spiderweb"
    assert second["blurb"] == "Officials draw a line between the two attacks."
    assert third["blurb"] == newsroom.talks_story.standfirst  # no approved key points
    assert third["story"]["slug"] == newsroom.talks_story.slug


def test_tombstones_list_what_was_taken_down(client, newsroom, editor):
    before = client.get("/api/v1/tombstones/?since=2000-01-01T00:00:00Z").json()
    assert before["results"] == []
    newsroom.talks_story.unpublish(by=editor, reason="Embargo")
    newsroom.spiderweb.retract(by=editor, reason="Duplicate")
    newsroom.draft.delete()  # never public: never a tombstone
    body = client.get("/api/v1/tombstones/?since=2000-01-01T00:00:00Z").json()
    gone = {(row["type"], row["slug"], row["state"]) for row in body["results"]}
    assert gone == {
        ("story", newsroom.talks_story.slug, "unpublished"),
        ("event", "operation-spiderweb", "retracted"),
    }
    later = client.get("/api/v1/tombstones/", {"since": "2999-01-01T00:00:00Z"}).json()
    assert later["results"] == []
