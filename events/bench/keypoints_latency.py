"""Latency of key points: a saved story → its key points ready, with a real worker running.

    python -m events.bench.keypoints_latency [--rounds 20]

Runs on the configured database engine and broker (Redis when CELERY_BROKER_URL says so), in a
throwaway database created for the run and dropped after it. The baseline, measured in the same
run with the same worker and the same polling, is the round trip of a task that does nothing but
one UPDATE: the ratio is what drafting key points adds on top of the queue itself. The target
(SPEC §4) is at most 3 seconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

from newsroom.celery import app

TARGET_SECONDS = 3.0
POLL_SECONDS = 0.005


@app.task(name="events.bench.keypoints_latency.touch_story", ignore_result=True)
def touch_story(story_id: int, token: str) -> None:
    """The baseline: a task that only writes one field, so the bench sees it arrive."""
    from events.models import Story

    Story.objects.filter(pk=story_id).update(byline=token)


def database_url(db: dict) -> str:
    """A DATABASE_URL naming the same database as Django's settings dict ``db``."""
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        auth = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            auth += ":" + quote(db["PASSWORD"], safe="")
        return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    raise SystemExit(f"keypoints_latency: no worker URL for {db['ENGINE']}")


def start_worker(queue: str, db_url: str, log_path: str) -> subprocess.Popen:
    from django.conf import settings

    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1"),
    }
    with open(log_path, "w") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "events.bench.keypoints_latency", "worker"]
            + ["--pool=solo", "-Q", queue, "--loglevel=WARNING"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def wait_for(condition, timeout: float) -> float | None:
    """Seconds until ``condition()`` holds, or None after ``timeout``."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if condition():
            return time.perf_counter() - started
        time.sleep(POLL_SECONDS)
    return None


def measure(rounds: int, worker: subprocess.Popen) -> tuple[list[float], list[float]]:
    from django.db import transaction

    from events.models import Story

    story = Story.objects.create(
        headline="Drones kill three in Kharkiv as Russia launches more than 300 across Ukraine",
        standfirst="Seventeen drones hit residential districts of Kharkiv overnight.",
        dateline="KHARKIV",
    )
    paragraphs = [
        "Russian attack drones struck residential districts of Kharkiv overnight, killing "
        "three people and injuring at least 60, regional officials said on Wednesday.",
        "Fires broke out in several apartment blocks and parts of two buildings collapsed.",
        "Russia launched more than 300 drones across Ukraine during the night, the air force "
        "said, hitting Kyiv, Odesa and the Dnipro region.",
        "Talks between US and Russian officials are moving from Istanbul to Moscow.",
    ]

    def field(name: str):
        return Story.objects.filter(pk=story.pk).values_list(name, flat=True)[0]

    def baseline_round(index: int) -> float | None:
        token = uuid.uuid4().hex
        touch_story.delay(story.pk, token)
        return wait_for(lambda: field("byline") == token, 60)

    def key_points_round(index: int) -> float | None:
        with transaction.atomic():
            story.body = (
                "\n\n".join(paragraphs) + f"\n\nUpdate {index}: rescuers are still at work."
            )
            story.save()
            story.queue_key_points()
        # Timed from the commit, as the editor's save returns.
        text_hash = story.text_hash
        return wait_for(
            lambda: Story.objects.filter(
                pk=story.pk, key_points_hash=text_hash, key_points_status="ready"
            ).exists(),
            60,
        )

    # Warm-up: the worker starts, connects and loads the summarizer's weights.
    if baseline_round(-1) is None or key_points_round(-1) is None:
        raise SystemExit("keypoints_latency: the worker did not answer within 60 s")
    baseline, key_points = [], []
    for index in range(rounds):
        for run, sink in ((baseline_round, baseline), (key_points_round, key_points)):
            elapsed = run(index)
            if elapsed is None or worker.poll() is not None:
                raise SystemExit("keypoints_latency: a round timed out or the worker stopped")
            sink.append(elapsed)
    return baseline, key_points


def report(baseline: list[float], key_points: list[float], broker: str) -> None:
    def p95(values):
        return sorted(values)[max(0, round(0.95 * len(values)) - 1)]

    median_kp, median_base = statistics.median(key_points), statistics.median(baseline)
    print(f"key-points latency ({len(key_points)} saves, worker on {broker}):")
    print(
        f"  saved story → key points ready: median {median_kp:.3f} s, p95 {p95(key_points):.3f} s,"
        f" max {max(key_points):.3f} s (target ≤ {TARGET_SECONDS:.0f} s:"
        f" {'met' if max(key_points) <= TARGET_SECONDS else 'MISSED'})"
    )
    print(
        f"  baseline, no-op task round trip: median {median_base:.3f} s,"
        f" p95 {p95(baseline):.3f} s, max {max(baseline):.3f} s"
    )
    print(f"  ratio (median key points / median baseline): {median_kp / median_base:.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    # A database of the bench's own, so that neither the desk's data nor a test run is touched.
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(settings.VAR_DIR / f"bench-keypoints-{os.getpid()}.sqlite3")
    else:
        test_settings["NAME"] = f"bench_keypoints_{os.getpid()}"
    original_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    queue = f"bench-keypoints-{uuid.uuid4().hex[:12]}"
    app.conf.task_default_queue = queue
    broker = settings.CELERY_BROKER_URL.split("://")[0]
    worker = start_worker(
        queue, database_url(connection.settings_dict), str(settings.VAR_DIR / "bench-worker.log")
    )
    try:
        baseline, key_points = measure(args.rounds, worker)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)
        connection.close()
        connection.creation.destroy_test_db(original_name, verbosity=0)
    report(baseline, key_points, broker)
    return 0


if __name__ == "__main__":
    sys.exit(main())
