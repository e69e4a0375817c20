"""Anonymous clients are rate limited, told their budget on every response, and told when to
come back once it is spent. The limit is a sliding window: no client gets more than N requests
in any window of the configured length, across every process sharing Redis.

Redis tests use ``NEWSROOM_REDIS_URL`` when it is set, else ``NEWSROOM_TEST_REDIS_URL``, else
a Redis on ``127.0.0.1:6379`` (database 0); each test uses keys of its own and removes them. They
skip when no Redis answers.
"""

import logging
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection

from events.api import throttling
from events.api.ratelimit import MemoryLog, RedisLog, parse_rate
from events.bench.keypoints_latency import database_url as url_of


@pytest.fixture(autouse=True)
def low_rate(settings):
    settings.NEWSROOM_API_ANON_RATE = "3/min"


def redis_url() -> str:
    url = (
        django_settings.NEWSROOM_REDIS_URL
        or os.environ.get("NEWSROOM_TEST_REDIS_URL")
        or "redis://127.0.0.1:6379/0"
    )
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {url}: {error}")
    return url


class Clock:
    """A clock the test moves by hand: a minute passes without waiting for it."""

    def __init__(self, at: float = 1_750_000_000.0):
        self.at = at

    def __call__(self) -> float:
        return self.at


@pytest.fixture(params=["memory", "redis"])
def log(request):
    """The sliding log, in this process's memory and in Redis, on a clock the test moves."""
    clock = Clock()
    if request.param == "memory":
        store = MemoryLog(clock)
    else:
        store = RedisLog(redis_url(), prefix=f"test:{secrets.token_hex(6)}:", clock=clock)
    store.at = clock
    yield store
    store.clear()


@pytest.fixture
def api_log(log, monkeypatch):
    """The API's own limiter replaced by ``log``, so requests run on the test's clock."""
    monkeypatch.setattr(throttling, "get_limiter", lambda: log)
    return log


# --- headers and refusals ------------------------------------------------------------------


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


def test_the_schema_spends_the_same_budget(client, db):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert schema["RateLimit-Policy"] == '"anon";q=3;w=60'
    assert schema["RateLimit"].startswith('"anon";r=2;')
    client.get("/api/v1/stories/")
    client.get("/api/v1/schema/?format=json")
    refused = client.get("/api/v1/schema/?format=json")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["title"] == "Too many requests"


# --- a sliding window, not a fixed one -------------------------------------------------------


def test_a_second_full_batch_just_after_a_minute_boundary_is_refused(client, newsroom, api_log):
    # A fixed one-minute window would start afresh at 60 s and let the second batch through:
    # 2N requests in six seconds.
    start = api_log.at.at
    for second in (57, 58, 59):
        api_log.at.at = start + second
        assert client.get("/api/v1/stories/").status_code == 200
    for second in (61, 62, 63):
        api_log.at.at = start + second
        assert client.get("/api/v1/stories/").status_code == 429


