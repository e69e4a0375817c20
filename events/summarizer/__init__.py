"""Key-points summarizer: turns a story into 3–5 short, self-contained bullet sentences.

Plain Python (no Django): the Celery task calls `summarize()` and records `BACKEND_VERSION`.
"""

from __future__ import annotations

from .errors import SummarizerError, TransientSummarizerError

BACKEND_VERSION = {
    "extractive": "extractive-gbt-2",
    "openai": "openai-chat-1",
}

__all__ = ["BACKEND_VERSION", "SummarizerError", "TransientSummarizerError", "summarize"]


def summarize(
    text: str,
    title: str | None = None,
    n: int = 3,
    backend: str = "extractive",
    **options: object,
) -> list[str]:
    """Return `n` bullet sentences for a story (fewer only if the text has fewer sentences).

    backend "extractive" (default) is offline and deterministic; backend "openai" calls an
    OpenAI-compatible chat-completions server (options: base_url, model, api_key, timeout).
    Raises SummarizerError (with `.reason`); TransientSummarizerError means retrying may help.
    """
    if not 1 <= n <= 10:
        raise SummarizerError(f"n must be between 1 and 10, got {n}")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise SummarizerError("text must be a string")
    if backend == "extractive":
        from .extractive import summarize_extractive

        return summarize_extractive(text, title, n, **options)  # type: ignore[arg-type]
    if backend == "openai":
        from .openai_backend import summarize_openai

        return summarize_openai(text, title, n, **options)  # type: ignore[arg-type]
    raise SummarizerError(f"unknown summarizer backend {backend!r}")
