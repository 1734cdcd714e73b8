"""The one IRI check: is a string an absolute IRI that is safe between ``<`` and ``>`` in
SPARQL, Turtle and N-Triples?

An IRI is accepted when it has a scheme (``http:``, ``urn:``, ...) and none of the characters
SPARQL's ``IRIREF`` excludes (``<>"{}|^`\\`` and the control characters and space, U+0000 to
U+0020) nor other white space. Every place that validates an IRI (a parameter, a graph name, a
term sent to a remote endpoint, a lookup) uses :func:`is_iri` or :func:`check_iri`.
"""

from __future__ import annotations

import re

from tf_graph.errors import QueryError, TfGraphError

_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20\s]*")


def is_iri(text: str) -> bool:
    """True when ``text`` is an absolute IRI safe inside ``<...>``."""
    return _IRI.fullmatch(text) is not None


def is_web_iri(text: str) -> bool:
    """True when ``text`` is such an IRI with the ``http`` or ``https`` scheme."""
    return text.lower().startswith(("http://", "https://")) and is_iri(text)


def check_iri(text: str, what: str = "IRI", error: type[TfGraphError] = QueryError) -> str:
    """``text`` when :func:`is_iri`; else ``error`` (one line: "not a valid WHAT: 'text'")."""
    if not is_iri(text):
        raise error(f"not a valid {what}: {text!r}")
    return text
