"""``tf-graph serve``: the SPARQL 1.1 Protocol endpoint on a real uvicorn (127.0.0.1, free
port), checked against rdflib's answers on the same graph: every request form and content
type, Accept negotiation with q-values, the format parameter, updates refused, malformed
queries, the service description, the time limit (a runaway query is stopped while another
client is served), 20 concurrent clients, and the JSON API of the query page."""

from __future__ import annotations

import functools
import io
import json
import os
import re
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from conftest import shipped_graph
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS
from rdflib.query import Result
from support import opener_of, serve_process, serving

from tf_graph.build.loading import load_graph
from tf_graph.namespaces import TF
from tf_graph.server import protocol
from tf_graph.server.app import STATIC, create_app
from tf_graph.server.protocol import ProtocolError

#: the time limit of the module's servers: far above any query the tests ask, so a loaded
#: machine makes no test fail (no test here is timed); the limit itself is tested with a query
#: meant to exceed :data:`SHORT_LIMIT`
TIMEOUT = 120.0
SHORT_LIMIT = 2.0
MAX_ROWS = 1000
PREFIX = f"PREFIX tf: <{TF}> PREFIX rdfs: <{RDFS}>\n"
AGENCIES = PREFIX + "SELECT ?a ?label WHERE { ?a a tf:Agency ; rdfs:label ?label } ORDER BY ?a"
#: a cross join of the graph with itself three times: runs for hours in rdflib
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


#: workers that open an empty graph, for what does not depend on the graph
EMPTY = functools.partial(load_graph, (), include_core=False)


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def base(request, _private_store):
    """A real server: 2 worker processes (and one for short queries), 1,000 rows at most, a
    time limit no test reaches, so no spare worker loaded for one stopped (the ``limited``
    server tests that); its workers hold the graph in rdflib's memory, or in the Oxigraph
    index."""
    app = create_app(
        opener_of(request.param), workers=2, timeout=TIMEOUT, max_rows=MAX_ROWS, spares=0
    )
    with serving(app, lifespan="on") as url:
        yield url


@pytest.fixture(scope="module")
def limited(_private_store):
    """The same server on the index with a short time limit, for a query meant to exceed it.
    (One engine: the limit is the executor's, which kills the worker process whatever runs in
    it; tests/test_server_clients.py stops runaway queries on a ``tf-graph serve`` too.)"""
    app = create_app(opener_of("oxigraph"), workers=2, timeout=SHORT_LIMIT, max_rows=MAX_ROWS)
    with serving(app, lifespan="on") as url:
        yield url


@pytest.fixture
def client(base):
    with httpx.Client(base_url=base, timeout=30) as c:
        yield c


def rows_of(result: Result) -> list[tuple]:
    return sorted(tuple(row) for row in result)


def parse_results(response: httpx.Response) -> Result:
    media = response.headers["content-type"].split(";")[0]
    return Result.parse(io.BytesIO(response.content), content_type=media)


# --- the three request forms --------------------------------------------------------------------


def test_get_post_form_and_post_query_give_rdflibs_rows(client, graph):
    expected = rows_of(graph.query(AGENCIES))
    assert len(expected) > 10
    answers = [
        client.get("/sparql", params={"query": AGENCIES}),
        client.post("/sparql", data={"query": AGENCIES}),
        client.post(
            "/sparql", content=AGENCIES, headers={"Content-Type": "application/sparql-query"}
        ),
    ]
    for response in answers:
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        assert rows_of(parse_results(response)) == expected


def test_unsupported_body_type_and_method(client):
    response = client.post("/sparql", content=AGENCIES, headers={"Content-Type": "text/plain"})
    assert response.status_code == 415 and "application/sparql-query" in response.json()["error"]
    assert client.put("/sparql", content=AGENCIES).status_code == 405


# --- content types ---------------------------------------------------------------------------


HOSTILE_VALUES = (
    'SELECT ?x ?y WHERE { VALUES (?x ?y) { ("tab\\there \\"quoted\\" back\\\\slash\\nline" 5) '
    '("’typographic’ – …"@en <urn:x:y>) '
    '(UNDEF "2021-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) (0 false) (0.0 "") } }'
)


