"""The default backend: learned extractive selection with clause deletion.

Offline, in-process and deterministic: no network, no model download, standard library only.
"""

from __future__ import annotations

import re
from collections import Counter

from .checker import Story, bullet_defects, covers_lead, main_clause
from .compression import compress, strip_connective, tidy
from .features import PRONOUN_OPENERS, content_words, sentence_features
from .scoring import TreeEnsemble, load_models
from .sentences import split_sentences
from .validation import MAX_WORDS, quotes_balanced

DEFAULT_PARAMS = {
    "word_penalty": 0.002,  # per word: shorter bullets read better and score higher precision
    "delete_threshold": 0.42,
    "dup_overlap": 0.6,  # content-word overlap above which a sentence repeats a chosen one
    "redundancy": 0.04,
    "pool": 10,  # how many top-scored sentences are compressed and considered
    "min_words": 5,
    # Added to the first lead_k sentences' scores (divided by position): under group-held-out
    # evaluation a small bonus for the first sentence raised cnndm-test ROUGE-2 by 0.06 and
    # cost cnn-corpus 0.03; larger bonuses or more sentences cost more on cnn-corpus.
    "lead_bonus": 0.03,
    "lead_k": 1,
}

_OPENING_OK = re.compile(r"^[\"“‘']?[A-Z0-9$£€]")
# A bare quotation has no speaker and usually no context; keep only attributed quotes.
_QUOTE_ONLY = re.compile(r"^[\"“][^\"“”]*[\"”]\s*$")
_ATTRIBUTION_ONLY = re.compile(
    r"^[^\"“”]{0,80}\b(?:said|says|told\s+[A-Z]\w*|revealed|added|wrote|asked|explained)"
    r"(?:\s+(?:CNN|reporters|journalists))?"
    r"(?:\s+(?:on|at|in|during|this|last|late|early|Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday)\b[^.!?\"“”]{0,40})?[.!?]$"
)
_PRONOUN_SUBJECT = re.compile(
    r"^[^,\"“”]{1,60},\s+(?:he|she|it|they|this|these|those|we)\s+\w", re.I
)


def _bad_opening(sentence: str) -> bool:
    """Bullets must stand alone: no pronoun or connective opener, no quote fragment."""
    if not _OPENING_OK.match(sentence):
        return True
    # "It's" / "He'd" count as pronoun openers too.
    first = re.split(r"['’]", sentence.split()[0].strip("\"“‘'(").lower())[0]
    if first in PRONOUN_OPENERS:
        return True
    # '"..." he said.' fragments and sentences opening on a dangling attribution.
    if re.match(r"^[\"“]?\s*[,.;:]", sentence) or _QUOTE_ONLY.match(sentence):
        return True
    if _ATTRIBUTION_ONLY.match(sentence) and " that " not in sentence:
        return True  # "Gen. X told CNN on Sunday." — the tail of a quote split off

    # "Like the others, it ..." — the subject of the main clause is still a dangling pronoun.
    return bool(_PRONOUN_SUBJECT.match(sentence))


def _finish(sentence: str) -> str:
    sentence = tidy(sentence)
    if sentence and sentence[-1] not in ".!?\"”’'":
        sentence += "."
    return sentence


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / (min(len(a), len(b)) or 1)


