"""Sentence splitting for news copy.

Plain regular expressions instead of a trained tokenizer: the runtime must be standard library
only, and wire copy is regular enough that a list of abbreviations plus a few context rules
handles titles (Mr., Gen.), initials (J. R. R.), acronyms (U.S.), decimals (3.5), ellipses,
quotes and datelines.
"""

from __future__ import annotations

import re

from .cleaning import clean_paragraph, is_furniture, strip_source_tag

# Abbreviations that are (almost) never the end of a sentence: a capitalised word follows them.
_TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "cpl",
    "adm", "cmdr", "sen", "rep", "gov", "pres", "rev", "fr", "sr", "jr", "st", "mt", "ft",
    "hon", "supt", "insp", "det", "atty", "brig", "pfc", "spc", "amb", "cdr",
    "messrs", "mme", "mlle", "sens", "reps", "gens",
}  # fmt: skip
# Abbreviations that may end a sentence; we only split after them when the next word looks
# like a sentence opener.
_SOFT = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "nos", "vs", "v", "etc", "inc", "corp", "co", "ltd", "llc", "plc", "bros", "dept",
    "univ", "assn", "ave", "blvd", "rd", "hwy", "approx", "est", "fig", "al", "ca",
    "a.m", "p.m", "u.s", "u.k", "u.n", "e.u", "d.c", "u.s.a", "l.a", "n.y", "i.e", "e.g",
}  # fmt: skip
_STATES = {"ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind",
           "kan", "kans", "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont",
           "neb", "nev", "okla", "ore", "pa", "penn", "tenn", "tex", "va", "vt", "wash",
           "wis", "wyo"}  # fmt: skip
_OPENERS = {
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "his", "her", "their", "its",
    "this", "that", "these", "those", "there", "but", "and", "so", "yet", "in", "on", "at",
    "after", "before", "when", "while", "if", "as", "for", "officials", "police", "authorities",
    "some", "many", "most", "one", "two", "three", "no", "not", "what", "who", "why", "how",
    "meanwhile", "however", "still", "then", "now", "since", "although", "though",
}  # fmt: skip

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace.
_BOUNDARY = re.compile(r"""([.!?]+|\.\.\.|…)(["'”’)\]]*)(\s+)""")
_WORD_BEFORE = re.compile(r"""([\w.'’-]+)$""")
_NEXT_START = re.compile(r"""^\s*["'“‘(\[]*([\w$£€%-]+)""")

# Datelines: "KYIV, Ukraine (CNN) -- ", "LONDON — ", "(CNN)", "WASHINGTON (Reuters) - ".
_DATELINE = re.compile(
    r"""^\s*
    (?:[A-Z][A-Za-z.'’\- ]{0,40}?(?:,\s*[A-Z][A-Za-z.'’\- ]{0,30})?\s*)?  # place, region
    (?:\((?:CNN|AP|AFP|Reuters|UPI|CNN\s?Money|EW\.com|Mashable|[A-Z][A-Za-z. ]{1,20})\)\s*)?
    (?:--|—|–|-)\s+""",
    re.VERBOSE,
)
_AGENCY_ONLY = re.compile(r"^\s*(?:[A-Z][A-Za-z.'’\-, ]{0,60}?\s*)?\((?:CNN|AP|AFP|Reuters)\)\s*")
# Stripped datelines without separator, as in "Washington The president said ..." — an
# all-capitalised prefix of at most four words followed by a typical capitalised opener.
_BARE_DATELINE = re.compile(
    r"^((?:[A-Z][a-z.'’]+|[A-Z]{2,}|[A-Z]\.[A-Z]\.),?(?: (?:[A-Z][a-z.'’]+|[A-Z]{2,}),?){0,3}) "
    r"(?=(?:The|A|An|In|With|When|After|Before|As|At|On|For|It|If|Two|Three|Four|Police|"
    r"Authorities|Officials|President)\b)"
)
# A byline or time stamp before the dateline hides it from strip_dateline.
_STAMP_AT_START = re.compile(r"^\s*(?:By\s+(?:[A-Z][\w.'’-]*\s+){1,4}(?=PUBLISHED)\s*)?")
_PARA = re.compile(r"\n\s*\n|\n(?=\s*[\"“A-Z0-9])")
_WS = re.compile(r"\s+")


def strip_dateline(text: str) -> str:
    """Remove a leading dateline ("KYIV, Ukraine (CNN) --") from the start of a story."""
    m = _DATELINE.match(text)
    if m and len(m.group(0)) < 70:
        # A dash alone after an ordinary clause is not a dateline: demand a short, capitalised
        # prefix (place names) or an agency tag.
        prefix = m.group(0)
        words = re.findall(r"[A-Za-z]+", prefix)
        if "(" in prefix or (words and all(w[0].isupper() for w in words) and len(words) <= 5):
            text = text[m.end() :]
    m = _AGENCY_ONLY.match(text)
    if m and len(m.group(0)) < 70:
        text = text[m.end() :]
    m = _BARE_DATELINE.match(text)
    if m:
        text = text[m.end() :]
    return text


def _is_boundary(left: str, punct: str, right: str) -> bool:
    """Decide whether the punctuation at the end of `left` ends a sentence."""
    nxt = _NEXT_START.match(right)
    if not nxt:
        return True
    next_word = nxt.group(1)
    opens_upper = next_word[0].isupper() or next_word[0].isdigit() or next_word[0] in "$£€"
    if punct in ("!", "?") or punct.startswith(("!", "?")):
        # "Why?" he asked. — a lowercase continuation means the quote is inside the sentence.
        return opens_upper
    if punct in ("...", "…") or punct.startswith(".."):
        return opens_upper and next_word.lower() in _OPENERS
    if not opens_upper:
        return False
    m = _WORD_BEFORE.search(left)
    if not m:
        return True
    word = m.group(1).strip("'’\"").rstrip(".")
    low = word.lower()
    if low in _TITLES:
        return False
    if len(word) == 1 and word.isalpha() and word.isupper():
        return False  # an initial: "John F. Kennedy"
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word) or low in _SOFT or low in _STATES:
        # "U.S." / "Jan." / "Calif." end a sentence only if a typical opener follows.
        return next_word.lower() in _OPENERS
    return True


def split_sentences(text: str) -> list[str]:
    """Split a story into sentences; paragraphs always end a sentence; furniture is left out."""
    if not text or not text.strip():
        return []
    text = strip_source_tag(strip_dateline(_STAMP_AT_START.sub("", text.replace("\r\n", "\n"))))
    paras: list[str] = []
    cleaned_first = False
    for raw in _PARA.split(text):
        flat = _WS.sub(" ", raw).strip()
        para = clean_paragraph(flat)
        if not paras:
            cleaned_first = cleaned_first or para != flat
            if para and cleaned_first:
                para = strip_dateline(para)  # the dateline came after a byline or a stamp
        if para:
            paras.append(para)
    out = [s for para in paras for s in split_paragraph(para)]
    return [s for s in out if any(c.isalnum() for c in s) and not is_furniture(s)]


def split_paragraph(para: str) -> list[str]:
    """Split one paragraph (whitespace already collapsed) at its sentence boundaries."""
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(para):
        left = para[start : m.start(1)]
        right = para[m.end() :]
        if _is_boundary(left, m.group(1), right):
            sent = para[start : m.end(2)].strip()
            if sent:
                out.append(sent)
            start = m.end()
    tail = para[start:].strip()
    if tail:
        out.append(tail)
    return out
