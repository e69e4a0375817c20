"""Anonymous clients are rate limited, told their budget on every response, and told when to
come back once it is spent."""

import re

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def low_rate(settings):
    cache.clear()
    settings.NEWSROOM_API_ANON_RATE = "3/min"
    yield
    cache.clear()


def test_every_response_carries_the_rate_limit(client, newsroom):
    response = client.get("/api/v1/stories/")
    assert response["RateLimit-Policy"] == '"anon";q=3;w=60'
    assert re.fullmatch(r'"anon";r=2;t=\d+', response["RateLimit"])
    assert client.get("/api/v1/events/")["RateLimit"].startswith('"anon";r=1;')


def test_over_the_limit_is_a_429_with_retry_after(client, newsroom):
    for _ in range(3):
        assert client.get("/api/v1/briefings/").status_code == 200
    refused = client.get("/api/v1/briefings/")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["RateLimit"].startswith('"anon";r=0;')
    assert refused.json()["title"] == "Too many requests"


def test_clients_are_limited_separately(client, newsroom):
    for _ in range(4):
        client.get("/api/v1/stories/", REMOTE_ADDR="10.0.0.1")
    assert client.get("/api/v1/stories/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get("/api/v1/stories/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_forged_forwarded_for_does_not_reset_the_budget(client, newsroom):
    for n in range(3):
        client.get("/api/v1/stories/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert client.get("/api/v1/stories/", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_feeds_share_the_api_budget(client, newsroom):
    response = client.get("/api/v1/feeds/stories.rss")
    assert response.status_code == 200
    assert re.fullmatch(r'"anon";r=2;t=\d+', response["RateLimit"])
    client.get("/api/v1/stories/")
    client.get("/api/v1/feeds/briefings.json")
    refused = client.get("/api/v1/feeds/stories.atom")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["title"] == "Too many requests"
