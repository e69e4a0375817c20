"""Story bodies are Markdown written by the desk; readers get it as sanitised HTML.

A body is rendered once, when it is saved (``Story.body_html``), in time linear in its length
whatever it holds: the text is untrusted (a reporter's account can be stolen), and the old
renderer took seconds on a few kilobytes of ``[a](b ``. Three steps:

1. **cmark-gfm** (GitHub's C implementation of CommonMark, through ``cmarkgfm``) parses and
   renders, with GFM tables, strikethrough and autolinks. It runs in *safe mode*: raw HTML in
   the body is dropped, not passed on. Two reasons. The nesting guard below is exact only on
   cmark's own output, where every tag is closed in order; raw HTML would let html5ever's
   error recovery (reopening formatting elements after a misnested close tag) build a deeper
   tree than any scan of the tags predicts. And nothing the desk needs is lost: Markdown
   covers the news body, and nh3 removed most raw HTML anyway.
2. **A nesting guard.** html5ever (inside nh3) checks the open elements on each tag, so its
   time grows with depth times tags: 50,000 nested quotes took 9 s. cmark's output is scanned
   for its deepest element; past ``MAX_NESTING`` the body is shown as escaped paragraphs
   instead, and the story forms refuse such a body with a message.
3. **nh3** applies the allow-list. It gets the markup only: each text run (already escaped by
   cmark) is swapped for a short marker and put back afterwards, because html5ever's time is
   quadratic in the character references of one text node (100,000 ``&amp;x`` took 0.5 s).
"""

from __future__ import annotations

import ctypes
import html
import re
from itertools import accumulate, repeat

import nh3
from cmarkgfm import _cmark, cmark

# What a news body needs and nothing more: no images (hotlinking), no scripts, no styles.
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}

#: the deepest element nesting rendered as Markdown; lists in quotes in lists stay far below it
MAX_NESTING = 32

_EXTENSIONS = ("table", "strikethrough", "autolink")
_OPTIONS = cmark.Options.CMARK_OPT_DEFAULT  # safe mode: raw HTML and javascript: URLs dropped

# cmarkgfm's own wrapper frees neither the syntax tree nor the rendered string (measured: 1.6 GB
# after 5,000 renders of a 20 KB body), so the tree and the string are freed here, with the
# library's own functions reached through ctypes in the same loaded module.
_native = ctypes.CDLL(_cmark.__file__)
_native.cmark_node_free.argtypes = [ctypes.c_void_p]
_native.cmark_node_free.restype = None


class _Allocator(ctypes.Structure):
    _fields_ = [
        ("calloc", ctypes.c_void_p),
        ("realloc", ctypes.c_void_p),
        ("free", ctypes.CFUNCTYPE(None, ctypes.c_void_p)),
    ]


_native.cmark_get_default_mem_allocator.restype = ctypes.POINTER(_Allocator)
_free = _native.cmark_get_default_mem_allocator().contents.free


def _address(pointer) -> int:
    return int(_cmark.ffi.cast("uintptr_t", pointer))


def _cmark_html(text: str) -> str:
    """cmark-gfm's HTML for ``text`` (safe mode, GFM tables, strikethrough, autolinks)."""
    cmark.core_extensions_ensure_registered()
    parser = cmark.parser_new(options=_OPTIONS)
    try:
        for name in _EXTENSIONS:
            cmark.parser_attach_syntax_extension(parser, cmark.find_syntax_extension(name))
        cmark.parser_feed(parser, text)
        root = cmark.parser_finish(parser)
        try:
            extensions = cmark.parser_get_syntax_extensions(parser)
            rendered = _cmark.lib.cmark_render_html(root, _OPTIONS, extensions)
            try:
                return _cmark.ffi.string(rendered).decode()
            finally:
                _free(_address(rendered))
        finally:
            _native.cmark_node_free(_address(root))
    finally:
        cmark.parser_free(parser)


# In cmark's output every "<" starts a tag or a comment (text and attributes are escaped), and
# no tag holds a ">" before its end. What follows "<" says how the tag moves the depth.
_TAG_START = re.compile(r"<(/|!|br |hr |img |input |)")
_DEPTH_STEP = {"": 1, "/": -1}
_SLICE = 1 << 15
# A text run between two tags with something besides white space in it.
_TEXT_RUN = re.compile(r"(?<=>)[^<]*[^<\s][^<]*")
_MARKER = re.compile("\ue000([0-9]+)\ue001")


def _depth(rendered: str) -> int:
    """The deepest element nesting in cmark's output, or the first depth found past
    ``MAX_NESTING``: the scan goes slice by slice, so a deep body is refused early."""
    depth = deepest = start = 0
    while start < len(rendered) and deepest <= MAX_NESTING:
        end = rendered.find("<", start + _SLICE)  # a slice ends before a tag, never inside
        end = len(rendered) if end == -1 else end
        tags = _TAG_START.findall(rendered, start, end)
        levels = list(accumulate(map(_DEPTH_STEP.get, tags, repeat(0)), initial=depth))
        depth, deepest, start = levels[-1], max(deepest, max(levels)), end
    return deepest


def nesting_depth(text: str) -> int:
    """How deeply elements nest in the body's rendering (a paragraph is 1); a depth past
    ``MAX_NESTING`` is reported as soon as it is found, so it may be below the deepest."""
    return _depth(_cmark_html(_without_markers(text))) if text else 0


def _without_markers(text: str) -> str:
    # The private-use characters that mark text runs for nh3 must not come from the body.
    return text.replace("\ue000", "\ufffd").replace("\ue001", "\ufffd")


def _sanitise(rendered: str) -> str:
    runs: list[str] = []

    def hide(match: re.Match) -> str:
        runs.append(match.group())
        return f"\ue000{len(runs) - 1}\ue001"

    cleaned = nh3.clean(
        _TEXT_RUN.sub(hide, rendered),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
    )
    return _MARKER.sub(lambda match: runs[int(match[1])], cleaned)


def as_paragraphs(text: str) -> str:
    """The text itself, escaped, one paragraph per blank-line-separated block."""
    blocks = text.replace("\r\n", "\n").split("\n\n")
    return "".join(f"<p>{html.escape(block.strip())}</p>\n" for block in blocks if block.strip())


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to show anywhere, including inside feeds."""
    if not text:
        return ""
    rendered = _cmark_html(_without_markers(text))
    if _depth(rendered) > MAX_NESTING:
        return as_paragraphs(text)  # only <p> and escaped text: safe without the sanitiser
    return _sanitise(rendered)
