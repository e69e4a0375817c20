"""Sentence compression by deleting whole clauses.

Each rule proposes a deletion that leaves a grammatical sentence (a parenthetical, a dash aside,
a leading adverbial, a trailing attribution, an appositive or a trailing relative clause). A
learned model (see train.py) predicts how much of the deleted span a human highlight would keep;
spans predicted to be of little value are deleted. Deletion never adds text, so it can never
introduce a number that is not in the story.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from .features import PRONOUN_OPENERS, content_words
from .validation import quotes_balanced

if TYPE_CHECKING:
    from .scoring import TreeEnsemble

KINDS = [
    "paren",
    "dash_mid",
    "dash_tail",
    "lead_adv",
    "attr_tail",
    "attr_lead",
    "appos",
    "rel_tail",
    "part_tail",
]

_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PAREN = re.compile(r"\s*\([^()]{1,120}\)")
_DASH_MID = re.compile(r"\s+(--|—|–)\s+[^-—–\"“”]{1,150}?\s+\1(?=\s+\S)")
_DASH_TAIL = re.compile(r"\s+(?:--|—|–)\s+[^-—–\"“”]{1,200}?(?=[.!?][\"”’']?$)")
_LEAD_ADV = re.compile(
    r"^(?:(?:On|In|At|By|During|Since|Last|This|Earlier|Later|Meanwhile|However|Still|Now|"
    r"Today|Yesterday|According to|After|Before|When|While|Although|Though|Despite|As|For|"
    r"Following|Under|With|Without|Instead|Separately|Overall|Moreover|Also|Additionally|"
    r"Elsewhere|Amid|Once|Until|Over|Within|Because|If|Unlike|Like|Besides)\b[^,\"“”]{0,90}"
    r"|" + _DAYS + r"),\s+"
)
_ATTR_TAIL = re.compile(
    r",\s+(?:(?:[^,\"“”]{1,50}?)\s+(?:said|says|told\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?|"
    r"told reporters|reported|added|announced|wrote|explained|noted)"
    r"(?:\s+(?:on\s+)?" + _DAYS + r")?(?:\s+\w+){0,2}"
    r"|according to [^,\"“”]{1,70}"
    r"|said [A-Z][^,\"“”]{0,50}(?:,\s+[^,\"“”]{1,60})?)"
    r"(?=[.!?]$)"
)
_ATTR_LEAD = re.compile(
    r"^(?:[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,7}?)\s+(?:said|says|say|told\s+[A-Z]\w+)"
    r"(?:\s+(?:on\s+)?" + _DAYS + r")?(?:\s+that)?\s+(?=(?:the|a|an|[A-Z])\b)"
)
# An aside that is really an attribution (", the air force said,") is not an appositive:
# deleting it would fuse the clauses around it ("during the night hitting Kyiv").
_APPOS = re.compile(
    r"(?<=[A-Za-z0-9])\s*,\s+(?:a|an|the|who|which|whose|\d{1,3})\b"
    r"(?![^,;:\"“”()]{0,90}?\b(?:said|says|say|told|reported|added|announced)\b)"
    r"[^,;:\"“”()]{0,90}?,(?=\s+[a-z])"
)
# Tail clauses stop at the next comma: past it the main verb may follow ("the size of the
# waves, including one of 500 drones, showed that…"), and deleting it would leave a fragment.
_REL_TAIL = re.compile(r",\s+(?:who|which|where|whose)\s+[^\"“”,]{3,160}?(?=[.!?]$)")
_PART_TAIL = re.compile(
    r",\s+(?:including|saying|adding|citing|calling|noting|as well as|prompting|leaving|"
    r"making|despite|amid|after|before|while|with)\s+[^\"“”,]{3,160}?(?=[.!?]$)"
)

_PATTERNS = [
    ("paren", _PAREN),
    ("dash_mid", _DASH_MID),
    ("dash_tail", _DASH_TAIL),
    ("lead_adv", _LEAD_ADV),
    ("attr_tail", _ATTR_TAIL),
    ("attr_lead", _ATTR_LEAD),
    ("appos", _APPOS),
    ("rel_tail", _REL_TAIL),
    ("part_tail", _PART_TAIL),
]

MIN_WORDS = 6

# Discourse connectives lean on the previous sentence; a bullet must stand alone. Bare "But" /
# "And" / "Yet" are dropped outright, the others only when a comma marks them off.
_CONNECTIVE = re.compile(
    r"^(?:(?:But|And|Yet|Plus)\s+(?!,)|(?:So|Still|However|Meanwhile|Also|First|Second|Third|"
    r"Finally|Either way|Instead|Indeed|Then|Now|Thus|Therefore|Moreover|In fact|Of course|"
    r"After all|Even so|Nonetheless|Nevertheless|In addition|Additionally|Similarly|Likewise|"
    r"In other words|By contrast|In contrast|On the other hand|Ultimately|Again|Otherwise),\s+)"
)


def strip_connective(sentence: str) -> str:
    """Drop a leading "But"/"However," etc. (always grammatical: it only joins sentences)."""
    m = _CONNECTIVE.match(sentence)
    if not m or len(sentence[m.end() :].split()) < 4:
        return sentence
    return tidy(sentence[m.end() :])


def tidy(text: str) -> str:
    """Normalise spacing and capitalise the first letter after a deletion."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r"^[,;:\s]+", "", text)
    for i, ch in enumerate(text):
        if ch.isalpha():
            if ch.islower():
                text = text[:i] + ch.upper() + text[i + 1 :]
            break
        if ch not in "\"“'‘(":
            break
    return text


