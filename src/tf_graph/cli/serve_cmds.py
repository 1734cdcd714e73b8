"""``tf-graph serve`` and ``tf-graph push``: share the graph over HTTP."""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path
from typing import Any

import click

from tf_graph.cli.common import data_option, fail, open_graph, reports_errors


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    help="Seconds a query may run before it is stopped (answered with 503).",
)
@click.option(
    "--max-rows",
    default=10_000,
    show_default=True,
    type=click.IntRange(1),
    help="Most rows (or triples) a result may have; more is refused with 422.",
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Queries that may run at once for the whole --timeout (one worker process each, "
    "holding a copy of the graph); one more worker is kept for short queries and one spare "
    "replaces a stopped worker.",
)
@click.option("--cors", "cors", metavar="ORIGIN", help="Allow this origin cross-site (off).")
@data_option
@reports_errors
def serve(
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    workers: int,
    cors: str | None,
    data: tuple[Path, ...],
) -> None:
    """Serve a read-only SPARQL 1.1 endpoint and a query page.

    \b
    /sparql       SPARQL 1.1 Protocol (GET, POST form, POST application/sparql-query);
                  results as JSON, XML, CSV, TSV, Turtle, N-Triples, JSON-LD or RDF/XML
    /             query page: editor, named queries, results with labels
    /graph        the network, opening on its overview
    /id/...       a page per entity (Turtle, N-Triples, JSON-LD by Accept)
    /reconcile    W3C reconciliation service (OpenRefine)
    /api/ask?q=   plain-English questions, as JSON

    \b
    Examples:
      tf-graph serve
      tf-graph serve --port 8080 --timeout 5 --data more.ttl
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * {?s ?p ?o} LIMIT 5' \\
           http://127.0.0.1:8000/sparql
    """
    import functools

    from tf_graph.engines import open_source
    from tf_graph.server.app import create_app

    graph = open_graph(data)  # fail fast, in this process, on a bad --data file
    app = create_app(
        # each worker process opens the same source (--data, --store, --no-cache) itself
        functools.partial(open_source, graph.source),
        workers=workers,
        timeout=timeout,
        max_rows=max_rows,
        cors_origin=cors,
    )
    sock = _listen(host, port)  # before anything is started or printed: a busy port fails here
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: serving on {host}: reachable from other machines", err=True)
    _run(app, sock, host)


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (port 0: any free one), or one line and exit 2."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # (a listener still blocks it)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            fail(f"port {port} on {host} is in use: stop what serves there or choose --port")
        fail(f"cannot listen on {host}:{port}: {err.strerror or err}")
    return sock


def _run(app: Any, sock: socket.socket, host: str) -> None:
    """Serve ``app`` on ``sock``; the URL is printed once the query workers are ready."""
    import uvicorn

    port = sock.getsockname()[1]
    where = f"[{host}]" if ":" in host else host

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                click.echo(
                    f"SPARQL endpoint: http://{where}:{port}/sparql  "
                    f"query page: http://{where}:{port}/"
                )

    server = Server(uvicorn.Config(app, log_level="warning"))
    try:
        server.run(sockets=[sock])
    except SystemExit:  # uvicorn's way to say that the app's start-up failed
        server.started = False
    if not server.started:
        fail("the server did not start: its query workers could not load the graph")


@click.command()
@click.option("--endpoint", required=True, metavar="URL", help="Graph Store or SPARQL URL.")
@click.option(
    "--graph",
    "graph_iri",
    default=None,
    metavar="IRI",
    help="Named graph to replace (default: https://w3id.org/tf-graph/graph).",
)
@click.option("--user", default=None, help="User name for Basic or Digest authentication.")
@click.option(
    "--password-env",
    default=None,
    metavar="VAR",
    help="Environment variable holding the password (never put it on the command line).",
)
@click.option(
    "--method",
    type=click.Choice(["auto", "gsp", "update"]),
    default="auto",
    show_default=True,
    help="gsp: Graph Store Protocol PUT; update: SPARQL Update (DROP, then INSERT DATA in "
    "batches); auto: update if the URL answers a SPARQL query, else gsp.",
)
@click.option(
    "--auth",
    "auth_scheme",
    type=click.Choice(["auto", "basic", "digest"]),
    default="auto",
    show_default=True,
    help="Authentication scheme (auto: whatever the server asks for).",
)
@data_option
@reports_errors
def push(
    endpoint: str,
    graph_iri: str | None,
    user: str | None,
    password_env: str | None,
    method: str,
    auth_scheme: str,
    data: tuple[Path, ...],
) -> None:
    """Load the graph into a SPARQL 1.1 triple store, replacing a named graph.

    With the Graph Store HTTP Protocol the named graph is replaced in one PUT (atomic on the
    server): pushing twice leaves the same content, and a failed push leaves it as it was.

    \b
    Examples:
      tf-graph push --endpoint http://localhost:3030/ds/data
      DBA_PW=dba tf-graph push --endpoint http://localhost:8890/sparql-graph-crud-auth \\
          --user dba --password-env DBA_PW --graph https://example.org/tf
      DBA_PW=dba tf-graph push --endpoint http://localhost:8890/sparql-auth \\
          --user dba --password-env DBA_PW --method update
    """
    from tf_graph.build.push import DEFAULT_GRAPH, push_graph

    password = None
    if password_env:
        password = os.environ.get(password_env)
        if password is None:
            fail(f"environment variable {password_env} is not set")
    elif user:
        fail("--user needs --password-env VAR (the password is read from that variable)")
    graph = open_graph(data).rdf
    report = push_graph(
        graph,
        endpoint,
        graph_iri=graph_iri or DEFAULT_GRAPH,
        user=user,
        password=password,
        method=method,
        auth_scheme=auth_scheme,
    )
    click.echo(report.summary())
