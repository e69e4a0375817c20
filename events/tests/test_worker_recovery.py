"""A worker that is killed or stopped mid-task loses no key points, and stops when told to.

Real workers (prefork, as in production) on the configured broker, drafting with the `openai`
backend against an HTTP server on loopback that holds its first answer: the task is then
mid-flight for as long as the test needs, without sleeping in the task itself.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import transaction

from events.keypoints import requeue_left_running
from events.models import Story
from events.tasks import generate_key_points
from newsroom.celery import app

from .test_keypoints_openai import GOOD, ChatServer, bullets_answer
from .test_worker_integration import database_url

HELD = (200, "{}", 120)  # the first answer: long after the test is over
#: a container's usual grace between SIGTERM and SIGKILL
GRACE_SECONDS = 10


class Workers:
    """Starts workers on a queue of their own, against the test database; stops them all."""

    def __init__(self, tmp_path, chat_url: str):
        self.queue = f"test-recovery-{uuid.uuid4().hex[:12]}"
        self.tmp_path = tmp_path
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "DJANGO_DEBUG": "1",
            "REMAP_SIGTERM": "SIGQUIT",  # as in the Procfile: SIGTERM is a cold shutdown
            "NEWSROOM_SUMMARIZER_BACKEND": "openai",
            "NEWSROOM_OPENAI_BASE_URL": chat_url,
            "NEWSROOM_OPENAI_MODEL": "desk-model",
        }
        self.started: list[subprocess.Popen] = []

    def start(self, **env) -> subprocess.Popen:
        log = self.tmp_path / f"worker-{len(self.started) + 1}.log"
        with open(log, "w") as output:
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "newsroom", "worker"]
                + ["--pool=prefork", "--concurrency=1", "-Q", self.queue]
                + ["--without-gossip", "--without-mingle", "--without-heartbeat"]
                + ["--loglevel=INFO", f"--hostname=recovery-{len(self.started) + 1}@%h"],
                cwd=settings.BASE_DIR,
                env={**self.env, **env},
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        worker.log = log
        self.started.append(worker)
        return worker

    def logs(self) -> str:
        return "\n".join(f"--- {w.log.name}\n{w.log.read_text()}" for w in self.started)

    def stop_all(self) -> None:
        for worker in self.started:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in self.started:
            try:
                worker.wait(timeout=GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(self.queue)


@pytest.fixture
def chat():
    server = ChatServer()
    server.httpd.block_on_close = False  # the held answer must not hold up the test's end
    yield server
    server.close()


@pytest.fixture
def workers(transactional_db, chat, monkeypatch, tmp_path):
    pool = Workers(tmp_path, chat.url)
    monkeypatch.setitem(app.conf, "task_default_queue", pool.queue)
    yield pool
    pool.stop_all()


def queued_story() -> Story:
    with transaction.atomic():
        story = Story.objects.create(
            headline="Drones kill three in Kharkiv",
            body="Russian drones struck Kharkiv overnight, killing three people. Russia launched "
            "more than 300 drones across Ukraine. Talks between US and Russian officials are "
            "moving from Istanbul to Moscow.",
        )
        assert story.queue_key_points()
    return story


def wait_for(condition, seconds: float, what: str, workers: Workers):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"no {what} within {seconds} s\n{workers.logs()}")


def status(story: Story) -> str:
    return Story.objects.filter(pk=story.pk).values_list("key_points_status", flat=True)[0]


def texts(story: Story) -> list[str]:
    return list(story.key_points.values_list("text", flat=True))


def waiting(queue: str) -> int:
    with app.connection_for_write() as conn:
        return conn.default_channel.queue_declare(queue, passive=True).message_count


@pytest.mark.integration
def test_key_points_of_a_killed_worker_are_ready_within_a_minute_of_a_restart(workers, chat):
    chat.script(HELD, bullets_answer(GOOD))
    first = workers.start()
    story = queued_story()
    wait_for(lambda: chat.requests, 60, "request to the summarizer", workers)
    assert status(story) == "running"

    killed_at = time.monotonic()
    os.kill(first.pid, signal.SIGKILL)  # the whole worker at once: no chance to clean up
    first.wait()
    restarted_at = time.monotonic()
    workers.start()
    wait_for(lambda: status(story) == "ready", 60, "key points after the restart", workers)
    ready_at = time.monotonic()
    print(
        f"\nkill -> ready {ready_at - killed_at:.1f} s; restart -> ready "
        f"{ready_at - restarted_at:.1f} s"
    )
    assert texts(story) == GOOD

    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        return  # the filesystem broker deleted the message when the killed worker took it
    # Redis still holds the killed worker's message and hands it out again once it is older
    # than the visibility timeout (minutes by default; a second here): drafted twice, no harm.
    workers.start(CELERY_BROKER_VISIBILITY_TIMEOUT="1")
    wait_for(lambda: len(chat.requests) >= 3, 60, "redelivery of the killed message", workers)
    wait_for(lambda: status(story) == "ready", 60, "key points after the redelivery", workers)
    assert texts(story) == GOOD


@pytest.mark.integration
def test_a_worker_told_to_stop_returns_its_task_and_exits_within_the_grace(workers, chat):
    chat.script(HELD, bullets_answer(GOOD))
    first = workers.start()
    story = queued_story()
    wait_for(lambda: chat.requests, 60, "request to the summarizer", workers)

    told_at = time.monotonic()
    first.send_signal(signal.SIGTERM)
    try:
        first.wait(timeout=GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the worker was still running {GRACE_SECONDS} s after SIGTERM")
    print(f"\nSIGTERM -> exit {time.monotonic() - told_at:.1f} s")
    assert waiting(workers.queue) == 1  # the interrupted task is back in the queue

    restarted_at = time.monotonic()
    workers.start()
    wait_for(lambda: status(story) == "ready", 60, "key points from the next worker", workers)
    print(f"restart -> ready {time.monotonic() - restarted_at:.1f} s")
    assert texts(story) == GOOD


def test_on_redis_a_taken_message_comes_back_only_once_no_attempt_can_still_run():
    # ... and within minutes (kombu's default is an hour): sooner than beat's sweep would.
    script = (
        "import json; from django.conf import settings as s; from newsroom.celery import app; "
        "print(json.dumps([app.conf.broker_transport_options, s.NEWSROOM_KEY_POINTS_TIME_LIMIT,"
        " s.NEWSROOM_KEY_POINTS_MAX_RETRIES, s.NEWSROOM_KEY_POINTS_RETRY_BACKOFF,"
        " s.NEWSROOM_KEY_POINTS_RETRY_BACKOFF_MAX]))"
    )
    env = {**os.environ, "CELERY_BROKER_URL": "redis://redis.example.org:6379/0"}
    env.pop("CELERY_BROKER_VISIBILITY_TIMEOUT", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    options, time_limit, retries, backoff, backoff_max = json.loads(result.stdout)
    longest_countdown = get_exponential_backoff_interval(backoff, retries - 1, backoff_max)
    assert time_limit + longest_countdown < options["visibility_timeout"] < 5 * 60
    # and every worker looks for such messages at least every 10 s
    assert options["unacked_restore_interval"] * options["unacked_restore_throttle"] <= 10


def test_a_starting_worker_sends_each_request_left_running_again_once(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        generate_key_points, "delay", lambda story_id, *args, **kw: sent.append(story_id)
    )
    stories = {
        state: Story.objects.create(
            headline=f"A story {state}", body="Drones hit Kharkiv.", key_points_status=state
        )
        for state in ("running", "queued", "ready", "failed")
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_left_running() == 1
    assert sent == [stories["running"].pk]
    assert status(stories["running"]) == "queued"

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_left_running() == 0  # a second worker starting sends nothing more
    assert sent == [stories["running"].pk]
