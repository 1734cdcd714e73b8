"""A trailing ``VALUES`` block: how a remote endpoint gets bindings (:mod:`.remote`), and how
one query asks about many resources (:func:`tf_graph.questions.queries.run_for_each`).

Every term is checked and escaped here (never raw ``n3()``); rdflib's terms and the light ones
(:mod:`.terms`) alike, so the question path on the index needs no rdflib.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from tf_graph.engines.terms import is_iri, is_literal
from tf_graph.errors import QueryError
from tf_graph.iris import check_iri

_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LANG = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")
#: characters escaped in string literals (tabs too: pyparsing would expand them to spaces)
_ESCAPES = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
)


def append_values(query: str, rows: Sequence[Mapping[str, Any]]) -> str:
    """``query`` followed by a ``VALUES`` block of ``rows`` (variable name -> term; a variable
    a row leaves out is ``UNDEF`` there): how a remote endpoint gets bindings, and how
    :func:`tf_graph.questions.queries.run_for_each` asks about many resources at once.

    Names must be variable names and terms IRIs or literals, checked and escaped by
    :func:`term_to_sparql` (blank nodes, IRIs that would break out of ``<...>`` and other
    hostile values are refused with a QueryError). A query with a VALUES block of its own at
    the end cannot take a second one: the endpoint reports the syntax error.
    """
    names: list[str] = []
    for row in rows:
        for name in row:
            if not _VARNAME.fullmatch(str(name)):
                raise QueryError(f"not a variable name: {name!r}")
            if str(name) not in names:
                names.append(str(name))
    if not names:
        return query
    lines = []
    for row in rows:
        by_name = {str(name): term for name, term in row.items()}
        cells = [term_to_sparql(by_name[n]) if n in by_name else "UNDEF" for n in names]
        lines.append(f"  ({' '.join(cells)})")
    head = " ".join(f"?{name}" for name in names)
    body = "\n".join(lines)
    return f"{query.rstrip()}\nVALUES ({head}) {{\n{body}\n}}\n"


def term_to_sparql(term: Any) -> str:
    """An IRI or literal as SPARQL text, checked and escaped (never raw ``n3()``)."""
    if is_iri(term):
        return f"<{check_iri(str(term), 'IRI')}>"
    if is_literal(term):
        if re.search(r"\\[uU]", str(term)):
            # SPARQL decodes \uXXXX before parsing, inside strings too: no escaping of
            # this text means the same to every store, so it is refused
            raise QueryError(f"cannot send a value containing a \\u sequence: {str(term)!r}")
        text = str(term).translate(_ESCAPES)
        if term.language:
            if not _LANG.fullmatch(term.language):
                raise QueryError(f"not a language tag: {term.language!r}")
            return f'"{text}"@{term.language}'
        if term.datatype:
            return f'"{text}"^^<{check_iri(str(term.datatype), "datatype IRI")}>'
        return f'"{text}"'
    raise QueryError(f"cannot bind {type(term).__name__} {term!r} on a remote endpoint")
