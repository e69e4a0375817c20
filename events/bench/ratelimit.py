"""Rate-limit bench: the most requests admitted in any sliding window, against the rate.

    python -m events.bench.ratelimit [--rate 120/min] [--seconds 70] [--clients 4] [--workers 2]

Starts gunicorn with production settings (DEBUG off) and N workers on loopback, twice: with the
limit kept in each process's memory (no ``NEWSROOM_REDIS_URL``) and shared through Redis
(``NEWSROOM_REDIS_URL``, else ``redis://127.0.0.1:6379/0``; skipped when no Redis answers). For
``--seconds``, a few client threads hammer ``/api/v1/stories/`` as one client, an address of the
bench's own (sent through the proxy header, so nothing else shares its budget).

The figure is the most requests admitted in any window of the rate's length. With Redis it is
exact: a watcher copies the client's log (each admission's time on Redis's clock) more often
than entries leave it. In memory there is no log to read, so the bench counts the admitted
requests whose whole round trip lies inside one window: a lower bound, and enough to show the
limit broken.

The database: ``<name>_bench`` next to a PostgreSQL ``DATABASE_URL`` (as the API bench), else
a SQLite file under ``var/``. Its content does not matter here, only its tables.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

import redis

from events.api.ratelimit import PREFIX, parse_rate
from events.bench.api import ROOT, bench_database_url, ensure_database, free_port, manage

PY = sys.executable
SERVER_LOG = ROOT / "var" / "bench-ratelimit-gunicorn.log"


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    log = open(SERVER_LOG, "a")  # noqa: SIM115
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "newsroom.wsgi:application",
         "--config", "newsroom/gunicorn.conf.py",
         "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            request("127.0.0.1", port, "/api/v1/up", {})  # a 404 that spends no budget
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer on port {port}: see {log.name}")


def request(host: str, port: int, path: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def hammer(port: int, address: str, seconds: float, clients: int) -> list[tuple[float, float, int]]:
    """(sent, answered, status) for every request the clients made, in time.monotonic()."""
    results: list[tuple[float, float, int]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    headers = {"X-Forwarded-For": address}

    def client() -> None:
        while time.monotonic() < deadline:
            sent = time.monotonic()
            status = request("127.0.0.1", port, "/api/v1/stories/", headers)
            with lock:
                results.append((sent, time.monotonic(), status))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def most_in_a_window(moments: list[float], window: float) -> int:
    """The most of ``moments`` in any half-open window ``(x, x + window]``."""
    moments = sorted(moments)
    most, first = 0, 0
    for last, moment in enumerate(moments):
        while moments[first] <= moment - window:
            first += 1
        most = max(most, last - first + 1)
    return most


def certainly_in_a_window(admitted: list[tuple[float, float]], window: float) -> int:
    """The most requests whose whole round trip (sent, answered) lies inside one window."""
    return max(
        (sum(1 for s, e in admitted if s >= s0 and e < s0 + window) for s0, _ in admitted),
        default=0,
    )


def watch(client: redis.Redis, key: str, window: float, stop: threading.Event) -> dict:
    """Copy the log at ``key`` (member -> µs) until ``stop``, faster than entries leave it."""
    seen: dict[bytes, float] = {}
    while not stop.wait(min(1.0, window / 4)):
        seen.update(client.zrange(key, 0, -1, withscores=True))
    seen.update(client.zrange(key, 0, -1, withscores=True))
    return seen


def run(label: str, env: dict, args, limit: int, window: int) -> None:
    port = free_port()
    address = f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"
    redis_url = env.get("NEWSROOM_REDIS_URL")
    server = start_server(env, port, args.workers)
    stop, logged = threading.Event(), {}
    if redis_url:
        key = f"{PREFIX}anon:{address}"  # the API's policy, "anon", and the client's address
        client = redis.Redis.from_url(redis_url)
        watcher = threading.Thread(
            target=lambda: logged.update(watch(client, key, window, stop)), daemon=True
        )
        watcher.start()
    try:
        results = hammer(port, address, args.seconds, args.clients)
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
    if redis_url:
        watcher.join()
        client.delete(key)
    admitted = [(s, e) for s, e, status in results if status == 200]
    refused = sum(1 for *_, status in results if status == 429)
    other = len(results) - len(admitted) - refused
    if redis_url:
        assert len(logged) == len(admitted), (len(logged), len(admitted))
        most = most_in_a_window([micros / 1_000_000 for micros in logged.values()], window)
        shown, how = f"{most}", "exact, from Redis's log"
    else:
        most = certainly_in_a_window(admitted, window)
        shown, how = f">= {most}", "lower bound, from round trips"
    verdict = "held" if most <= limit and redis_url else "held?" if most <= limit else "BROKEN"
    print(
        f"{label:16} {len(results):>8} {len(admitted):>8} {refused:>8} {other:>6} "
        f"{shown:>9} {limit:>6}  {verdict:7} ({how})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", default="120/min", help="the limit to configure, e.g. 30/10s")
    parser.add_argument("--seconds", type=float, default=70, help="how long each run hammers")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()
    limit, window = parse_rate(args.rate)

    database = bench_database_url()
    if database is not None:
        ensure_database(database)
    else:
        database = f"sqlite:///{ROOT / 'var' / 'bench-ratelimit.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "ratelimit-bench-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "NEWSROOM_API_ANON_RATE": args.rate,
    }
    manage(env, "migrate", "--noinput")
    SERVER_LOG.write_text("")
    redis_url = os.environ.get("NEWSROOM_REDIS_URL") or "redis://127.0.0.1:6379/0"

    print(f"== Rate-limit bench: {args.rate} ({limit} per {window} s), gunicorn {args.workers} "
          f"workers, {args.clients} clients, {args.seconds:.0f} s per run")  # fmt: skip
    print(f"{'limit kept':16} {'requests':>8} {'admitted':>8} {'refused':>8} {'other':>6} "
          f"{'most/' + str(window) + 's':>9} {'limit':>6}")  # fmt: skip
    run("in each process", {**env, "NEWSROOM_REDIS_URL": ""}, args, limit, window)
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        print(f"{'in Redis':16} skipped: no Redis at {redis_url} ({error})")
        return 0
    run("in Redis", {**env, "NEWSROOM_REDIS_URL": redis_url}, args, limit, window)
    return 0


if __name__ == "__main__":
    sys.exit(main())
