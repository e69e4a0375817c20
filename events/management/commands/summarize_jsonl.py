"""Summarize a file of articles: JSON Lines in, JSON Lines of bullets out, in input order.

    python manage.py summarize_jsonl articles.jsonl bullets.jsonl [--backend NAME] [--bullets N]

Each input line is ``{"id": ..., "title": "..." (optional), "text": "..."}``; each output line is
``{"id": ..., "bullets": [...]}``. A line that cannot be read or summarized is reported on stderr
with its line number and skipped: one bad article never costs the rest of the file.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.keypoints import generation_settings
from events.summarizer import BACKEND_VERSION, SummarizerError, summarize


class BadLine(ValueError):
    pass


def read_article(line: str) -> tuple[object, str | None, str]:
    """(id, title, text) from one JSON line; BadLine says what is wrong with it."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadLine(f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict):
        raise BadLine("expected a JSON object with “id” and “text”")
    if "id" not in record:
        raise BadLine("no “id”")
    text, title = record.get("text"), record.get("title")
    if not isinstance(text, str):
        raise BadLine("“text” is missing or is not a string")
    if title is not None and not isinstance(title, str):
        raise BadLine("“title” is not a string")
    return record["id"], title, text


class Progress:
    """A progress bar on stderr; one line per tenth when stderr is not a terminal (logs)."""

    def __init__(self, stream, total: int) -> None:
        self.stream, self.total = stream, total
        self.live = stream.isatty()
        self.shown_tenth = -1
        self.last = 0.0

    def update(self, done: int) -> None:
        fraction = done / self.total if self.total else 1.0
        if self.live:
            now = time.monotonic()
            if done < self.total and now - self.last < 0.1:
                return
            self.last = now
            bar = "#" * int(fraction * 30)
            self.stream.write(f"\r[{bar:<30}] {done}/{self.total}", ending="")
            self.stream.flush()
        elif int(fraction * 10) > self.shown_tenth:
            self.shown_tenth = int(fraction * 10)
            self.stream.write(f"{done}/{self.total} articles ({fraction:.0%})")

    def close(self) -> None:
        if self.live:
            self.stream.write("")


class Command(BaseCommand):
    help = "Summarize JSON Lines articles into key-point bullets (JSON Lines, input order)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("input", help="JSON Lines file of {id, title?, text}; - for stdin")
        parser.add_argument("output", help="where to write {id, bullets}; - for stdout")
        parser.add_argument(
            "--backend",
            choices=sorted(BACKEND_VERSION),
            help="summarizer backend (default: NEWSROOM_SUMMARIZER_BACKEND)",
        )
        parser.add_argument(
            "--bullets",
            type=int,
            choices=range(1, 11),
            metavar="N",
            help="bullets per article, 1–10 (default: NEWSROOM_SUMMARIZER_BULLETS)",
        )

    def handle(self, *args, input: str, output: str, backend, bullets, **options) -> None:
        config = generation_settings()
        backend = backend or config.backend
        bullets = bullets or config.bullets
        engine_options = config.options if backend == config.backend else {}
        lines = self.read_lines(input)
        if output != "-" and input != "-" and Path(output).resolve() == Path(input).resolve():
            raise CommandError("The output file must not be the input file.")
        try:
            sink = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None

        progress = Progress(self.stderr, len(lines))
        written = skipped = 0
        started = time.perf_counter()
        try:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    try:
                        article_id, title, text = read_article(line)
                        result = summarize(
                            text, title=title, n=bullets, backend=backend, **engine_options
                        )
                    except BadLine as problem:
                        self.report(number, str(problem))
                        skipped += 1
                    except SummarizerError as failure:
                        self.report(number, f"the summarizer failed: {failure.reason}")
                        skipped += 1
                    else:
                        sink.write(json.dumps({"id": article_id, "bullets": result}) + "\n")
                        written += 1
                progress.update(number)
        finally:
            progress.close()
            if sink is not sys.stdout:
                sink.close()
        elapsed = time.perf_counter() - started
        self.stderr.write(
            f"Summarized {written} article(s) with {backend} in {elapsed:.1f} s"
            + (f"; {skipped} line(s) skipped (see above)." if skipped else ".")
        )

    def read_lines(self, path: str) -> list[str]:
        try:
            if path == "-":
                return sys.stdin.read().splitlines()
            return Path(path).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            raise CommandError(f"No such input file: {path}") from None
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text (byte {error.start}).") from None
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None

    def report(self, number: int, problem: str) -> None:
        self.stderr.write(f"line {number}: {problem}; skipped")
