"""``tf-graph serve`` against the clients people use (SPARQLWrapper, rdflib's SPARQLStore)
and against unlucky and hostile requests: GRAPH, FROM, SERVICE, huge LIMITs, 1 MB and deeply
nested queries, runaway queries from other clients, a busy port. One real ``tf-graph serve``
on 127.0.0.1 answers them all; its answers are checked against rdflib's on the same graph."""

from __future__ import annotations

import contextlib
import io
import json
import socket
import subprocess
import sys
import threading
import time
import warnings
from urllib.parse import urlencode

import httpx
import pytest
from rdflib import ConjunctiveGraph, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from support import free_port, serve_process

from tf_graph.namespaces import TF
from tf_graph.server import protocol

PREFIX = f"PREFIX tf: <{TF}> PREFIX rdfs: <{RDFS}>\n"
AGENCIES = PREFIX + "SELECT ?a ?label WHERE { ?a a tf:Agency ; rdfs:label ?label } ORDER BY ?a"
LABELS = PREFIX + "CONSTRUCT { ?a rdfs:label ?label } WHERE { ?a a tf:Agency ; rdfs:label ?label }"
DHS = "https://w3id.org/tf-graph/id/agency/dhs"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIMEOUT = 6.0
#: the time limit of the server the runaway queries are sent to: they run until it, so it is
#: short (2 s above the 1 s after which a query counts as long); other tests keep TIMEOUT
RUNAWAY_LIMIT = 3.0


@pytest.fixture(scope="module")
def endpoint():
    """A real ``tf-graph serve``: 2 workers (and the one kept for short queries), 6 s."""
    with serve_process("--workers", "2", "--timeout", str(TIMEOUT)) as (_, base):
        yield f"{base}/sparql"


@pytest.fixture(scope="module")
def limited():
    """The same server with a time limit of RUNAWAY_LIMIT, for queries that run until it."""
    with serve_process("--workers", "2", "--timeout", str(RUNAWAY_LIMIT)) as (_, base):
        yield f"{base}/sparql"


def wrapper(url: str, query: str, fmt: str | None = None) -> SPARQLWrapper:
    client = SPARQLWrapper(url)
    client.setQuery(query)
    if fmt is not None:
        client.setReturnFormat(fmt)
    return client


def rows(result) -> list[tuple]:  # noqa: ANN001
    return sorted(tuple(row) for row in result)


# --- SPARQLWrapper ------------------------------------------------------------------------------


def test_sparqlwrapper_construct_and_describe_by_default_get_rdf_xml(endpoint, graph):
    """SPARQLWrapper's default for CONSTRUCT and DESCRIBE is RDF/XML (it was refused, 406)."""
    got = wrapper(endpoint, LABELS).query()
    assert got.response.headers["Content-Type"].startswith("application/rdf+xml")
    assert isomorphic(got.convert(), graph.query(LABELS).graph)
    described = wrapper(endpoint, f"DESCRIBE <{DHS}>").query().convert()
    assert isomorphic(described, graph.query(f"DESCRIBE <{DHS}>").graph)


