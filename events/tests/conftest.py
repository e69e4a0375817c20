"""Named people and a small newsroom (the Kharkiv night of the demo) for every test."""

import importlib
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command

from events.models import Briefing, Event, EventType, Story

# The data migration's own lists: the groups and vocabulary every migrated database starts with.
migrated = importlib.import_module("events.migrations.0002_groups_and_event_types")
sign_ins = importlib.import_module("events.migrations.0009_editors_unlock_sign_ins")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Tests log people in, they don't test PBKDF2: a fast hasher saves seconds per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def own_redis_database(settings, worker_id) -> None:
    """Under pytest-xdist, each worker process keeps the rate-limit log and the cache in a Redis
    database of its own (the configured one plus 1 + its number), so that one worker's
    ``cache.clear()`` or budget never reaches another's tests."""
    url = settings.NEWSROOM_REDIS_URL
    if not url or worker_id == "master":
        return
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    own = urlunsplit(parts._replace(path=f"/{base + 1 + int(worker_id.removeprefix('gw'))}"))
    settings.NEWSROOM_REDIS_URL = own
    if settings.CACHES["default"].get("LOCATION") == url:
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": own}}


@pytest.fixture(autouse=True)
def fresh_api_budget(own_redis_database) -> None:
    """Every test starts with the API's whole rate limit (its log outlives cache.clear())."""
    from events.api.throttling import get_limiter

    get_limiter().clear()


def commits(request) -> bool:
    """Whether the test's database work really commits (a transactional test)."""
    marker = request.node.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server", "starting_data"} & set(request.fixturenames)
        or (marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def publish_as_if_committed(request, monkeypatch) -> None:
    """Documents are rebuilt once the change that asked for it commits. A test on the ``db``
    fixture never commits (it runs inside a transaction that is rolled back), so here the
    rebuild runs when the code's own outermost transaction ends, or at once when the code opened
    none: what a commit would have done. Transactional tests keep the real ``on_commit``."""
    if commits(request):
        return
    from django.db import connection, transaction

    from events.models import publication

    waiting: list = []

    def only_test_transactions() -> bool:
        return all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)

    def after_commit(callback) -> None:
        if only_test_transactions():
            callback()
        elif callback not in waiting:
            waiting.append(callback)

    atomic_exit = transaction.Atomic.__exit__

    def exit_and_publish(self, exc_type, exc_value, traceback):
        result = atomic_exit(self, exc_type, exc_value, traceback)
        if waiting and only_test_transactions():
            callbacks = list(waiting)
            waiting.clear()
            if exc_type is None:
                for callback in callbacks:
                    callback()
        return result

    monkeypatch.setattr(publication, "after_commit", after_commit)
    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_and_publish)


def make_user(username: str, group: str | None = None) -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"is_staff": group is not None, "first_name": username.title()}
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)  # fresh: no stale permission cache


@pytest.fixture
def editor(db) -> User:
    return make_user("editor", "Editor")


@pytest.fixture
def second_editor(db) -> User:
    return make_user("night-editor", "Editor")


@pytest.fixture
def reporter(db) -> User:
    return make_user("reporter", "Reporter")


@pytest.fixture
def other_reporter(db) -> User:
    return make_user("stringer", "Reporter")


@pytest.fixture
def outsider(db) -> User:
    """A logged-in account that belongs to no newsroom group."""
    return make_user("outsider")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def newsroom(db, editor, reporter) -> SimpleNamespace:
    """The demo night: the nationwide wave and its child events, Spiderweb, the talks, three
    published stories (the main one with quotes and approved key points), a reporter's draft,
    and the published morning briefing."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return SimpleNamespace(
        main=Story.objects.get(slug="kharkiv-drones-kill-three-as-russia-launches-300"),
        spiderweb_story=Story.objects.get(slug="kyiv-calls-wave-retaliation-for-spiderweb"),
        talks_story=Story.objects.get(slug="us-russia-talks-move-to-moscow"),
        draft=Story.objects.get(slug="odesa-port-damage-assessment"),
        wave=Event.objects.get(slug="nationwide-drone-wave-june-11"),
        kharkiv=Event.objects.get(slug="kharkiv-drone-strike-june-11"),
        spiderweb=Event.objects.get(slug="operation-spiderweb"),
        talks=Event.objects.get(slug="us-russia-talks-move-to-moscow"),
        briefing=Briefing.objects.get(slug="morning-briefing-11-june-2025"),
    )


@pytest.fixture
def draft_story(reporter) -> Story:
    """A half-written draft by the reporter: it saves, but cannot be published yet."""
    return Story.objects.create(
        headline="Power cuts across Kharkiv after strike",
        body="Engineers are working to restore power.",
        created_by=reporter,
        updated_by=reporter,
    )


@pytest.fixture
def starting_data(transactional_db) -> None:
    """Put back what the data migration wrote, for tests that commit: a transactional test
    before them flushed it.

    (Django's serialized rollback would do this, but its snapshot does not survive the live
    server sharing the in-memory SQLite connection, so the rows are rebuilt from the same lists.)
    """
    restore_migrated_data()


@pytest.fixture(autouse=True)
def migrated_data_present(request) -> None:
    """The same for every other database test. Run alone, pytest-django puts transactional
    tests last; on pytest-xdist a worker may run one's file first, and its flush empties what
    the data migrations wrote (groups, event types) for the tests after it."""
    uses_db = "db" in request.fixturenames or request.node.get_closest_marker("django_db")
    if commits(request) or not uses_db:
        return
    request.getfixturevalue("db")
    if not Group.objects.filter(name="Editor").exists():
        restore_migrated_data()


def restore_migrated_data() -> None:
    events_perms = Permission.objects.filter(content_type__app_label="events")
    reporter, _ = Group.objects.get_or_create(name="Reporter")
    codenames = [f"view_{model}" for model in migrated.MODELS] + [
        f"{action}_{model}"
        for model, actions in migrated.REPORTER_WRITES.items()
        for action in actions
    ]
    reporter.permissions.set(events_perms.filter(codename__in=codenames))
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(
        events_perms.filter(codename__regex=r"^(add|change|delete|view)_")
        | events_perms.filter(codename__in=migrated.EDITOR_EXTRA)
        | Permission.objects.filter(content_type__app_label="axes", codename__in=sign_ins.CODENAMES)
    )
    for type_name, sub_types in migrated.EVENT_TYPES.items():
        parent, _ = EventType.objects.get_or_create(
            slug=migrated.slug(type_name), defaults={"name": type_name}
        )
        for sub_name in sub_types:
            EventType.objects.get_or_create(
                slug=migrated.slug(sub_name), defaults={"name": sub_name, "parent": parent}
            )
