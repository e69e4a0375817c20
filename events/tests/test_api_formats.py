"""Events as GeoJSON and CSV, for maps and spreadsheets: figures as numbers, times in UTC,
web_url and api_url on every row; and the JSON shapes readers rely on."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.cache import cache

from events.models import CasualtyFigure, MunitionCount
from events.publication.formats import CSV_COLUMNS, FIGURE_COLUMNS

try:
    import pandas
except ImportError:  # not a dependency: the csv-module reading below says the same
    pandas = None

KHARKIV = "kharkiv-drone-strike-june-11"
TIME_COLUMNS = ["starts_at", "first_published_at", "updated_at"]


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


def valid_geojson(body: dict) -> None:
    """The RFC 7946 rules GDAL, QGIS and map libraries rely on."""
    assert body["type"] == "FeatureCollection"
    assert "crs" not in body  # §4: always WGS 84 longitude/latitude, never declared
    assert isinstance(body["features"], list)
    for feature in body["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["id"], (str, int))  # §3.2
        assert feature["properties"] is None or isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry is not None:
            assert geometry["type"] == "Point"
            lon, lat = geometry["coordinates"]
            assert all(isinstance(value, (int, float)) for value in (lon, lat))
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_events_as_geojson_put_places_on_the_map(client, newsroom):
    response = client.get("/api/v1/events/?format=geojson&page_size=100")
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    valid_geojson(body)
    features = {feature["id"]: feature for feature in body["features"]}
    kharkiv = features[KHARKIV]
    assert kharkiv["geometry"]["coordinates"] == [36.2304, 49.9935]  # longitude first
    assert kharkiv["properties"]["fatalities"] == 3
    assert kharkiv["properties"]["location"]["name"] == "Kharkiv"
    # The Russian airbases have no coordinates: a feature without geometry, not a made-up point.
    assert features["operation-spiderweb"]["geometry"] is None


def test_geojson_properties_carry_figures_as_numbers_beside_the_nested_ones(client, newsroom):
    body = client.get("/api/v1/events/?format=geojson&page_size=100").json()
    kharkiv = {f["id"]: f for f in body["features"]}[KHARKIV]["properties"]
    assert kharkiv["killed_min"] == 3 and kharkiv["killed_max"] == 3  # "3"
    assert kharkiv["killed_at_least"] is False
    assert kharkiv["injured_min"] == 60 and kharkiv["injured_max"] is None  # "at least 60"
    assert kharkiv["injured_at_least"] is True
    assert kharkiv["missing_min"] is None and kharkiv["civilian_killed_min"] is None
    assert (kharkiv["drone_launched"], kharkiv["drone_intercepted"], kharkiv["drone_hit"]) == (
        17,
        None,
        17,
    )
    assert {f["display"] for f in kharkiv["casualties"]} == {"3", "at least 60"}  # still there
    assert set(FIGURE_COLUMNS) <= set(kharkiv)
    for feature in body["features"]:
        properties = feature["properties"]
        assert properties["web_url"].endswith(f"/events/{feature['id']}/")
        assert properties["api_url"].endswith(f"/api/v1/events/{feature['id']}/")
        assert properties["url"] == properties["api_url"]


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
    assert body["features"][0]["properties"]["killed_min"] == 3


def test_events_as_csv_give_figures_as_numbers(client, newsroom):
    response = client.get("/api/v1/events/?format=csv&page_size=100")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert list(rows[0]) == CSV_COLUMNS
    by_slug = {row["slug"]: row for row in rows}
    assert len(rows) == 7  # every published event of the night
    kharkiv = by_slug[KHARKIV]
    assert (kharkiv["killed_min"], kharkiv["killed_max"], kharkiv["killed_at_least"]) == (
        "3",
        "3",
        "false",
    )
    assert (kharkiv["injured_min"], kharkiv["injured_max"], kharkiv["injured_at_least"]) == (
        "60",
        "",
        "true",
    )
    assert kharkiv["missing_min"] == kharkiv["missing_at_least"] == ""  # no figure: empty
    assert (kharkiv["drone_launched"], kharkiv["drone_hit"]) == ("17", "17")
    assert kharkiv["fatalities"] == "3"
    assert "killed" not in kharkiv  # no display strings ("at least 60") to parse
    assert kharkiv["country"] == "UA"
    assert kharkiv["parent"] == "nationwide-drone-wave-june-11"
    assert "Military Forces of Russia (attacker)" in kharkiv["actors"]
    for row in rows:
        assert row["web_url"].endswith(f"/events/{row['slug']}/")
        assert row["api_url"].endswith(f"/api/v1/events/{row['slug']}/")
        assert row["url"] == row["api_url"]


def test_ranges_and_civilian_figures_get_their_own_columns(client, newsroom):
    last = newsroom.kharkiv.casualty_figures.order_by("-as_of").first().as_of
    CasualtyFigure.objects.create(
        event=newsroom.kharkiv,
        kind="killed",
        civilians_only=True,
        minimum=2,
        maximum=4,
        as_of=last + timedelta(hours=1),
    )
    MunitionCount.objects.create(
        event=newsroom.kharkiv,
        munition_type="ballistic_missile",
        launched=2,
        intercepted=1,
        as_of=last + timedelta(hours=1),
    )
    rows = csv_rows(client.get("/api/v1/events/?format=csv&page_size=100"))
    kharkiv = {row["slug"]: row for row in rows}[KHARKIV]
    assert [kharkiv[f"civilian_killed_{end}"] for end in ("min", "max", "at_least")] == [
        "2",
        "4",
        "false",
    ]
    assert kharkiv["killed_min"] == "3"  # the all-people figure stays in its own columns
    ballistic = [kharkiv[f"ballistic_missile_{n}"] for n in ("launched", "intercepted", "hit")]
    assert ballistic == ["2", "1", ""]
    assert kharkiv["drone_launched"] == "17"


def read_csv_as_pandas_would(content: bytes) -> list[dict]:
    """Rows with numbers as numbers, true/false as booleans and times as aware datetimes:
    with pandas when it is installed, else the same reading done with the csv module."""
    if pandas is not None:
        frame = pandas.read_csv(io.BytesIO(content), parse_dates=TIME_COLUMNS)
        for column in TIME_COLUMNS:
            assert str(frame[column].dtype) in ("datetime64[ns, UTC]", "datetime64[us, UTC]")
        assert frame["killed_min"].dtype.kind in "if"  # numbers (float where some are empty)
        frame = frame.astype(object).where(frame.notna(), None)
        return [
            {key: value.to_pydatetime() if key in TIME_COLUMNS else value for key, value in row}
            for row in (r.items() for r in frame.to_dict("records"))
        ]
    from datetime import datetime

    rows = []
    for row in csv.DictReader(io.StringIO(content.decode())):
        parsed = dict(row)
        for column in TIME_COLUMNS:
            parsed[column] = datetime.fromisoformat(row[column])
        for column in FIGURE_COLUMNS + ["fatalities", "latitude", "longitude"]:
            value = row[column]
            if value in ("true", "false"):
                parsed[column] = value == "true"
            else:
                parsed[column] = float(value) if value else None
        rows.append(parsed)
    return rows


@pytest.mark.parametrize(
    "url", ["/api/v1/events/?format=csv&page_size=100", "/api/v1/events.csv?page_size=100"]
)
def test_csv_reads_cleanly_as_a_data_frame_with_utc_times(client, newsroom, url):
    # A data tool's own Accept header (here one that wants JSON) does not override the URL.
    response = client.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv_as_pandas_would(response.content)
    assert len(rows) == 7
    for row in rows:
        for column in TIME_COLUMNS:
            assert row[column].utcoffset() == timedelta(0)  # UTC, whatever the season
    kharkiv = {row["slug"]: row for row in rows}[KHARKIV]
    assert kharkiv["starts_at"].isoformat() == "2025-06-10T22:30:00+00:00"
    assert kharkiv["killed_min"] == 3 and kharkiv["injured_min"] == 60
    assert kharkiv["injured_at_least"] is True and kharkiv["killed_at_least"] is False
    assert kharkiv["injured_max"] is None


def test_csv_cells_cannot_smuggle_spreadsheet_formulas(client, newsroom, editor):
    newsroom.kharkiv.title = '=HYPERLINK("http://evil.example")'
    newsroom.kharkiv.save()
    rows = csv_rows(client.get("/api/v1/events/?format=csv"))
    [row] = [row for row in rows if row["slug"] == newsroom.kharkiv.slug]
    assert row["title"].startswith("'=")
    assert row["latitude"] == "49.9935"  # numbers are never quoted as text


def test_a_refusal_is_a_problem_document_in_every_format(client, newsroom):
    for fmt in ("csv", "geojson"):
        response = client.get(f"/api/v1/events/?format={fmt}&page_size=0")
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert json.loads(response.content)["invalid-params"][0]["name"] == "page_size"


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
