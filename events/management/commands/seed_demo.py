"""Write the reference night (SPEC §1) as demo data: events, figures, stories, a briefing, logins.

Everything is looked up by a natural key before it is created, so running it twice creates
nothing twice. The text is the desk's own wording of the facts, written for the demo.
The demo logins' passwords are published (here and in the output), so with DEBUG off the
command refuses to create them unless told to with ``--demo-logins``.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import reversion
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from events.keypoints import generate_key_points_now
from events.models import (
    Actor,
    Briefing,
    CasualtyFigure,
    Event,
    EventRelation,
    EventType,
    Location,
    MunitionCount,
    Quote,
    Source,
    Story,
    StoryEvent,
    Tag,
)

KYIV = ZoneInfo("Europe/Kyiv")
NIGHT = datetime(2025, 6, 11, 1, 30, tzinfo=KYIV)

DEMO_USERS = [
    # username, password, group, full name
    ("editor", "editor-demo-2025", "Editor", ("Maria", "Shevchenko")),
    ("reporter", "reporter-demo-2025", "Reporter", ("Taras", "Bondar")),
]

PLACES = {
    "kharkiv": ("Kharkiv", "UA", "Kharkiv Oblast", "49.99350", "36.23040"),
    "kyiv": ("Kyiv", "UA", "Kyiv City", "50.45010", "30.52340"),
    "odesa": ("Odesa", "UA", "Odesa Oblast", "46.48250", "30.72330"),
    "dnipro": ("Dnipro", "UA", "Dnipropetrovsk Oblast", "48.46470", "35.04620"),
    "ukraine": ("Ukraine", "UA", "", "49.00000", "31.00000"),
    "russia": ("Russia (airbases)", "RU", "", None, None),
    "moscow": ("Moscow", "RU", "Moscow", "55.75580", "37.61730"),
}

MAIN_BODY = """\
Seventeen Russian attack drones struck residential districts of Kharkiv overnight, killing three \
people and injuring at least 60, regional officials said on Wednesday.

Separately, US and Russian officials moved their talks from Istanbul to Moscow. Direct flights, \
the Middle East and Iran's nuclear programme are on the agenda.

Fires broke out in several apartment blocks and parts of two buildings collapsed. An elderly \
resident was among the dead, and children were among the injured, according to the regional \
governor.

Rescue crews worked through the night to pull people from the rubble. The first count of two \
dead and about 40 injured rose by the morning as more victims were found.

The strike on Kharkiv was part of a nationwide assault. Russia launched more than 300 drones \
across Ukraine during the night, the air force said, hitting Kyiv, Odesa and the Dnipro region. \
Only days earlier almost 500 drones had come in a single night, the largest such attack of the war.

Kyiv described the wave as retaliation for Operation Spiderweb, the Ukrainian drone operation \
that struck Russian strategic bombers at airbases deep inside Russia.
"""

SPIDERWEB_BODY = """\
Ukrainian officials on Wednesday called the overnight barrage a deliberate answer to Operation \
Spiderweb, in which Ukrainian drones launched from trucks struck bombers at several Russian \
airbases.

More than 300 Russian drones were launched across the country during the night. Kharkiv was hit \
hardest, with three people killed and at least 60 injured.

Officials in Kyiv said the size of the recent waves, including one of almost 500 drones days \
earlier, showed that Moscow was stepping up attacks on cities rather than seeking a ceasefire.
"""

TALKS_BODY = """\
The next round of talks between US and Russian officials will be held in Moscow rather than \
Istanbul, where the previous rounds took place.

Officials on both sides said the agenda would include restoring direct flights between the two \
countries, the Middle East and Iran's nuclear programme.

