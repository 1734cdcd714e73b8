"""What a query may ask of tf-graph, decided on rdflib's parse of it (never on its text).

One policy for the endpoint (``tf-graph serve``) and for a user's own query file
(``tf-graph query my.rq``):

- ``SERVICE`` in any spelling (an IRI, a prefixed name, a variable, ``SERVICE SILENT``) is
  refused: tf-graph makes no request to another endpoint on a query's behalf.
- A ``LIMIT`` or ``OFFSET`` larger than any answer can be (above ``sys.maxsize``) is read as
  the largest number Python can count to: the answer is the same.
"""

from __future__ import annotations

import sys
from typing import Any

from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Identifier

from tf_graph.engines.rdflib_algebra import parts
from tf_graph.errors import QueryError

SERVICE_REFUSED = "SERVICE is refused: tf-graph makes no requests to other endpoints"


def find_service(tree: Any) -> str | None:
    """How the first ``SERVICE`` clause of a parsed query reads (``SERVICE SILENT ?ep``),
    or None when it has none."""
    for part in parts(tree):
        if part.name == "ServiceGraphPattern":
            silent = "SILENT " if "silent" in part else ""
            return f"SERVICE {silent}{_term(dict.get(part, 'term'))}"
    return None


def _term(term: Any) -> str:
    if isinstance(term, CompValue) and term.name == "pname":
        return f"{dict.get(term, 'prefix') or ''}:{dict.get(term, 'localname') or ''}"
    if isinstance(term, Identifier):
        return term.n3()
    return str(term)


def service_message(found: str) -> str:
    return f"{SERVICE_REFUSED} (found {found})"


def clamp_slices(algebra: Any) -> None:
    """``LIMIT``/``OFFSET`` above ``sys.maxsize`` are made ``sys.maxsize`` in place (rdflib
    counts rows with ``itertools.islice``, which refuses larger numbers, and so does their
    sum): no answer has that many rows, so the answer is the same."""
    for part in parts(algebra):
        if part.name == "Slice":
            # (dict.get: CompValue.get answers a missing key's name)
            start = min(dict.get(part, "start") or 0, sys.maxsize)
            part["start"] = start
            length = dict.get(part, "length")
            if isinstance(length, int):
                part["length"] = min(length, sys.maxsize - start)


def check_query_file(text: str, where: str) -> None:
    """The policy for a query a user runs from a file: ``SERVICE`` is refused with a
    :class:`QueryError` naming the file (``where``). Assumes the text parses (check that first)."""
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except Exception:  # noqa: BLE001 - not ours to report: the syntax check does
        return
    found = find_service(tree)
    if found is not None:
        raise QueryError(f"{where}: {service_message(found)}")
