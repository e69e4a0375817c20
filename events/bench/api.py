"""API bench: the public API under gunicorn against the practical limit, measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom python -m events.bench.api \\
        [--stories 100000 --events 20000 --seconds 10 --clients 4 --workers 2]

Redis is ``NEWSROOM_REDIS_URL``, else one at 127.0.0.1:6379 if it answers (as in production:
the throttle, the cache, and the broker of the bench's own Celery queue).

What it sets up:

- its own database, ``<name>_bench`` next to the one in DATABASE_URL (or BENCH_DATABASE_URL),
  created, migrated (every run: the schema follows the code) and loaded once with the
  synthetic corpus (``load_sample_corpus``; later runs reuse it). When the stored public
  documents exist and fewer are live than records are published (a new migration, a
  corpus from before them), or the code that builds them changed since, it runs
  ``rebuild_published`` first; then ``VACUUM (ANALYZE)``, the steady state autovacuum keeps;
- gunicorn with production settings (DEBUG off) and ``--workers`` workers on loopback, the
  real app plus the baselines of ``events.bench.urls``;
- load from ``wrk`` (C, not Python, so the generator is not the bottleneck) with ``--clients``
  connections, through ``events/bench/wrk.lua``, which reports rps, p50/p99 and statuses.

What it measures, each figure beside what it is judged against:

- stories list, filtered list (``?tag=&published_after=``), search (``?q=``), story detail and
  events list, against a bare Django view in the same gunicorn that lets PostgreSQL build the
  same page's JSON in one statement: from the stored documents' texts once they exist
  (``/bench/documents/...``), else from the working tables (``/bench/tables/...``);
- a 304 revalidation (``If-None-Match`` with the list's ETag) against the API's own 200;
  each pair in alternating rounds, so that a change in the machine's load hits both alike;
- cursor page 500 against page 1, and the change feed's page 1,000 against its page 1
  (``next`` links walked to get there);
- publish -> document stored and in the change feed (``Story.publish`` in another process,
  polling ``/api/v1/changes/``), and a tag used by 10,000 stories renamed -> every document
  rebuilt (``events.bench.publication``, with a Celery worker of the bench's own).

A scenario whose part of the API does not exist yet says so and is skipped. Without a
PostgreSQL DATABASE_URL, or without wrk (Debian/Ubuntu: ``apt-get install wrk``), it says so
and exits 0. Targets are those of the publication-layer issue; the run exits 0 either way.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
WRK_SCRIPT = Path(__file__).with_name("wrk.lua")
SERVER_LOG = ROOT / "var" / "bench-api-gunicorn.log"
WORKER_LOG = ROOT / "var" / "bench-api-celery.log"


# --- the database -------------------------------------------------------------------------------


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


def manage(env: dict, *args: str, progress: bool = False) -> str:
    """Run a management command; its output, or exit saying why it failed. With ``progress``
    its stderr (a progress bar) goes to the terminal as it runs."""
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE,
        stderr=None if progress else subprocess.PIPE,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(
            f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr or ''}"
        )
    return result.stdout


def query(url: str, sql: str, params: list | None = None):
    """The first row of ``sql``'s answer (None for a statement that answers no rows)."""
    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(sql, params or [])
        return cursor.fetchone() if cursor.description else None


def has_table(url: str, table: str) -> bool:
    return query(url, "SELECT to_regclass(%s) IS NOT NULL", [table])[0]


def published_counts(url: str) -> tuple[int, int]:
    return query(
        url,
        "SELECT (SELECT count(*) FROM events_story WHERE state = 'published'),"
        " (SELECT count(*) FROM events_event WHERE state = 'published')",
    )


def live_documents(url: str) -> tuple[int, int]:
    return query(
        url,
        "SELECT count(*) FILTER (WHERE kind = 'story'), count(*) FILTER (WHERE kind = 'event')"
        " FROM events_publicdocument WHERE status = 'live'",
    )


def migration_files() -> dict[str, str]:
    """The app's migrations by name, each with a hash of its file."""
    return {
        path.stem: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((ROOT / "events" / "migrations").glob("[0-9]*.py"))
    }


