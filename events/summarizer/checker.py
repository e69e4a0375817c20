"""The bullet checker: what makes a bullet broken, decided without a model.

A bullet must read as one complete sentence that stands alone: a main verb, balanced quotes, no
opening pronoun or connective, nobody named as if already known ("Mrs Burnham", "the two
nations") unless an earlier bullet introduced them, no number that is not in the story. A set of
bullets must also carry the lead's news when the lead states some (who did what).

The extractive backend runs `summary_defects` on its own answer before returning it and swaps any
bullet it flags; the bench runs it over every bullet it produces (and over Lead-3 and the human
references, as a yardstick for how often the rules misfire).

These are word-list heuristics for English news copy, not a parser: they are tuned to catch the
failures seen in compressed and extracted bullets while passing ordinary wire sentences.
"""

from __future__ import annotations

import re
from functools import cached_property

from .features import content_words
from .sentences import split_paragraph, split_sentences
from .validation import MAX_WORDS, invented_numbers, source_numbers

DEFECT_KINDS = (
    "empty",
    "too_long",
    "not_one_sentence",
    "no_main_verb",
    "unbalanced_quotes",
    "dangling_opening",
    "unintroduced_reference",
    "invented_number",
    "lead_news_missing",
)


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*|[,;:()\"“”]|--|—|–")

_AUX = _set(
    """is are was were am has have had do does did will would shall should can could may might
    must isn't aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't won't wouldn't
    shan't shouldn't can't cannot couldn't mustn't mightn't ain't"""
)
# Contractions whose second half is a verb ("it's", "they're", "we've", "she'll", "I'm").
_VERB_CLITIC = re.compile(r"^(?:[a-z]+['’](?:re|ve|ll|m|d)|(?:it|he|she|that|there|what|who|"
                          r"here|where)['’]s)$")  # fmt: skip