def _acceptable(original: str, new: str) -> bool:
    words = new.split()
    if len(words) < MIN_WORDS or not quotes_balanced(new):
        return False
    if new[-1:] not in ".!?\"”’'":
        return False
    first = re.split(r"['’]", words[0].strip("\"“‘'(").lower())[0]
    orig_first = re.split(r"['’]", original.split()[0].strip("\"“‘'(").lower())[0]
    # Never create a dangling pronoun opening that the original did not have.
    return not (first in PRONOUN_OPENERS and first != orig_first)


def candidates(sentence: str) -> list[tuple[str, str, str]]:
    """Every acceptable single deletion: (kind, compressed sentence, deleted span)."""
    out = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(sentence):
            if m.start() == 0 and kind in ("paren", "dash_mid"):
                continue
            if kind == "attr_tail" and sentence[:1] in '"“':
                continue  # keep "... ," he said. — a bare quote reads badly as a bullet
            new = tidy(
                sentence[: m.start()] + ("" if kind != "dash_mid" else "") + sentence[m.end() :]
            )
            if _acceptable(sentence, new):
                out.append((kind, new, m.group(0)))
    return out


DELETION_FEATURES = [*("k_" + k for k in KINDS)] + [
    "span_words",
    "span_frac",
    "span_numbers",
    "span_caps",
    "span_doc_tf",
    "span_title",
    "sent_words",
    "sent_pos",
    "span_start_frac",
]


def deletion_features(kind: str, sentence: str, span: str, ctx: dict) -> list[float]:
    """Features of one proposed deletion; ctx carries story-level statistics."""
    sw = span.split()
    nw = len(sentence.split()) or 1
    cw = content_words(span)
    doc_tf: Counter = ctx["doc_tf"]
    title: set = ctx["title_words"]
    start = sentence.find(span.strip())
    return [*(1.0 if kind == k else 0.0 for k in KINDS)] + [
        float(len(sw)),
        len(sw) / nw,
        float(len(re.findall(r"\d+", span))),
        sum(1 for w in sw if w[:1].isupper()) / (len(sw) or 1),
        (sum(doc_tf[w] for w in cw) / len(cw)) if cw else 0.0,
        (len(set(cw) & title) / len(cw)) if cw and title else -1.0,
        float(nw),
        ctx.get("pos_frac", 0.0),
        max(start, 0) / (len(sentence) or 1),
    ]


def compress(
    sentence: str,
    deleter: TreeEnsemble | None,
    ctx: dict,
    threshold: float,
    max_steps: int = 4,
    max_words: int | None = None,
) -> str:
    """Greedily delete the least valuable clause while its predicted value is below threshold.

    With `max_words`, a sentence still longer than that keeps losing its least valuable clause
    whatever its value (a long lead is worth more shortened than dropped).
    """
    if deleter is None:
        return sentence
    for _ in range(max_steps if max_words is None else max_steps + 4):
        best = None
        too_long = max_words is not None and len(sentence.split()) > max_words
        for kind, new, span in candidates(sentence):
            value = deleter.predict(deletion_features(kind, sentence, span, ctx))
            if (value < threshold or too_long) and (best is None or value < best[0]):
                best = (value, new)
        if best is None:
            break
        sentence = best[1]
    return sentence
