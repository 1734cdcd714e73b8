"""The web app: the SPARQL endpoint, the query page, the network page and a small JSON API.

Thin by design: handlers read the request, hand a :class:`~.worker.Task` to the
:class:`~.executor.QueryPool` and return its reply. Nothing here evaluates a query.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
from collections.abc import Callable
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from tf_graph.server import protocol
from tf_graph.server.executor import (
    DEFAULT_MAX_ROWS,
    DEFAULT_RESERVE,
    DEFAULT_SPARES,
    DEFAULT_TIMEOUT,
    QueryPool,
)
from tf_graph.server.pages import explore_routes
from tf_graph.server.protocol import ProtocolError
from tf_graph.server.worker import Reply, Task, error_reply

STATIC = Path(__file__).resolve().parent / "static"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

#: the query page allows only its own scripts and styles: no request leaves the server
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: the network page inlines its scripts, but may still load nothing from elsewhere
GRAPH_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; base-uri 'none'"
)


def _reply(reply: Reply) -> Response:
    return Response(
        reply.body,
        status_code=reply.status,
        headers={
            "Content-Type": reply.content_type,
            **reply.headers,
        },
    )


def _error(err: ProtocolError) -> Response:
    return _reply(error_reply(err.status, err.message))


def create_app(
    graph_factory: Callable[[], Graph],
    *,
    workers: int = 2,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    cors_origin: str | None = None,
    reserve: int = DEFAULT_RESERVE,
    spares: int = DEFAULT_SPARES,
) -> Starlette:
    """The app; ``graph_factory`` is called in each worker process (so it must be picklable:
    a module-level function or a ``functools.partial`` of one). Workers are started with
    multiprocessing's "spawn": a script that serves the app must guard its entry point with
    ``if __name__ == "__main__":`` (the ``tf-graph`` command does). ``workers`` queries may
    run for the whole ``timeout``; ``reserve`` more workers are kept for short queries, and
    ``spares`` loaded ones replace a stopped worker at once (:mod:`.executor`)."""
    pool = QueryPool(
        graph_factory,
        size=workers,
        timeout=timeout,
        max_rows=max_rows,
        reserve=reserve,
        spares=spares,
    )
    network_page: dict[str, str] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    async def sparql(request: Request) -> Response:
        """The SPARQL 1.1 Protocol endpoint; without a query, the service description."""
        try:
            body = await request.body() if request.method == "POST" else b""
            sreq = protocol.read_request(
                request.method,
                request.url.query,
                request.headers.get("content-type", ""),
                body,
                request.headers.get("accept", ""),
            )
            protocol.check_dataset(sreq.default_graph_uris, sreq.named_graph_uris)
            if sreq.query is None:
                return _service_description(request, sreq, pool)
        except ProtocolError as err:
            return _error(err)
        task = Task("sparql", query=sreq.query, formats=sreq.formats, accept=sreq.accept)
        return _reply(await pool.run(task))

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Content-Security-Policy": PAGE_CSP})

    async def graph_page(request: Request) -> Response:
        return await _graph_page(network_page, graph_factory)

    async def api_queries(request: Request) -> Response:
        try:
            specs = await run_in_threadpool(_query_specs)
        except ModuleNotFoundError:
            return _reply(error_reply(404, "no named queries in this installation"))
        return Response(json.dumps(specs), media_type="application/json")

    async def api_query(request: Request) -> Response:
        params = dict(request.query_params)
        task = Task("named", name=request.path_params["name"], params=params)
        return _reply(await pool.run(task))

    async def api_ask(request: Request) -> Response:
        return _reply(await pool.run(Task("ask", query=request.query_params.get("q", ""))))

    async def api_table(request: Request) -> Response:
        return _reply(await pool.run(Task("table", query=await _query_text(request))))

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)  # no icon, and no 404 in the browser's console

    routes = [
        Route("/", index),
        Route("/favicon.ico", favicon),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/graph", graph_page),
        Route("/api/queries", api_queries),
        Route("/api/query/{name}", api_query),
        Route("/api/ask", api_ask),
        Route("/api/table", api_table, methods=["GET", "POST"]),
        *explore_routes(graph_factory),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = []
    if cors_origin:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=[cors_origin],
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type"],
            )
        )
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.pool = pool
    return app


async def _graph_page(cache: dict[str, str], graph_factory: Callable[[], Graph]) -> Response:
    """The network page, made once per app (in a thread: it reads the whole graph)."""
    if "html" not in cache:
        html = await run_in_threadpool(_network_html, graph_factory)
        if html is None:
            return HTMLResponse(
                "<!doctype html><title>Not available</title>"
                "<p>The network page needs the tf_graph.viz.visualisation module.</p>",
                status_code=404,
            )
        cache["html"] = html
    return HTMLResponse(cache["html"], headers={"Content-Security-Policy": GRAPH_CSP})


async def _query_text(request: Request) -> str:
    """The ``query`` of a GET's query string or a POSTed form."""
    if request.method == "POST":
        return dict(protocol.form_pairs(await request.body())).get("query", "")
    return request.query_params.get("query", "")


def _service_description(request: Request, sreq, pool: QueryPool) -> Response:  # noqa: ANN001
    """A SPARQL 1.1 Service Description of this endpoint, as any graph format asked for."""
    media_type = protocol.choose_format(protocol.TRIPLES, sreq.formats, sreq.accept)
    endpoint = URIRef(str(request.url.replace(query="", fragment="")))
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS)
    g.add((endpoint, RDF.type, SD.Service))
    g.add((endpoint, SD.endpoint, endpoint))
    g.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    for formats in protocol.RESULT_FORMATS.values():
        for fmt in formats:
            g.add((endpoint, SD.resultFormat, FORMATS[fmt.w3c]))
    dataset, default = BNode(), BNode()
    g.add((endpoint, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(pool.triples, datatype=XSD.integer)))
    body = protocol.serialize_graph(g, media_type)
    return Response(body, headers={"Content-Type": f"{media_type}; charset=utf-8"})


def _query_specs() -> list[dict]:
    from tf_graph.questions.catalogue import list_queries

    return [
        {
            "name": spec.name,
            "title": spec.title,
            "description": spec.description,
            "params": [
                {"name": p.name, "meaning": p.meaning, "default": p.default} for p in spec.params
            ],
        }
        for spec in list_queries()
    ]


def _network_html(graph_factory: Callable[[], Graph]) -> str | None:
    """The visualisation issue's network page of the whole graph, when that module is
    installed (built once, in a thread, on the first request)."""
    if importlib.util.find_spec("tf_graph.viz.visualisation") is None:
        return None
    from tf_graph.viz import visualisation as viz

    graph = graph_factory()
    render = getattr(viz, "render_html", None)
    if render is not None:
        return render(graph)
    spec = viz.ViewSpec()
    net, view = viz.build_view(graph, spec)
    physics = viz.uses_physics(view.number_of_nodes(), "auto")
    data = viz.page_data(graph, net, view, title=viz.page_title(spec), physics=physics)
    return viz.render_page(data)
