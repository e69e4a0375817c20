"""Backend for any OpenAI-compatible chat-completions server (vLLM, llama.cpp, Ollama, ...).

Standard library only (urllib.request + json). The model is asked for exactly `n` bullets as
JSON; the answer is validated like the extractive backend's output (count, length, one sentence,
no number absent from the story). An invalid answer is retried once with the reason fed back,
then SummarizerError. Network trouble raises TransientSummarizerError so the caller (a Celery
task) can retry with backoff instead of failing the story for good.
"""

from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.request

from .errors import SummarizerError, TransientSummarizerError
from .validation import MAX_WORDS, check_bullets

DEFAULT_TIMEOUT = 30.0
MAX_STORY_CHARS = 24_000  # keep the prompt inside small local models' context windows

SYSTEM_PROMPT = (
    "You write wire-service story highlights. Reply with JSON only, in the form "
    '{{"bullets": ["...", "..."]}}, containing exactly {n} bullets. Each bullet is one complete '
    "sentence of at most {max_words} words that stands on its own: name who, what, where and the "
    "key figures; never open with a pronoun; use only facts and numbers that appear in the story."
)


def _endpoint(base_url: str) -> str:
    base = base_url.rstrip("/")
    return base if base.endswith("/chat/completions") else base + "/chat/completions"


def _post(url: str, payload: dict, api_key: str | None, timeout: float) -> dict:
    """POST JSON and return the decoded answer; classify failures as transient or not."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    req = urllib.request.Request(
        url, data=json.dumps(payload).encode("utf-8"), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 429 or exc.code >= 500:
            raise TransientSummarizerError(f"server answered HTTP {exc.code}") from exc
        raise SummarizerError(f"server refused the request: HTTP {exc.code}") from exc
    except TimeoutError as exc:
        raise TransientSummarizerError(f"no answer within {timeout:g}s") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError | socket.timeout):
            raise TransientSummarizerError(f"no answer within {timeout:g}s") from exc
        raise TransientSummarizerError(f"cannot reach server: {exc.reason}") from exc
    except (ConnectionError, OSError) as exc:
        raise TransientSummarizerError(f"connection failed: {exc}") from exc
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _InvalidAnswer("server response is not JSON") from exc


class _InvalidAnswer(Exception):
    """The server answered, but not with usable bullets (worth one retry)."""


def _parse_bullets(answer: dict) -> list[str]:
    try:
        content = answer["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as exc:
        raise _InvalidAnswer("response has no choices[0].message.content") from exc
    if not isinstance(content, str):
        raise _InvalidAnswer("message content is not text")
    # Many models wrap JSON in a Markdown code fence despite being told not to.
    text = re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", content.strip())
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _InvalidAnswer(f"model output is not valid JSON: {exc.msg}") from exc
    if isinstance(data, dict):
        data = data.get("bullets")
    if not isinstance(data, list) or not all(isinstance(b, str) for b in data):
        raise _InvalidAnswer('model output is not {"bullets": [strings]}')
    return [" ".join(b.split()) for b in data]


def summarize_openai(
    text: str,
    title: str | None = None,
    n: int = 3,
    *,
    base_url: str | None = None,
    model: str | None = None,
    api_key: str | None = None,
    timeout: float | None = None,
) -> list[str]:
    """Ask the server for `n` bullets; validate them; retry an invalid answer once."""
    if not base_url or not model:
        raise SummarizerError("openai backend needs base_url and model settings")
    if not text or not text.strip():
        return []
    story = text.strip()[:MAX_STORY_CHARS]
    user = (f"Title: {title.strip()}\n\n" if title else "") + f"Story:\n{story}"
    messages = [
        {"role": "system", "content": SYSTEM_PROMPT.format(n=n, max_words=MAX_WORDS)},
        {"role": "user", "content": user},
    ]
    url = _endpoint(base_url)
    reason = ""
    for _attempt in range(2):
        payload = {"model": model, "messages": messages, "temperature": 0}
        try:
            bullets = _parse_bullets(_post(url, payload, api_key, timeout or DEFAULT_TIMEOUT))
        except _InvalidAnswer as exc:
            reason = str(exc)
        else:
            why = check_bullets(bullets, text, n)
            if why is None:
                return bullets
            reason = why
        # Tell the model what was wrong; small models usually fix it on the second try.
        messages = [
            messages[0],
            {"role": "user", "content": f"Your previous answer was rejected ({reason}).\n\n{user}"},
        ]
    raise SummarizerError(f"invalid answer after retry: {reason}")
