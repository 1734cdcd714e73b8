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
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result

from tf_graph.errors import TfGraphError, UnknownEntityError
from tf_graph.server import protocol
from tf_graph.server.protocol import ProtocolError

JSON_TYPE = "application/json"


@dataclass
class Task:
    """One job for a worker. ``kind``: sparql | table | named | ask | size."""

    kind: str
    query: str = ""
    format: str | None = None
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
    media_type = protocol.choose_format(kind, task.format, task.accept)
    result = _evaluate(graph, query, kind, max_rows)
    if kind == protocol.TRIPLES:
        body = protocol.serialize_graph(result.graph, media_type)
    else:
        body = protocol.serialize_solutions(result, media_type)
    return Reply(200, f"{media_type}; charset=utf-8", body)


def _evaluate(graph: Graph, query, kind: str, max_rows: int) -> Result:  # noqa: ANN001
    """The whole result, at most ``max_rows`` rows or triples; more is refused (422): a
    silently cut answer would look complete. Evaluation errors are the query's (400)."""
    try:
        result = graph.query(query)
        if kind == protocol.TRIPLES:
            if len(result.graph) > max_rows:
                raise _too_many(max_rows, "triples")
            return result
        if kind == protocol.BOOLEAN:
            return result
        rows = list(islice(iter(result), max_rows + 1))
    except ProtocolError:
        raise
    except PermissionError as err:
        raise ProtocolError(400, str(err)) from None
    except Exception as err:  # noqa: BLE001 - evaluation errors are the query's
        raise ProtocolError(400, f"query failed: {protocol.one_line(err)}") from None
    if len(rows) > max_rows:
        raise _too_many(max_rows, "rows")
    limited = Result("SELECT")
    limited.vars = list(result.vars or [])
    limited.bindings = [
        {var: term for var, term in zip(limited.vars, row, strict=True) if term is not None}
        for row in rows
    ]
    return limited


def _too_many(max_rows: int, what: str) -> ProtocolError:
    return ProtocolError(
        422,
        f"the result has more than {max_rows} {what} (the server's --max-rows limit); "
        "add LIMIT to the query",
    )


# --- labelled tables for the query page -----------------------------------------------------


def term_json(graph: Graph, term) -> dict[str, str] | None:  # noqa: ANN001
    """One cell for the page: the term as in SPARQL JSON, plus a label for IRIs."""
    from tf_graph.labels import label

    if term is None:
        return None
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term), "label": label(graph, term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    cell = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal) and term.language:
        cell["xml:lang"] = term.language
    elif isinstance(term, Literal) and term.datatype:
        cell["datatype"] = str(term.datatype)
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
    kind = protocol.result_kind(query)
    result = _evaluate(graph, query, kind, max_rows)
    if kind == protocol.BOOLEAN:
        vars_, rows = ["result"], [{"result": Literal(result.askAnswer)}]
    elif kind == protocol.TRIPLES:
        vars_ = ["subject", "predicate", "object"]
        rows = [dict(zip(vars_, triple, strict=True)) for triple in sorted(result.graph)]
    else:
        vars_ = [str(v) for v in result.vars]
        rows = [{str(k): v for k, v in b.items()} for b in result.bindings]
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
    data = ask.answer(graph, question).to_json()
    if isinstance(data, (bytes, str)):
        body = data.encode("utf-8") if isinstance(data, str) else data
        return Reply(200, JSON_TYPE, body)
    return json_reply(data)
