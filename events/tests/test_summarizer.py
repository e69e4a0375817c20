"""Tests for the key-points summarizer (plain Python, no database).

All story text here is written for these tests.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from events.summarizer import (
    BACKEND_VERSION,
    SummarizerError,
    TransientSummarizerError,
    summarize,
)
from events.summarizer.sentences import split_sentences
from events.summarizer.validation import check_bullet, invented_numbers, numbers_in

STORY = """KHARKIV, Ukraine (CNN) -- A Russian attack by 17 drones on Kharkiv killed 3 people and \
injured more than 60 overnight, regional governor Oleh Syniehubov said on Tuesday.

The attack on Kharkiv was part of a nationwide wave of more than 300 drones launched across \
Ukraine, with strikes also reported in Kyiv, Odesa and Dnipro.

Separately, US and Russian negotiators agreed to move their next round of peace talks from \
Istanbul to Moscow.

The drones hit apartment blocks, a school and a power substation in the northern districts.

Emergency crews worked through the night to pull residents from the rubble of a nine-storey \
building, where most of the injured lived.

Ukraine's air force said it shot down most of the drones, but debris damaged houses in several \
regions and cut power to thousands of homes.

He said the talks would focus on a ceasefire and the exchange of prisoners.

It was not clear whether Ukrainian officials would attend the meeting in Moscow.
"""

TITLE = "Russian drones kill 3 in Kharkiv as talks move to Moscow"


def words(s: str) -> int:
    return len(s.split())


# --- sentence splitting -------------------------------------------------------------------


def test_split_abbreviations_and_initials() -> None:
    text = (
        "Mr. Smith met Gen. John F. Kennedy Jr. in the U.S. capital on Jan. 5. "
        "Dr. Lee was not there. It moved to the U.S. The next day was calm."
    )
    assert split_sentences(text) == [
        "Mr. Smith met Gen. John F. Kennedy Jr. in the U.S. capital on Jan. 5.",
        "Dr. Lee was not there.",
        "It moved to the U.S.",
        "The next day was calm.",
    ]


def test_split_quotes_and_questions() -> None:
    text = '"We are ready," he said. "Are you?" she asked. "Yes." The room went quiet.'
    assert split_sentences(text) == [
        '"We are ready," he said.',
        '"Are you?" she asked.',
        '"Yes."',
        "The room went quiet.",
    ]


def test_split_decimals_and_ellipses() -> None:
    text = "Inflation rose 3.5% in May... Then it fell to 2.1 percent. Prices... well, rose."
    assert split_sentences(text) == [
        "Inflation rose 3.5% in May...",
        "Then it fell to 2.1 percent.",
        "Prices... well, rose.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "KYIV, Ukraine (CNN) -- The mayor spoke at noon. He was brief.",
        "LONDON — The mayor spoke at noon. He was brief.",
        "(CNN)The mayor spoke at noon. He was brief.",
        "WASHINGTON (Reuters) - The mayor spoke at noon. He was brief.",
    ],
)
def test_split_strips_datelines(text: str) -> None:
    assert split_sentences(text) == ["The mayor spoke at noon.", "He was brief."]


def test_split_paragraphs_and_empty() -> None:
    assert split_sentences("") == []
    assert split_sentences("   \n ") == []
    assert split_sentences("First line without stop\n\nSecond one.") == [
        "First line without stop",
        "Second one.",
    ]


# --- extractive backend -------------------------------------------------------------------


def test_reference_night_story() -> None:
    bullets = summarize(STORY, TITLE, 3)
    assert len(bullets) == 3
    kharkiv = [b for b in bullets if "Kharkiv" in b]
    assert kharkiv and any("3" in b and "60" in b for b in kharkiv), bullets
    # The nationwide scale: the 300-drone wave across Ukraine.
    assert any("300" in b and "Ukraine" in b for b in bullets), bullets
    assert any("Istanbul" in b and "Moscow" in b and "talks" in b for b in bullets), bullets


@pytest.mark.parametrize("n", [3, 4, 5])
def test_bullet_shape(n: int) -> None:
    bullets = summarize(STORY, TITLE, n)
    assert len(bullets) == n
    for b in bullets:
        assert words(b) <= 30
        assert b[0].isupper() or b[0] in '"“'
        assert b[-1] in '.!?"”'
        assert b.count('"') % 2 == 0
        assert len(split_sentences(b)) == 1
        first = b.split()[0].strip('"“').lower()
        assert first not in {"he", "she", "they", "it", "this", "but"}


def test_no_invented_numbers() -> None:
    source = set(numbers_in(STORY)) | {"17", "9"}  # spelt out in the story
    for n in (3, 5):
        for b in summarize(STORY, TITLE, n):
            assert numbers_in(b) <= source, b


def test_deterministic() -> None:
    first = summarize(STORY, TITLE, 4)
    for _ in range(3):
        assert summarize(STORY, TITLE, 4) == first


def test_empty_and_short_texts() -> None:
    assert summarize("") == []
    assert summarize("   ") == []
    assert summarize("The bridge reopened on Monday.") == ["The bridge reopened on Monday."]
    two = "The bridge reopened on Monday. Traffic was light."
    assert summarize(two, n=3) == ["The bridge reopened on Monday.", "Traffic was light."]


def test_long_single_sentence_is_kept_within_limit() -> None:
    text = "The council voted " + "and debated " * 30 + "until dawn."
    bullets = summarize(text)
    assert len(bullets) == 1 and words(bullets[0]) <= 30


@pytest.mark.parametrize(
    "text",
    [
        "Die Stadt wurde in der Nacht angegriffen. Drei Menschen starben. Die Feuerwehr half.",
        "Город подвергся атаке ночью. Погибли три человека. Пожарные работали до утра.",
        "asdkj qwe ;;; 12 zz@@ ### !!! ...",
        "%%%% $$$$ ^^^^",
        "no punctuation at all just words running on and on " * 5,
    ],
)
def test_garbage_and_non_english(text: str) -> None:
    bullets = summarize(text)
    assert isinstance(bullets, list)
    for b in bullets:
        assert isinstance(b, str) and b and words(b) <= 30
        assert not invented_numbers(b, text)


def test_bad_arguments() -> None:
    with pytest.raises(SummarizerError) as exc:
        summarize(STORY, backend="nope")
    assert "nope" in exc.value.reason
    with pytest.raises(SummarizerError):
        summarize(STORY, n=0)


def test_backend_versions() -> None:
    assert set(BACKEND_VERSION) == {"extractive", "openai"}
    assert all(isinstance(v, str) and v for v in BACKEND_VERSION.values())


def test_validation_helpers() -> None:
    assert invented_numbers("3 killed and 61 hurt.", "3 people died and 60 were hurt") == ["61"]
    assert invented_numbers("Seventeen drones: 17 in all.", "seventeen drones") == []
    assert invented_numbers("It cost 1,200 dollars.", "It cost 1200 dollars") == []
    assert check_bullet("One two. Three four.", "x") == "bullet is not a single sentence"
    assert "words" in (check_bullet("word " * 31 + "end.", "x") or "")


# --- OpenAI-compatible backend against a real loopback HTTP server ------------------------


class FakeLLM:
    """A chat-completions server whose behaviour each test sets."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.mode = "good"
        self.sleep = 0.0
        self.content = ""