def summarize_extractive(
    text: str,
    title: str | None = None,
    n: int = 3,
    models: tuple[TreeEnsemble, TreeEnsemble | None, dict] | None = None,
    **options: float,
) -> list[str]:
    """Pick `n` bullets from the story, compress them, and return them in story order."""
    sentences = split_sentences(text)
    if not sentences:
        return []
    if len(sentences) == 1:
        # Nothing to choose from: the one sentence is the summary (tidied, still one sentence).
        only = _finish(sentences[0])
        if len(only.split()) > MAX_WORDS:
            only = _finish(_shorten(only))
        return [] if bullet_defects(only, Story.of(text, sentences)) else [only]
    scorer, deleter, shipped = models or load_models()
    params = {**DEFAULT_PARAMS, **shipped, **options}
    rows = sentence_features(sentences, title)
    scores = scorer.predict_many(rows)
    if params["lead_bonus"]:
        for i in range(min(int(params["lead_k"]), len(scores))):
            scores[i] += params["lead_bonus"] / (i + 1)
    doc_tf: Counter = Counter()
    words = [content_words(s) for s in sentences]
    for w in words:
        doc_tf.update(w)
    title_words = set(content_words(title)) if title else set()

    story = Story.of(text, sentences)
    order = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    ranked = order[: int(params["pool"]) + n]
    if story.lead and 0 not in ranked:
        ranked.append(0)
    pool = []
    for i in ranked:
        s = strip_connective(sentences[i])
        if _bad_opening(s) or not quotes_balanced(s) or s.rstrip().endswith(":"):
            continue
        ctx = {"doc_tf": doc_tf, "title_words": title_words, "pos_frac": i / len(sentences)}
        c = _finish(compress(s, deleter, ctx, params["delete_threshold"], max_words=MAX_WORDS))
        # The uncompressed sentence is the fallback when a deletion left a broken bullet.
        variants = [c, _finish(s)]
        if i == 0 and story.lead:
            # The news however it fits: its main clause alone (compressed if need be), or the
            # sentence cut at a clause boundary.
            main = tidy(main_clause(s))
            if main != s:
                variants.append(_finish(compress(main, deleter, ctx, 0.0, max_words=MAX_WORDS)))
            variants.append(_finish(_shorten(s)))
        for variant in dict.fromkeys(variants):
            nw = len(variant.split())
            if nw > MAX_WORDS or nw < params["min_words"] or _defective(variant, story):
                continue
            pool.append((scores[i] - params["word_penalty"] * nw, i, variant))
    cands = [(v, i, c, set(content_words(c))) for v, i, c in pool]
    chosen = _select(cands, n, params, story)
    if len(chosen) < n:
        # Short or unusual stories: fall back to the remaining sentences in story order so the
        # caller still gets as many bullets as the text can give.
        taken = {i for i, _, _ in chosen}
        for i, s in enumerate(sentences):
            if len(chosen) == n:
                break
            if i in taken:
                continue
            c = _finish(s)
            if len(c.split()) > MAX_WORDS:
                c = _finish(_shorten(c))
            earlier = [b for j, b, _ in sorted(chosen) if j < i]
            if c and not bullet_defects(c, story, earlier):
                chosen.append((i, c, set(content_words(c))))
        chosen = _story_order_checked(chosen, story)
    return [c for _, c, _ in chosen]


def _defective(bullet: str, story: Story) -> bool:
    """Defects a bullet has whatever comes before it (references are checked in context)."""
    return any(k != "unintroduced_reference" for k in bullet_defects(bullet, story))


def _mmr(cands: list, n: int, params: dict, chosen: list) -> list[tuple[int, str, set[str]]]:
    """Greedy selection with a redundancy penalty (maximal marginal relevance): a sentence that
    repeats what is already chosen is worth less than one that adds a new thread of the story."""
    cands = list(cands)
    chosen = list(chosen)
    lam = params["redundancy"]
    while cands and len(chosen) < n:
        best = None
        for k, (v, i, _c, cw) in enumerate(cands):
            if any(i == j for j, _, _ in chosen):
                continue
            sim = max((_overlap(cw, other) for _, _, other in chosen), default=0.0)
            if sim > params["dup_overlap"]:
                continue
            adj = v - lam * sim
            if best is None or adj > best[0] or (adj == best[0] and i < cands[best[1]][1]):
                best = (adj, k)
        if best is None:
            break
        _v, i, c, cw = cands.pop(best[1])
        chosen.append((i, c, cw))
    return chosen


def _select(cands: list, n: int, params: dict, story: Story) -> list[tuple[int, str, set[str]]]:
    """Choose up to n bullets that pass the checker together, the lead's news among them."""
    banned: set[str] = set()
    for _ in range(8):
        live = [c for c in cands if c[2] not in banned]
        chosen = _mmr(live, n, params, [])
        if story.lead and not covers_lead([c for _, c, _ in chosen], story):
            lead = [c for c in live if c[1] == 0 and covers_lead([c[2]], story)]
            if lead:
                # The lead states the news and no pick carries it: it goes first, the rest fill in.
                _v, i, c, cw = lead[0]
                chosen = _mmr(live, n, params, [(i, c, cw)])
        chosen.sort()
        for k, (_i, c, _cw) in enumerate(chosen):
            if bullet_defects(c, story, [b for _, b, _ in chosen[:k]]):
                banned.add(c)
                break
        else:
            return chosen
    return _story_order_checked(chosen, story)


def _story_order_checked(chosen: list, story: Story) -> list[tuple[int, str, set[str]]]:
    """Sort into story order and drop any bullet the checker still rejects in context."""
    out: list[tuple[int, str, set[str]]] = []
    for item in sorted(chosen):
        if not bullet_defects(item[1], story, [b for _, b, _ in out]):
            out.append(item)
    return out


def _shorten(sentence: str) -> str:
    """Cut an over-long sentence at the last clause boundary within the word limit."""
    words = sentence.split()[:MAX_WORDS]
    cut = " ".join(words)
    m = re.search(r"^(.*[A-Za-z0-9\"”])[,;:]\s", cut)
    if m and len(m.group(1).split()) >= 6:
        cut = m.group(1)
    cut = cut.rstrip(",;:-—– ")
    if cut.count('"') % 2:
        cut = cut.replace('"', "")
    return cut
