"""The `openai` backend end to end through the task, against a real HTTP server on loopback.

Whatever the server does (a good answer, malformed JSON, a timeout, HTTP 500, a number that is
not in the story), the story ends in a clear status and nothing an editor wrote is lost.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from events.models import Story
from events.tasks import generate_key_points

GOOD = [
    "Russian drones killed three people in Kharkiv overnight.",
    "Russia launched more than 300 drones across Ukraine.",
    "US and Russian officials are moving their talks to Moscow.",
]


class ChatServer:
    """Answers POST /v1/chat/completions with the next scripted reply."""

    def __init__(self):
        self.replies: list = []
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                server.requests.append(json.loads(self.rfile.read(length)))
                reply = server.replies[min(len(server.requests), len(server.replies)) - 1]
                status, body, delay = reply
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(body.encode())
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as it should

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def script(self, *replies):
        self.replies = list(replies)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def chat_answer(content: str) -> tuple[int, str, float]:
    return 200, json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}), 0


def bullets_answer(bullets: list[str]):
    return chat_answer(json.dumps({"bullets": bullets}))


@pytest.fixture
def server(settings, monkeypatch):
    chat = ChatServer()
    settings.NEWSROOM_SUMMARIZER_BACKEND = "openai"
    settings.NEWSROOM_OPENAI_BASE_URL = chat.url
    settings.NEWSROOM_OPENAI_MODEL = "desk-model"
    settings.NEWSROOM_OPENAI_API_KEY = "local-key"
    settings.NEWSROOM_OPENAI_TIMEOUT = 0.5
    monkeypatch.setattr(generate_key_points, "max_retries", 1)  # keep the retry path quick
    yield chat
    chat.close()


@pytest.fixture
def story(editor, monkeypatch) -> Story:
    monkeypatch.setattr(generate_key_points, "delay", lambda *args, **kwargs: None)
    story = Story.objects.create(
        headline="Drones kill three in Kharkiv",
        body="Russian drones struck Kharkiv overnight, killing three people. Russia launched "
        "more than 300 drones across Ukraine. Talks between US and Russian officials are "
        "moving from Istanbul to Moscow.",
        created_by=editor,
        updated_by=editor,
    )
    story.add_key_point("The editor's own point about Kharkiv.", by=editor)
    story.queue_key_points()
    return story


def run(story):
    generate_key_points.apply(args=[story.pk, story.text_hash])
    return Story.objects.get(pk=story.pk)


def texts(story) -> list[str]:
    return list(story.key_points.values_list("text", flat=True))


def assert_failed_and_nothing_lost(story, reason: str):
    assert story.key_points_status == "failed"
    assert reason in story.key_points_error
    assert texts(story) == ["The editor's own point about Kharkiv."]
    assert "killing three people" in story.body


def test_a_good_answer_becomes_key_points(server, story):
    server.script(bullets_answer(GOOD))
    story = run(story)
    assert story.key_points_status == "ready"
    assert texts(story) == ["The editor's own point about Kharkiv.", *GOOD[:2]]  # up to three
    drafted = story.key_points.filter(origin="generated").first()
    assert (drafted.backend, drafted.backend_version) == ("openai", "openai-chat-1")
    request = server.requests[0]
    assert request["model"] == "desk-model"
    assert "Kharkiv" in request["messages"][-1]["content"]


def test_malformed_json_is_asked_again_then_fails_with_the_reason(server, story):
    server.script(chat_answer('{"bullets": ["unterminated'))
    story = run(story)
    assert len(server.requests) == 2  # one corrective retry, no more
    assert_failed_and_nothing_lost(story, "not valid JSON")


def test_a_malformed_first_answer_is_corrected_on_the_second(server, story):
    server.script(chat_answer("Sure! Here are the bullets."), bullets_answer(GOOD))
    story = run(story)
    assert story.key_points_status == "ready"
    assert "rejected" in server.requests[1]["messages"][-1]["content"]


def test_a_timeout_is_retried_then_fails_visibly(server, story):
    server.script((200, "{}", 1.5))
    story = run(story)
    assert len(server.requests) == 2  # the task retried the transient failure once
    assert_failed_and_nothing_lost(story, "no answer within 0.5s")


def test_a_server_error_is_retried_and_can_recover(server, story):
    server.script((500, '{"error": "overloaded"}', 0), bullets_answer(GOOD))
    story = run(story)
    assert story.key_points_status == "ready"
    assert len(server.requests) == 2


def test_a_server_that_keeps_failing_ends_failed(server, story):
    server.script((500, '{"error": "overloaded"}', 0))
    story = run(story)
    assert_failed_and_nothing_lost(story, "HTTP 500")


def test_an_invented_number_is_refused(server, story):
    invented = ["Russian drones killed 12 people in Kharkiv overnight.", *GOOD[1:]]
    server.script(bullets_answer(invented))
    story = run(story)
    assert len(server.requests) == 2
    assert_failed_and_nothing_lost(story, "12")
