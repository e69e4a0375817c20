"""A small, bounded HTTP load generator (threads, one connection per request).

    python -m events.bench.load http://127.0.0.1:8765/api/v1/stories/ --requests 500 \
        --concurrency 4 [--header 'If-None-Match: "abc"']

Prints one JSON line: requests, seconds, rps, p50/p99 latency in milliseconds, status counts.
Run in its own process so the server's workers and the client do not share an interpreter.
"""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
from collections import Counter
from urllib.parse import urlsplit


def fetch(url: str, headers: dict[str, str]) -> tuple[float, int]:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    started = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        status = response.status
    finally:
        connection.close()
    return time.perf_counter() - started, status


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def run(url: str, requests: int, concurrency: int, headers: dict[str, str]) -> dict:
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    remaining = iter(range(requests))

    def worker() -> None:
        while True:
            with lock:
                if next(remaining, None) is None:
                    return
            elapsed, status = fetch(url, headers)
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1

    for _ in range(min(20, requests)):  # warm-up: connections, caches, imports
        fetch(url, headers)
    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {
        "requests": requests,
        "seconds": round(seconds, 3),
        "rps": round(requests / seconds, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "statuses": dict(statuses),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--header", action="append", default=[])
    args = parser.parse_args()
    headers = dict(h.split(": ", 1) for h in args.header)
    print(json.dumps(run(args.url, args.requests, args.concurrency, headers)))


if __name__ == "__main__":
    main()