def _answer(content: str) -> bytes:
    return json.dumps(
        {"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": {
            "role": "assistant", "content": content}, "finish_reason": "stop"}]}
    ).encode()  # fmt: skip


GOOD = [
    "A Russian drone attack on Kharkiv killed 3 people and injured more than 60.",
    "More than 300 drones were launched across Ukraine, hitting Kyiv, Odesa and Dnipro.",
    "US-Russia talks on ending the war will move from Istanbul to Moscow.",
]


@pytest.fixture
def llm():
    state = FakeLLM()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep pytest output clean
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            state.requests.append(
                {"path": self.path, "auth": self.headers.get("Authorization"),
                 "body": json.loads(self.rfile.read(length))}
            )  # fmt: skip
            if state.sleep:
                time.sleep(state.sleep)
            if state.mode == "http500":
                self.send_response(500)
                self.end_headers()
                self.wfile.write(b"boom")
                return
            body = _answer(state.content)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield state
    server.shutdown()
    server.server_close()


def _call(llm: FakeLLM, timeout: float = 5.0) -> list[str]:
    return summarize(
        STORY, TITLE, 3, backend="openai", base_url=llm.base_url, model="test-model",
        api_key="secret", timeout=timeout,
    )  # fmt: skip


def test_openai_good_answer(llm: FakeLLM) -> None:
    llm.content = json.dumps({"bullets": GOOD})
    assert _call(llm) == GOOD
    assert len(llm.requests) == 1
    req = llm.requests[0]
    assert req["path"] == "/v1/chat/completions"
    assert req["auth"] == "Bearer secret"
    assert req["body"]["model"] == "test-model"
    assert "Kharkiv" in req["body"]["messages"][-1]["content"]


