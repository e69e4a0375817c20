"""The demo night is there after seeding, and seeding twice creates nothing twice."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command, execute_from_command_line

from events.models import (
    AuditEntry,
    Briefing,
    CasualtyFigure,
    Event,
    EventRelation,
    KeyPoint,
    Quote,
    Story,
)

MODELS = [User, Event, Story, Briefing, CasualtyFigure, Quote, KeyPoint, EventRelation, AuditEntry]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_night_has_the_reference_shape(newsroom):
    assert {e.title for e in newsroom.wave.children.all()} >= {
        "Drone strike on residential Kharkiv",
        "Drones hit Kyiv",
        "Drones hit Odesa",
        "Drones hit the Dnipro region",
    }
    assert newsroom.wave.relations.get().to_event == newsroom.spiderweb
    assert newsroom.main.events.count() >= 3
    assert newsroom.main.quotes.count() >= 1
    assert Story.objects.published().count() >= 3
    assert [i.story for i in newsroom.briefing.public_items()][0] == newsroom.main
    assert User.objects.get(username="reporter").groups.filter(name="Reporter").exists()


def test_seeding_twice_creates_nothing_twice(newsroom):
    before = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == before


def test_seed_prints_the_demo_logins(db, capsys, settings):
    settings.DEBUG = True  # as `make run` has it
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "editor / " in out and "reporter / " in out


def test_with_debug_off_seed_refuses_to_create_the_demo_logins(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--demo-logins") as refusal:
        call_command("seed_demo")
    assert "passwords are published" in str(refusal.value)
    assert counts() == dict.fromkeys(counts(), 0)


def test_the_refusal_exits_non_zero_and_says_why(db, settings, capsys, monkeypatch):
    settings.DEBUG = False
    # As from a shell, except that the test's database connection stays open afterwards.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "seed_demo"])
    assert exit_.value.code == 1
    assert "Refusing to create the demo logins (editor, reporter)" in capsys.readouterr().err
    assert not User.objects.exists()


def test_with_debug_off_seed_creates_the_demo_logins_when_told_to(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", "--demo-logins", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert User.objects.get(username="editor").check_password("editor-demo-2025")
    assert Story.objects.published().exists()


def test_with_debug_off_seed_writes_the_night_for_existing_accounts(editor, reporter, settings):
    """Nothing with a published password is created, so there is nothing to refuse."""
    settings.DEBUG = False
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Story.objects.published().exists()
    assert not User.objects.get(username="editor").check_password("editor-demo-2025")


def test_demo_main_story_key_points_cover_the_night(newsroom):
    """Drafted by the built-in summarizer: the Kharkiv toll, the talks and the nationwide scale."""
    points = list(newsroom.main.key_points.approved().values_list("text", flat=True))
    assert len(points) == 3
    assert any("Kharkiv" in p and "three" in p and "60" in p for p in points), points
    assert any("talks" in p and "Istanbul" in p and "Moscow" in p for p in points), points
    assert any("300" in p and "Ukraine" in p for p in points), points
    assert all(p[0].isupper() and p.endswith(".") and len(p.split()) <= 30 for p in points)
