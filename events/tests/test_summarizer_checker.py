"""The bullet checker, outlet furniture cleaning, and the summarizer's own answers under both.

Every sentence here is written for these tests; the development set is only read (when present)
to prove the summarizer never returns a bullet its checker rejects.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from events.summarizer import summarize
from events.summarizer.checker import (
    Story,
    bullet_defects,
    covers_lead,
    has_main_verb,
    quotes_balanced,
    summary_defects,
)
from events.summarizer.sentences import split_sentences

DEV_SET = Path(__file__).resolve().parents[3] / "shared" / "eval" / "news-dev.jsonl"

STORY = """President Ana Lopez met her Chilean counterpart, Tomas Vidal, in Lima on Tuesday for \
talks on a new trade route.

The two leaders agreed to reopen the mountain rail line, which has been closed for 12 years.

Mrs Lopez said the line would carry 40 trains a week by next spring.

Jane Burnham, who runs a hotel in the border town of Arica, said the news was a relief.

Mrs Burnham said: "I was gobsmacked when I heard. We have waited a long time."

The Russian freezer trawler that sank in the harbour last winter will be towed away.
"""


@pytest.fixture(scope="module")
def story() -> Story:
    return Story.of(STORY)


# --- each defect kind, on sentences written to show it -----------------------------------


@pytest.mark.parametrize(
    "bullet",
    [
        "The Russian freezer trawler, called the Nadia, that sank while carrying 40 crew.",
        "A hotel owner in the border town of Arica, near the rail line.",
        "Talks on a new trade route between the two countries in Lima.",
        "Because there is a wing of the party that wants the line reopened.",
    ],
)
def test_a_fragment_without_a_main_verb_is_rejected(bullet: str, story: Story) -> None:
    assert "no_main_verb" in bullet_defects(bullet, story)


def test_an_opened_quote_never_closed_is_rejected(story: Story) -> None:
    for bullet in (
        "Jane Burnham, who runs a hotel in the town, said: 'I was gobsmacked.",
        'Jane Burnham said: "I was gobsmacked when I heard.',
    ):
        assert "unbalanced_quotes" in bullet_defects(bullet, story), bullet


@pytest.mark.parametrize(
    "bullet",
    [
        "He said the line would carry 40 trains a week by next spring.",
        "They agreed to reopen the mountain rail line in Lima.",
        "But the rail line has been closed for 12 years.",
        "However, the rail line has been closed for 12 years.",
        "After the talks in Lima, she said the line would reopen.",
    ],
)
def test_an_opening_pronoun_or_connective_is_rejected(bullet: str, story: Story) -> None:
    assert "dangling_opening" in bullet_defects(bullet, story)


def test_people_named_as_if_known_need_an_earlier_introduction(story: Story) -> None:
    bullet = "Mrs Burnham said the news of the reopened line was a relief."
    assert "unintroduced_reference" in bullet_defects(bullet, story)
    introduced = ["Jane Burnham runs a hotel in the border town of Arica."]
    assert "unintroduced_reference" not in bullet_defects(bullet, story, introduced)

    pair = "The two leaders agreed to reopen the mountain rail line."
    assert "unintroduced_reference" in bullet_defects(pair, story)
    met = ["President Ana Lopez met Chile's Tomas Vidal in Lima on Tuesday."]
    assert "unintroduced_reference" not in bullet_defects(pair, story, met)


def test_a_number_not_in_the_story_is_rejected(story: Story) -> None:
    assert "invented_number" in bullet_defects("The rail line will carry 45 trains a week.", story)
    assert bullet_defects("The rail line will carry 40 trains a week.", story) == []


def test_more_than_one_sentence_or_too_many_words_is_rejected(story: Story) -> None:
    assert "not_one_sentence" in bullet_defects("The line reopens. Trains run weekly.", story)
    assert "not_one_sentence" in bullet_defects("the line reopens in spring", story)
    long = "The leaders agreed " + "and agreed again " * 10 + "to reopen the line."
    assert "too_long" in bullet_defects(long, story)


def test_missing_the_leads_news_is_a_defect(story: Story) -> None:
    background = [
        "The mountain rail line has been closed for 12 years.",
        "Jane Burnham runs a hotel in the border town of Arica.",
    ]
    assert not covers_lead(background, story)
    assert (None, "lead_news_missing") in summary_defects(background, story)
    news = ["President Ana Lopez met Tomas Vidal in Lima for trade talks.", *background]
    assert covers_lead(news, story)
    assert summary_defects(news, story) == []


def test_a_feature_lead_that_reports_no_event_asks_for_no_coverage() -> None:
    feature = Story.of("Trust the mountains to keep their secrets. The valley is quiet again.")
    assert feature.lead == ""


@pytest.mark.parametrize(
    "bullet",
    [
        "President Ana Lopez met Chile's Tomas Vidal in Lima on Tuesday.",
        "The rail line, closed for 12 years, will carry 40 trains a week.",
        "The pact, signed in Lima, ended a long dispute over the line.",
        "Jane Burnham, who runs a hotel in Arica, said the news was a relief.",
        '"I was gobsmacked," said Jane Burnham, who runs a hotel in Arica.',
        "Jane Burnham said: 'We have waited a long time.'",
        "Officials say the trawler that sank last winter will be towed away.",
        "Lima's mayor welcomes the plan to reopen the line.",
        "According to the leaders, only once before have trains crossed the border.",
        "The workers' union backed the plan to reopen the line.",
        "There are 40 trains a week planned on the reopened line.",
    ],
)
def test_good_bullets_pass(bullet: str, story: Story) -> None:
    assert bullet_defects(bullet, story) == [], bullet


def test_main_verb_and_quote_helpers() -> None:
    assert has_main_verb("The man who shot the mayor was arrested.")
    assert not has_main_verb("The man who shot the mayor.")
    assert quotes_balanced("He said it was 'fine' and left.")
    assert quotes_balanced("The 1990s band played the '90s hits.")
    assert not quotes_balanced("She said: 'It is over.")


def test_non_english_copy_is_not_held_to_english_grammar() -> None:
    text = "Die Stadt wurde in der Nacht angegriffen. Drei Menschen starben. Die Feuerwehr half."
    story = Story.of(text)
    assert not story.english
    assert bullet_defects("Drei Menschen starben.", story) == []


# --- outlet furniture ---------------------------------------------------------------------

MAIL_STYLE = """By Jane Roe for MailOnline