def follow_migrations(env: dict, database: str) -> None:
    """Migrate; first unapply any migration whose file changed since this database applied it.

    While a feature is developed its migration may be regenerated under the same name, and
    ``migrate`` would then take the database for current. The bench remembers each applied
    file's hash (in a table of its own) and goes back to before the earliest changed one.
    """
    query(database, "CREATE TABLE IF NOT EXISTS bench_applied_migration"
                    " (name text PRIMARY KEY, sha256 text NOT NULL)")  # fmt: skip
    files = migration_files()
    with psycopg.connect(database, autocommit=True) as connection:
        recorded = dict(connection.execute("SELECT name, sha256 FROM bench_applied_migration"))
    changed = sorted(name for name, sha in recorded.items() if files.get(name) != sha)
    if changed:
        names = sorted(files)
        earlier = [name for name in names if name < changed[0]]
        target = earlier[-1] if earlier else "zero"
        print(f"migrations changed since this database applied them: {', '.join(changed)}; "
              f"migrating events back to {target}")  # fmt: skip
        try:
            manage(env, "migrate", "events", target, "--noinput")
        except SystemExit as failure:
            name = urlsplit(database).path.lstrip("/")
            raise SystemExit(f"{failure}\nCould not go back; drop the bench database and run "
                             f"again: dropdb -h HOST -U USER {name}") from None  # fmt: skip
    out = manage(env, "migrate", "--noinput")
    applied = [line.split("Applying ", 1)[1] for line in out.splitlines() if "Applying " in line]
    if applied:
        print(f"migrated: {', '.join(name.removesuffix('... OK') for name in applied)}")
    with psycopg.connect(database, autocommit=True) as connection:
        applied = [name for (name,) in connection.execute(
            "SELECT name FROM django_migrations WHERE app = 'events'")]  # fmt: skip
        connection.execute("DELETE FROM bench_applied_migration")
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO bench_applied_migration VALUES (%s, %s)",
                [(name, files[name]) for name in applied if name in files],
            )


def publication_code() -> str:
    """A hash of the code that builds documents: when it changes, stored ones may be stale."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "events" / "publication").rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def bench_state(database: str, key: str, value: str | None = None) -> str | None:
    """What the bench remembers about its database: read ``key``, or set it to ``value``."""
    query(database, "CREATE TABLE IF NOT EXISTS bench_state (key text PRIMARY KEY, value text)")
    if value is not None:
        upsert = "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        query(database, f"INSERT INTO bench_state VALUES (%s, %s) {upsert}", [key, value])
        return value
    row = query(database, "SELECT value FROM bench_state WHERE key = %s", [key])
    return row[0] if row else None


def prepare(env: dict, database: str, args) -> bool:
    """Migrate, load the corpus if short, build documents if missing. True when the stored
    documents exist (the publication layer is in)."""
    ensure_database(database)
    follow_migrations(env, database)
    manage(env, "collectstatic", "--noinput")  # served as in production, by WhiteNoise
    stories, events = published_counts(database)
    if stories < args.stories or events < args.events:
        started = time.monotonic()
        out = manage(
            env,
            "load_sample_corpus",
            "--stories",
            str(max(0, args.stories - stories)),
            "--events",
            str(max(1, args.events - events)),
            progress=True,
        )
        print(f"corpus: {out.strip()} (wall {time.monotonic() - started:.1f}s)")
        stories, events = published_counts(database)
    documents = has_table(database, "events_publicdocument")
    line = f"corpus: {stories} published stories, {events} published events"
    if documents:
        live = live_documents(database)
        builders = publication_code()
        why = ""
        if live != (stories, events):
            why = (f"{live[0]} live story and {live[1]} live event documents for {stories} and "
                   f"{events} published records")  # fmt: skip
        elif bench_state(database, "publication code") != builders:
            why = "the publication code changed since they were built"
        if why:
            print(f"documents: {why}: rebuild_published")
            started = time.monotonic()
            manage(env, "rebuild_published", progress=True)
            print(f"documents rebuilt in {time.monotonic() - started:.1f}s")
            bench_state(database, "publication code", builders)
            live = live_documents(database)
        line += f"; live documents: {live[0]} stories, {live[1]} events"
    print(line)
    # Steady state, as autovacuum keeps a live database: statistics for the planner, and no
    # dead row versions from a rebuild or an earlier run's renames in the indexes' way.
    query(database, "VACUUM (ANALYZE)")
    return documents


# --- HTTP ---------------------------------------------------------------------------------------


def get(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers, json.loads(response.read() or b"null")


def status_of(url: str) -> int:
    try:
        return get(url)[0]
    except urllib.error.HTTPError as error:
        return error.code


def free_port() -> int:
    # Other processes on this machine may hold the usual ports; never talk to someone else's.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(server: subprocess.Popen, url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}: see {SERVER_LOG}")


def wrk(url: str, seconds: int, clients: int, headers: dict | None = None) -> dict:
    """One wrk run: rps, latency percentiles (ms) and the answers' statuses."""
    command = ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{seconds}s",
               "--timeout", "10s", "-s", str(WRK_SCRIPT)]  # fmt: skip
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK-RESULT "))
    result = json.loads(line.removeprefix("WRK-RESULT "))
    result["statuses"] = {int(status): n for status, n in result["statuses"].items()}
    return result


