"""API benchmark: the public API under gunicorn against a plain-Django baseline, same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom python -m events.bench.api \
        [--stories 100000 --events 20000 --requests 600 --concurrency 4]

Uses its own database, ``<name>_bench`` next to the one in DATABASE_URL (or
BENCH_DATABASE_URL), creates and migrates it, and loads the synthetic corpus once (later runs
reuse it). Starts gunicorn on loopback with production settings, then runs the load generator
(``events.bench.load``) in separate processes. Reports requests per second and p50/p99 for each
scenario beside the baseline (``events.bench.urls``), and the cost of cursor page 500 against
page 1. Without a PostgreSQL DATABASE_URL it says so and exits cleanly.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable


def bench_database_url() -> str | None:
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        return explicit
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_bench"))


def ensure_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def published_stories(url: str) -> tuple[int, int]:
    with psycopg.connect(url) as connection:
        stories = connection.execute(
            "SELECT count(*) FROM events_story WHERE state = 'published'"
        ).fetchone()[0]
        events = connection.execute(
            "SELECT count(*) FROM events_event WHERE state = 'published'"
        ).fetchone()[0]
        connection.execute("ANALYZE")
    return stories, events


def load(url: str, requests: int, concurrency: int, headers: dict | None = None) -> dict:
    command = [PY, "-m", "events.bench.load", url, "--requests", str(requests)]
    command += ["--concurrency", str(concurrency)]
    for name, value in (headers or {}).items():
        command += ["--header", f"{name}: {value}"]
    output = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(output.stdout)


def get(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers, json.loads(response.read() or b"null")


def free_port() -> int:
    # Other processes on this machine may hold the usual ports; never talk to someone else's.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url} within {seconds:.0f}s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=0, help="default: any free port")
    args = parser.parse_args()

    database = bench_database_url()
    if database is None:
        print("API bench skipped: set DATABASE_URL to a PostgreSQL URL (the bench uses its own "
              "'<name>_bench' database next to it), or BENCH_DATABASE_URL.")  # fmt: skip
        return 0
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "api-bench-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        # The throttle runs on every request, but with a budget the bench cannot exhaust.
        "NEWSROOM_API_ANON_RATE": "100000000/min",
    }
    print(f"== API bench on {urlsplit(database).path.lstrip('/')}")
    ensure_database(database)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")  # served as in production, by WhiteNoise
    stories, events = published_stories(database)
    if stories < args.stories or events < args.events:
        started = time.monotonic()
        out = manage(
            env,
            "load_sample_corpus",
            "--stories",
            str(max(0, args.stories - stories)),
            "--events",
            str(max(1, args.events - events)),
        )
        print(f"corpus: {out.strip()} (wall {time.monotonic() - started:.1f}s)")
        stories, events = published_stories(database)
    print(f"corpus: {stories} published stories, {events} published events")

    args.port = args.port or free_port()
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "events.bench.wsgi:application",
         "--config", "newsroom/gunicorn.conf.py",
         "--workers", str(args.workers), "--bind", f"127.0.0.1:{args.port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_for(f"{base}/api/v1/stories/?page_size=1")
        if server.poll() is not None:
            raise SystemExit(f"gunicorn could not start on port {args.port}")
        return run_scenarios(base, args)
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_scenarios(base: str, args) -> int:
    _, first_page = get(f"{base}/api/v1/stories/")
    slug = first_page["results"][0]["slug"]
    week_ago = quote((datetime.now(UTC) - timedelta(days=7)).isoformat())
    filtered = f"tag=energy&published_after={week_ago}"
    search = "q=drones%20injured"
    headers, _ = get(f"{base}/api/v1/stories/")
    etag = headers["ETag"]
    scenarios = [
        ("stories list", "/api/v1/stories/", "/bench/baseline/stories/", None),
        ("filtered list", f"/api/v1/stories/?{filtered}", f"/bench/baseline/stories/?{filtered}",
         None),
        ("search", f"/api/v1/stories/?{search}", f"/bench/baseline/stories/?{search}", None),
        ("detail", f"/api/v1/stories/{slug}/", f"/bench/baseline/stories/{slug}/", None),
        ("events list", "/api/v1/events/", "/bench/baseline/events/", None),
        ("304 revalidation", "/api/v1/stories/", "/bench/baseline/stories/",
         {"If-None-Match": etag}),
    ]  # fmt: skip
    n, c = args.requests, args.concurrency
    print(f"\n{n} requests per scenario, {c} concurrent clients, gunicorn {args.workers} workers")
    print(f"{'scenario':18} {'API rps':>8} {'base rps':>9} {'ratio':>6} "
          f"{'API p50':>8} {'API p99':>8} {'base p50':>9} {'base p99':>9}  statuses")  # fmt: skip
    results = {}
    for name, api_path, baseline_path, headers in scenarios:
        baseline = load(base + baseline_path, n, c)
        api = load(base + api_path, n, c, headers)
        results[name] = (api, baseline)
        print(
            f"{name:18} {api['rps']:8.1f} {baseline['rps']:9.1f} "
            f"{api['rps'] / baseline['rps']:6.2f} {api['p50_ms']:7.1f}ms {api['p99_ms']:7.1f}ms "
            f"{baseline['p50_ms']:8.1f}ms {baseline['p99_ms']:8.1f}ms  {api['statuses']}"
        )

    # Cursor depth: follow `next` to page 500, then time page 1 and page 500 alike.
    url, pages = f"{base}/api/v1/stories/", 1
    while pages < 500:
        _, body = get(url)
        if not body["next"]:
            break
        url, pages = body["next"], pages + 1
    # Alternate short rounds of each, so that a change in the machine's load hits both alike.
    first_p50s, deep_p50s = [], []
    for _ in range(6):
        first_p50s.append(load(f"{base}/api/v1/stories/", n // 12, 1)["p50_ms"])
        deep_p50s.append(load(url, n // 12, 1)["p50_ms"])
    first_p50, deep_p50 = statistics.median(first_p50s), statistics.median(deep_p50s)
    depth_ratio = deep_p50 / first_p50
    print(f"\ncursor page {pages}: p50 {deep_p50:.1f}ms vs page 1 {first_p50:.1f}ms "
          f"= {depth_ratio:.2f}x (one client, median of 6 alternating rounds)")  # fmt: skip

    list_ratio = results["stories list"][0]["rps"] / results["stories list"][1]["rps"]
    checks = [
        (f"list throughput {list_ratio:.2f}x baseline (target >= 0.70)", list_ratio >= 0.7),
        *(
            (f"{name} p99 {results[name][0]['p99_ms']:.1f}ms (target < 50ms)",
             results[name][0]["p99_ms"] < 50)
            for name in ("stories list", "filtered list", "detail", "events list")
        ),
        (f"page {pages} at {depth_ratio:.2f}x page 1 (target <= 1.20)", depth_ratio <= 1.2),
    ]  # fmt: skip
    print()
    for label, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {label}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