def test_retry_after_says_when_the_oldest_request_leaves_the_window(client, newsroom, api_log):
    start = api_log.at.at
    for second in (0, 20, 40):
        api_log.at.at = start + second
        assert client.get("/api/v1/stories/").status_code == 200
    api_log.at.at = start + 50
    refused = client.get("/api/v1/stories/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "10"
    assert refused["RateLimit"] == '"anon";r=0;t=10'
    api_log.at.at = start + 59.5  # knocking while refused costs nothing...
    assert client.get("/api/v1/stories/")["Retry-After"] == "1"
    api_log.at.at = start + 60  # ...and the client is back in exactly when it was told
    admitted = client.get("/api/v1/stories/")
    assert admitted.status_code == 200
    assert admitted["RateLimit"] == '"anon";r=0;t=20'  # the next to leave came at 20 s
    api_log.at.at = start + 61
    assert client.get("/api/v1/stories/")["Retry-After"] == "19"


def test_no_window_ever_holds_more_than_the_limit(log):
    limit, window = parse_rate("10/30s")
    rng = random.Random(9)
    moments = sorted(rng.uniform(0, 300) for _ in range(600))
    start, admitted = log.at.at, []
    for moment in moments:
        log.at.at = start + moment
        decision = log.hit("client", limit, window)
        recent = [a for a in admitted if a > moment - window]
        # admitted exactly when fewer than the limit came in the window before it
        assert decision.allowed == (len(recent) < limit), moment
        if decision.allowed:
            admitted.append(moment)
        else:
            assert decision.reset == pytest.approx(recent[0] + window - moment, abs=1e-5)
    assert len(admitted) > 300 // 30 * limit * 0.9  # the limit was reached, and often
    for i, first in enumerate(admitted):
        assert len([a for a in admitted[i:] if a < first + window]) <= limit


def test_clients_have_logs_of_their_own(log):
    assert [log.hit("a", 2, 60).allowed for _ in range(3)] == [True, True, False]
    assert log.hit("b", 2, 60).allowed


# --- configuration and failure ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [
        ("120/min", (120, 60)),
        ("30/10s", (30, 10)),
        ("1000/hour", (1000, 3600)),
        ("5/day", (5, 86400)),
    ],
)
def test_rates_read_as_requests_per_period(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["120", "120/ms", "120/0s", "120/monkey", "many/min"])
def test_a_rate_that_is_not_one_is_refused_with_the_syntax(rate):
    with pytest.raises(ValueError, match="e.g. 120/min, 30/10s"):
        parse_rate(rate)


def test_a_short_window_is_configured_like_any_other(client, newsroom, settings):
    settings.NEWSROOM_API_ANON_RATE = "2/10s"
    client.get("/api/v1/stories/")
    client.get("/api/v1/stories/")
    refused = client.get("/api/v1/stories/")
    assert refused.status_code == 429
    assert refused["RateLimit-Policy"] == '"anon";q=2;w=10'
    assert 1 <= int(refused["Retry-After"]) <= 10


def test_without_redis_the_api_limits_per_process_and_says_why(client, newsroom, settings, caplog):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.NEWSROOM_REDIS_URL = f"redis://127.0.0.1:{port}/0"
    with caplog.at_level(logging.WARNING, logger="events.api.ratelimit"):
        statuses = [client.get("/api/v1/stories/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Redis unreachable" in caplog.text
    assert "limiting per process" in caplog.text


# --- two processes, one budget -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_until_up(base: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            get(f"{base}/api/v1/up", {})  # an unknown API path: a 404, unthrottled
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer at {base}")


@pytest.mark.integration
def test_the_limit_holds_across_two_processes_sharing_redis(db, tmp_path):
    """Two gunicorn servers (one worker each) on one Redis: the client's requests alternate
    between them, and together they admit the limit, not twice it."""
    url = redis_url()
    limit = 10
    # A client address of its own (through the proxy header): its log is this test's alone.
    address = f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"
    env = {
        **os.environ,
        "DATABASE_URL": url_of(connection.settings_dict),  # the test database
        "DJANGO_DEBUG": "1",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "NEWSROOM_REDIS_URL": url,
        "NEWSROOM_API_ANON_RATE": f"{limit}/min",
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    servers, bases = [], []
    for n in range(2):
        port = free_port()
        log = open(tmp_path / f"gunicorn-{n}.log", "w")  # noqa: SIM115
        servers.append(
            subprocess.Popen(
                [gunicorn, "newsroom.wsgi:application", "-c", "newsroom/gunicorn.conf.py"]
                + ["--workers", "1", "--bind", f"127.0.0.1:{port}"],
                cwd=django_settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, server in zip(bases, servers, strict=True):
            wait_until_up(base, server)
        targets = [bases[n % 2] + "/api/v1/stories/" for n in range(3 * limit)]
        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(lambda u: get(u, {"X-Forwarded-For": address}), targets))
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        redis.Redis.from_url(url).delete(f"newsroom:ratelimit:anon:{address}")
    logs = "".join(path.read_text() for path in tmp_path.glob("gunicorn-*.log"))
    assert set(statuses) <= {200, 429}, logs
    assert statuses.count(200) == limit, statuses
    by_server = [statuses[n::2].count(200) for n in range(2)]
    assert all(by_server), by_server  # both processes admitted some: the budget was shared