The talks are separate from the negotiations on the war in Ukraine, which has seen some of its \
heaviest drone attacks in recent days.
"""


class Command(BaseCommand):
    help = "Write the demo newsroom (the Kharkiv night) and the demo logins. Safe to re-run."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--demo-logins",
            action="store_true",
            help="Create the demo logins (their passwords are published) even with DEBUG off, "
            "e.g. on a demo server. With DEBUG on they are created anyway.",
        )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        missing = [
            username
            for username, *_ in DEMO_USERS
            if not User.objects.filter(username=username).exists()
        ]
        if missing and not settings.DEBUG and not options["demo_logins"]:
            raise CommandError(
                f"Refusing to create the demo logins ({', '.join(missing)}): their passwords "
                "are published and DEBUG is off, so this may be a production site. Nothing was "
                "written. Pass --demo-logins to create them anyway, or set DJANGO_DEBUG=1 for "
                "local development."
            )
        # One revision for the whole night, so every record's history starts with the demo text.
        with reversion.create_revision():
            reversion.set_comment("Demo data")
            self.seed()
        self.stdout.write(self.style.SUCCESS("Demo newsroom ready. Logins:"))
        for username, password, group, _ in DEMO_USERS:
            self.stdout.write(f"  {group.lower():9} {username} / {password}")

    def seed(self) -> None:
        self.users = self.seed_users()
        self.events = self.seed_events()
        self.stories = self.seed_stories()
        self.seed_briefing()

    # --- people -------------------------------------------------------------------------------

    def seed_users(self) -> dict[str, User]:
        users = {}
        for username, password, group_name, (first, last) in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "is_staff": True},
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(Group.objects.get(name=group_name))
            users[group_name] = user
        return users

    # --- events -------------------------------------------------------------------------------

    def seed_events(self) -> dict[str, Event]:
        editor = self.users["Editor"]
        places = {
            key: Location.objects.get_or_create(
                name=name,
                country=country,
                admin_region=region,
                defaults={"latitude": lat, "longitude": lon},
            )[0]
            for key, (name, country, region, lat, lon) in PLACES.items()
        }
        remote = EventType.objects.get(slug="explosions-remote-violence")
        drone = EventType.objects.get(slug="air-drone-strike")
        strategic = EventType.objects.get(slug="strategic-developments")
        talks_type = EventType.objects.get(slug="diplomatic-talks")
        russia = self.actor("Military Forces of Russia", Actor.Kind.STATE_FORCES, "RU")
        ukraine = self.actor("Military Forces of Ukraine", Actor.Kind.STATE_FORCES, "UA")
        civilians = self.actor("Civilians (Ukraine)", Actor.Kind.CIVILIANS, "UA")
        usa = self.actor("Government of the United States", Actor.Kind.GOVERNMENT, "US")
        russian_gov = self.actor("Government of Russia", Actor.Kind.GOVERNMENT, "RU")

        def event(slug, **fields) -> Event:
            record, created = Event.objects.get_or_create(
                slug=slug, defaults={**fields, "created_by": editor, "updated_by": editor}
            )
            if created:
                record.verification_status = Event.Verification.CORROBORATED
                record.publish(by=editor)
            return record

        wave = event(
            "nationwide-drone-wave-june-11",
            title="Nationwide Russian drone wave across Ukraine",
            summary="More than 300 Russian drones were launched across Ukraine in one night, "
            "hitting Kharkiv, Kyiv, Odesa and the Dnipro region.",
            internal_note="Air force numbers still moving; check the morning update.",
            event_type=remote,
            sub_type=drone,
            starts_at=NIGHT - timedelta(hours=2),
            ends_at=NIGHT + timedelta(hours=4),
            location=places["ukraine"],
            geo_precision=Event.GeoPrecision.COUNTRY,
        )
        children = {}
        for key, title, summary in [
            ("kharkiv", "Drone strike on residential Kharkiv",
             "Seventeen drones hit residential districts of Kharkiv, causing fires and collapses."),
            ("kyiv", "Drones hit Kyiv", "Drones struck the capital during the nationwide wave."),
            ("odesa", "Drones hit Odesa", "Odesa was hit during the nationwide wave."),
            ("dnipro", "Drones hit the Dnipro region",
             "The Dnipro region was hit during the nationwide wave."),
        ]:  # fmt: skip
            children[key] = event(
                f"{key}-drone-strike-june-11",
                title=title,
                summary=summary,
                event_type=remote,
                sub_type=drone,
                starts_at=NIGHT,
                time_precision=Event.TimePrecision.EXACT
                if key == "kharkiv"
                else Event.TimePrecision.DAY,
                location=places[key],
                geo_precision=Event.GeoPrecision.EXACT
                if key == "kharkiv"
                else Event.GeoPrecision.REGION,
                parent=wave,
            )
        spiderweb = event(
            "operation-spiderweb",
            title="Operation Spiderweb: Ukrainian drones strike Russian airbases",
            summary="Ukrainian drones launched from inside Russia struck strategic bombers at "
            "several airbases.",
            event_type=remote,
            sub_type=drone,
            starts_at=datetime(2025, 6, 1, 13, 0, tzinfo=KYIV),
            time_precision=Event.TimePrecision.DAY,
            location=places["russia"],
            geo_precision=Event.GeoPrecision.COUNTRY,
        )
        talks = event(
            "us-russia-talks-move-to-moscow",
            title="US–Russia talks move from Istanbul to Moscow",
            summary="The next round of US–Russian talks moves to Moscow, covering direct flights, "
            "the Middle East and Iran's nuclear programme.",
            event_type=strategic,
            sub_type=talks_type,
            starts_at=NIGHT + timedelta(hours=10),
            time_precision=Event.TimePrecision.DAY,
            location=places["moscow"],
            geo_precision=Event.GeoPrecision.REGION,
        )
        EventRelation.objects.get_or_create(from_event=wave, to_event=spiderweb)

        for record, actor, role in [
            (wave, russia, "attacker"),
            (wave, civilians, "target"),
            (children["kharkiv"], russia, "attacker"),
            (children["kharkiv"], civilians, "target"),
            (spiderweb, ukraine, "attacker"),
            (talks, usa, "participant"),
            (talks, russian_gov, "participant"),
        ]:
            record.event_actors.get_or_create(actor=actor, role=role)

        kharkiv = children["kharkiv"]
        if not kharkiv.casualty_figures.exists():
            source = Source.objects.create(
                event=kharkiv,
                url="https://example.org/kharkiv-regional-administration",
                publisher="Kharkiv regional administration",
                title="Statement on the overnight attack",
                accessed_at=NIGHT + timedelta(hours=1),
            )
            # The night's revisions: each is a new row, the earlier ones stay.
            for kind, minimum, at_least, hours in [
                ("killed", 2, False, 1),
                ("injured", 40, True, 1),
                ("killed", 3, False, 5),
                ("injured", 60, True, 5),
            ]:
                CasualtyFigure.objects.create(
                    event=kharkiv, kind=kind, minimum=minimum, at_least=at_least,
                    as_of=NIGHT + timedelta(hours=hours), source=source,
                    source_note="Regional governor", recorded_by=editor,
                )  # fmt: skip
            MunitionCount.objects.create(
                event=kharkiv, munition_type="drone", launched=17, hit=17,
                as_of=NIGHT + timedelta(hours=1), source=source, recorded_by=editor,
            )  # fmt: skip
        if not wave.munition_counts.exists():
            MunitionCount.objects.create(
                event=wave, munition_type="drone", launched=300,
                as_of=NIGHT + timedelta(hours=6),
                source_note="Air force: 'more than 300'", recorded_by=editor,
            )  # fmt: skip
        return {"wave": wave, "spiderweb": spiderweb, "talks": talks, **children}

    def actor(self, name: str, kind: str, country: str) -> Actor:
        from django.utils.text import slugify

        return Actor.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "kind": kind, "country": country}
        )[0]

    # --- stories ------------------------------------------------------------------------------

    def seed_stories(self) -> dict[str, Story]:
        editor, reporter = self.users["Editor"], self.users["Reporter"]
        e = self.events
        war, diplomacy = (
            Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for slug, name in [("war-in-ukraine", "War in Ukraine"), ("diplomacy", "Diplomacy")]
        )

        def story(slug, author, links, tags, publish=True, **fields) -> Story:
            record = Story.objects.filter(slug=slug).first()
            if record:
                return record
            record = Story.objects.create(slug=slug, created_by=author, updated_by=author, **fields)
            for position, event in enumerate(links):
                StoryEvent.objects.create(story=record, event=event, is_primary=position == 0)
            record.tags.set(tags)
            if publish:
                record.publish(by=editor)
            return record

        main = story(
            "kharkiv-drones-kill-three-as-russia-launches-300",
            reporter,
            [
                e["wave"],
                e["kharkiv"],
                e["kyiv"],
                e["odesa"],
                e["dnipro"],
                e["spiderweb"],
                e["talks"],
            ],
            [war, diplomacy],
            headline="Drones kill three in Kharkiv as Russia launches more than 300 across Ukraine",
            standfirst="Seventeen drones hit residential districts of Kharkiv overnight in a "
            "nationwide wave that Kyiv calls retaliation for Operation Spiderweb.",
            body=MAIN_BODY,
            dateline="KHARKIV",
            byline="By Taras Bondar and Maria Shevchenko",
        )
        if not main.quotes.exists():
            Quote.objects.create(
                story=main,
                order=0,
                speaker="Volodymyr Zelensky",
                speaker_role="President of Ukraine",
                text="Every night it is Shaheds, cruise missiles and ballistic missiles against "
                "our cities. Only pressure on Russia will stop it.",
                source="Evening address",
            )
            Quote.objects.create(
                story=main,
                order=1,
                speaker="Regional governor",
                speaker_role="Head of the Kharkiv regional administration",
                text="Rescuers are still working at the sites of the strikes.",
                source="Statement on messaging channel",
            )
        spiderweb = story(
            "kyiv-calls-wave-retaliation-for-spiderweb",
            editor,
            [e["spiderweb"], e["wave"]],
            [war],
            headline="Kyiv says overnight wave is Moscow's answer to Operation Spiderweb",
            standfirst="Officials link the barrage of more than 300 drones to Ukraine's strikes "
            "on Russian bombers.",
            body=SPIDERWEB_BODY,
            dateline="KYIV",
            byline="By Maria Shevchenko",
        )
        talks = story(
            "us-russia-talks-move-to-moscow",
            editor,
            [e["talks"]],
            [diplomacy],
            headline="US and Russian officials move talks from Istanbul to Moscow",
            standfirst="Direct flights, the Middle East and Iran's nuclear programme are on the "
            "agenda.",
            body=TALKS_BODY,
            dateline="MOSCOW",
            byline="By Maria Shevchenko",
        )
        draft = story(
            "odesa-port-damage-assessment",
            reporter,
            [e["odesa"]],
            [war],
            publish=False,
            headline="Odesa counts damage after night of drones",
            standfirst="",
            body="Draft: port officials are assessing the damage.",
            dateline="ODESA",
        )
        # Key points come from the built-in summarizer, as they would from the worker: the main
        # story's are approved by the editor, the others wait for review on the dashboard.
        for record in (main, spiderweb, talks):
            if not record.key_points.exists():
                generate_key_points_now(record)
        main.approve_key_points(by=editor)
        return {"main": main, "spiderweb": spiderweb, "talks": talks, "draft": draft}

    # --- briefing -----------------------------------------------------------------------------

    def seed_briefing(self) -> None:
        editor = self.users["Editor"]
        briefing, created = Briefing.objects.get_or_create(
            slug="morning-briefing-11-june-2025",
            defaults={
                "title": "Morning briefing, 11 June",
                "edition": Briefing.Edition.MORNING,
                "edition_date": NIGHT.date(),
                "intro": "A night of drones across Ukraine, and talks moving to Moscow.",
                "created_by": editor,
                "updated_by": editor,
            },
        )
        if created:
            for order, key in enumerate(["main", "spiderweb", "talks"]):
                briefing.items.create(story=self.stories[key], order=order)
            briefing.publish(by=editor)
