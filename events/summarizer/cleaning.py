"""Outlet furniture: the parts of a page that are not the story.

Datelines ("KYIV, Ukraine (CNN) --"), agency tags, bylines, "PUBLISHED: ... | UPDATED: ..."
stamps, editor's notes, photo captions and credits, "Scroll down for video" and "Follow @desk"
lines all differ from one outlet to the next. Left in, they become sentences that a scorer
learns to recognise by outlet (or a lead-3 that starts with a byline); removed first, the
features describe the story alone, whoever published it.
"""

from __future__ import annotations

import re

_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_TIME = r"\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?"
_DATE = (
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTHS + r",?\s+\d{4}|" + _MONTHS
    + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
)  # fmt: skip
# "PUBLISHED: 12:01 EST, 3 January 2014 | UPDATED: 14:22 EST, 3 January 2014"
_STAMP = re.compile(
    r"\b(?:PUBLISHED|UPDATED|Published|Updated|Last updated)(?:\s+at)?:?\s+"
    r"(?:" + _TIME + r"|" + _DATE + r")(?:,?\s*(?:on\s+)?(?:" + _DATE + r"|" + _TIME + r"))?"
    r"\s*\|?\s*"
)
# A byline paragraph: "By John Smith, CNN", "By JANE DOE and JOHN ROE for MailOnline".
_BYLINE = re.compile(
    r"^\s*By\s+(?:[A-Z][\w.'’-]*\s*){1,4}"
    r"(?:(?:,|and|&|for|For|in|In)\s+(?:[A-Z][\w.'’-]*\s*){1,4}){0,3}"
    r"(?:,?\s*(?:CNN|AP|AFP|Reuters|MailOnline|Daily Mail|Associated Press)\b)?[\s|,]*$"
)
# A byline run into the first sentence: "By John Smith PUBLISHED: ..." or "By John Smith |".
_BYLINE_INLINE = re.compile(r"^\s*By\s+(?:[A-Z][\w.'’-]*\s+){1,4}(?:\||(?=PUBLISHED|UPDATED))\s*")
# Whole sentences or lines that are furniture, not story.
_FURNITURE = re.compile(
    r"""^\s*[\[(]?\s*(?:
        (?:Scroll|SCROLL)\s+down\b
      | (?:READ|Read)\s+(?:MORE|more)\b
      | (?:CLICK|Click)\s+(?:HERE|here)\b
      | (?:WATCH|Watch)(?:\s+(?:the\s+)?video)?\s*:
      | (?:Follow|FOLLOW)\s+(?:@|us\b|[A-Z][\w ]{0,40}\s+on\s+(?:Twitter|Facebook|Instagram))
      | (?:Editor['’]s\s+[Nn]ote|EDITOR['’]S\s+NOTE)\b
      | (?:Photo|PHOTO|Photos|PHOTOS|Picture|Pictured|PICTURED|Image|Caption|Video|VIDEO|
          Credit|Source|SEE\s+ALSO|RELATED|Related|Share\s+this|Sign\s+up|Copyright)\s*:
      | (?:Share|Comments?)\s*\(\d+\)
      | Breaking\s+news\s+alert
    )""",
    re.VERBOSE,
)
_CONTRIBUTED = re.compile(
    r"\b(?:contributed\s+(?:to\s+)?this\s+(?:report|story)|"
    r"opinions\s+expressed\s+in\s+this\s+(?:commentary|article)\s+are)\b",
    re.IGNORECASE,
)
# Photo-caption asides inside a sentence: "(pictured)", "(left)", "(file photo)".
_CAPTION_ASIDE = re.compile(
    r"\s*\((?:pictured|picture|above|below|left|right|centre|center|top|bottom|file|"
    r"file photo|inset|main|main picture|main image|second left|second right|far left|"
    r"far right)(?:[\s,]+(?:left|right|above|below|centre|center|with\s+[\w .'’-]{1,40}|"
    r"in\s+\d{4}|on\s+[\w ]{1,20}))*\)",
    re.IGNORECASE,
)
_CREDIT_TAIL = re.compile(
    r"\s*\(?(?:Photo|Image|Picture)s?(?:\s+credit)?\s*:\s*[A-Z][\w .&'’/-]{1,40}\)?\s*$"
    r"|\s*\((?:Getty Images|AFP|AP|Reuters|EPA|PA|Rex Features|Shutterstock)(?:/[\w ]+)?\)\s*$"
)


# A partner outlet's tag run into the first word: "(The Hollywood Reporter)A trailer ...".
_SOURCE_TAG = re.compile(r"^\s*\((?:The\s+)?[A-Z][\w.&'’ ]{1,40}\)\s*(?=[A-Z\"“])")


def strip_source_tag(text: str) -> str:
    """Remove a leading "(Outlet)" tag from the start of a story."""
    return _SOURCE_TAG.sub("", text, count=1)


def clean_paragraph(paragraph: str) -> str:
    """Remove furniture from one paragraph (or a whole story with no paragraph breaks)."""
    # Cheap substring guards first: this runs on every paragraph of every story.
    if any(w in paragraph for w in ("ublished", "UBLISHED", "pdated", "PDATED")):
        paragraph = _STAMP.sub(" ", paragraph)
    if paragraph.startswith("By "):
        paragraph = _BYLINE_INLINE.sub("", paragraph)
        if _BYLINE.match(paragraph):
            return ""
    if "(" in paragraph:
        paragraph = _CAPTION_ASIDE.sub("", paragraph)
    if paragraph.endswith(")") or ":" in paragraph:
        paragraph = _CREDIT_TAIL.sub("", paragraph)
    return paragraph.strip()


def is_furniture(sentence: str) -> bool:
    """A sentence that belongs to the page (captions, links, notes), not to the story."""
    if _FURNITURE.match(sentence):
        return True
    low = sentence.lower()
    return ("contributed" in low or "opinions expressed" in low) and bool(
        _CONTRIBUTED.search(sentence)
    )
