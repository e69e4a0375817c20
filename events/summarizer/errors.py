"""Exceptions shared by every backend."""

from __future__ import annotations


class SummarizerError(Exception):
    """The summarizer could not produce acceptable bullets; `.reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientSummarizerError(SummarizerError):
    """A failure worth retrying later (timeout, connection refused, HTTP 5xx or 429)."""
