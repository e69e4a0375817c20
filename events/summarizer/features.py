"""Sentence features for the learned scorer.

Everything here is cheap, standard-library arithmetic: the default backend must handle well over
100 stories per second in one process.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+")
_CAP = re.compile(r"\b[A-Z][a-zA-Z]+")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOPWORDS = _wordset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own said same says she should so some such than that the their theirs them then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours told say mr mrs ms"""
)

PRONOUN_OPENERS = _wordset(
    "he she they it this that these those his her their its we i you him them there"
)
CONNECTIVE_OPENERS = _wordset(
    "but and so yet or also however still meanwhile instead then thus therefore"
)

# No absolute position or story length: how many sentences a story has and how far down the
# highlights sit are one outlet's habits (paragraphing, length). With them, a model trained on
# one collection lost ROUGE-2 to Lead-3 on the other (-0.26); without, it won (+0.46 both ways).
FEATURE_NAMES = [
    "pos_frac",
    "inv_pos",
    "n_words",
    "n_chars_per_word",
    "centrality",  # cosine with the rest of the story
    "centroid_rank_frac",
    "title_overlap",
    "has_title",
    "lead_sim",  # similarity to the first sentence
    "n_numbers",
    "cap_ratio",
    "n_caps",
    "quote_frac",  # share of the sentence inside quotation marks
    "starts_quote",
    "pronoun_open",
    "connective_open",
    "has_said",
    "is_question",
    "ends_colon",
    "prev_overlap",
    "mean_tf",  # mean document frequency of its content words
]


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    # A light plural/verb-ending strip: enough for "drones" ~ "drone", "talks" ~ "talk" without a
    # full stemmer (speed matters more than linguistic precision here).
    if len(word) > 4:
        if word.endswith("ies"):
            return word[:-3] + "y"
        if word.endswith("s") and not word.endswith(("ss", "us", "is")):
            return word[:-1]
    return word


def content_words(sentence: str) -> list[str]:
    """Lower-cased, lightly stemmed words that are not stop words."""
    return [_stem(w) for w in _WORD.findall(sentence.lower()) if w not in STOPWORDS and len(w) > 1]


def _cos(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    small, big = (a, b) if len(a) < len(b) else (b, a)
    dot = sum(v * big.get(k, 0) for k, v in small.items())
    if not dot:
        return 0.0
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)


def _quote_frac(sentence: str) -> float:
    # Words between quotation marks, straight or curly.
    inside = 0
    total = 0
    in_q = False
    for tok in sentence.split():
        opening = tok[:1] in '"“'
        closing = tok.rstrip(".,;:!?)")[-1:] in '"”'
        if opening:
            in_q = True
        total += 1
        if in_q:
            inside += 1
        if closing and (in_q or not opening):
            in_q = False
    return inside / total if total else 0.0


def sentence_features(sentences: list[str], title: str | None = None) -> list[list[float]]:
    """One feature row (ordered as FEATURE_NAMES) per sentence."""
    n = len(sentences)
    if n == 0:
        return []
    words = [content_words(s) for s in sentences]
    tfs = [Counter(w) for w in words]
    doc = Counter()
    for tf in tfs:
        doc.update(tf)
    title_words = set(content_words(title)) if title else set()
    lead = tfs[0]
    # Cosine of each sentence with the rest of the story, computed algebraically from the whole
    # story's vector (copying the story vector per sentence was the main cost).
    doc_sq = sum(v * v for v in doc.values())
    cents = []
    for tf in tfs:
        dot = 0.0
        rest_sq = doc_sq
        tf_sq = 0.0
        for w, c in tf.items():
            d = doc[w]
            dot += c * (d - c)
            rest_sq -= d * d - (d - c) * (d - c)
            tf_sq += c * c
        cents.append(dot / math.sqrt(tf_sq * rest_sq) if dot > 0 and rest_sq > 0 else 0.0)
    order = sorted(range(n), key=lambda i: -cents[i])
    rank = [0] * n
    for r, i in enumerate(order):
        rank[i] = r
    rows = []
    for i, s in enumerate(sentences):
        toks = s.split()
        nw = len(toks)
        first = toks[0].strip("\"“‘'(").lower() if toks else ""
        caps = len(_CAP.findall(s)) - (1 if s[:1].isupper() else 0)
        cw = words[i]
        nums = len(re.findall(r"\d+(?:[.,]\d+)*", s))
        prev = len(set(cw) & set(words[i - 1])) / (len(set(cw)) or 1) if i else 0.0
        rows.append(
            [
                i / n,
                1.0 / (i + 1),
                float(nw),
                len(s) / (nw or 1),
                cents[i],
                rank[i] / n,
                (len(set(cw) & title_words) / (len(title_words) or 1)) if title_words else -1.0,
                1.0 if title_words else 0.0,
                _cos(tfs[i], lead) if i else 1.0,
                float(nums),
                max(caps, 0) / (nw or 1),
                float(max(caps, 0)),
                _quote_frac(s),
                1.0 if s[:1] in "\"“'‘" else 0.0,
                1.0 if first in PRONOUN_OPENERS else 0.0,
                1.0 if first in CONNECTIVE_OPENERS else 0.0,
                1.0 if re.search(r"\b(?:said|says|told)\b", s) else 0.0,
                1.0 if s.rstrip("\"”'’)").endswith("?") else 0.0,
                1.0 if s.rstrip().endswith(":") else 0.0,
                prev,
                (sum(doc[w] for w in cw) / len(cw)) if cw else 0.0,
            ]
        )
    return rows
