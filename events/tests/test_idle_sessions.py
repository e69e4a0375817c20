"""A desk session ends after NEWSROOM_SESSION_IDLE_TIMEOUT without a request; using it extends it.

Time is moved by editing what the session store holds (its expiry, its last-seen mark), as if
the clock had run on.
"""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.sessions import LAST_SEEN

from .fresh_settings import settings_printed

TIMEOUT = 600


@pytest.fixture(autouse=True)
def idle_timeout(settings):
    settings.SESSION_COOKIE_AGE = TIMEOUT


def stored_expiry(client) -> timezone.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def seconds_left(client) -> float:
    return (stored_expiry(client) - timezone.now()).total_seconds()


def test_a_desk_session_expires_the_idle_timeout_after_its_last_request(editor_client):
    assert editor_client.get(reverse("desk:dashboard")).status_code == 200
    assert TIMEOUT - 5 < seconds_left(editor_client) <= TIMEOUT
    assert editor_client.cookies["sessionid"]["max-age"] == TIMEOUT


def test_an_idle_session_is_signed_out(editor_client):
    editor_client.get(reverse("desk:dashboard"))
    key = editor_client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = editor_client.get(reverse("desk:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("desk:login"))


def test_activity_extends_the_session(editor_client):
    editor_client.get(reverse("desk:dashboard"))
    # Nine minutes pass: the session was last saved then, and has one minute left.
    store = SessionStore(session_key=editor_client.session.session_key)
    store[LAST_SEEN] -= 9 * 60
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    assert editor_client.get(reverse("desk:dashboard")).status_code == 200
    assert TIMEOUT - 5 < seconds_left(editor_client) <= TIMEOUT


def test_requests_within_a_minute_do_not_rewrite_the_session(editor_client):
    editor_client.get(reverse("desk:dashboard"))
    expiry = stored_expiry(editor_client)
    with CaptureQueriesContext(connection) as queries:
        assert editor_client.get(reverse("desk:story-list")).status_code == 200
    assert stored_expiry(editor_client) == expiry
    writes = [q["sql"] for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert writes == []


def test_anonymous_visitors_get_no_session(client, newsroom):
    response = client.get(reverse("public:home"))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()


def test_signing_out_leaves_no_session_behind(editor_client):
    editor_client.get(reverse("desk:dashboard"))
    editor_client.post(reverse("desk:logout"))
    assert not Session.objects.exists()


def test_the_timeout_comes_from_the_environment():
    def read(**env: str) -> str:
        return settings_printed("s.SESSION_COOKIE_AGE", env, drop=("NEWSROOM_SESSION",))

    assert read() == str(12 * 60 * 60)
    assert read(NEWSROOM_SESSION_IDLE_TIMEOUT="3600") == "3600"