_IRREGULAR_PAST = _set(
    """said told went came took made gave found left felt kept held brought bought thought saw
    knew got won lost ran sat stood met led fell rose shot struck fought sought caught taught began
    became broke chose drew drove ate flew forgot froze grew hid lay rode rang sang sank spoke stole
    swam threw woke wore wrote sent spent built lent meant paid laid sold slid fled bled fed sped
    dealt dug hung shook swore tore spun stuck swept wept slept spread withdrew upheld underwent
    arose awoke bore bent bound bred leapt strove swung sprang shone overcame overtook undertook
    forgave foresaw oversaw mistook misled sped slew strode beat hit put set cut let hurt cost quit
    split shut bid burst cast read"""
)
# Present-tense verbs common in news copy ("Police say ...", "The report warns ...").
_PRESENT = _set(
    """say says tell tells claim claims warn warns face faces plan plans want wants need needs
    hope hopes fear fears deny denies admit admits insist insists believe believes think thinks
    know knows seem seems appear appears remain remains become becomes get gets make makes take
    takes give gives go goes come comes call calls lead leads show shows find finds continue
    continues include includes reveal reveals report reports urge urges vow vows pledge pledges
    announce announces expect expects launch launches reject rejects accept accepts back backs
    blame blames accuse accuses sue sues win wins lose loses leave leaves join joins open opens
    close closes start starts end ends hit hits kill kills rise rises fall falls suggest suggests
    argue argues estimate estimates predict predicts agree agrees refuse refuses allow allows
    offer offers seek seeks hold holds keep keeps put puts run runs help helps try tries look looks
    feel feels live lives work works mean means cost costs require requires represent represents
    describe describes ask asks stand stands sit sits lie lies grow grows own owns serve serves
    support supports oppose opposes face faces risk risks promise promises love loves hate hates
    like likes offers contains involves affects threatens remains stays becomes lacks enjoys
    joins provides raises receives explains writes says describes notes adds"""
)
_NOT_VERB_ED = _set(
    """hundred red bed shed sacred naked wicked wretched rugged ragged kindred beloved aged
    biased armed unarmed skilled talented detailed limited united advanced experienced related
    supposed so-called speed seed feed breed need deed greed weed creed indeed"""
)
# Words before an -ed form that make it an adjective or a participle, not a finite verb.
_ED_ADJECTIVE_BEFORE = _set(
    """the a an his her their its our my your this that these those of most more very so too
    being been be having newly well least less fully partly recently"""
)
# Each of these opens a clause whose (first) verb is not the sentence's main verb.
_SUBORDINATORS = _set(
    """who whom whose which that where when while because although though if unless until after
    before since whether whereas"""
)
_OPENING_SUBORDINATORS = _set("because although though whereas unless since while if when")
_RELATIVES = _set("who whom whose which that")
_PREPOSITIONS = _set(
    "of in at on for by with from to into about over under after before during like"
)
_QUANTIFIERS = _set(
    """two three four five six seven eight nine ten dozen hundred thousand million billion many
    several few some all both other more most no any such own new old"""
)
_OBJECT_STARTS = _set(
    "the a an to that his her their its our this these those on in for with from at by"
)
_SPEECH = _set("said says told tells added adds explained wrote writes argued argues")
_PRONOUNS = _set("he she they it this these those his her their its him them we us our i you")
_CONNECTIVES = _set(
    """but and so yet or nor also however still meanwhile instead then thus therefore moreover
    furthermore besides nevertheless nonetheless otherwise likewise similarly indeed hence plus
    additionally consequently accordingly"""
)
_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lord|Lady|Rev)"
_TITLE_NAME = re.compile(r"^[\"“]?" + _TITLES + r"\.?\s+([A-Z][\w'’-]+)")
# "The two nations", "the pair", "both sides"; "the man" or "the former" only when nothing
# after it says who ("The man said", not "The man in line to be speaker lost ...").
_GROUP_REFERENCE = re.compile(
    r"^(?:(?:The|Both)\s+(?:two|three|four|five|six|seven|eight|nine|ten)\s+\w"
    r"|The\s+(?:pair|couple|duo|trio)\b|Both\s+(?:men|women|sides|countries|leaders|teams)\b"
    r"|The\s+(?:former|latter|same|man|woman|boy|girl)(?=\s*,|\s+(?:said|says|told|was|is|has|had|"
    r"will|would|did|added|also)\b))"
)
_PRONOUN_SUBJECT = re.compile(
    r"^[^,\"“”]{1,60},\s+(?:he|she|it|they|this|these|those|we)\s+\w", re.IGNORECASE
)
_ENGLISH = _set("the a an of to in and is was are were for on that with by from has")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
_PAST_AUX = _set("has have had was were did hasn't haven't hadn't wasn't weren't didn't")
_LOWER_WORD = re.compile(r"[a-z]+")
_FULL_NAME = re.compile(r"\b([A-Z][a-z]+)\s+([A-Z][a-z][\w'’-]+)\b")
_TITLE_WORD = re.compile(_TITLES)
_WS = re.compile(r"\s+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _is_finite_verb(tokens: list[str], k: int, commas: int = 0) -> bool:
    word = tokens[k]
    low = word.lower().replace("’", "'")
    prev = tokens[k - 1] if k else ""
    if low in _AUX or _VERB_CLITIC.match(low):
        return True
    if k and word[:1].isupper():
        return False  # a name ("United", "Reed") is not a verb
    if low in _IRREGULAR_PAST or low in _PRESENT:
        # "the cut", "a report", "to say": determiners and "to" make it a noun or infinitive.
        return prev.lower() not in _ED_ADJECTIVE_BEFORE and prev.lower() != "to"
    if low.endswith("ed") and len(low) > 3 and low not in _NOT_VERB_ED:
        # Right after an opening comma ("The ship, called the ...") it is a participle; after
        # the closing one ("The pact, signed in 1953, ended ...") it is the main verb.
        if prev == ",":
            return commas % 2 == 0
        return prev.lower() not in _ED_ADJECTIVE_BEFORE
    if (
        low.endswith("s")
        and not low.endswith(("ss", "us", "is", "'s"))
        and len(low) > 3
        and (prev[:1].isupper() or prev.endswith("ly"))
        and not prev.endswith(("'s", "’s"))
        and k > 0
    ):
        return True  # "ISIS refers", "Apple plans": a present verb after a name
    nxt = tokens[k + 1].lower() if k + 1 < len(tokens) else ""
    return (
        low.endswith("s")
        and not low.endswith(("ss", "us", "is", "'s", "’s"))
        and len(low) > 3
        and prev.isalpha()
        and prev.islower()
        and not prev.endswith("s")
        and prev not in _ED_ADJECTIVE_BEFORE
        and prev not in _PREPOSITIONS
        and prev not in _QUANTIFIERS
        and nxt in _OBJECT_STARTS
    )  # "the mayor welcomes the plan": a present verb before its object


def has_main_verb(sentence: str) -> bool:
    """True if some finite verb is not the first verb of a subordinate or relative clause.

    "The trawler, called the Dalny Vostok, that sank on Thursday." has a verb ("sank") but it
    belongs to the relative clause, so the sentence has no main verb.
    """
    return main_verb_index(_tokens(sentence)) >= 0


def main_verb_index(tokens: list[str]) -> int:
    """Index of the first finite verb outside subordinate clauses, or -1 (see has_main_verb)."""
    if tokens and tokens[0].lower() in _OPENING_SUBORDINATORS and "," not in tokens:
        return -1  # "Because there's a wing of his party that wants ...": no main clause
    pending: list[str] = []  # subordinate clauses still waiting for their verb
    commas = 0
    for k, tok in enumerate(tokens):
        low = tok.lower()
        if tok == ",":
            commas += 1
            # "After the vote in the capital, the mayor said ...": an opening clause ends at
            # its comma; relative clauses are left to find their verb.
            pending = [p for p in pending if p in _RELATIVES]
            continue
        if low in _SUBORDINATORS and k + 1 < len(tokens):
            prev = tokens[k - 1].lower() if k else ""
            if low == "that" and (not k or prev in _PREPOSITIONS):
                continue  # "of that type": a determiner
            if low not in _RELATIVES and _is_finite_verb(tokens, k + 1, commas):
                continue  # "before have images ...": no subject, so no clause
            pending.append(low)
            continue
        if _is_finite_verb(tokens, k, commas):
            if not pending:
                return k
            pending.pop()
    return -1


def quotes_balanced(text: str) -> bool:
    """Double quotes pair up, and no single quotation opened ("said: 'I was") is left open."""
    if text.count('"') % 2 or text.count("“") != text.count("”"):
        return False
    # A single quote opens a quotation at a word start ("'I", "‘We"), not an abbreviation ('90s).
    opened = len(re.findall(r"(?:^|(?<=[\s(:—–-]))['‘](?=[A-Za-z])", text))
    closed = len(re.findall(r"(?<=[\w.,!?])['’](?=[\s.,;:!?)—–-]|$)", text))
    return opened <= closed


def _first_word(text: str) -> str:
    words = text.split()
    if not words:
        return ""
    return re.split(r"['’]", words[0].strip("\"“‘'(,;:").lower())[0]


class Story:
    """What the checks need to know about the story the bullets summarise."""

    def __init__(self, text: str, sentences: list[str] | None = None) -> None:
        self.text = text
        self.sentences = sentences if sentences is not None else split_sentences(text)
        words = _LOWER_WORD.findall(text.lower())
        self.english = bool(words) and sum(map(_ENGLISH.__contains__, words)) >= 0.12 * len(words)
        first = self.sentences[0] if self.sentences else ""
        self.lead = first if first and states_news(first) else ""
        self.lead_who, self.lead_what = who_did_what(self.lead)

    @classmethod
    def of(cls, text: str, sentences: list[str] | None = None) -> Story:
        return cls(text, sentences)

    @cached_property
    def numbers(self) -> set[str]:
        return source_numbers(self.text)

    @cached_property
    def introduced(self) -> dict[str, str]:
        """Surnames the story introduces with a first name: {"Burnham": "Jane Burnham"}."""
        found: dict[str, str] = {}
        for m in _FULL_NAME.finditer(self.text):
            first, last = m.groups()
            if not _TITLE_WORD.fullmatch(first):
                found.setdefault(last, f"{first} {last}")
        return found


def states_news(sentence: str) -> bool:
    """A lead that reports an event: someone named did something (a past or perfect verb)."""
    if len(sentence.split()) < 8 or sentence[:1] in "\"“‘'" or sentence.rstrip().endswith("?"):
        return False
    if _first_word(sentence) in _PRONOUNS or _first_word(sentence) in _CONNECTIVES:
        return False
    tokens = _tokens(sentence)
    k = main_verb_index(tokens)
    if k < 0:
        return False
    verb = tokens[k].lower()
    # Past or perfect ("met", "has agreed", "were killed"); "is pushing" is not yet news.
    past = verb in _IRREGULAR_PAST or verb.endswith("ed") or verb in _PAST_AUX
    named = len(_CAPITALISED.findall(sentence)) >= 2 or bool(re.search(r"\d", sentence))
    return past and named


def who_did_what(sentence: str) -> tuple[set[str], set[str]]:
    """Content words of the main clause's subject, and of its verb and the words right after."""
    if not sentence:
        return set(), set()
    tokens = _tokens(sentence)
    k = main_verb_index(tokens)
    if k < 0:
        return set(), set()
    start = max((j + 1 for j in range(k) if tokens[j] == ","), default=0)
    who = set(content_words(" ".join(tokens[start:k])))
    what = set(content_words(" ".join(tokens[k : k + 5])))
    return who, what


def main_clause(sentence: str) -> str:
    """The sentence from its main clause's subject on ("In the aftermath of ..., X vowed ...")."""
    tokens = _tokens(sentence)
    k = main_verb_index(tokens)
    commas = [j for j in range(max(k, 0)) if tokens[j] == ","]
    if k < 0 or not commas:
        return sentence
    # Cut after the same comma in the text: the n-th comma before the verb.
    pos = -1
    for _ in range(len(commas)):
        pos = sentence.find(",", pos + 1)
    return sentence[pos + 1 :].strip() if pos >= 0 else sentence


def covers_lead(bullets: list[str], story: Story) -> bool:
    """Some bullet says who did what in the lead: a word of its subject and of its predicate."""
    if not story.lead_who or not story.lead_what:
        return True
    for b in bullets:
        words = set(content_words(b))
        if words & story.lead_who and words & story.lead_what:
            return True
    return False


def bullet_defects(bullet: str, story: Story, earlier: list[str] | tuple = ()) -> list[str]:
    """The defect kinds (from DEFECT_KINDS) of one bullet, given the bullets before it."""
    if not bullet or not bullet.strip() or not any(c.isalnum() for c in bullet):
        return ["empty"]
    out = []
    if len(bullet.split()) > MAX_WORDS:
        out.append("too_long")
    stripped = bullet.strip()
    if (
        len(split_paragraph(_WS.sub(" ", stripped))) != 1
        or stripped[-1] not in ".!?\"”’'"
        or not re.match(r"^[\"“‘']?[A-Z0-9$£€]", stripped)
    ):
        out.append("not_one_sentence")
    if not quotes_balanced(stripped):
        out.append("unbalanced_quotes")
    if invented_numbers(stripped, story.numbers):
        out.append("invented_number")
    if not story.english:
        return out
    if not has_main_verb(stripped):
        out.append("no_main_verb")
    first = _first_word(stripped)
    quoted = stripped[:1] in "\"“‘'"
    pronoun = not quoted and (first in _PRONOUNS or bool(_PRONOUN_SUBJECT.match(stripped)))
    if pronoun or first in _CONNECTIVES:
        out.append("dangling_opening")
    before = " ".join(earlier)
    m = _TITLE_NAME.match(stripped)
    name = m.group(1) if m else None
    if name is None and not quoted:
        # A bare surname as the subject ("Burnham said ...") of someone the story introduced.
        words = stripped.split()
        if len(words) > 1 and words[1].lower() in _SPEECH and words[0] in story.introduced:
            name = words[0]
    unknown_person = bool(name) and name in story.introduced and name not in before
    # "The two nations": fine only after a bullet that named at least two of something.
    unknown_group = bool(_GROUP_REFERENCE.match(stripped)) and (
        len(set(_CAPITALISED.findall(before))) < 2
    )
    if unknown_person or unknown_group:
        out.append("unintroduced_reference")
    return out


def summary_defects(bullets: list[str], story: Story) -> list[tuple[int | None, str]]:
    """Every defect of an answer: (bullet index, kind), index None for the whole answer."""
    found: list[tuple[int | None, str]] = []
    for i, b in enumerate(bullets):
        found.extend((i, kind) for kind in bullet_defects(b, story, bullets[:i]))
    if story.english and bullets and not covers_lead(bullets, story):
        found.append((None, "lead_news_missing"))
    return found


def check_summary(bullets: list[str], text: str) -> list[tuple[int | None, str]]:
    """Convenience for callers that hold only the story text."""
    return summary_defects(bullets, Story.of(text))


__all__ = [
    "DEFECT_KINDS",
    "Story",
    "bullet_defects",
    "check_summary",
    "covers_lead",
    "has_main_verb",
    "quotes_balanced",
    "states_news",
    "summary_defects",
]
