"""Drafting key points: settings → the summarizer engine → KeyPoint rows.

The worker task and the demo seed both call ``generate_key_points_now``. People's work always
wins over the machine's: points that are edited, hand-written or approved (``is_reviewed``) are
kept on regeneration unless an editor explicitly asked to replace them.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import KeyPoint, Story
from .summarizer import BACKEND_VERSION, SummarizerError, summarize

logger = logging.getLogger(__name__)

#: a new draft that shares this much of its wording with a kept point says the same thing
_DUPLICATE_OVERLAP = 0.6


@dataclass(frozen=True)
class GenerationSettings:
    backend: str
    bullets: int
    options: dict


def generation_settings() -> GenerationSettings:
    backend = settings.NEWSROOM_SUMMARIZER_BACKEND
    options: dict = {}
    if backend == "openai":
        options = {
            "base_url": settings.NEWSROOM_OPENAI_BASE_URL,
            "model": settings.NEWSROOM_OPENAI_MODEL,
            "api_key": settings.NEWSROOM_OPENAI_API_KEY,
            "timeout": settings.NEWSROOM_OPENAI_TIMEOUT,
        }
    return GenerationSettings(backend, settings.NEWSROOM_SUMMARIZER_BULLETS, options)


# In the stored rendering: the ends of blocks and of table cells, and any tag (a quoted
# attribute value may hold a ">").
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|pre|tr)>")
_CELL_END = re.compile(r"</t[dh]>")
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")


def plain_text(story: Story) -> str:
    """The body as plain paragraphs, or the standfirst if there is no body.

    Taken from the stored rendering (``body_html``), that is from what readers see: raw HTML
    written into the Markdown is not in it, so it never reaches a key point. The standfirst is
    left out otherwise: readers see it right above the key points, and the points should add
    to it rather than repeat it.
    """
    # Block ends become paragraph breaks before the tags go, so sentences do not run together.
    text = _CELL_END.sub(" ", _BLOCK_END.sub("\n\n", story.body_html))
    body = html.unescape(_TAG.sub("", text))
    paragraphs = [" ".join(p.split()) for p in body.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p) or " ".join(story.standfirst.split())


def draft_bullets(story: Story, config: GenerationSettings | None = None) -> list[str]:
    """The engine's bullets for the story's current text (raises SummarizerError)."""
    config = config or generation_settings()
    return summarize(
        plain_text(story),
        title=story.headline or None,
        n=config.bullets,
        backend=config.backend,
        **config.options,
    )


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _repeats(bullet: str, kept: list[KeyPoint]) -> bool:
    words = _words(bullet)
    for point in kept:
        other = _words(point.text)
        if (
            words
            and other
            and len(words & other) / min(len(words), len(other)) >= _DUPLICATE_OVERLAP
        ):
            return True
    return False


@transaction.atomic
def write_key_points(
    story: Story,
    bullets: list[str],
    *,
    text_hash: str,
    config: GenerationSettings,
    replace_reviewed: bool = False,
) -> list[KeyPoint]:
    """Replace the machine's unreviewed points with ``bullets``; returns the new points.

    Reviewed points stay in their order and keep their place at the top; the new drafts fill
    the list up to the configured number, skipping any that repeat a kept point.
    """
    points = list(story.key_points.select_for_update())
    kept = [p for p in points if p.is_reviewed and not replace_reviewed]
    KeyPoint.objects.filter(pk__in=[p.pk for p in points if p not in kept]).delete()
    room = max(config.bullets - len(kept), 0)
    fresh = [b for b in bullets if not _repeats(b, kept)][:room]
    start = max((p.order for p in kept), default=-1) + 1
    now = timezone.now()
    return KeyPoint.objects.bulk_create(
        KeyPoint(
            story=story,
            order=start + position,
            text=text,
            origin=KeyPoint.Origin.GENERATED,
            backend=config.backend,
            backend_version=BACKEND_VERSION.get(config.backend, ""),
            text_hash=text_hash,
            generated_at=now,
        )
        for position, text in enumerate(fresh)
    )


def set_status(story_id: int, text_hash: str, status: str, error: str = "") -> bool:
    """Record the status of the request for ``text_hash``; False if a newer request replaced it.

    ``update()`` leaves the version alone, so an editor's open form does not go stale.
    """
    return bool(
        Story.objects.filter(pk=story_id, key_points_hash=text_hash).update(
            key_points_status=status, key_points_error=error
        )
    )


def generate_key_points_now(
    story: Story, *, replace_reviewed: bool = False, config: GenerationSettings | None = None
) -> list[KeyPoint]:
    """Draft and store key points for the story's current text, synchronously (the seed).

    Raises SummarizerError; the caller decides whether that is a failure to show.
    """
    config = config or generation_settings()
    text_hash = story.text_hash
    bullets = draft_bullets(story, config)
    points = write_key_points(
        story, bullets, text_hash=text_hash, config=config, replace_reviewed=replace_reviewed
    )
    Story.objects.filter(pk=story.pk).update(
        key_points_status=Story.KeyPointsStatus.READY,
        key_points_error="",
        key_points_hash=text_hash,
        key_points_requested_at=timezone.now(),
    )
    return points


def stories_needing_key_points(cutoff, limit: int) -> list[Story]:
    """Up to ``limit`` stories whose key-point request was lost before ``cutoff``, or never made
    for their current text (lost ones first, then the most recently edited).

    Failed requests are not among them: a failure is shown to editors, who regenerate.
    """
    lost = Story.objects.filter(
        Q(key_points_requested_at__isnull=True) | Q(key_points_requested_at__lt=cutoff),
        key_points_status__in=[Story.KeyPointsStatus.QUEUED, Story.KeyPointsStatus.RUNNING],
    ).order_by("key_points_requested_at")[:limit]
    # Only a save after the last request can have changed the text unnoticed.
    edited = (
        Story.objects.exclude(
            key_points_status__in=[Story.KeyPointsStatus.QUEUED, Story.KeyPointsStatus.RUNNING]
        )
        .filter(
            Q(key_points_requested_at__isnull=True) | Q(updated_at__gt=F("key_points_requested_at"))
        )
        .exclude(standfirst="", body="")
        .order_by("-updated_at")
        .only("pk", "headline", "standfirst", "body", "key_points_hash")
    )
    found = list(lost)
    for story in edited.iterator(chunk_size=500):
        if len(found) >= limit:
            break
        if story.text_hash != story.key_points_hash:
            found.append(story)
    return found


def requeue_left_running() -> int:
    """Send again every key-point request left "running"; returns how many were sent.

    A worker calls this as it starts: a request is left "running" when the worker drafting it
    was killed (kill -9, out of memory, a lost machine). Redis would bring the message back by
    itself, but only after its visibility timeout (minutes); the filesystem broker loses it.
    With several workers, one may still be drafting a request sent again here: it is then
    drafted twice, which is harmless (the task re-reads the story, checks the text hash and
    writes under a lock) and costs a summarizer call. Workers starting together send each
    request once: the first to lock the row moves it to "queued".
    """
    running = Story.KeyPointsStatus.RUNNING
    requeued = 0
    for pk in Story.objects.filter(key_points_status=running).values_list("pk", flat=True):
        with transaction.atomic():
            story = Story.objects.select_for_update().filter(pk=pk, key_points_status=running)
            story = story.first()
            if story is not None:
                requeued += story.queue_key_points(force=True)
    return requeued


def send_generate_key_points(story_id: int, text_hash: str, *, replace_reviewed: bool) -> None:
    """Hand the job to the broker (runs after commit); a broker that is down is only logged.

    The editor's save has already succeeded by then and must not turn into an error page; the
    story stays "queued" and beat's sweep sends it again once the broker is back.
    """
    from .tasks import generate_key_points

    try:
        generate_key_points.delay(story_id, text_hash, replace_reviewed=replace_reviewed)
    except Exception:  # kombu raises several kinds (OperationalError, OSError...) when down
        logger.exception("Could not queue key points for story %s; the sweep will retry", story_id)


__all__ = [
    "GenerationSettings",
    "SummarizerError",
    "draft_bullets",
    "generate_key_points_now",
    "generation_settings",
    "plain_text",
    "requeue_left_running",
    "send_generate_key_points",
    "set_status",
    "stories_needing_key_points",
    "write_key_points",
]
