"""A real Celery worker, on the configured broker, turns a saved story into key points.

Redis in CI's first run, the filesystem broker on the embedded defaults. The worker listens on a
queue of its own, so a developer's running worker never takes the test's message, and it reads
the test database, whose name reaches it through DATABASE_URL.
"""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection, transaction

from events.bench.keypoints_latency import database_url as url_of
from events.models import Story
from newsroom.celery import app

WAIT_SECONDS = 60


def database_url() -> str:
    """The URL of the database this test runs on (the test database, not the real one)."""
    if connection.vendor not in ("sqlite", "postgresql"):
        pytest.skip(f"no worker URL for {connection.vendor}")
    return url_of(connection.settings_dict)


@pytest.fixture
def worker_queue(transactional_db, monkeypatch, tmp_path):
    """A worker process on a queue of its own; always stopped, and its queue emptied."""
    queue = f"test-keypoints-{uuid.uuid4().hex[:12]}"
    monkeypatch.setitem(app.conf, "task_default_queue", queue)
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,  # what the worker sends itself stays on its queue
        "DJANGO_DEBUG": "1",
    }
    with open(log, "w") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "--pool=solo"]
            + ["-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat"]
            + ["--loglevel=INFO"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield worker, log
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)


@pytest.mark.integration
def test_a_running_worker_drafts_key_points_for_a_saved_story(worker_queue):
    # No users or groups here: an earlier transactional test may have flushed the data that
    # migrations created, and this test must not depend on the order it runs in.
    worker, log = worker_queue
    with transaction.atomic():
        story = Story.objects.create(
            headline="Drones kill three in Kharkiv as Russia launches more than 300",
            standfirst="Seventeen drones hit residential districts of Kharkiv overnight.",
            body="Russian attack drones struck Kharkiv overnight, killing three people and "
            "injuring at least 60, officials said.\n\nRussia launched more than 300 drones "
            "across Ukraine during the night, the air force said.\n\nTalks between US and "
            "Russian officials are moving from Istanbul to Moscow.",
        )
        assert story.queue_key_points()
    # The save has committed; the message is on the broker and the worker picks it up.
    deadline = time.monotonic() + WAIT_SECONDS
    status = "queued"
    while time.monotonic() < deadline and worker.poll() is None:
        status = Story.objects.filter(pk=story.pk).values_list("key_points_status", flat=True)[0]
        if status in ("ready", "failed"):
            break
        time.sleep(0.2)
    story.refresh_from_db()
    assert story.key_points_status == "ready", (status, story.key_points_error, log.read_text())
    points = list(story.key_points.all())
    assert 1 <= len(points) <= settings.NEWSROOM_SUMMARIZER_BULLETS
    assert all(point.origin == "generated" and point.text for point in points)
    assert all(point.text_hash == story.text_hash for point in points)
    assert any("Kharkiv" in point.text for point in points)
