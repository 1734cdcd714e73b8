"""Routes of ``tf-graph serve`` for exploring: every entity IRI dereferences (``/id/...``, HTML
for a browser, Turtle / N-Triples / JSON-LD by ``Accept``, as W3C's "Cool URIs for the
Semantic Web" describes), an index of entities (``/id/``), and the reconciliation service
(``/reconcile``).

These answer from a graph opened once in the server process (as the network page does), in a
thread, one request at a time: the work is a few triple lookups per page.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from markupsafe import escape
from rdflib import RDF, Graph, URIRef
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from tf_graph.namespaces import PREFIXES, TFR

#: entity pages carry no script; their style is inline
ENTITY_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
#: what an entity IRI can be answered with: media type -> rdflib format (None: the HTML page)
ENTITY_FORMATS: dict[str, str | None] = {
    "text/html": None,
    "application/xhtml+xml": None,
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
}
#: the most a reconciliation request body may hold
MAX_BODY = 1_000_000


class NotAcceptable(Exception):
    """No format the client accepts is on offer (406)."""


def negotiate(accept: str) -> str:
    """The media type of :data:`ENTITY_FORMATS` the ``Accept`` header prefers (by q, then the
    table's order: HTML first, so ``*/*`` gets the page)."""
    if not accept.strip():
        return "text/html"
    best: tuple[float, int, str] | None = None
    order = list(ENTITY_FORMATS)
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        q = _q_value(params)
        for position, offered in enumerate(order):
            if q > 0 and _covers(media, offered):
                candidate = (-q, position, offered)
                best = candidate if best is None or candidate < best else best
    if best is None:
        raise NotAcceptable(accept)
    return best[2]


def _q_value(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def _covers(pattern: str, media: str) -> bool:
    if pattern in ("*/*", media):
        return True
    return pattern.endswith("/*") and media.startswith(pattern[:-1])


def describe(graph: Graph, iri: URIRef) -> Graph:
    """What the graph states about ``iri``: the triples it is the subject or object of, and
    the ``tf:Statement`` of each of those facts (its reification, as a concise bounded
    description includes one: the law's words, source and place) with its own triples.

    The rules' derived triples (``tf:partOfAgency``, ``tf:joinedQuote`` ...) are left out: no
    source states them; the index derives them again for its queries."""
    from tf_graph.build.rules import derived_properties

    derived = derived_properties()
    out = Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    about = [*graph.triples((iri, None, None)), *graph.triples((None, None, iri))]
    for s, p, o in about:
        if p in derived or p in (RDF.subject, RDF.object):
            continue  # a statement's link to its fact comes with the statement, below
        out.add((s, p, o))
        for st in graph.subjects(RDF.subject, s):
            if (st, RDF.predicate, p) in graph and (st, RDF.object, o) in graph:
                for triple in graph.triples((st, None, None)):
                    if triple[1] not in derived:
                        out.add(triple)
    return out


class Explorer:
    """The graph the explore routes read, opened on first use in this process."""

    def __init__(self, graph_factory: Callable[[], Graph]) -> None:
        self._factory = graph_factory
        self._graph: Graph | None = None
        self.lock = threading.Lock()

    def graph(self) -> Graph:
        if self._graph is None:
            self._graph = self._factory()
        return self._graph

    def entity(self, tail: str, media_type: str) -> tuple[int, str, bytes]:
        from tf_graph.viz.entity_page import entity_page, entity_tail, exists, server_links

        iri = URIRef(str(TFR) + tail)
        with self.lock:
            graph = self.graph()
            if entity_tail(str(iri)) is None or not exists(graph, iri):
                return 404, "text/html", not_found_page(tail).encode("utf-8")
            rdf_format = ENTITY_FORMATS[media_type]
            if rdf_format is None:
                html = entity_page(graph, iri, server_links()) or ""
                return 200, "text/html", html.encode("utf-8")
            return (
                200,
                media_type,
                describe(graph, iri).serialize(format=rdf_format, encoding="utf-8"),
            )

    def index(self) -> str:
        from tf_graph.viz.entity_page import render_index, server_links

        with self.lock:
            return render_index(self.graph(), server_links(), "tf-graph: every entity")

    def reconcile(self, batch: Any) -> dict[str, Any]:
        from tf_graph.server.reconcile import reconcile_batch

        with self.lock:
            return reconcile_batch(self.graph(), batch)


def not_found_page(tail: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>Not found</title>'
        f"<h1>Not found</h1><p>The graph has no entity <code>{escape(str(TFR) + tail)}</code>."
        ' <a href="/id/">All entities</a></p></html>'
    )


def explore_routes(graph_factory: Callable[[], Graph]) -> list[Route]:
    """``/id/`` (index), ``/id/{path}`` (entity pages and data), ``/reconcile``."""
    explorer = Explorer(graph_factory)

    async def entity(request: Request) -> Response:
        tail = request.path_params["path"]
        try:
            media_type = negotiate(request.headers.get("accept", ""))
        except NotAcceptable:
            offered = ", ".join(ENTITY_FORMATS)
            return Response(
                f"none of the accepted formats is available; use one of: {offered}\n",
                status_code=406,
                media_type="text/plain",
                headers={"Vary": "Accept"},
            )
        status, content_type, body = await run_in_threadpool(explorer.entity, tail, media_type)
        headers = {"Vary": "Accept", "Content-Type": f"{content_type}; charset=utf-8"}
        if content_type == "text/html":
            headers["Content-Security-Policy"] = ENTITY_CSP
        return Response(body, status_code=status, headers=headers)

    async def index(request: Request) -> Response:
        html = await run_in_threadpool(explorer.index)
        return HTMLResponse(html, headers={"Content-Security-Policy": ENTITY_CSP})

    async def reconcile(request: Request) -> Response:
        from tf_graph.server.reconcile import ReconcileError, manifest

        try:
            batch = await _reconcile_batch(request)
        except ReconcileError as err:
            return JSONResponse({"error": str(err)}, status_code=400)
        if batch is None:
            base = str(request.base_url).rstrip("/")
            return JSONResponse(manifest(base))
        answer = await run_in_threadpool(explorer.reconcile, batch)
        return JSONResponse(answer)

    return [
        Route("/id/", index),
        Route("/id/{path:path}", entity),
        Route("/reconcile", reconcile, methods=["GET", "POST"]),
    ]


async def _reconcile_batch(request: Request) -> Any:
    """The queries of a request: the ``queries`` field (GET or form POST, version 0.2), or a
    JSON body ``{"q0": {...}}`` / ``{"queries": {...}}``; None for the manifest."""
    from tf_graph.server.reconcile import ReconcileError, parse_form_batch, read_queries

    if request.method == "GET":
        text = request.query_params.get("queries")
        return None if text is None else parse_form_batch(text)
    body = await request.body()
    if len(body) > MAX_BODY:
        raise ReconcileError(f"request body over {MAX_BODY} bytes")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise ReconcileError(f"body is not JSON: {err}") from None
        if isinstance(data, dict) and isinstance(data.get("queries"), dict):
            data = data["queries"]
        return read_queries(data)
    from urllib.parse import parse_qs

    form = parse_qs(body.decode("utf-8", errors="replace"))
    if "queries" not in form:
        raise ReconcileError("POST needs a form field 'queries' (a JSON object of queries)")
    return parse_form_batch(form["queries"][0])
