"""The key-points task: queued after commit, drops outdated text, retries, fails visibly."""

from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from kombu.exceptions import OperationalError

from events.models import KeyPoint, Story
from events.summarizer import SummarizerError, TransientSummarizerError
from events.tasks import generate_key_points, requeue_stale_key_points

BULLETS = [
    "Drones killed three people in Kharkiv overnight.",
    "Russia launched more than 300 drones across Ukraine.",
    "Talks between US and Russian officials move to Moscow.",
]


class FakeEngine:
    """Stands in for the summarizer: answers, or raises what it is told to, in turn."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes) or [BULLETS]
        self.calls = 0

    def __call__(self, text, title=None, n=3, backend="extractive", **options):
        self.calls += 1
        outcome = self.outcomes[min(self.calls, len(self.outcomes)) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome(text) if callable(outcome) else list(outcome)


@pytest.fixture
def engine(monkeypatch):
    def install(*outcomes):
        fake = FakeEngine(*outcomes)
        monkeypatch.setattr("events.keypoints.summarize", fake)
        return fake

    return install


@pytest.fixture
def sent(monkeypatch):
    """What would have gone to the broker: (story_id, text_hash, replace_reviewed)."""
    messages = []

    def delay(story_id, text_hash, replace_reviewed=False):
        messages.append((story_id, text_hash, replace_reviewed))

    monkeypatch.setattr(generate_key_points, "delay", delay)
    return messages


@pytest.fixture
def story(editor) -> Story:
    return Story.objects.create(
        headline="Drones kill three in Kharkiv",
        standfirst="A night of drones across Ukraine.",
        body="Drones hit Kharkiv overnight, killing three people.",
        created_by=editor,
        updated_by=editor,
    )


def run(story_id, text_hash, replace_reviewed=False):
    """Run the task as the worker would (eagerly), returning what it reported."""
    result = generate_key_points.apply(
        args=[story_id, text_hash], kwargs={"replace_reviewed": replace_reviewed}
    )
    return result.result


def queue(story, django_capture_on_commit_callbacks) -> bool:
    with django_capture_on_commit_callbacks(execute=True):
        return story.queue_key_points()


def texts(story) -> list[str]:
    return list(story.key_points.values_list("text", flat=True))


def test_changed_text_is_queued_after_commit_and_drafted(
    story, sent, engine, django_capture_on_commit_callbacks
):
    engine(BULLETS)
    with django_capture_on_commit_callbacks() as callbacks:
        assert story.queue_key_points()
        assert sent == []  # nothing leaves before the save is committed
    for callback in callbacks:
        callback()
    assert sent == [(story.pk, story.text_hash, False)]
    assert Story.objects.get(pk=story.pk).key_points_status == "queued"

    assert run(*sent[0]) == "ready"

    story.refresh_from_db()
    assert story.key_points_status == "ready"
    assert texts(story) == BULLETS
    point = story.key_points.first()
    assert point.origin == KeyPoint.Origin.GENERATED
    assert (point.backend, point.text_hash) == ("extractive", story.text_hash)
    assert point.backend_version and point.generated_at
    assert not story.key_points.approved().exists()  # nothing public until an editor approves


def test_the_summarizer_reads_the_body_as_plain_text(
    story, sent, engine, django_capture_on_commit_callbacks
):
    seen = []
    engine(lambda text: seen.append(text) or BULLETS)
    story.body = "## Overnight\n\nDrones hit **Kharkiv** [overnight](https://example.org) & more."
    story.save()
    queue(story, django_capture_on_commit_callbacks)
    run(*sent[0])
    assert seen == ["Overnight\n\nDrones hit Kharkiv overnight & more."]


def test_a_story_without_a_body_is_drafted_from_its_standfirst(
    story, sent, engine, django_capture_on_commit_callbacks
):
    seen = []
    engine(lambda text: seen.append(text) or BULLETS[:1])
    story.body = ""
    story.save()
    queue(story, django_capture_on_commit_callbacks)
    run(*sent[0])
    assert seen == ["A night of drones across Ukraine."]


def test_unchanged_text_is_not_queued_again(story, sent, django_capture_on_commit_callbacks):
    queue(story, django_capture_on_commit_callbacks)
    story.byline = "By Taras Bondar"
    story.save()
    assert queue(story, django_capture_on_commit_callbacks) is False
    assert len(sent) == 1


def test_status_changes_do_not_make_an_open_form_stale(
    story, sent, engine, django_capture_on_commit_callbacks
):
    engine(SummarizerError("no sentences"))
    opened_at = Story.objects.get(pk=story.pk).version
    queue(story, django_capture_on_commit_callbacks)
    run(*sent[0])
    story = Story.objects.get(pk=story.pk)
    assert story.key_points_status == "failed"
    assert story.version == opened_at
    story.check_version(opened_at)  # the editor's save would still go through


def test_result_for_outdated_text_is_dropped(
    story, sent, engine, django_capture_on_commit_callbacks
):
    engine(BULLETS)
    queue(story, django_capture_on_commit_callbacks)
    story.body = "Drones hit Kharkiv overnight, killing four people."
    story.save()
    queue(story, django_capture_on_commit_callbacks)

    assert run(*sent[0]) == "superseded"
    assert texts(story) == []
    assert Story.objects.get(pk=story.pk).key_points_status == "queued"  # the newer request

    assert run(*sent[1]) == "ready"
    assert texts(story) == BULLETS


def test_text_changed_while_drafting_is_not_written(
    story, sent, engine, django_capture_on_commit_callbacks
):
    def edit_meanwhile(text):
        Story.objects.filter(pk=story.pk).update(body="A correction to the toll.")
        return BULLETS

    engine(edit_meanwhile)
    queue(story, django_capture_on_commit_callbacks)
    assert run(*sent[0]) == "outdated"
    assert texts(story) == []


def test_text_changed_without_a_request_asks_for_the_new_text(
    story, sent, engine, django_capture_on_commit_callbacks
):
    # e.g. an earlier version restored from history: the text moved on, nobody queued it
    queue(story, django_capture_on_commit_callbacks)
    Story.objects.filter(pk=story.pk).update(body="Restored wording of the story.")
    with django_capture_on_commit_callbacks(execute=True):
        assert run(*sent[0]) == "outdated"
    current = Story.objects.get(pk=story.pk)
    assert sent[-1] == (story.pk, current.text_hash, False)
    assert texts(story) == []


def test_failure_shows_the_reason_and_keeps_existing_points(
    story, sent, engine, editor, django_capture_on_commit_callbacks
):
    story.add_key_point("An editor's own point.", by=editor)
    engine(SummarizerError("The server answered with a number that is not in the story."))
    queue(story, django_capture_on_commit_callbacks)
    run(*sent[0])
    story.refresh_from_db()
    assert story.key_points_status == "failed"
    assert story.key_points_error == "The server answered with a number that is not in the story."
    assert texts(story) == ["An editor's own point."]


def test_unexpected_error_is_reported_as_a_failure(
    story, sent, engine, django_capture_on_commit_callbacks
):
    engine(ValueError("weights file is damaged"))
    queue(story, django_capture_on_commit_callbacks)
    run(*sent[0])
    story.refresh_from_db()
    assert story.key_points_status == "failed"
    assert "weights file is damaged" in story.key_points_error


def test_transient_errors_are_retried_then_succeed(
    story, sent, engine, django_capture_on_commit_callbacks
):
    fake = engine(
        TransientSummarizerError("HTTP 503 from the server"),
        TransientSummarizerError("timed out after 20 s"),
        BULLETS,
    )
    queue(story, django_capture_on_commit_callbacks)
    run(*sent[0])
    story.refresh_from_db()
    assert fake.calls == 3
    assert story.key_points_status == "ready"
    assert story.key_points_error == ""
    assert texts(story) == BULLETS


def test_retries_are_bounded_then_the_failure_is_shown(
    story, sent, engine, settings, django_capture_on_commit_callbacks
):
    fake = engine(TransientSummarizerError("connection refused"))
    queue(story, django_capture_on_commit_callbacks)
    run(*sent[0])
    story.refresh_from_db()
    assert fake.calls == generate_key_points.max_retries + 1
    assert generate_key_points.max_retries == settings.NEWSROOM_KEY_POINTS_MAX_RETRIES
    assert story.key_points_status == "failed"
    assert story.key_points_error == "connection refused"


def test_retry_backoff_is_exponential_and_capped():
    assert generate_key_points.autoretry_for == (TransientSummarizerError,)
    assert generate_key_points.retry_backoff and generate_key_points.retry_backoff_max
    assert generate_key_points.soft_time_limit < generate_key_points.time_limit


def test_a_summarizer_that_runs_too_long_fails_with_the_reason(
    story, sent, engine, django_capture_on_commit_callbacks
):
    engine(SoftTimeLimitExceeded())
    queue(story, django_capture_on_commit_callbacks)
    run(*sent[0])
    story.refresh_from_db()
    assert story.key_points_status == "failed"
    assert "took longer than" in story.key_points_error


def test_running_twice_gives_the_same_points(
    story, sent, engine, django_capture_on_commit_callbacks
):
    engine(BULLETS)
    queue(story, django_capture_on_commit_callbacks)
    run(*sent[0])
    run(*sent[0])
    assert texts(story) == BULLETS


def test_a_deleted_story_is_skipped_quietly(story, sent, django_capture_on_commit_callbacks):
    queue(story, django_capture_on_commit_callbacks)
    story.delete()
    assert run(*sent[0]) == "gone"


def test_regeneration_keeps_edited_and_approved_points(
    story, sent, engine, editor, django_capture_on_commit_callbacks
):
    engine(BULLETS)
    queue(story, django_capture_on_commit_callbacks)
    run(*sent[-1])
    first, second, third = story.key_points.all()
    first.edit("Three people were killed in Kharkiv, officials said.", by=editor)
    second.approve(by=editor)

    engine(["A brand-new draft about the power cuts in the city.", *BULLETS])
    with django_capture_on_commit_callbacks(execute=True):
        story.regenerate_key_points(by=editor)
    run(*sent[-1])

    assert texts(story) == [
        "Three people were killed in Kharkiv, officials said.",
        "Russia launched more than 300 drones across Ukraine.",
        "A brand-new draft about the power cuts in the city.",
    ]
    assert story.key_points.get(order=1).is_approved
    assert not KeyPoint.objects.filter(pk=third.pk).exists()  # the unreviewed draft was replaced


def test_replacing_reviewed_points_when_the_editor_asks(
    story, sent, engine, editor, django_capture_on_commit_callbacks
):
    engine(BULLETS)
    queue(story, django_capture_on_commit_callbacks)
    run(*sent[-1])
    story.key_points.first().edit("Edited by hand.", by=editor)
    story.approve_key_points(by=editor)

    new = ["First new point.", "Second new point.", "Third new point."]
    engine(new)
    with django_capture_on_commit_callbacks(execute=True):
        story.regenerate_key_points(by=editor, replace_reviewed=True)
    assert sent[-1][2] is True
    run(*sent[-1])
    assert texts(story) == new
    assert not story.key_points.approved().exists()


def test_a_reporter_cannot_regenerate(story, reporter, sent, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PermissionDenied, match="regenerate key points"),
    ):
        story.regenerate_key_points(by=reporter)
    assert sent == []


def test_broker_down_on_save_keeps_the_save_and_leaves_it_queued(
    story, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(generate_key_points, "delay", broker_down)
    story.body = "Drones hit Kharkiv overnight, killing four people."
    story.save()
    queue(story, django_capture_on_commit_callbacks)  # no exception reaches the editor

    saved = Story.objects.get(pk=story.pk)
    assert saved.body == "Drones hit Kharkiv overnight, killing four people."
    assert saved.key_points_status == "queued"
    assert "the sweep will retry" in caplog.text


def test_the_sweep_requeues_lost_and_unrequested_stories(
    story, editor, sent, settings, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - timedelta(seconds=settings.NEWSROOM_KEY_POINTS_STALE_AFTER + 60)

    def make(headline, **fields):
        return Story.objects.create(headline=headline, body=f"{headline}.", **fields)

    lost_queued = make("Lost in the queue", key_points_status="queued")
    lost_running = make("Worker died", key_points_status="running")
    waiting = make("Just queued", key_points_status="queued")
    failed = make("Failed", key_points_status="failed")
    Story.objects.filter(pk__in=[lost_queued.pk, lost_running.pk, failed.pk]).update(
        key_points_requested_at=long_ago
    )
    Story.objects.filter(pk=waiting.pk).update(key_points_requested_at=timezone.now())
    Story.objects.filter(pk=failed.pk).update(key_points_hash=failed.text_hash)
    never = story  # created, never queued (e.g. written before key points existed)

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_key_points() == 3

    assert sorted(story_id for story_id, _, _ in sent) == sorted(
        [lost_queued.pk, lost_running.pk, never.pk]
    )
    assert Story.objects.get(pk=lost_running.pk).key_points_status == "queued"
    assert Story.objects.get(pk=failed.pk).key_points_status == "failed"

    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_key_points() == 0  # nothing is sent twice while it is fresh


def test_the_sweep_sends_a_bounded_batch(
    editor, sent, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_KEY_POINTS_SWEEP_LIMIT = 2
    for number in range(3):
        Story.objects.create(headline=f"Archive story {number}", body="Written before key points.")
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_key_points() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_key_points() == 1  # the next sweep takes the rest
    assert len({story_id for story_id, _, _ in sent}) == 3
