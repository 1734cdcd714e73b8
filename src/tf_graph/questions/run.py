"""Running a query by name, file or text, with its parameters resolved and bound by the engine.

The layers below: :mod:`.catalogue` (which queries exist, what their headers declare),
:mod:`.params` (values to terms), :mod:`.queries` (evaluation and labels).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from tf_graph.questions.catalogue import check_syntax, find_query, looks_like_text, query_of_text
from tf_graph.questions.params import bind_params
from tf_graph.questions.queries import QueryResult, execute, fetch_labels

if TYPE_CHECKING:
    from rdflib import Graph


def run_query(
    graph: Graph, name_or_text: str, params: Mapping[str, str] | None = None
) -> QueryResult:
    """Run a named query, a user's ``.rq`` file or SPARQL text, its parameters resolved and
    bound (never pasted into the text); the result carries the labels of its IRIs."""
    spec = (
        query_of_text(name_or_text) if looks_like_text(name_or_text) else find_query(name_or_text)
    )
    text = spec.text
    if not spec.named:
        check_syntax(text, spec.where)
        from tf_graph.questions.policy import check_query_file

        check_query_file(text, spec.where)  # SERVICE refused, as on the endpoint
    bindings = bind_params(graph, spec, params or {})
    rows_vars, rows, boolean = execute(graph, text, bindings, where=spec.where)
    out = QueryResult(rows_vars, rows, text, bindings, spec, boolean=boolean)
    out.labels = fetch_labels(graph, out)
    return out
