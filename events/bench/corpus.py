"""Synthetic newsroom text for load tests: made-up places, people and events, written from
templates so that a corpus of any size reads like wire copy without copying anyone's.

Plain Python and deterministic for a given seed.
"""

from __future__ import annotations

import random

SYLLABLES = ["ka", "lo", "mir", "va", "dan", "so", "ri", "tel", "bor", "na", "ze", "pol", "ost",
             "gra", "vin", "lu", "che", "ran", "dor", "ski"]  # fmt: skip
COUNTRIES = ["UA", "RU", "PL", "MD", "GE", "SY", "IL", "LB", "SD", "YE"]
REGION_WORDS = ["Northern", "Southern", "Eastern", "Western", "Central", "Upper", "Lower"]
FIRST_NAMES = ["Olena", "Taras", "Iryna", "Andriy", "Maria", "Dmytro", "Sofia", "Yusuf",
               "Leila", "Omar", "Anna", "Pavel", "Nadia", "Karim", "Ivan", "Daria"]  # fmt: skip
LAST_NAMES = ["Kovalenko", "Bondar", "Melnyk", "Haddad", "Novak", "Petrenko", "Rahimi",
              "Sokolova", "Shevchuk", "Mansour", "Lysenko", "Hassan", "Tkachenko"]  # fmt: skip
ROLES = ["regional governor", "mayor", "emergency services spokesperson", "foreign minister",
         "military spokesperson", "hospital director", "aid agency coordinator"]  # fmt: skip
WEAPONS = ["drones", "cruise missiles", "ballistic missiles", "artillery shells", "guided bombs"]
TARGETS = ["residential districts", "a power station", "the rail depot", "a grain terminal",
           "apartment blocks", "a hospital", "the port", "a school", "fuel depots"]  # fmt: skip
TOPICS = ["a ceasefire", "prisoner exchanges", "grain exports", "energy supplies",
          "direct flights", "sanctions relief", "humanitarian corridors"]  # fmt: skip
TAGS = ["War in Ukraine", "Diplomacy", "Energy", "Humanitarian", "Air defence", "Middle East",
        "Shipping", "Sanctions", "Elections", "Refugees", "Infrastructure", "Courts"]  # fmt: skip


class Writer:
    def __init__(self, seed: int = 2025):
        self.rng = random.Random(seed)

    def pick(self, items):
        return self.rng.choice(items)

    def place_name(self) -> str:
        return "".join(self.pick(SYLLABLES) for _ in range(self.rng.randint(2, 3))).title()

    def person(self) -> str:
        return f"{self.pick(FIRST_NAMES)} {self.pick(LAST_NAMES)}"

    def strike(self, place: str) -> dict:
        weapon = self.pick(WEAPONS)
        target = self.pick(TARGETS)
        killed = self.rng.choice([0, 0, 1, 2, 3, 4, 6, 9, 12])
        injured = killed * self.rng.randint(2, 6) + self.rng.randint(0, 20)
        launched = self.rng.randint(5, 400)
        return {
            "kind": "strike",
            "place": place,
            "weapon": weapon,
            "target": target,
            "killed": killed,
            "injured": injured,
            "launched": launched,
            "title": f"{weapon.capitalize()} hit {target} in {place}",
            "summary": f"{weapon.capitalize()} struck {target} in {place}; {killed} killed and "
            f"{injured} injured by the latest count.",
        }

    def talks(self, place: str) -> dict:
        topic = self.pick(TOPICS)
        return {
            "kind": "talks",
            "place": place,
            "topic": topic,
            "killed": 0,
            "title": f"Talks in {place} on {topic}",
            "summary": f"Delegations met in {place} to discuss {topic}.",
        }

    def headline(self, event: dict) -> str:
        if event["kind"] == "talks":
            return self.pick(
                [
                    f"Officials meet in {event['place']} to discuss {event['topic']}",
                    f"Talks on {event['topic']} open in {event['place']}",
                    f"Negotiators in {event['place']} narrow gaps on {event['topic']}",
                ]
            )
        if event["killed"]:
            return self.pick(
                [
                    f"{event['weapon'].capitalize()} kill {event['killed']} in {event['place']}",
                    f"{event['killed']} dead after {event['weapon']} strike {event['place']}",
                    f"Overnight attack on {event['place']} kills {event['killed']}",
                ]
            )
        return f"{event['weapon'].capitalize()} damage {event['target']} in {event['place']}"

    def standfirst(self, event: dict) -> str:
        if event["kind"] == "talks":
            return f"Delegations in {event['place']} are discussing {event['topic']}."
        return (
            f"{event['weapon'].capitalize()} struck {event['target']} in {event['place']}, "
            f"officials said, with {event['injured']} people injured."
        )

    def paragraph(self, event: dict) -> str:
        place = event["place"]
        official = f"the {self.pick(ROLES)}"
        if event["kind"] == "talks":
            sentences = [
                f"Officials said the talks in {place} would continue for a second day.",
                f"The agenda covers {event['topic']} and {self.pick(TOPICS)}.",
                f"{self.person()}, who leads one delegation, said progress was slow but real.",
                f"Neither side gave a date for a final agreement, according to {official}.",
            ]
        else:
            sentences = [
                f"{event['launched']} {event['weapon']} were launched during the night, "
                f"{official} said.",
                f"Fires broke out at {event['target']} and rescue crews worked until morning.",
                f"The count of injured rose to {event['injured']} as more victims were found.",
                f"Residents of {place} spent the night in shelters as sirens sounded.",
                f"{self.person()}, a local resident, said the blasts shook the whole street.",
                f"Engineers were working to restore power and water to {place}.",
            ]
        self.rng.shuffle(sentences)
        return " ".join(sentences[: self.rng.randint(2, 4)])

    def body(self, event: dict) -> str:
        return "\n\n".join(self.paragraph(event) for _ in range(self.rng.randint(3, 6)))

    def key_points(self, event: dict) -> list[str]:
        if event["kind"] == "talks":
            return [
                f"Delegations met in {event['place']} to discuss {event['topic']}.",
                "Officials said the talks would continue for a second day.",
                "No date was given for a final agreement.",
            ]
        return [
            f"{event['weapon'].capitalize()} struck {event['target']} in {event['place']}.",
            f"{event['killed']} people were killed and {event['injured']} injured.",
            f"{event['launched']} {event['weapon']} were launched during the night.",
        ]

    def quote(self, event: dict) -> tuple[str, str, str]:
        text = self.pick(
            [
                "We will rebuild every home that was hit tonight.",
                "Rescue crews are still working at the site.",
                "The talks were difficult, but we are still at the table.",
                "Air defence worked all night; most of the attackers were shot down.",
            ]
        )
        return text, self.person(), self.pick(ROLES)
