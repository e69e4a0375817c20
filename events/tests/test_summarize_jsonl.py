"""`manage.py summarize_jsonl`: articles in, bullets out, bad lines reported and skipped."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

ARTICLES = [
    {
        "id": "kharkiv",
        "title": "Drones kill three in Kharkiv",
        "text": "Russian drones struck Kharkiv overnight, killing three people and injuring 60. "
        "Fires broke out in several apartment blocks. Rescue crews worked through the night. "
        "The regional governor said children were among the injured.",
    },
    {
        "id": 2,
        "text": "Talks between US and Russian officials are moving from Istanbul to Moscow. "
        "The agenda covers direct flights and the Middle East. Officials expect a first "
        "round next week. Neither side gave a date for a summit.",
    },
    {
        "id": "odesa",
        "title": "Port damage in Odesa",
        "text": "Port officials in Odesa are assessing the damage after a night of drones. "
        "Two warehouses burned down. Grain shipments were paused for the day. "
        "Insurers said claims would take weeks to settle.",
    },
]


def run(tmp_path, lines: list[str], *args) -> tuple[list[dict], str]:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stderr = io.StringIO()
    call_command("summarize_jsonl", str(source), str(target), *args, stderr=stderr)
    output = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    return output, stderr.getvalue()


def test_bullets_come_out_in_input_order(tmp_path):
    output, _ = run(tmp_path, [json.dumps(a) for a in ARTICLES])
    assert [record["id"] for record in output] == ["kharkiv", 2, "odesa"]
    for record in output:
        assert set(record) == {"id", "bullets"}
        assert 1 <= len(record["bullets"]) <= 3
        assert all(isinstance(b, str) and b.strip() for b in record["bullets"])


def test_bullets_option_sets_how_many(tmp_path):
    output, _ = run(tmp_path, [json.dumps(ARTICLES[0])], "--bullets", "2")
    assert len(output[0]["bullets"]) == 2


def test_a_bad_line_is_reported_with_its_number_and_skipped(tmp_path):
    lines = [
        json.dumps(ARTICLES[0]),
        '{"id": "broken", "text": "unterminated',
        json.dumps({"id": "no-text"}),
        "",
        json.dumps(["not", "an", "object"]),
        json.dumps(ARTICLES[2]),
    ]
    output, stderr = run(tmp_path, lines)
    assert [record["id"] for record in output] == ["kharkiv", "odesa"]
    assert "line 2: not valid JSON" in stderr
    assert "line 3: “text” is missing" in stderr
    assert "line 5: expected a JSON object" in stderr
    assert "line 4" not in stderr  # a blank line is not an error
    assert "3 line(s) skipped" in stderr


def test_progress_is_shown_on_stderr(tmp_path):
    _, stderr = run(tmp_path, [json.dumps(a) for a in ARTICLES])
    assert "3/3 articles (100%)" in stderr
    assert "Summarized 3 article(s) with extractive" in stderr


def test_a_missing_input_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such input file"):
        call_command("summarize_jsonl", str(tmp_path / "nope.jsonl"), str(tmp_path / "o.jsonl"))


def test_an_unknown_backend_is_refused(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(ARTICLES[0]), encoding="utf-8")
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("summarize_jsonl", str(source), str(tmp_path / "o.jsonl"), "--backend", "x")