@pytest.mark.parametrize("fmt", [RDFXML, JSONLD, TURTLE, N3, XML, JSON])
def test_sparqlwrapper_construct_in_each_of_its_formats(endpoint, graph, fmt):
    expected = graph.query(LABELS).graph
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (it warns that N3 and JSON send */*)
        got = wrapper(endpoint, LABELS, fmt).query()
    media = got.response.headers["Content-Type"].split(";")[0]
    parsed = Graph().parse(data=got.response.read(), format=_RDFLIB_FORMAT[media])
    assert isomorphic(parsed, expected)


_RDFLIB_FORMAT = {
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "text/turtle": "turtle",  # (also what N3 gets: Turtle is N3)
}


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_and_ask_in_each_of_its_formats(endpoint, graph, fmt):
    from rdflib.query import Result

    expected = rows(graph.query(AGENCIES))
    expected_ask = "true" if fmt == CSV else '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'
    response = wrapper(endpoint, AGENCIES, fmt).query().response
    media = response.headers["Content-Type"].split(";")[0]
    got = Result.parse(io.BytesIO(response.read()), content_type=media)
    if fmt == CSV:  # CSV has no types: IRIs and literals read back as literals
        assert [tuple(map(str, row)) for row in rows(got)] == [
            tuple(map(str, row)) for row in expected
        ]
    else:
        assert rows(got) == expected
    ask = wrapper(endpoint, PREFIX + "ASK { ?a a tf:Agency }", fmt).query().response
    media = ask.headers["Content-Type"].split(";")[0]
    answer = ask.read().decode("utf-8")
    if fmt in (JSON, XML):
        assert Result.parse(io.StringIO(answer), content_type=media).askAnswer is True
    else:
        assert answer.splitlines() == ["_askResult" if fmt == CSV else "?_askResult", expected_ask]


# --- format= and output= as Virtuoso and Fuseki read them -----------------------------------------


@pytest.mark.parametrize(
    ("params", "media"),
    [
        ({"format": "json"}, "application/sparql-results+json"),
        ({"output": "json"}, "application/sparql-results+json"),
        ({"format": "application/sparql-results+json"}, "application/sparql-results+json"),
        ({"output": "xml"}, "application/sparql-results+xml"),
        ({"format": "csv"}, "text/csv"),
        ({"output": "tsv"}, "text/tab-separated-values"),
        # SPARQLWrapper: the name, then the media types, comma-separated
        ({"format": ["tsv", "text/tab-separated-values"]}, "text/tab-separated-values"),
        ({"format": ["nonsense", "csv"]}, "text/csv"),
    ],
)
def test_format_and_output_parameters_for_select(endpoint, params, media):
    response = httpx.get(endpoint, params={"query": AGENCIES, **params}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == f"{media}; charset=utf-8"


@pytest.mark.parametrize(
    ("params", "media"),
    [
        ({"format": "xml"}, "application/rdf+xml"),
        ({"output": "xml"}, "application/rdf+xml"),
        ({"format": "json"}, "application/ld+json"),
        ({"output": "turtle"}, "text/turtle"),
        ({"format": "nt"}, "application/n-triples"),
        (
            {"format": ["json-ld", "application/ld+json,application/x-json+ld"]},
            "application/ld+json",
        ),
        ({"format": "application/ld+json,application/x-json+ld"}, "application/ld+json"),
    ],
)
def test_format_and_output_parameters_for_construct(endpoint, graph, params, media):
    response = httpx.get(endpoint, params={"query": LABELS, **params}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == f"{media}; charset=utf-8"
    rdflib_format = {"application/n-triples": "nt", **_RDFLIB_FORMAT}[media]
    assert isomorphic(
        Graph().parse(data=response.content, format=rdflib_format), graph.query(LABELS).graph
    )


def test_an_unknown_format_is_406_naming_the_ones_there_are(endpoint):
    response = httpx.get(endpoint, params={"query": LABELS, "format": "csv"}, timeout=30)
    assert response.status_code == 406
    assert response.json()["error"] == (
        "format 'csv' is not available for this query; use one of: turtle, nt, jsonld, rdfxml"
    )


# --- rdflib's SPARQLStore -----------------------------------------------------------------------


def test_rdflib_sparqlstore_select_ask_construct_describe_triples(endpoint, graph):
    remote = Graph(store=SPARQLStore(endpoint))
    assert rows(remote.query(AGENCIES)) == rows(graph.query(AGENCIES))
    assert remote.query(PREFIX + "ASK { ?a a tf:Agency }").askAnswer is True
    assert remote.query(PREFIX + "ASK { ?a a tf:Nothing }").askAnswer is False
    assert isomorphic(remote.query(LABELS).graph, graph.query(LABELS).graph)
    described = remote.query(f"DESCRIBE <{DHS}>").graph
    assert isomorphic(described, graph.query(f"DESCRIBE <{DHS}>").graph)
    assert sorted(remote.triples((URIRef(DHS), RDFS.label, None))) == sorted(
        graph.triples((URIRef(DHS), RDFS.label, None))
    )
    assert len(remote) == len(graph)


def test_rdflib_sparqlstore_iterates_contexts_of_a_dataset_without_named_graphs(endpoint):
    store = SPARQLStore(endpoint)
    assert list(store.contexts()) == []
    assert list(store.contexts((URIRef(DHS), None, None))) == []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        conjunctive = ConjunctiveGraph(store=SPARQLStore(endpoint))
    assert list(conjunctive.contexts()) == []


# --- GRAPH, FROM, SERVICE -----------------------------------------------------------------------


def test_graph_patterns_are_answered_from_a_dataset_with_no_named_graphs(endpoint, graph):
    def select(query: str) -> dict:
        response = httpx.get(endpoint, params={"query": query}, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    assert select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")["results"]["bindings"] == []
    assert select(f"SELECT * WHERE {{ GRAPH <{DHS}> {{ ?s ?p ?o }} }}")["results"] == {
        "bindings": []
    }
    assert select("ASK { GRAPH ?g { } }")["boolean"] is False
    # the default graph still answers beside an unmatched GRAPH
    count = select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o OPTIONAL { GRAPH ?g { ?s ?p ?o } } }")
    assert count["results"]["bindings"][0]["n"]["value"] == str(len(graph))


def test_no_error_message_shows_rdflib_internals(endpoint):
    """Hostile queries get one line of ours: no Python or rdflib names, no traceback."""
    queries = [
        "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 99999999999999999999",
        "SELECT * FROM <urn:x> WHERE { ?s ?p ?o }",
        "SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }",
        "SELECT * WHERE " + "{ " * 200 + "?s ?p ?o" + " }" * 200,
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 500 + "1" + ")" * 500 + ") }",
        "SELECT (SUM(?o) AS ?n) WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s ?p ?o } ORDER BY <urn:f>(?s) LIMIT 1",
    ]
    for query in queries:
        response = httpx.get(endpoint, params={"query": query}, timeout=30)
        text = response.text
        for internal in (
            "islice",
            "ConjunctiveGraph",
            "Traceback",
            "rdflib",
            "Recursion",
            "NoneType",
            "instances",
        ):
            assert internal not in text, (query[:60], text)


def test_a_huge_limit_or_offset_is_no_limit(endpoint, graph):
    every = "SELECT ?s ?p ?o WHERE { ?s a tf:Agency ; ?p ?o }"
    expected = len(graph.query(PREFIX + every))
    response = httpx.get(
        endpoint, params={"query": PREFIX + every + " LIMIT 99999999999999999999"}, timeout=30
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["results"]["bindings"]) == expected
    offset = httpx.get(
        endpoint,
        params={"query": PREFIX + every + " OFFSET 99999999999999999999 LIMIT 5"},
        timeout=30,
    )
    assert offset.status_code == 200 and offset.json()["results"]["bindings"] == []


def test_a_megabyte_query_and_a_deeply_nested_one_are_4xx_and_the_server_stays_healthy(endpoint):
    values = " ".join(f"<urn:x:{i}>" for i in range(80_000))
    huge = f"SELECT * WHERE {{ VALUES ?x {{ {values} }} }}"
    assert len(huge) > 1_000_000
    response = httpx.post(
        endpoint, content=huge, headers={"Content-Type": "application/sparql-query"}, timeout=30
    )
    assert response.status_code == 413
    assert response.json()["error"] == (
        f"request body larger than {protocol.MAX_QUERY_BYTES} bytes "
        "(this endpoint's limit on a query)"
    )
    form = httpx.post(endpoint, data={"query": huge}, timeout=30)
    assert form.status_code == 413
    for nested in (
        "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000,
        "ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    ):
        answer = httpx.post(endpoint, data={"query": nested}, timeout=30)
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"] == protocol.NESTED_TOO_DEEPLY
    negations = httpx.post(endpoint, data={"query": "ASK { FILTER(" + "!" * 5000 + "true) }"})
    assert negations.status_code == 400  # the parser gives up on it as a syntax error
    assert negations.json()["error"].startswith("syntax error: line 1, column 7: ")
    assert _raw_get(endpoint, huge).startswith(b"HTTP/1.1 400 ")  # the HTTP server's limit
    healthy = httpx.get(endpoint, params={"query": "ASK {}"}, timeout=30)
    assert healthy.json() == {"head": {}, "boolean": True}


def _raw_get(endpoint: str, query: str) -> bytes:
    """The start of the answer to a GET of ``query`` (httpx refuses to send such a URL)."""
    host, port = endpoint.split("//")[1].split("/")[0].split(":")
    target = "/sparql?" + urlencode({"query": query})
    request = f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        with contextlib.suppress(OSError):  # the server may answer before reading it all
            conn.sendall(request.encode("ascii"))
        with contextlib.suppress(OSError):
            return conn.recv(200)
    return b""


# --- fairness -----------------------------------------------------------------------------------


def test_as_many_runaway_queries_as_workers_do_not_stall_another_client(limited):
    """Two runaway queries on a server with --workers 2: a cheap ASK from another client is
    answered while both still run (it used to wait until one was stopped)."""
    answers: list[httpx.Response] = []

    def runaway() -> None:
        answers.append(httpx.get(limited, params={"query": RUNAWAY}, timeout=60))

    threads = [threading.Thread(target=runaway) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)  # both run now, past the time after which a query counts as long
    ask = httpx.get(limited, params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
    still_running = [thread.is_alive() for thread in threads]
    for thread in threads:
        thread.join(60)
    assert ask.json() == {"head": {}, "boolean": True}
    assert still_running == [True, True]
    assert [a.json()["error"] for a in answers] == [
        f"query stopped: it ran longer than the time limit of {RUNAWAY_LIMIT:g} s"
    ] * 2


def test_a_long_query_beyond_the_workers_is_stopped_as_busy(limited):
    """Three runaway queries on --workers 2: two run until the time limit, the third is
    stopped once it turns long (1 s), so that the kept worker serves short queries again."""
    answers: list[str] = []

    def runaway() -> None:
        answers.append(httpx.get(limited, params={"query": RUNAWAY}, timeout=60).json()["error"])

    threads = [threading.Thread(target=runaway) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers) == [
        f"query stopped: it ran longer than the time limit of {RUNAWAY_LIMIT:g} s",
        f"query stopped: it ran longer than the time limit of {RUNAWAY_LIMIT:g} s",
        "server busy: all 2 workers for long queries (--workers) are taken; "
        "this query was stopped after 1 s: try again later",
    ]
    ask = httpx.get(limited, params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
    assert ask.json() == {"head": {}, "boolean": True}


# --- one writer for the command line and the endpoint -------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
@pytest.mark.parametrize(
    "query",
    [AGENCIES, PREFIX + "ASK { ?a a tf:Agency }", PREFIX + "ASK { ?a a tf:Nothing }"],
    ids=["select", "ask-yes", "ask-no"],
)
def test_the_command_line_and_the_endpoint_write_the_same_results(
    endpoint, run, tmp_path, fmt, query
):
    path = tmp_path / "q.rq"
    path.write_text(query, encoding="utf-8")
    local = run("query", str(path), "-f", fmt)
    assert local.exit_code == 0, local.stderr
    served = httpx.get(endpoint, params={"query": query, "format": fmt}, timeout=30)
    written = local.stdout_bytes.decode("utf-8")
    if fmt == "json":
        assert json.loads(written) == served.json()
    else:
        assert written == served.text
    if fmt == "csv" and "ASK" in query:
        yes = "true" if "Agency" in query else "false"
        assert written == f"_askResult\r\n{yes}\r\n"


# --- the local query command: SERVICE refused, no outbound call ----------------------------------


@pytest.mark.parametrize(
    "service",
    [
        "SERVICE <http://127.0.0.1:{port}/sparql>",
        "SERVICE SILENT <http://127.0.0.1:{port}/sparql>",
        "SERVICE ep:sparql",
        "SERVICE SILENT ep:sparql",
    ],
)
def test_a_local_query_with_service_is_refused_without_a_connection(run, tmp_path, service):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    calls: list[object] = []
    done = threading.Event()

    def answer_nobody() -> None:  # take each call and hang up at once, noting it
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            calls.append(conn.getpeername())
            conn.close()

    watcher = threading.Thread(target=answer_nobody)
    watcher.start()
    clause = service.format(port=port)
    path = tmp_path / "federated.rq"
    path.write_text(
        f"PREFIX ep: <http://127.0.0.1:{port}/>\nSELECT * WHERE {{ {clause} {{ ?s ?p ?o }} }}\n",
        encoding="utf-8",
    )
    try:
        result = run("query", str(path))
    finally:
        done.set()
        watcher.join()
        listener.close()
    assert calls == []
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {path}: SERVICE is refused: tf-graph makes no requests to other endpoints "
        f"(found {clause})\n"
    )


# --- the command: a busy port --------------------------------------------------------------------


def test_serve_on_a_busy_port_exits_with_one_line_and_prints_no_url():
    busy = socket.socket()
    busy.bind(("127.0.0.1", free_port()))
    busy.listen()
    port = busy.getsockname()[1]
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tf_graph", "serve", "--port", str(port), "--workers", "1"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        busy.close()
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        f"error: port {port} on 127.0.0.1 is in use: stop what serves there or choose --port\n"
    )
