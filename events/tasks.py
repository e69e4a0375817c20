"""Celery tasks. Each takes ids or nothing, re-reads the database and is safe to run twice."""

import logging

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Briefing, Story

logger = logging.getLogger(__name__)


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
