"""The readable text of a source document, against which every ``tf:quote`` is checked.

The shipped sources are Markdown: the fact sheet with YAML front matter, each law text with a
provenance header (a ``# title`` line, then ``key: value`` lines such as ``source:`` and
``retrieved from:``, then a blank line). Neither is the source's own words, so both go. A quote
is the words a reader sees, so links keep their text and lose their address, heading marks,
emphasis markers and backslash escapes go, and white space is collapsed (quotes may wrap
differently from the source).
"""

from __future__ import annotations

import re
from pathlib import Path

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_PROVENANCE_HEADER = re.compile(r"\A# [^\n]*\n(?:[a-z][a-z ]*:[^\n]*\n)+(?:\n|\Z)")
_HEADING_MARK = re.compile(r"^#{1,6}[^\S\n]+", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"\*+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")
_SPACE = re.compile(r"\s+")


def collapse(text: str) -> str:
    """White space runs become one space; ends are trimmed."""
    return _SPACE.sub(" ", text).strip()


def clip(text: str, width: int) -> str:
    """At most ``width`` characters; a cut is marked with "…"."""
    return text if len(text) <= width else text[: width - 1] + "…"


def plain_text(markdown: str) -> str:
    """What a reader of the rendered Markdown sees, white space collapsed."""
    text = markdown.replace("\r\n", "\n")
    text = _PROVENANCE_HEADER.sub("", _FRONT_MATTER.sub("", text))
    text = _HEADING_MARK.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    return collapse(text)


def read_plain_text(path: Path) -> str:
    """The plain text of a Markdown or text file."""
    return plain_text(Path(path).read_text(encoding="utf-8"))


def quote_in_source(quote: str, source_plain_text: str) -> bool:
    """True when ``quote`` (white space collapsed) occurs verbatim in the source's plain text."""
    return collapse(quote) in source_plain_text