@pytest.mark.parametrize(
    "media",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_select_in_every_format_round_trips(client, request, media):
    """The rows the server's engine gives (Oxigraph writes the decimal 0.0 canonically, 0)."""
    response = client.get("/sparql", params={"query": HOSTILE_VALUES}, headers={"Accept": media})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == f"{media}; charset=utf-8"
    got = parse_results(response)
    expected = shipped_graph(request.node.callspec.params["base"]).query(HOSTILE_VALUES)
    if media == "text/csv":  # CSV keeps lexical values only; "" and unbound look alike
        assert rows_of(got) == sorted(
            tuple(Literal(str(t)) if t is not None and str(t) else None for t in row)
            for row in expected
        )
    else:
        assert rows_of(got) == rows_of(expected)


def test_ask_in_every_format(client):
    yes, no = PREFIX + "ASK { ?a a tf:Agency }", "ASK { <urn:no> <urn:no> <urn:no> }"
    json_yes = client.get("/sparql", params={"query": yes}).json()
    assert json_yes == {"head": {}, "boolean": True}
    xml_no = client.get("/sparql", params={"query": no, "format": "xml"})
    assert parse_results(xml_no).askAnswer is False
    csv_yes = client.get("/sparql", params={"query": yes}, headers={"Accept": "text/csv"})
    assert csv_yes.text == "_askResult\r\ntrue\r\n"
    tsv_no = client.get("/sparql", params={"query": no, "format": "tsv"})
    assert tsv_no.text == '?_askResult\n"false"^^<http://www.w3.org/2001/XMLSchema#boolean>\n'


@pytest.mark.parametrize(
    ("media", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_construct_in_every_format_round_trips(client, graph, media, rdflib_format):
    query = (
        PREFIX
        + "CONSTRUCT { ?a rdfs:label ?l ; a tf:Agency } WHERE { ?a a tf:Agency ; rdfs:label ?l }"
    )
    response = client.get("/sparql", params={"query": query}, headers={"Accept": media})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == f"{media}; charset=utf-8"
    got = Graph().parse(data=response.text, format=rdflib_format)
    assert len(got) > 20
    assert isomorphic(got, graph.query(query).graph)


def test_describe_gives_the_resource(client):
    dhs = "https://w3id.org/tf-graph/id/agency/dhs"
    response = client.get("/sparql", params={"query": f"DESCRIBE <{dhs}>", "format": "nt"})
    assert response.status_code == 200
    got = Graph().parse(data=response.text, format="nt")
    label = Literal("Department of Homeland Security", lang="en")
    assert (URIRef(dhs), RDFS.label, label) in got


# --- negotiation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", "application/sparql-results+json"),
        ("application/sparql-results+json;q=0.2, text/csv;q=0.9", "text/csv"),
        ("text/*;q=0.5, application/sparql-results+xml;q=0.4", "text/csv"),
        ("*/*;q=0.1, text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "application/sparql-results+xml",
        ),
        ("text/csv;q=0, */*", "application/sparql-results+json"),
        ("text/csv;q=0.5, text/*;q=0.9", "text/tab-separated-values"),
    ],
)
def test_accept_q_values_choose_the_format(accept, expected):
    assert protocol.choose_format(protocol.SOLUTIONS, None, accept) == expected


def test_accept_and_format_parameter_over_http(client):
    query = {"query": AGENCIES}
    picked = client.get(
        "/sparql",
        params=query,
        headers={"Accept": "text/csv;q=0.3, application/sparql-results+xml;q=0.8"},
    )
    assert picked.headers["content-type"].startswith("application/sparql-results+xml")
    overridden = client.get(
        "/sparql",
        params={**query, "format": "csv"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert overridden.headers["content-type"].startswith("text/csv")
    refused = client.get("/sparql", params=query, headers={"Accept": "text/turtle"})
    assert refused.status_code == 406 and "available" in refused.json()["error"]
    wrong = client.get("/sparql", params={**query, "format": "turtle"})
    assert wrong.status_code == 406
    assert wrong.json()["error"] == (
        "format 'turtle' is not available for this query; use one of: json, xml, csv, tsv"
    )


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "params": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"method": "POST", "data": {"query": "DELETE WHERE { ?s ?p ?o }"}},
        {"method": "POST", "data": {"update": "CLEAR ALL"}},
        {
            "method": "POST",
            "content": "DROP ALL",
            "headers": {"Content-Type": "application/sparql-update"},
        },
        {
            "method": "POST",
            "content": "LOAD <http://example.org/x>",
            "headers": {"Content-Type": "application/sparql-query"},
        },
    ],
)
def test_updates_are_refused_and_change_nothing(client, graph, request_kwargs):
    request_kwargs = dict(request_kwargs)  # the same parameters serve both backends
    method = request_kwargs.pop("method")
    response = client.request(method, "/sparql", **request_kwargs)
    assert response.status_code == 403
    assert response.json() == {"error": "this endpoint is read-only: SPARQL Update is refused"}
    count = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    assert count.json()["results"]["bindings"][0]["n"]["value"] == str(len(graph))


