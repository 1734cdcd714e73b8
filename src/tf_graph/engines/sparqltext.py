"""Reading SPARQL text without parsing it: what to skip, and the outer SELECT list.

Why: the Oxigraph store edits query text before Oxigraph sees it (VALUES placed inside, a
bound or sort variable added to the SELECT list, a final ORDER BY taken over), and parsing
it with rdflib's parser would cost more than the query. These patterns are shared by those
edits so that each reads the text the same way.
"""

from __future__ import annotations

import re

#: comments, strings and IRIs: skipped whole, so that braces, keywords or ``?x`` inside them
#: do not count
SKIP = (
    r"""\#[^\n]*|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''"""
    r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>"""
)
#: the prologue of a query: white space, comments, PREFIX and BASE declarations
PROLOGUE = r"(?:\s+|#[^\n]*|PREFIX\s*[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)*"
#: a query opening with SELECT: (prologue and SELECT) (DISTINCT or REDUCED) (the SELECT list)
SELECT_HEAD = re.compile(
    rf"({PROLOGUE}SELECT\s+)((?:DISTINCT|REDUCED)\s+)?(.*?)(?=\bWHERE\b|\{{|\bFROM\b)",
    re.IGNORECASE | re.DOTALL,
)


def add_to_select(query: str, names: list[str]) -> str | None:
    """``query`` with ``?name`` for each name added to its outer SELECT list, or None when
    the query does not open with a SELECT of its own (``*`` or another form)."""
    head = SELECT_HEAD.match(query)
    if head is None or head.group(3).strip().startswith("*"):
        return None
    at = head.end(2) if head.group(2) else head.end(1)
    return query[:at] + "".join(f"?{name} " for name in names) + query[at:]
