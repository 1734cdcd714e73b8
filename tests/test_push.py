"""``tf-graph push`` against a tiny local fake store (an rdflib Dataset behind http.server):
round trips through the Graph Store Protocol and SPARQL Update lose nothing, pushing twice
gives the same content, and every failure is one line naming the HTTP status and the
server's message."""

from __future__ import annotations

import base64
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from tf_graph.build.push import batch_triples, insert_request, push_graph
from tf_graph.errors import RemoteError

GRAPH = "urn:test:pushed"


class FakeStore:
    """What the fake server holds and saw."""

    def __init__(self):
        self.dataset = Dataset()
        self.requests: list[tuple[str, str, dict]] = []
        self.fail_update_after = None  # fail every update request after this many
        self.updates = 0

    def graph(self, iri: str) -> Graph:
        out = Graph()
        for triple in self.dataset.graph(URIRef(iri)):
            out.add(triple)
        return out


def make_handler(store: FakeStore):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _reply(self, status, body=b"", ctype="text/plain", headers=None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _record(self, verb):
            store.requests.append((verb, self.path, dict(self.headers)))

        def do_GET(self):
            self._record("GET")
            url = urlsplit(self.path)
            if url.path == "/sparql" and "query" in parse_qs(url.query):
                query = parse_qs(url.query)["query"][0]
                body = store.dataset.query(query).serialize(format="json")
                return self._reply(200, body, "application/sparql-results+json")
            if url.path == "/auth" and not self._authorized():
                return
            self._reply(406, b"<html><body><h1>406 Not Acceptable</h1></body></html>", "text/html")

        def _authorized(self) -> bool:
            expected = "Basic " + base64.b64encode(b"dba:secret").decode()
            if self.headers.get("Authorization") == expected:
                return True
            self._reply(401, b"", headers={"WWW-Authenticate": 'Basic realm="fake"'})
            return False

        def do_PUT(self):
            self._record("PUT")
            url = urlsplit(self.path)
            body = self._body()
            if url.path == "/fail500":
                return self._reply(500, b"Transaction aborted:\n  disk full\n")
            if url.path == "/auth" and not self._authorized():
                return
            iri = parse_qs(url.query)["graph"][0]
            new = Graph().parse(data=body.decode("utf-8"), format="turtle")
            target = store.dataset.graph(URIRef(iri))
            target.remove((None, None, None))
            for triple in new:
                target.add(triple)
            self._reply(204)

        def do_POST(self):
            self._record("POST")
            body = self._body().decode("utf-8")
            if urlsplit(self.path).path != "/sparql":
                return self._reply(404, b"no such service")
            store.updates += 1
            if store.fail_update_after is not None and store.updates > store.fail_update_after:
                return self._reply(503, b"store is read-only for maintenance")
            store.dataset.update(body)
            self._reply(204)

    return Handler


@pytest.fixture
def fake():
    store = FakeStore()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(store))
    # (polled every 0.05 s, not 0.5 s: shutdown() waits for the next poll)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    store.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield store
    server.shutdown()
    server.server_close()


def small_graph_with_bnodes(n: int = 40) -> Graph:
    """Triples that share blank nodes (chains and lists), plus plain ones."""
    g = Graph()
    ex = "urn:ex:"
    for i in range(n):
        node = BNode()
        g.add((URIRef(f"{ex}s{i}"), URIRef(f"{ex}p"), node))
        g.add((node, RDF.value, Literal(f'value {i} with "quotes", a \\ and\na newline')))
        inner = BNode()
        g.add((node, URIRef(f"{ex}next"), inner))
        g.add((inner, RDF.value, Literal(i)))
        g.add(
            (URIRef(f"{ex}s{i}"), URIRef(f"{ex}label"), Literal(f"S{i} – ’typographic’", lang="en"))
        )
    return g


def test_gsp_round_trip_loses_nothing_and_twice_is_the_same(fake, graph):
    report = push_graph(graph, f"{fake.url}/gsp", GRAPH, method="gsp")
    assert report.triples == len(graph) and report.method == "gsp" and report.requests == 1
    assert isomorphic(fake.graph(GRAPH), graph)
    push_graph(graph, f"{fake.url}/gsp", GRAPH, method="gsp")
    assert len(fake.graph(GRAPH)) == len(graph)
    assert isomorphic(fake.graph(GRAPH), graph)
    assert "pushed" in report.summary() and f"{len(graph)} triples" in report.summary()


def test_update_round_trip_in_batches_keeps_blank_nodes_whole(fake):
    g = small_graph_with_bnodes()
    report = push_graph(g, f"{fake.url}/sparql", GRAPH, method="update", batch_size=25)
    assert report.method == "update" and report.requests > 3
    assert isomorphic(fake.graph(GRAPH), g)
    push_graph(g, f"{fake.url}/sparql", GRAPH, method="update", batch_size=25)
    assert isomorphic(fake.graph(GRAPH), g)  # DROP first: twice gives the same content


