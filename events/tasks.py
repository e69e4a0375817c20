"""Celery tasks. Each takes ids or nothing, re-reads the database and is safe to run twice."""

import logging
from datetime import timedelta

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_ready
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.utils import timezone

from .keypoints import (
    draft_bullets,
    generation_settings,
    requeue_left_running,
    set_status,
    stories_needing_key_points,
    write_key_points,
)
from .models import Briefing, Story
from .publication.exports import build_exports
from .publication.store import pending_rebuilds
from .publication.store import publish_pending as rebuild_pending
from .summarizer import SummarizerError, TransientSummarizerError

logger = logging.getLogger(__name__)

#: documents rebuilt per publish_pending task (about a second of work each hundred)
PUBLISH_BATCH = 2000


@shared_task
def publish_due() -> int:
    """Publish the stories, then the briefings, whose scheduled time has come (run by beat).

    Stories go first so that a briefing scheduled for the same minute finds them live. A record
    that can no longer be published (someone emptied a required field) goes back to review with
    the reason in its audit trail, rather than going out incomplete or failing every minute.
    """
    now = timezone.now()
    published = 0
    for model in (Story, Briefing):
        for pk in model.objects.due(now).values_list("pk", flat=True):
            with transaction.atomic():
                record = model.objects.select_for_update().get(pk=pk)
                if record.state != model.State.SCHEDULED or record.publish_at > now:
                    continue  # another beat tick or an editor got there first
                try:
                    record.publish_on_schedule()
                except ValidationError as refusal:
                    record.hold_back(" ".join(refusal.messages))
                    logger.warning("Scheduled %s %s held back: %s", model.__name__, pk, refusal)
                else:
                    published += 1
    return published


@shared_task
def publish_pending() -> int:
    """Rebuild the public documents still waiting (queued after a big change, and beat's sweep).

    A batch at a time, then queued again for the rest, so that a renamed tag on thousands of
    stories neither hits the time limit nor holds the worker from key points for minutes."""
    done = rebuild_pending(limit=PUBLISH_BATCH)
    if done >= PUBLISH_BATCH and pending_rebuilds():
        publish_pending.delay()
    return done


@shared_task(
    soft_time_limit=settings.NEWSROOM_EXPORTS_TIME_LIMIT,
    time_limit=settings.NEWSROOM_EXPORTS_TIME_LIMIT + 60,
)
def export_public_data(force: bool = False) -> str:
    """Write today's bulk exports if they are missing (beat looks hourly); returns what it did.

    Safe to run twice: a day's export is written once (``force`` writes it again), and one
    runs at a time (a second finds the lock held and leaves)."""
    manifest = build_exports(force=force)
    if manifest is None:
        return "busy"
    return f"{manifest.date} at position {manifest.position}"


class KeyPointsTask(Task):
    """Records what happened to a key-points request where editors can see it."""

    def on_retry(self, exc, task_id, args, kwargs, einfo) -> None:
        story_id, text_hash = args[0], args[1]
        attempt = self.request.retries + 1
        set_status(
            story_id,
            text_hash,
            Story.KeyPointsStatus.RUNNING,
            f"Retrying (attempt {attempt + 1} of {self.max_retries + 1}): {failure_reason(exc)}",
        )

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        story_id, text_hash = args[0], args[1]
        logger.warning("Key points for story %s failed: %s", story_id, failure_reason(exc))
        # Existing points are left exactly as they were: a failure only changes the status.
        set_status(story_id, text_hash, Story.KeyPointsStatus.FAILED, failure_reason(exc))


def failure_reason(exc: BaseException) -> str:
    if isinstance(exc, SummarizerError):
        return exc.reason
    if isinstance(exc, SoftTimeLimitExceeded):
        limit = settings.NEWSROOM_KEY_POINTS_SOFT_TIME_LIMIT
        return f"The summarizer took longer than {limit} seconds."
    return f"Unexpected error: {type(exc).__name__}: {exc}"


@shared_task(
    base=KeyPointsTask,
    bind=True,
    autoretry_for=(TransientSummarizerError,),
    max_retries=settings.NEWSROOM_KEY_POINTS_MAX_RETRIES,
    retry_backoff=settings.NEWSROOM_KEY_POINTS_RETRY_BACKOFF,
    retry_backoff_max=settings.NEWSROOM_KEY_POINTS_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    soft_time_limit=settings.NEWSROOM_KEY_POINTS_SOFT_TIME_LIMIT,
    time_limit=settings.NEWSROOM_KEY_POINTS_TIME_LIMIT,
)
def generate_key_points(self, story_id: int, text_hash: str, replace_reviewed: bool = False) -> str:
    """Draft key points for the story text whose hash is ``text_hash``; returns what it did.

    A request for text that has changed since is dropped: its result would describe a story
    that no longer exists. Transient engine errors retry with exponential backoff (bounded);
    any other failure marks the story "failed" with the reason and keeps its points.
    """
    story = Story.objects.filter(pk=story_id).first()
    if story is None:
        return "gone"
    if story.key_points_hash != text_hash:
        return "superseded"  # a newer request is queued and will do the work
    if story.text_hash != text_hash:
        # The text changed without a request (e.g. a restored version): ask for the new text.
        story.queue_key_points()
        return "outdated"
    set_status(story_id, text_hash, Story.KeyPointsStatus.RUNNING)
    config = generation_settings()
    bullets = draft_bullets(story, config)
    with transaction.atomic():
        story = Story.objects.select_for_update().filter(pk=story_id).first()
        if story is None or text_hash != story.text_hash or text_hash != story.key_points_hash:
            return "outdated"  # the text changed while the engine was drafting
        write_key_points(
            story, bullets, text_hash=text_hash, config=config, replace_reviewed=replace_reviewed
        )
        set_status(story_id, text_hash, Story.KeyPointsStatus.READY)
    return "ready"


@shared_task
def requeue_stale_key_points() -> int:
    """Re-send key-point requests that were lost (run by beat); returns how many were sent.

    A request is lost when the broker was down at save time or a worker died mid-task: the
    story then sits "queued" or "running" for longer than any attempt can take. A story whose
    text changed without a request (a restored version, an archive from before key points) is
    also picked up. Each sweep sends a bounded batch, so a large archive never floods the
    broker; the next sweeps take the rest.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.NEWSROOM_KEY_POINTS_STALE_AFTER)
    limit = settings.NEWSROOM_KEY_POINTS_SWEEP_LIMIT
    requeued = 0
    for story in stories_needing_key_points(cutoff, limit):
        with transaction.atomic():
            requeued += story.queue_key_points(force=True)
    return requeued


@worker_ready.connect
def requeue_key_points_left_running(**kwargs) -> None:
    """A starting worker sends again the key-point requests that a killed worker left running.

    Without this, editors would see "running" until the message came back (Redis, after the
    visibility timeout) or beat's sweep found it (after NEWSROOM_KEY_POINTS_STALE_AFTER).
    """
    try:
        requeued = requeue_left_running()
    finally:
        connections.close_all()  # the worker's main process forks pool processes: keep none
    if requeued:
        logger.warning("Sent again %s key-point request(s) a stopped worker left running", requeued)