def alternate(
    first: str,
    second: str,
    args,
    first_headers: dict | None = None,
    second_headers: dict | None = None,
    rounds: int = 2,
) -> tuple[dict, dict]:
    """Two URLs measured in alternating rounds (``--seconds`` in all for each, after a warm-up
    of each), so that a change in the machine's load meanwhile hits both alike. Returns the
    totals of each: rps over all rounds, the median of the rounds' p50 and p99."""
    wrk(first, args.warmup, args.clients, first_headers)
    wrk(second, args.warmup, args.clients, second_headers)
    seconds = max(1, round(args.seconds / rounds))
    runs: tuple[list, list] = ([], [])
    for _ in range(rounds):
        runs[0].append(wrk(first, seconds, args.clients, first_headers))
        runs[1].append(wrk(second, seconds, args.clients, second_headers))
    return combined(runs[0]), combined(runs[1])


def combined(runs: list[dict]) -> dict:
    statuses: dict[int, int] = {}
    for run in runs:
        for status, n in run["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
    requests = sum(run["requests"] for run in runs)
    seconds = sum(run["seconds"] for run in runs)
    return {
        "requests": requests,
        "seconds": seconds,
        "rps": requests / seconds,
        "p50_ms": statistics.median(run["p50_ms"] for run in runs),
        "p99_ms": statistics.median(run["p99_ms"] for run in runs),
        "statuses": statuses,
        "socket_errors": sum(run["socket_errors"] for run in runs),
    }


def walk(url: str, pages: int, next_of=lambda body: body.get("next")) -> tuple[str, int]:
    """Follow ``next`` links from ``url``: the URL of page ``pages`` (or of the last page)."""
    page = 1
    while page < pages:
        _, _, body = get(url)
        following = next_of(body)
        if not following:
            break
        url, page = following, page + 1
    return url, page


# --- the run ------------------------------------------------------------------------------------


class Report:
    """The figures table and the targets, printed as they come in."""

    def __init__(self) -> None:
        self.verdicts: list[tuple[str, bool | None, str]] = []

    def header(self, args) -> None:
        print(f"\nwrk: {args.clients} connections; each pair in 2 alternating rounds, "
              f"{args.seconds}s in all for each after {args.warmup}s of warm-up; gunicorn "
              f"{args.workers} workers; ratio = API rps / baseline rps; p50 and p99 are the "
              "rounds' median\n")  # fmt: skip
        print(f"{'scenario':22} {'API rps':>8} {'base rps':>9} {'ratio':>6} {'target':>7} "
              f"{'API p50':>8} {'API p99':>8} {'p99 max':>8} {'base p50':>9} {'base p99':>9}"
              f"  statuses (API / base)")  # fmt: skip

    def row(
        self, name: str, api: dict, base: dict, target: float | None, p99_max: float | None,
        expected: int = 200,
    ):  # fmt: skip
        ratio = api["rps"] / base["rps"]
        print(
            f"{name:22} {api['rps']:8.1f} {base['rps']:9.1f} {ratio:6.2f} "
            f"{'>=' + format(target, '.1f') if target else '':>7} "
            f"{api['p50_ms']:6.1f}ms {api['p99_ms']:6.1f}ms "
            f"{'<' + format(p99_max, '.0f') + 'ms' if p99_max else '':>8} "
            f"{base['p50_ms']:7.1f}ms {base['p99_ms']:7.1f}ms  "
            f"{statuses(api)} / {statuses(base)}"
        )
        for label, result, want in (("API", api, expected), ("baseline", base, 200)):
            if set(result["statuses"]) != {want} or result.get("socket_errors"):
                self.check(f"{name}: the {label} answered {statuses(result)}, not only {want}: "
                           "its figures are not comparable", False)  # fmt: skip
        if target:
            self.check(f"{name}: {ratio:.2f}x its baseline (target >= {target:.1f}x)",
                       ratio >= target)  # fmt: skip
        if p99_max:
            self.check(f"{name}: p99 {api['p99_ms']:.1f}ms (target < {p99_max:.0f}ms)",
                       api["p99_ms"] < p99_max)  # fmt: skip

    def check(self, label: str, ok: bool | None, why: str = "") -> None:
        self.verdicts.append((label, ok, why))

    def skip(self, label: str, why: str) -> None:
        print(f"{label}: skipped ({why})")
        self.check(label, None, why)

    def summary(self) -> None:
        print("\ntargets:")
        for label, ok, why in self.verdicts:
            mark = {True: "ok", False: "MISSED", None: "skipped"}[ok]
            print(f"  [{mark:7}] {label}{f' ({why})' if ok is None else ''}")
        met = sum(ok is True for _, ok, _ in self.verdicts)
        missed = sum(ok is False for _, ok, _ in self.verdicts)
        skipped = sum(ok is None for _, ok, _ in self.verdicts)
        print(f"  {met} met, {missed} missed, {skipped} skipped")


def statuses(result: dict) -> str:
    text = ",".join(f"{status}:{n}" for status, n in sorted(result["statuses"].items()))
    return text + (f" sock-err:{result['socket_errors']}" if result.get("socket_errors") else "")


def run_scenarios(base: str, database: str, documents: bool, env: dict, args) -> None:
    report = Report()
    source = args.baselines or ("documents" if documents else "tables")
    if source == "documents" and not documents:
        source = "tables"
        print("\n(no stored documents yet: the baselines read the working tables)")
    baseline = f"{base}/bench/{source}"
    described = {"documents": "stored documents (item/body texts)", "tables": "working tables"}
    print(f"\nbaselines: one SQL statement per response, from the {described[source]}")
    _, headers, first_page = get(f"{base}/api/v1/stories/")
    slug = first_page["results"][0]["slug"]
    # "Since a date" halfway down the corpus, whenever it was loaded.
    since = query(
        database,
        "SELECT to_char(last_published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        " FROM events_story WHERE state = 'published'"
        " ORDER BY last_published_at DESC OFFSET %s LIMIT 1",
        [args.stories // 2],
    )[0]
    filtered = f"tag=energy&published_after={quote(since)}"
    search = "q=drones%20injured"
    scenarios = [
        ("stories list", "/api/v1/stories/", "/stories/", 1.0, 30),
        ("filtered list", f"/api/v1/stories/?{filtered}", f"/stories/?{filtered}", 0.7, 50),
        ("search", f"/api/v1/stories/?{search}", f"/stories/?{search}", 0.7, 50),
        ("story detail", f"/api/v1/stories/{slug}/", f"/stories/{slug}/", 1.0, 30),
        ("events list", "/api/v1/events/", "/events/", None, 50),
    ]  # fmt: skip
    report.header(args)
    for name, api_path, baseline_path, target, p99_max in scenarios:
        base_result, api_result = alternate(baseline + baseline_path, base + api_path, args)
        report.row(name, api_result, base_result, target, p99_max)

    # 304: the API's own 200 on the same URL is the baseline, measured next to it.
    _, headers, _ = get(f"{base}/api/v1/stories/")
    etag = headers.get("ETag")
    if etag:
        stories = f"{base}/api/v1/stories/"
        revalidated, full = alternate(stories, stories, args, {"If-None-Match": etag})
        report.row("304 vs API's 200", revalidated, full, 2.0, None, expected=304)
    else:
        report.skip("304 revalidation", "the stories list sends no ETag")

    depth(report, base, args)
    changes_depth(report, base, args)
    publication_scenarios(report, base, database, documents, env, args)
    report.summary()


def depth(report: Report, base: str, args) -> None:
    """Cursor page 500 against page 1: the same work whatever the depth."""
    started = time.monotonic()
    deep, pages = walk(f"{base}/api/v1/stories/", 500)
    walked = time.monotonic() - started
    first, last = alternate(f"{base}/api/v1/stories/", deep, args)
    ratio = first["rps"] / last["rps"]  # time per request, page 500 over page 1
    print(f"\ncursor page {pages} (walked in {walked:.0f}s): {last['rps']:.1f} rps, p50 "
          f"{last['p50_ms']:.1f}ms, p99 {last['p99_ms']:.1f}ms; page 1: {first['rps']:.1f} rps, "
          f"p50 {first['p50_ms']:.1f}ms, p99 {first['p99_ms']:.1f}ms; page {pages} costs "
          f"{ratio:.2f}x page 1  ({statuses(last)})")  # fmt: skip
    report.check(f"cursor page {pages}: {ratio:.2f}x page 1 (target <= 1.1x)",
                 ratio <= 1.1 and pages == 500)  # fmt: skip


def changes_depth(report: Report, base: str, args) -> None:
    feed = f"{base}/api/v1/changes/?after=0"
    if status_of(feed) != 200:
        report.skip("change feed page 1,000", "no /api/v1/changes/ yet")
        return
    started = time.monotonic()
    # The feed always gives ``next`` (to poll again later): its end is an empty page.
    deep, pages = walk(feed, 1000, lambda body: body["next"] if body["results"] else None)
    walked = time.monotonic() - started
    first, last = alternate(feed, deep, args)
    ratio = first["rps"] / last["rps"]
    print(f"change feed page {pages} (walked in {walked:.0f}s): {last['rps']:.1f} rps, p50 "
          f"{last['p50_ms']:.1f}ms, p99 {last['p99_ms']:.1f}ms; page 1: {first['rps']:.1f} rps, "
          f"p50 {first['p50_ms']:.1f}ms, p99 {first['p99_ms']:.1f}ms; page {pages} costs "
          f"{ratio:.2f}x page 1  ({statuses(last)})")  # fmt: skip
    why = "" if pages == 1000 else f" (the feed has only {pages} pages)"
    report.check(f"change feed page {pages}: {ratio:.2f}x page 1 (target <= 1.1x){why}",
                 ratio <= 1.1 and pages == 1000)  # fmt: skip


def publication_scenarios(report, base, database, documents, env, args) -> None:
    if not documents:
        report.skip("publish -> in change feed", "no stored documents yet")
        report.skip("tag rename -> documents rebuilt", "no stored documents yet")
        return
    if not env.get("NEWSROOM_REDIS_URL"):
        why = "set NEWSROOM_REDIS_URL: the target is with Redis and PostgreSQL"
        report.skip("publish -> in change feed", why)
        report.skip("tag rename -> documents rebuilt", why)
        return
    worker = start_worker(env)
    try:
        print()
        if status_of(f"{base}/api/v1/changes/?after=0") != 200:
            report.skip("publish -> in change feed", "no /api/v1/changes/ yet")
        else:
            result = run_json(env, "publish", "--base", base, "--count", str(args.publishes))
            print(f"publish -> in change feed: {result['count']} stories, p50 "
                  f"{result['p50_s'] * 1000:.0f}ms, p95 {result['p95_s'] * 1000:.0f}ms, max "
                  f"{result['max_s'] * 1000:.0f}ms")  # fmt: skip
            report.check(f"publish -> document stored and in the change feed: p95 "
                         f"{result['p95_s'] * 1000:.0f}ms (target < 1s)",
                         result["p95_s"] < 1.0)  # fmt: skip
        result = run_json(env, "rename", "--stories", str(args.tagged))
        if "skipped" in result:
            report.skip("tag rename -> documents rebuilt", result["skipped"])
        else:
            print(f"tag rename: '{result['tag']}' on {result['stories']} live stories -> all "
                  f"their documents rebuilt in {result['seconds']:.1f}s "
                  f"(renamed back in {result['back_seconds']:.1f}s)")  # fmt: skip
            report.check(f"rename a tag on {result['stories']} stories -> documents rebuilt in "
                         f"{result['seconds']:.1f}s (target < 60s)",
                         result["complete"] and result["seconds"] < 60)  # fmt: skip
    finally:
        stop(worker)


def start_worker(env: dict) -> subprocess.Popen:
    """A Celery worker of the bench's own queue, for whatever the publication layer queues."""
    WORKER_LOG.parent.mkdir(exist_ok=True)
    log = open(WORKER_LOG, "a")  # noqa: SIM115
    return subprocess.Popen(
        [str(Path(PY).parent / "celery"), "-A", "newsroom", "worker", "--loglevel", "warning",
         "--concurrency", "1", "--queues", env["CELERY_TASK_DEFAULT_QUEUE"], "--without-gossip",
         "--without-mingle"],
        cwd=ROOT, env={**env, "REMAP_SIGTERM": "SIGQUIT"}, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def run_json(env: dict, *args: str) -> dict:
    result = subprocess.run(
        [PY, "-m", "events.bench.publication", *args], cwd=ROOT, env=env, capture_output=True,
        text=True,
    )  # fmt: skip
    if result.returncode != 0:
        return {"skipped": f"failed: {result.stderr.strip().splitlines()[-1:]}"}
    return json.loads(result.stdout.strip().splitlines()[-1])


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def local_redis(url: str = "redis://127.0.0.1:6379/0") -> str:
    """``url`` if a Redis answers there (as production has one), else ""."""
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.RedisError:
        return ""
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=10, help="per wrk measurement")
    parser.add_argument("--warmup", type=int, default=2, help="wrk warm-up before each")
    parser.add_argument("--clients", type=int, default=4, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--publishes", type=int, default=20, help="stories published, timed")
    parser.add_argument("--tagged", type=int, default=10_000, help="stories on the renamed tag")
    parser.add_argument(
        "--baselines",
        choices=["documents", "tables"],
        help="what the baselines build pages from (default: the stored documents once they "
        "exist, else the working tables)",
    )
    parser.add_argument("--port", type=int, default=0, help="default: any free port")
    args = parser.parse_args()

    database = bench_database_url()
    if database is None:
        print("API bench skipped: set DATABASE_URL to a PostgreSQL URL (the bench uses its own "
              "'<name>_bench' database next to it), or BENCH_DATABASE_URL.")  # fmt: skip
        return 0
    if shutil.which("wrk") is None:
        print("API bench skipped: it needs wrk, the HTTP load generator "
              "(Debian/Ubuntu: apt-get install wrk; macOS: brew install wrk).")  # fmt: skip
        return 0
    redis = os.environ.get("NEWSROOM_REDIS_URL", "") or local_redis()
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
        # Whatever the bench's processes queue goes to its own queue and worker only.
        "CELERY_TASK_DEFAULT_QUEUE": f"newsroom-bench-{os.getpid()}",
        # The addresses documents are built with: one for every run, whatever the port, so
        # that documents built in another run are not drift.
        "NEWSROOM_SITE_URL": "http://newsroom-bench.invalid",
    }
    if redis:
        env["NEWSROOM_REDIS_URL"] = redis
    if redis and not env.get("CELERY_BROKER_URL", "").startswith(("redis://", "rediss://")):
        env["CELERY_BROKER_URL"] = redis
    name = urlsplit(database).path.lstrip("/")
    print(f"== API bench on {name} (Redis: {redis or 'none at NEWSROOM_REDIS_URL or :6379'})")
    documents = prepare(env, database, args)

    args.port = args.port or free_port()
    base = f"http://127.0.0.1:{args.port}"
    SERVER_LOG.parent.mkdir(exist_ok=True)
    with open(SERVER_LOG, "a") as log:
        server = subprocess.Popen(
            [str(Path(PY).parent / "gunicorn"), "events.bench.wsgi:application",
             "--config", "newsroom/gunicorn.conf.py",
             "--workers", str(args.workers), "--bind", f"127.0.0.1:{args.port}",
             "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for(server, f"{base}/api/v1/stories/?page_size=1")
        run_scenarios(base, database, documents, env, args)
    finally:
        stop(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