def test_auto_chooses_update_for_a_query_endpoint_and_gsp_otherwise(fake):
    # (the choice depends on the endpoint, not the graph: pushing the whole shipped graph by
    # SPARQL Update is tests/test_virtuoso.py's, into a real store)
    g = small_graph_with_bnodes()
    assert push_graph(g, f"{fake.url}/sparql", GRAPH).method == "update"
    assert isomorphic(fake.graph(GRAPH), g)
    assert push_graph(g, f"{fake.url}/gsp", GRAPH).method == "gsp"


def test_batches_never_split_a_blank_node():
    g = small_graph_with_bnodes()
    batches = list(batch_triples(g, 10))
    assert sum(len(b) for b in batches) == len(g)
    seen: dict[BNode, int] = {}
    for number, batch in enumerate(batches):
        for s, _, o in batch:
            for node in (s, o):
                if isinstance(node, BNode):
                    assert seen.setdefault(node, number) == number
    # plain triples use INSERT DATA; batches with blank nodes a template (Virtuoso needs it)
    kinds = {insert_request(GRAPH, b).split("{")[0].strip() for b in batches}
    assert kinds == {"INSERT DATA", "INSERT"}


def test_401_without_credentials_is_one_line_asking_for_them(fake, graph, run):
    with pytest.raises(RemoteError) as err:
        push_graph(graph, f"{fake.url}/auth", GRAPH, method="gsp")
    assert "HTTP 401" in str(err.value) and "--user" in str(err.value)
    result = run("push", "--endpoint", f"{fake.url}/auth", "--method", "gsp")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "HTTP 401 Unauthorized" in result.stderr


def test_basic_auth_answers_the_challenge_only(fake, graph, monkeypatch, run):
    monkeypatch.setenv("FAKE_PW", "secret")
    result = run(
        "push",
        "--endpoint",
        f"{fake.url}/auth",
        "--graph",
        GRAPH,
        "--user",
        "dba",
        "--password-env",
        "FAKE_PW",
        "--method",
        "gsp",
    )
    assert result.exit_code == 0, result.stderr
    assert f"pushed {len(graph)} triples to <{GRAPH}>" in result.stdout
    puts = [h for verb, _, h in fake.requests if verb == "PUT"]
    assert "Authorization" not in puts[0]  # nothing sent before the server asked
    assert puts[-1]["Authorization"].startswith("Basic ")
    monkeypatch.setenv("FAKE_PW", "wrong")
    result = run(
        "push",
        "--endpoint",
        f"{fake.url}/auth",
        "--user",
        "dba",
        "--password-env",
        "FAKE_PW",
        "--method",
        "gsp",
    )
    assert result.exit_code == 2 and "user name or password refused" in result.stderr


def test_500_reports_status_and_server_message_on_one_line(fake, graph):
    with pytest.raises(RemoteError) as err:
        push_graph(graph, f"{fake.url}/fail500", GRAPH, method="gsp")
    message = str(err.value)
    assert "\n" not in message
    assert "HTTP 500 Internal Server Error: Transaction aborted: disk full" in message


def test_failed_later_batch_says_the_graph_is_partly_loaded(fake):
    g = small_graph_with_bnodes()
    fake.fail_update_after = 1
    with pytest.raises(RemoteError) as err:
        push_graph(g, f"{fake.url}/sparql", GRAPH, method="update", batch_size=25)
    assert "HTTP 503" in str(err.value) and "store is read-only for maintenance" in str(err.value)
    assert "partly loaded" in str(err.value) and "push again" in str(err.value)


def test_failed_first_request_leaves_the_graph_as_it_was(fake):
    g = small_graph_with_bnodes()
    push_graph(g, f"{fake.url}/gsp", GRAPH, method="gsp")
    with pytest.raises(RemoteError):
        push_graph(Graph(), f"{fake.url}/fail500", GRAPH, method="gsp")
    assert isomorphic(fake.graph(GRAPH), g)


def test_connection_refused_is_one_line(run):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run("push", "--endpoint", f"http://127.0.0.1:{port}/store")
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"error: http://127.0.0.1:{port}/store: cannot connect (Connection refused)\n"
    )


def test_password_comes_from_the_environment_only(run, monkeypatch):
    monkeypatch.delenv("NO_SUCH_PW_VAR", raising=False)
    result = run("push", "--endpoint", "http://127.0.0.1:9/x", "--user", "dba")
    assert result.exit_code == 2 and "--password-env" in result.stderr
    result = run(
        "push",
        "--endpoint",
        "http://127.0.0.1:9/x",
        "--user",
        "dba",
        "--password-env",
        "NO_SUCH_PW_VAR",
    )
    assert result.exit_code == 2 and "NO_SUCH_PW_VAR is not set" in result.stderr


def test_bad_graph_iri_is_refused_before_sending(fake, graph):
    with pytest.raises(RemoteError, match="not a valid graph IRI"):
        push_graph(graph, f"{fake.url}/sparql", "urn:x> } ; DROP ALL ; INSERT DATA { <a:b")
    assert fake.requests == []
