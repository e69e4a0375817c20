"""Errors are RFC 9457 problem documents that name what was wrong; writes answer 405."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


def problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body


def named(body) -> list[str]:
    return [param["name"] for param in body["invalid-params"]]


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/stories/?published_afer=2025-06-01", "published_afer"),
        ("/api/v1/events/?colour=red", "colour"),
        ("/api/v1/stories/some-slug/?page_size=10", "page_size"),  # lists only
        ("/api/v1/briefings/?q=drones", "q"),
    ],
)
def test_unknown_parameter_is_a_400_naming_it(client, newsroom, url, param):
    body = problem(client.get(url), 400)
    assert named(body) == [param]
    assert param in body["detail"]


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/stories/?published_after=yesterday", "published_after"),
        ("/api/v1/stories/?published_before=2025-13-45", "published_before"),
        ("/api/v1/events/?occurred_after=not-a-date", "occurred_after"),
        ("/api/v1/events/?updated_since=2025-06-11T25:00", "updated_since"),
        ("/api/v1/stories/?published_after=0001-01-01T00:00:00%2B05:00", "published_after"),
        ("/api/v1/stories/?published_after=", "published_after"),
        ("/api/v1/events/?fatalities_min=many", "fatalities_min"),
        ("/api/v1/events/?fatalities_min=-1", "fatalities_min"),
        ("/api/v1/events/?fatalities_min=99999999999999999999", "fatalities_min"),
        ("/api/v1/events/?verification_status=rumoured", "verification_status"),
        ("/api/v1/stories/?page_size=101", "page_size"),
        ("/api/v1/stories/?page_size=0", "page_size"),
        ("/api/v1/stories/?page_size=ten", "page_size"),
        ("/api/v1/stories/?cursor=not-a-cursor", "cursor"),
        ("/api/v1/stories/?cursor=cD1ub3QtYS1kYXRl", "cursor"),  # base64 of p=not-a-date
        ("/api/v1/stories/?ordering=headline", "ordering"),
        ("/api/v1/stories/?ordering=-rank", "ordering"),  # rank needs q
        ("/api/v1/events/?format=xml", "format"),
        ("/api/v1/stories/?format=csv", "format"),
        ("/api/v1/stories/?q=%00", "q"),
        ("/api/v1/briefings/?date_after=2025-02-30", "date_after"),
        ("/api/v1/tombstones/", "since"),
        ("/api/v1/tombstones/?since=last-week", "since"),
    ],
)
def test_bad_value_is_a_400_naming_the_parameter(client, newsroom, url, param):
    assert named(problem(client.get(url), 400)) == [param]


def test_unknown_record_is_a_problem_404(client, newsroom):
    problem(client.get("/api/v1/stories/no-such-story/"), 404)
    problem(client.get("/api/v1/events/no-such-event/?format=geojson"), 404)
    problem(client.get("/api/v1/no-such-resource/"), 404)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path",
    ["/api/v1/stories/", "/api/v1/stories/{slug}/", "/api/v1/events/", "/api/v1/briefings/"],
)
def test_writes_answer_405(client, newsroom, method, path):
    url = path.format(slug=newsroom.main.slug)
    response = getattr(client, method)(url, data={"headline": "Hacked"}, content_type="text/plain")
    problem(response, 405)
    assert "POST" not in response["Allow"]
    newsroom.main.refresh_from_db()
    assert newsroom.main.headline != "Hacked"


def test_editor_session_gives_no_write_access(editor_client, newsroom):
    response = editor_client.post(
        "/api/v1/stories/", data='{"headline": "x"}', content_type="application/json"
    )
    problem(response, 405)