def test_openai_code_fenced_answer(llm: FakeLLM) -> None:
    llm.content = "```json\n" + json.dumps(GOOD) + "\n```"
    assert _call(llm) == GOOD


def test_openai_malformed_json_retried_once(llm: FakeLLM) -> None:
    llm.content = '{"bullets": ["unterminated'
    with pytest.raises(SummarizerError) as exc:
        _call(llm)
    assert not isinstance(exc.value, TransientSummarizerError)
    assert "JSON" in exc.value.reason
    assert len(llm.requests) == 2


def test_openai_wrong_count_is_invalid(llm: FakeLLM) -> None:
    llm.content = json.dumps({"bullets": GOOD[:2]})
    with pytest.raises(SummarizerError) as exc:
        _call(llm)
    assert "expected 3 bullets" in exc.value.reason
    assert len(llm.requests) == 2


def test_openai_invented_number(llm: FakeLLM) -> None:
    llm.content = json.dumps({"bullets": [GOOD[0], GOOD[1].replace("300", "450"), GOOD[2]]})
    with pytest.raises(SummarizerError) as exc:
        _call(llm)
    assert not isinstance(exc.value, TransientSummarizerError)
    assert "450" in exc.value.reason
    assert len(llm.requests) == 2


def test_openai_timeout_is_transient(llm: FakeLLM) -> None:
    llm.content = json.dumps({"bullets": GOOD})
    llm.sleep = 1.5
    start = time.monotonic()
    with pytest.raises(TransientSummarizerError) as exc:
        _call(llm, timeout=0.3)
    assert time.monotonic() - start < 1.4
    assert re.search(r"within|timed out", exc.value.reason)


def test_openai_http_500_is_transient(llm: FakeLLM) -> None:
    llm.mode = "http500"
    with pytest.raises(TransientSummarizerError) as exc:
        _call(llm)
    assert "500" in exc.value.reason


def test_openai_connection_refused_is_transient() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(TransientSummarizerError):
        summarize(STORY, backend="openai", base_url=f"http://127.0.0.1:{port}/v1", model="m")


def test_openai_missing_settings() -> None:
    with pytest.raises(SummarizerError) as exc:
        summarize(STORY, backend="openai")
    assert "base_url" in exc.value.reason


def test_compiled_trees_match_node_walk() -> None:
    import random

    from events.summarizer.scoring import load_models

    scorer, deleter, _ = load_models()
    rng = random.Random(3)
    for model in (scorer, deleter):
        assert model is not None
        for _ in range(200):
            row = [rng.uniform(-1.0, 40.0) for _ in model.features]
            assert model.predict(row) == model.predict_slow(row)


def test_bench_skips_without_data(tmp_path, capsys) -> None:
    from events.summarizer import bench

    missing = tmp_path / "absent.jsonl"
    assert bench.main(["--data", str(missing)]) == 0
    assert f"skipped: no dev data at {missing}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("sentence", "bad"),
    [
        ("It's the second outbreak this week.", True),
        ("He said the talks would resume.", True),
        ("After the vote, they left the hall.", True),
        ('"We will rebuild the school."', True),
        ("The governor told CNN on Sunday.", True),
        ("Italy's mayor said the bridge would reopen.", False),
        ("Officials said the plan failed.", False),
    ],
)
def test_unfit_openings(sentence: str, bad: bool) -> None:
    from events.summarizer.extractive import _bad_opening

    assert _bad_opening(sentence) is bad


def test_connectives_are_dropped() -> None:
    from events.summarizer.compression import strip_connective

    assert strip_connective("But the mayor said the bridge would reopen.") == (
        "The mayor said the bridge would reopen."
    )
    assert strip_connective("First Lady Jane Doe opened the school.").startswith("First Lady")