def test_malformed_query_is_400_with_the_parsers_position(client):
    response = client.get("/sparql", params={"query": "SELECT ?s WHERE {\n  ?s ?p \n}"})
    assert response.status_code == 400
    message = response.json()["error"]
    assert message.startswith("syntax error: line 1, column 1:") or "line" in message
    assert "\n" not in message
    undeclared = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s nope:p ?o }"})
    assert undeclared.status_code == 400 and "nope" in undeclared.json()["error"]
    empty = client.get("/sparql", params={"query": "  "})
    assert empty.status_code == 400 and empty.json()["error"] == "empty query"


SERVICE_SPELLINGS = {
    "SERVICE <http://127.0.0.1:9/sparql>": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> "
    "{ ?s ?p ?o } }",
    "SERVICE SILENT <http://127.0.0.1:9/sparql>": "SELECT * WHERE { SERVICE SILENT "
    "<http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SERVICE ?endpoint": "SELECT * WHERE { BIND(<http://127.0.0.1:9/sparql> AS ?endpoint) "
    "SERVICE ?endpoint { ?s ?p ?o } }",
    "SERVICE <http://127.0.0.1:9/sparql> ": "PREFIX ep: <http://127.0.0.1:9/> "
    "SELECT * WHERE { SERVICE ep:sparql { ?s ?p ?o } }",
    "SERVICE SILENT ?e": "ASK { ?s ?p ?o FILTER EXISTS { SERVICE SILENT ?e { ?s ?p ?o } } }",
}


@pytest.mark.parametrize("found", sorted(SERVICE_SPELLINGS))
def test_service_is_refused_in_every_spelling(client, found):
    response = client.get("/sparql", params={"query": SERVICE_SPELLINGS[found]})
    assert response.status_code == 400
    assert response.json()["error"] == (
        f"SERVICE is refused: tf-graph makes no requests to other endpoints (found {found.strip()})"
    )


def test_from_and_default_graph_uri_are_refused_alike(client):
    dataset_message = protocol.DATASET_REFUSED
    assert "FROM" in dataset_message and "default-graph-uri" in dataset_message
    for params in (
        {"query": AGENCIES, "default-graph-uri": "urn:x"},
        {"query": AGENCIES, "named-graph-uri": "urn:x"},
        {"query": "SELECT * FROM <urn:x> WHERE { ?s ?p ?o } LIMIT 1"},
        {"query": "SELECT * FROM NAMED <urn:x> WHERE { ?s ?p ?o } LIMIT 1"},
    ):
        response = client.get("/sparql", params=params)
        assert response.status_code == 400, params
        assert response.json()["error"] == dataset_message


def test_result_row_limit(client):
    everything = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
    assert everything.status_code == 422
    assert f"more than {MAX_ROWS} rows" in everything.json()["error"]
    limited = client.get("/sparql", params={"query": f"SELECT * {{ ?s ?p ?o }} LIMIT {MAX_ROWS}"})
    assert limited.status_code == 200
    assert len(limited.json()["results"]["bindings"]) == MAX_ROWS


