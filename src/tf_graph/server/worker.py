"""What runs inside a query worker process: one graph, tasks in, replies out.

Everything that can take long (parsing, evaluating, serializing) happens here, never on the
web server's event loop, so that the pool (:mod:`.executor`) can stop a runaway query by
killing its process. A worker makes no network requests: ``SERVICE`` and remote ``FROM``
are blocked by an audit hook.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, cast

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result, ResultRow
from rdflib.term import Node

from tf_graph.engines.rdflib_values import values_first
from tf_graph.errors import TfGraphError, UnansweredQuestionError, UnknownEntityError
from tf_graph.questions import w3c
from tf_graph.server import protocol
from tf_graph.server.protocol import ProtocolError

JSON_TYPE = "application/json"


@dataclass
class Task:
    """One job for a worker. ``kind``: sparql | table | named | ask | size."""

    kind: str
    query: str = ""
    #: ``format=`` / ``output=`` values of the request, in order
    formats: tuple[str, ...] = ()
    accept: str = ""
    name: str = ""
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def error_reply(status: int, message: str) -> Reply:
    """Errors are JSON ``{"error": message}`` with a one-line message."""
    return Reply(status, JSON_TYPE, json.dumps({"error": message}).encode("utf-8"))


def json_reply(data: Any) -> Reply:
    return Reply(200, JSON_TYPE, json.dumps(data, ensure_ascii=False).encode("utf-8"))


# --- the process ----------------------------------------------------------------------------


def serve_forever(conn, graph_factory: Callable[[], Graph], max_rows: int) -> None:  # noqa: ANN001
    """Worker main loop: load the graph, say how big it is, then answer tasks until ``None``."""
    try:
        graph = graph_factory()
    except BaseException as err:  # noqa: BLE001 - reported to the parent, which gives up
        conn.send(("failed", f"{type(err).__name__}: {err}"))
        return
    _forbid_network()
    try:
        conn.send(("ready", len(graph)))
        while True:
            task = conn.recv()
            if task is None:
                return
            try:
                reply = handle(graph, task, max_rows)
            except Exception as err:  # noqa: BLE001 - one task's bug must not end the worker
                reply = error_reply(500, f"internal error: {type(err).__name__}: {err}")
            conn.send(reply)
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        return  # the server has gone: leave quietly


def _forbid_network() -> None:
    """No outgoing connections from a query: rdflib would follow SERVICE and FROM <url>."""
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

    def hook(event: str, args: tuple) -> None:
        if event in ("urllib.Request", "socket.connect", "socket.getaddrinfo"):
            raise PermissionError("this endpoint makes no network requests (SERVICE refused)")

    sys.addaudithook(hook)


# --- tasks ----------------------------------------------------------------------------------


def handle(graph: Graph, task: Task, max_rows: int) -> Reply:
    """Run one task; our errors become 4xx replies with their message."""
    try:
        if task.kind == "sparql":
            return run_sparql(graph, task, max_rows)
        if task.kind == "table":
            return run_table(graph, task.query, max_rows)
        if task.kind == "named":
            return run_named(graph, task.name, task.params, max_rows)
        if task.kind == "ask":
            return run_ask(graph, task.query)
        if task.kind == "size":
            return json_reply({"triples": len(graph)})
        return error_reply(500, f"unknown task {task.kind!r}")
    except ProtocolError as err:
        return error_reply(err.status, err.message)
    except UnknownEntityError as err:
        return error_reply(404, str(err))
    except TfGraphError as err:
        return error_reply(400, str(err))


def _namespaces(graph: Graph) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((prefix, str(ns)) for prefix, ns in graph.namespaces()))


@functools.lru_cache(maxsize=256)
def _parsed(text: str, namespaces: tuple[tuple[str, str], ...]):  # noqa: ANN202
    """Parsing costs more than running a small query in rdflib: keep the recent ones.
    (Errors are not cached: the same bad query is parsed again, cheaply refused again.)"""
    return protocol.parse_query(text, dict(namespaces))


def run_sparql(graph: Graph, task: Task, max_rows: int) -> Reply:
    """The protocol endpoint: parse, negotiate, evaluate with the row limit, serialize."""
    query = _parsed(task.query, _namespaces(graph))
    kind = protocol.result_kind(query)
    media_type = protocol.choose_format(kind, task.formats, task.accept)
    answer = evaluate_text(graph, task.query, kind, max_rows)
    if answer is None:
        answer = evaluate(graph, query, kind, max_rows)
    if answer.graph is not None:
        body = protocol.serialize_graph(answer.graph, media_type)
    else:
        body = protocol.serialize_solutions(
            media_type, answer.variables, answer.rows, answer.boolean
        )
    return Reply(200, f"{media_type}; charset=utf-8", body)


@dataclass
class Answer:
    """A query's answer: SELECT ``variables`` and ``rows``, an ASK ``boolean``, or the
    ``graph`` of a CONSTRUCT or DESCRIBE."""

    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


class DefaultGraphOnly(Dataset):
    """The endpoint's dataset: the graph as its default graph, and no named graphs, so that
    ``GRAPH ?g { ... }`` matches nothing (rdflib's engine refuses GRAPH on a plain graph)."""

    def contexts(self, triple: Any = None) -> Generator[Graph, None, None]:  # noqa: ARG002
        yield from ()

    def graphs(self, triple: Any = None) -> Generator[Graph, None, None]:  # noqa: ARG002
        yield from ()


#: id(graph) -> (graph, its dataset): one dataset view per graph a worker serves
_DATASETS: dict[int, tuple[Graph, Dataset]] = {}


def dataset_of(graph: Graph) -> Dataset:
    """The :class:`DefaultGraphOnly` view of ``graph`` (over the same store: nothing copied)."""
    found = _DATASETS.get(id(graph))
    if found is None or found[0] is not graph:
        found = _DATASETS[id(graph)] = (graph, DefaultGraphOnly(graph.store, default_union=True))
    return found[1]


def evaluate_text(graph: Graph, text: str, kind: str, max_rows: int) -> Answer | None:
    """A SELECT or ASK (``text``, already parsed and allowed) on an engine that evaluates
    SPARQL itself, the Oxigraph index: there, not in rdflib's evaluator reading the index
    triple by triple (seconds for a labels lookup of 500 resources; Oxigraph: milliseconds),
    with the same limits and errors as :func:`evaluate`; None elsewhere, for other forms, and
    for what Oxigraph cannot parse (rdflib's engine answers those)."""
    select_or_ask = getattr(graph.store, "select_or_ask", None)
    if select_or_ask is None or kind not in (protocol.SOLUTIONS, protocol.BOOLEAN):
        return None
    try:
        answer = select_or_ask(text, max_rows + 1)
    except Exception as err:  # noqa: BLE001 - evaluation errors are the query's
        raise ProtocolError(400, f"query failed: {evaluation_message(err)}") from None
    if answer is None:
        return None
    if isinstance(answer, bool):
        return Answer(boolean=answer)
    if len(answer.rows) > max_rows:
        raise _too_many(max_rows, "rows")
    return Answer(answer.variables, answer.rows)


def evaluate(graph: Graph, query: Query, kind: str, max_rows: int) -> Answer:
    """The whole answer, at most ``max_rows`` rows or triples; more is refused (422): a
    silently cut answer would look complete. Evaluation errors are the query's (400)."""
    # a remote client's parameters: bound first, as a local engine binds them
    query = values_first(query) or query
    try:
        return _answer(dataset_of(graph).query(query), kind, max_rows)
    except ProtocolError:
        raise
    except PermissionError as err:
        raise ProtocolError(400, str(err)) from None
    except RecursionError:
        raise ProtocolError(400, protocol.NESTED_TOO_DEEPLY) from None
    except Exception as err:  # noqa: BLE001 - evaluation errors are the query's
        raise ProtocolError(400, f"query failed: {evaluation_message(err)}") from None


#: what a Python error inside the engine means for the query (its own text names internals)
TYPE_MESSAGE = (
    "an operation met values it cannot take (such as SUM over text, or comparing values "
    "of an unknown function)"
)


def evaluation_message(err: Exception) -> str:
    """The engine's complaint in the query's terms: never a Python or rdflib name."""
    from rdflib.plugins.sparql.sparql import SPARQLTypeError

    message = protocol.one_line(err)
    if isinstance(err, (SPARQLTypeError, TypeError, AttributeError, KeyError, IndexError)):
        return TYPE_MESSAGE
    if "rdflib" in message or not message or message == type(err).__name__:
        return TYPE_MESSAGE
    return message


def _answer(result: Result, kind: str, max_rows: int) -> Answer:
    if kind == protocol.TRIPLES:
        assert result.graph is not None
        if len(result.graph) > max_rows:
            raise _too_many(max_rows, "triples")
        return Answer(graph=result.graph)
    if kind == protocol.BOOLEAN:
        return Answer(boolean=bool(result.askAnswer))
    rows = list(islice(iter(result), max_rows + 1))
    if len(rows) > max_rows:
        raise _too_many(max_rows, "rows")
    variables = [str(v) for v in result.vars or []]
    return Answer(
        variables,
        [
            {var: term for var, term in zip(variables, row, strict=True) if term is not None}
            for row in cast(list[ResultRow], rows)
        ],
    )


def _too_many(max_rows: int, what: str) -> ProtocolError:
    return ProtocolError(
        422,
        f"the result has more than {max_rows} {what} (the server's --max-rows limit); "
        "add LIMIT to the query",
    )


# --- labelled tables for the query page -----------------------------------------------------


def term_json(graph: Graph, term) -> dict[str, str] | None:  # noqa: ANN001
    """One cell for the page: the term as in SPARQL JSON (:func:`.w3c.term_json`), plus a
    label for IRIs."""
    from tf_graph.labels import label

    if term is None:
        return None
    cell = w3c.term_json(term)
    if isinstance(term, URIRef):
        cell["label"] = label(graph, term)
    return cell


def table_json(graph: Graph, vars_: list[str], rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "vars": vars_,
        "rows": [[term_json(graph, row.get(v)) for v in vars_] for row in rows],
    }


def run_table(graph: Graph, text: str, max_rows: int) -> Reply:
    """A query typed in the page: SELECT as a labelled table, ASK as one cell, CONSTRUCT
    and DESCRIBE as a table of triples."""
    query = _parsed(text, _namespaces(graph))
    answer = evaluate(graph, query, protocol.result_kind(query), max_rows)
    vars_, rows = answer.variables, cast(list[dict[str, Any]], answer.rows)
    if answer.boolean is not None:
        vars_, rows = ["result"], [{"result": Literal(answer.boolean)}]
    elif answer.graph is not None:
        vars_ = ["subject", "predicate", "object"]
        rows = [dict(zip(vars_, triple, strict=True)) for triple in sorted(answer.graph)]
    return json_reply(table_json(graph, vars_, rows))


def run_named(graph: Graph, name: str, params: dict[str, str], max_rows: int) -> Reply:
    """A named query of :mod:`tf_graph.questions.queries`, its parameters resolved and bound."""
    from tf_graph.questions.catalogue import list_queries
    from tf_graph.questions.run import run_query

    known = {spec.name for spec in list_queries()}
    if name not in known:
        raise ProtocolError(404, f"no named query {name!r}; see /api/queries")
    result = run_query(graph, name, params or None)
    if len(result.rows) > max_rows:
        raise _too_many(max_rows, "rows")
    data = table_json(graph, list(result.vars), list(result.rows))
    data["name"] = name
    data["sparql"] = result.sparql
    data["bindings"] = {k: term_json(graph, v) for k, v in (result.bindings or {}).items()}
    return json_reply(data)


def run_ask(graph: Graph, question: str) -> Reply:
    """A plain-English question, answered by :func:`tf_graph.questions.ask.answer`."""
    from tf_graph.questions import ask

    if not question.strip():
        raise ProtocolError(400, "no question: use /api/ask?q=...")
    try:
        data = ask.answer(graph, question).to_json()
    except UnansweredQuestionError as err:
        return Reply(400, JSON_TYPE, json.dumps(err.to_json(), ensure_ascii=False).encode())
    if isinstance(data, (bytes, str)):
        body = data.encode("utf-8") if isinstance(data, str) else data
        return Reply(200, JSON_TYPE, body)
    return json_reply(data)
