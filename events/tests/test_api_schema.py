"""The OpenAPI schema is valid, describes every parameter, and the API keeps its promises:
a property-based run (schemathesis) finds no 5xx and no response that breaks the schema."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from newsroom.wsgi import application


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


def openapi(client) -> dict:
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi_3(client, db):
    schema = openapi(client)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")


def test_schema_describes_every_filter_and_the_errors(client, db):
    paths = openapi(client)["paths"]
    stories = paths["/api/v1/stories/"]["get"]
    names = {param["name"] for param in stories["parameters"]}
    assert {"q", "published_after", "published_before", "updated_since", "tag", "event"} <= names
    assert {"event_type", "country", "location", "actor", "ordering", "cursor"} <= names
    assert "page_size" in names
    events = paths["/api/v1/events/"]["get"]
    event_names = {param["name"] for param in events["parameters"]}
    assert {"fatalities_min", "occurred_after", "occurred_before", "format"} <= event_names
    for code in ("200", "400", "429"):
        assert code in stories["responses"]
    assert "application/problem+json" in stories["responses"]["400"]["content"]
    assert "application/geo+json" in events["responses"]["200"]["content"]
    assert "/api/v1/tombstones/" in paths


def test_docs_page_loads_only_local_files_under_the_csp(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # no inline script: script-src 'self' stays strict
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_schema_is_built_once_per_process_and_revalidates(client, db, monkeypatch):
    from events.api import schema as served

    served.openapi_document.cache_clear()
    served.rendered_schema.cache_clear()
    builds = []
    build = served.SchemaGenerator.get_schema

    def counted_build(self, **kwargs):
        builds.append(kwargs)
        return build(self, **kwargs)

    monkeypatch.setattr(served.SchemaGenerator, "get_schema", counted_build)
    first = client.get("/api/v1/schema/")
    assert first["Content-Type"] == "application/vnd.oai.openapi; charset=utf-8"
    assert client.get("/api/v1/schema/?format=json").json()["openapi"].startswith("3.")
    again = client.get("/api/v1/schema/")
    assert again.content == first.content
    assert len(builds) == 1
    unchanged = client.get("/api/v1/schema/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304
    assert unchanged["RateLimit"].startswith('"anon";')


def test_schema_names_a_parameter_it_does_not_take(client, db):
    for query in ("?lang=uk", "?format=xml"):
        response = client.get(f"/api/v1/schema/{query}")
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["invalid-params"][0]["name"] in ("lang", "format")


# --- property-based: schemathesis generates requests from the schema --------------------------

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture
def in_process(settings):
    """Serve the WSGI app inside the test's transaction, as Django's test client does: keep the
    connection open between requests, and let the run make as many requests as it likes."""
    settings.NEWSROOM_API_ANON_RATE = "100000/min"
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_breaks_the_api(case, newsroom, in_process):
    # Every check but one: a cursor is opaque, so a random string that the schema allows is
    # still (rightly) refused with a 400 that names it.
    # Identity encoding: this in-process transport does not undo gzip, as HTTP clients do.
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"}, excluded_checks=[positive_data_acceptance]
    )


def test_every_schema_property_says_what_it_is(client, db):
    components = openapi(client)["components"]["schemas"]
    undescribed = [
        f"{name}.{prop}"
        for name, component in components.items()
        for prop, spec in component.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert undescribed == []
