"""The demo night is there after seeding, and seeding twice creates nothing twice."""

from django.contrib.auth.models import User
from django.core.management import call_command

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


def test_seed_prints_the_demo_logins(db, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "editor / " in out and "reporter / " in out


def test_demo_main_story_key_points_cover_the_night(newsroom):
    """Drafted by the built-in summarizer: the Kharkiv toll, the talks and the nationwide scale."""
    points = list(newsroom.main.key_points.approved().values_list("text", flat=True))
    assert len(points) == 3
    assert any("Kharkiv" in p and "three" in p and "60" in p for p in points), points
    assert any("talks" in p and "Istanbul" in p and "Moscow" in p for p in points), points
    assert any("300" in p and "Ukraine" in p for p in points), points
    assert all(p[0].isupper() and p.endswith(".") and len(p.split()) <= 30 for p in points)