PUBLISHED: 12:01 EST, 3 January 2014 | UPDATED: 14:22 EST, 3 January 2014

The ferry (pictured) sank off the coast on Monday. Nine people were rescued.

Scroll down for video

Rescuers searched through the night. Photo: Harbour Police

Follow @harbourdesk on Twitter
"""


def test_furniture_is_cleaned_before_scoring() -> None:
    assert split_sentences(MAIL_STYLE) == [
        "The ferry sank off the coast on Monday.",
        "Nine people were rescued.",
        "Rescuers searched through the night.",
    ]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("KYIV, Ukraine (CNN) -- The mayor spoke at noon. He was brief.", "The mayor"),
        ("London (CNN)The mayor spoke at noon. He was brief.", "The mayor"),
        ("By John Smith, CNN\nLONDON (CNN) -- The mayor spoke at noon.", "The mayor"),
        ("Last updated at 10:12 AM on 3rd January 2014\nThe mayor spoke at noon.", "The mayor"),
        ("Editor's note: Sam Lee writes from Ohio. The mayor spoke at noon.", "The mayor"),
        ("(The Valley Gazette)The mayor spoke at noon. He was brief.", "The mayor"),
        ("By the 1970s, rail travel was in decline. Amtrak was founded.", "By the 1970s"),
    ],
)
def test_datelines_bylines_stamps_and_notes_are_not_the_lead(text: str, first: str) -> None:
    assert split_sentences(text)[0].startswith(first)


def test_credits_and_caption_asides_leave_the_sentence() -> None:
    text = (
        "The bridge closed last week (file photo) after a storm. "
        "Traffic moved to the ferry. CNN's Ann Lee contributed to this report."
    )
    assert split_sentences(text) == [
        "The bridge closed last week after a storm.",
        "Traffic moved to the ferry.",
    ]


# --- the summarizer runs the checker on its own answer ------------------------------------


def test_summary_leads_with_the_news_and_has_no_defects(story: Story) -> None:
    bullets = summarize(STORY, "Rail line to reopen", 3)
    assert summary_defects(bullets, story) == []
    assert any("Lopez" in b and "met" in b for b in bullets), bullets


@pytest.mark.skipif(not DEV_SET.exists(), reason="no development set in ../shared/eval")
def test_no_bullet_the_checker_rejects_over_the_development_set() -> None:
    rejected = []
    lead_missed = []
    with open(DEV_SET, encoding="utf-8") as fh:
        for line in fh:
            article = json.loads(line)
            bullets = summarize(article["text"], article.get("title"), 3)
            assert all(len(b.split()) <= 30 for b in bullets)
            for index, kind in summary_defects(bullets, Story.of(article["text"])):
                if index is None:
                    lead_missed.append(article["id"])
                else:
                    rejected.append((article["id"], bullets[index], kind))
    assert rejected == []
    # The lead's news is missed only where no bullet made from the lead passes the checker
    # (2 of 1,469 answers when this was written: a lead that starts mid-sentence, and "the three
    # main party leaders", which the checker reads as an unintroduced group).
    assert len(lead_missed) <= 3, lead_missed


def _wire_story(town: str, k: int) -> dict:
    text = (
        f"Flood water forced {k + 20} families from their homes in {town} on Monday, the mayor "
        f"said. The river rose {k + 2} metres overnight after three days of rain. Volunteers "
        f"filled sandbags outside the town hall until dawn. The mayor, Ana Ruiz, asked "
        f"residents to stay away from the bridge. Schools in {town} will stay closed until "
        f"Friday. Forecasters expect the rain to ease by the weekend."
    )
    return {
        "id": f"{town}-{k}",
        "set": "wire-a" if k % 2 else "wire-b",
        "title": f"Floods in {town}" if k % 2 else None,
        "text": text,
        "bullets": [
            f"Flood water forced {k + 20} families from their homes in {town}.",
            f"Schools in {town} will stay closed until Friday.",
        ],
    }


def test_bench_reports_group_held_out_figures_beside_lead3(tmp_path, capsys) -> None:
    pytest.importorskip("sklearn")
    pytest.importorskip("rouge_score")
    from events.summarizer import bench

    towns = ["Arica", "Tacna", "Puno", "Cusco", "Ilo", "Nazca", "Ica", "Lima"]
    data = tmp_path / "wire.jsonl"
    data.write_text(
        "\n".join(json.dumps(_wire_story(t, k)) for k, t in enumerate(towns)), encoding="utf-8"
    )
    assert bench.main(["--data", str(data)]) == 0
    out = capsys.readouterr().out
    held_out = out[out.index("Group-held-out") :]
    assert "held out wire-a: trained on 4 other articles" in held_out
    assert "held out wire-b: trained on 4 other articles" in held_out
    for group in ("wire-a", "wire-b"):
        row = next(line for line in held_out.splitlines() if line.startswith(group))
        # R1/R2/RLsum for the summarizer, for Lead-3, and their differences.
        assert len(re.findall(r"\d+\.\d\d", row)) == 9
    assert "defects in" in out