def test_service_description(client, graph):
    response = client.get("/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    sd = Graph().parse(data=response.text, format="turtle")
    ns = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(f"{client.base_url}/sparql")
    assert (endpoint, URIRef(ns + "endpoint"), endpoint) in sd
    assert (endpoint, URIRef(ns + "supportedLanguage"), URIRef(ns + "SPARQL11Query")) in sd
    formats = set(sd.objects(endpoint, URIRef(ns + "resultFormat")))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_TSV") in formats
    assert URIRef("http://www.w3.org/ns/formats/RDF_XML") in formats
    assert len(formats) == 8
    (triples,) = sd.objects(None, URIRef("http://rdfs.org/ns/void#triples"))
    assert int(triples) == len(graph)
    nt = client.get("/sparql", headers={"Accept": "application/n-triples"})
    assert nt.headers["content-type"].startswith("application/n-triples")


# --- time limit and concurrency ------------------------------------------------------------------


def test_runaway_query_is_stopped_while_another_client_is_served(limited, graph):
    """A query that would run for hours is stopped at the limit (not before it), and another
    client is answered while it runs. Nothing is timed but the limit itself: the runaway
    query is what exceeds it."""
    base = limited
    expected = rows_of(graph.query(AGENCIES))
    outcome = {}

    def slow():
        started = time.monotonic()
        with httpx.Client(timeout=600) as c:
            outcome["slow"] = c.get(f"{base}/sparql", params={"query": RUNAWAY})
        outcome["slow_seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)  # the runaway query is running in one worker now
    with httpx.Client(timeout=600) as c:
        fast = c.get(f"{base}/sparql", params={"query": AGENCIES})
    # answered while the runaway query still runs: not queued behind it
    assert "slow" not in outcome and thread.is_alive(), "the slow query should still be running"
    assert fast.status_code == 200 and rows_of(parse_results(fast)) == expected
    thread.join(600)
    assert not thread.is_alive()
    slow_response = outcome["slow"]
    assert slow_response.status_code == 503
    assert slow_response.json()["error"] == (
        f"query stopped: it ran longer than the time limit of {SHORT_LIMIT:g} s"
    )
    assert outcome["slow_seconds"] >= SHORT_LIMIT
    # the stopped worker is replaced: the server keeps answering, on both workers
    deadline = time.monotonic() + 30
    with httpx.Client(timeout=60) as c:
        for _ in range(4):
            assert c.get(f"{base}/sparql", params={"query": AGENCIES}).status_code == 200
        while time.monotonic() < deadline:  # the replacement has joined when both are free
            answers = list(
                ThreadPoolExecutor(2).map(
                    lambda _: c.get(f"{base}/sparql", params={"query": AGENCIES}), range(2)
                )
            )
            if all(a.status_code == 200 for a in answers):
                break
    assert all(a.status_code == 200 for a in answers)


def test_twenty_concurrent_clients_each_get_their_own_answer(base, graph):
    agencies = [row[0] for row in graph.query(AGENCIES)][:20]
    assert len(agencies) == 20

    def ask_label(iri):
        query = f"SELECT ?l WHERE {{ <{iri}> <{RDFS.label}> ?l }}"
        with httpx.Client(timeout=60) as c:
            response = c.get(
                f"{base}/sparql", params={"query": query}, headers={"Accept": "text/csv"}
            )
        return iri, response

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(ask_label, agencies))
    for iri, response in answers:
        assert response.status_code == 200
        expected = str(graph.value(iri, RDFS.label))
        assert response.text.splitlines()[1].strip('"') == expected.replace('"', '""')


# --- the page's JSON API ------------------------------------------------------------------------


def test_api_ask_answers_the_first_question(client, graph):
    from tf_graph.questions.ask import answer

    question = "Which agencies touch forced labor?"
    response = client.get("/api/ask", params={"q": question})
    assert response.status_code == 200
    expected = json.loads(json.dumps(answer(graph, question).to_json()))
    assert response.json() == expected
    dhs = "https://w3id.org/tf-graph/id/agency/dhs"
    assert dhs in {a["value"] for a in response.json()["answer"]}
    refused = client.get("/api/ask", params={"q": "what is the meaning of life"})
    assert refused.status_code == 400
    assert refused.json()["error"].startswith("nothing I can answer was recognised")
    assert refused.json()["recognised"] == [] and len(refused.json()["suggestions"]) == 3
    dated = client.get("/api/ask", params={"q": "What did DHS do in 2023?"}).json()
    assert [m["kind"] for m in dated["recognised"]] == ["agency", "year"]
    assert client.get("/api/ask").status_code == 400


def test_api_named_queries(client, graph):
    from tf_graph.questions.catalogue import list_queries
    from tf_graph.questions.run import run_query

    listed = client.get("/api/queries").json()
    assert [q["name"] for q in listed] == [s.name for s in list_queries()]
    result = client.get("/api/query/agencies-by-topic", params={"topic": "forced labour"})
    assert result.status_code == 200
    data = result.json()
    local = run_query(graph, "agencies-by-topic", {"topic": "forced labour"})
    assert data["vars"] == local.vars and len(data["rows"]) == len(local.rows)
    first = data["rows"][0][0]
    assert first["type"] == "uri" and first["label"] == str(
        graph.value(URIRef(first["value"]), RDFS.label)
    )
    unknown = client.get("/api/query/agencies-by-topic", params={"topic": "forsed labr xyz"})
    assert unknown.status_code == 404 and "unknown" in unknown.json()["error"]
    assert client.get("/api/query/no-such-query").status_code == 404


def test_api_table_labels_iris(client):
    data = client.post("/api/table", data={"query": AGENCIES}).json()
    assert data["vars"] == ["a", "label"]
    for iri_cell, label_cell in data["rows"]:
        assert iri_cell["label"] == label_cell["value"]


def test_page_loads_nothing_from_elsewhere(client):
    """Every src/href of the page is local, the CSS imports nothing, and the scripts fetch
    only paths of this server; the browser test watches the real requests."""
    page = client.get("/")
    assert page.status_code == 200
    assert "default-src 'none'" in page.headers["content-security-policy"]
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", html)
    assert references
    assert all(r == "data:," or (r.startswith("/") and not r.startswith("//")) for r in references)
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css
    js = (STATIC / "app.js").read_text(encoding="utf-8")
    assert re.findall(r"fetch(?:JSON)?\(\s*[`'\"](.)", js) == ["/"] * 4
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "eval(" not in js
    for path in ("/static/app.js", "/static/style.css"):
        assert client.get(path).status_code == 200


def test_cors_is_off_unless_asked():
    from starlette.testclient import TestClient

    factory = EMPTY  # (the headers do not depend on the graph)
    with TestClient(create_app(factory, workers=1, reserve=0, spares=0)) as c:
        response = c.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://x.org"})
        assert "access-control-allow-origin" not in response.headers
    with TestClient(
        create_app(factory, workers=1, reserve=0, spares=0, cors_origin="https://x.org")
    ) as c:
        response = c.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://x.org"})
        assert response.headers["access-control-allow-origin"] == "https://x.org"


# --- the command ------------------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def test_serve_command_answers_on_localhost_and_stops_its_workers():
    with serve_process("--workers", "2") as (process, base):
        answer = httpx.get(f"{base}/sparql", params={"query": "ASK {}"})
        assert answer.json() == {"head": {}, "boolean": True}
        workers = {p for p in _children(process.pid) if "spawn_main" in _cmdline(p)}
        assert len(workers) == 4  # --workers 2, one kept for short queries, one spare
    out, err = process.output
    assert f"{base}/sparql" in out
    assert "Traceback" not in err
    time.sleep(0.5)
    assert not any(Path(f"/proc/{p}").exists() and _cmdline(p) for p in workers)


@pytest.mark.parametrize("cache", ["--store", "--no-cache"])
def test_serve_workers_open_the_graph_as_the_options_say(tmp_path, cache):
    """--store DIR and --no-cache reach the worker processes: they answer from the user's
    --data, and build no index in the default places (TF_GRAPH_STORE, the XDG cache)."""
    extra = tmp_path / "extra.ttl"
    extra.write_text('<https://example.org/x> <https://example.org/says> "only in extra" .\n')
    store_dir, env_store, xdg = tmp_path / "mine", tmp_path / "env-store", tmp_path / "xdg"
    env = {**os.environ, "TF_GRAPH_STORE": str(env_store), "XDG_CACHE_HOME": str(xdg)}
    options = ["--store", str(store_dir)] if cache == "--store" else ["--no-cache"]
    query = "SELECT ?o WHERE { <https://example.org/x> <https://example.org/says> ?o }"
    with serve_process("--workers", "1", "--data", str(extra), *options, env=env) as (_, base):
        answer = httpx.get(
            f"{base}/sparql", params={"query": query}, headers={"Accept": "text/csv"}
        )
    assert answer.text.splitlines() == ["o", "only in extra"]
    assert not env_store.exists() and not xdg.exists()
    assert store_dir.is_dir() == (cache == "--store")


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def test_serve_refuses_a_bad_data_file_before_starting(run, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    result = run("serve", "--data", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {bad}:1:") and result.stderr.count("\n") == 1


def test_serve_and_push_help_have_examples(run):
    for command in ("serve", "push"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Examples:" in result.output


def test_a_worker_killed_from_outside_is_replaced_without_failing_a_request():
    from starlette.testclient import TestClient

    app = create_app(EMPTY, workers=1, timeout=10, reserve=0, spares=0)
    with TestClient(app) as c:
        pool = app.state.pool
        (worker,) = pool._all
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join(5)
        response = c.get("/sparql", params={"query": "ASK {}"})
        assert response.status_code == 200 and response.json()["boolean"] is True
        assert worker not in pool._all and len(pool._all) == 1


def test_a_stopped_worker_is_replaced_by_a_spare_at_once():
    """When a runaway query is stopped, a worker loaded beforehand takes its place before the
    answer is sent: the next query needs no process to load the graph first."""
    from starlette.testclient import TestClient

    app = create_app(opener_of("oxigraph"), workers=1, timeout=0.5, reserve=0, spares=1)
    with TestClient(app) as c:
        pool = app.state.pool
        (spare,) = pool._spare
        stopped = c.get("/sparql", params={"query": RUNAWAY})
        assert stopped.status_code == 503
        assert pool._idle.qsize() == 1 and pool._spare == []
        serving = pool._idle.get_nowait()
        assert serving is spare and spare.process.is_alive()
        pool._idle.put_nowait(serving)
        assert c.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


# --- the index's endpoint evaluates in Oxigraph -----------------------------------------------


def _refuse_rdflib_evaluation(monkeypatch) -> None:
    import rdflib.plugins.sparql.processor as rdflib_evaluate

    def refused(*args, **kwargs):
        raise AssertionError("rdflib's evaluator was called")

    monkeypatch.setattr(rdflib_evaluate, "evalQuery", refused)


def test_the_index_answers_select_and_ask_in_oxigraph(monkeypatch):
    """On the index a SELECT or ASK is Oxigraph's to evaluate (rdflib's evaluator, reading the
    index triple by triple, took seconds for a lookup of 500 resources); the rows are the
    engine's own, those a local query gets."""
    from tf_graph.server.worker import Task, run_sparql

    index = shipped_graph("oxigraph")
    _refuse_rdflib_evaluation(monkeypatch)
    reply = run_sparql(index, Task("sparql", AGENCIES, accept="application/json"), MAX_ROWS)
    assert reply.status == 200
    got = Result.parse(io.BytesIO(reply.body), content_type="application/sparql-results+json")
    assert rows_of(got) == rows_of(index.query(AGENCIES)) and len(got) > 10
    yes = run_sparql(index, Task("sparql", PREFIX + "ASK { ?a a tf:Agency }"), MAX_ROWS)
    assert json.loads(yes.body) == {"head": {}, "boolean": True}


def test_the_index_stops_a_runaway_select_at_the_row_limit(monkeypatch):
    """Oxigraph's rows are read lazily: a cross product of every triple with every triple
    (some 55 million rows) is refused at the limit without being built."""
    from tf_graph.server.worker import Task, run_sparql

    _refuse_rdflib_evaluation(monkeypatch)
    task = Task("sparql", "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c }")
    with pytest.raises(ProtocolError) as err:
        run_sparql(shipped_graph("oxigraph"), task, MAX_ROWS)
    assert err.value.status == 422 and f"more than {MAX_ROWS} rows" in err.value.message


def test_construct_on_the_index_is_still_rdflibs(monkeypatch):
    """CONSTRUCT and DESCRIBE keep rdflib's evaluation (their graphs as rdflib builds them)."""
    import rdflib.plugins.sparql.processor as rdflib_evaluate

    from tf_graph.server.worker import Task, run_sparql

    calls: list[int] = []
    real = rdflib_evaluate.evalQuery

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(rdflib_evaluate, "evalQuery", counted)
    text = PREFIX + "CONSTRUCT { ?a a tf:Agency } WHERE { ?a a tf:Agency }"
    reply = run_sparql(shipped_graph("oxigraph"), Task("sparql", text), MAX_ROWS)
    assert reply.status == 200 and calls == [1]
    got = Graph().parse(data=reply.body, format=reply.content_type.split(";")[0])
    assert len(got) == len(set(shipped_graph("oxigraph").subjects(RDF.type, TF.Agency)))
