"""Load the graph into a SPARQL 1.1 triple store (``tf-graph push``).

Two ways in, chosen by ``method``:

- ``gsp``: the Graph Store HTTP Protocol. One ``PUT`` of the whole graph as N-Triples
  replaces the named graph; the store applies it as one operation, so pushing twice gives
  the same content and a refused push leaves the graph as it was.
- ``update``: SPARQL 1.1 Update, for stores without the Graph Store Protocol. The first
  request drops the graph and inserts the first batch (one request, which stores run as one
  transaction); further batches follow with ``INSERT DATA``. Limitation: if a later batch
  fails, the graph is left partly loaded (the error says so); pushing again repairs it.

``auto`` asks the endpoint a SPARQL ``ASK {}`` first: an endpoint that answers it takes
updates (``update``), anything else is taken for a graph store (``gsp``). Authentication is
Basic or Digest (httpx); with ``auto`` the server's challenge decides.
"""

from __future__ import annotations

import re
import time
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass

import httpx
from rdflib import BNode, Graph
from rdflib.plugins.serializers.nt import _nt_row

from tf_graph.errors import RemoteError
from tf_graph.iris import check_iri
from tf_graph.sourcetext import clip

#: the named graph pushed to when none is given
DEFAULT_GRAPH = "https://w3id.org/tf-graph/graph"
DEFAULT_BATCH = 500  # Virtuoso refuses INSERT DATA of about 2,000 triples (SQL too long)
#: batches with blank nodes are sent as INSERT templates, which Virtuoso compiles to SQL of
#: a bounded size: keep them small
BNODE_BATCH = 200
DEFAULT_TIMEOUT = 120.0


@dataclass
class PushReport:
    endpoint: str
    graph_iri: str
    method: str
    triples: int
    requests: int
    seconds: float

    def summary(self) -> str:
        how = (
            "Graph Store PUT"
            if self.method == "gsp"
            else f"SPARQL Update, {self.requests} requests"
        )
        return (
            f"pushed {self.triples} triples to <{self.graph_iri}> at {self.endpoint} "
            f"({how}) in {self.seconds:.2f} s"
        )


class AutoAuth(httpx.Auth):
    """Answer whichever challenge the server sends: Digest or Basic. Nothing is sent
    before the server asks, so a password never travels to a server that did not ask."""

    requires_request_body = True

    def __init__(self, user: str, password: str):
        self.user, self.password = user, password

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").strip().lower()
        if challenge.startswith("digest"):
            inner = httpx.DigestAuth(self.user, self.password).auth_flow(request)
            next(inner)  # the unauthenticated request: already sent
            try:
                retry = inner.send(response)
                response = yield retry
                inner.send(response)
            except StopIteration:
                return
        elif challenge.startswith("basic"):
            yield next(httpx.BasicAuth(self.user, self.password).auth_flow(request))


def make_auth(user: str | None, password: str | None, scheme: str = "auto") -> httpx.Auth | None:
    if not user:
        return None
    password = password or ""
    if scheme == "basic":
        return httpx.BasicAuth(user, password)
    if scheme == "digest":
        return httpx.DigestAuth(user, password)
    return AutoAuth(user, password)


def push_graph(
    graph: Graph,
    endpoint: str,
    graph_iri: str = DEFAULT_GRAPH,
    *,
    user: str | None = None,
    password: str | None = None,
    method: str = "auto",
    auth_scheme: str = "auto",
    batch_size: int = DEFAULT_BATCH,
    timeout: float = DEFAULT_TIMEOUT,
) -> PushReport:
    """Replace ``graph_iri`` at ``endpoint`` with ``graph``; raises :class:`RemoteError`
    with the HTTP status and the server's message when the store refuses."""
    check_iri(graph_iri, "graph IRI", RemoteError)
    started = time.monotonic()
    auth = make_auth(user, password, auth_scheme)
    with httpx.Client(auth=auth, timeout=timeout, follow_redirects=False) as client:
        if method == "auto":
            method = "update" if _is_sparql_endpoint(client, endpoint) else "gsp"
        if method == "gsp":
            response = _send(
                client,
                "PUT",
                endpoint,
                params={"graph": graph_iri},
                content=graph.serialize(format="nt", encoding="utf-8"),
                headers={"Content-Type": "text/turtle; charset=utf-8"},
            )
            _raise_for(response, endpoint, "PUT", credentials=bool(user))
            return PushReport(endpoint, graph_iri, "gsp", len(graph), 1, time.monotonic() - started)
        requests = _push_update(client, graph, endpoint, graph_iri, batch_size, bool(user))
    return PushReport(
        endpoint, graph_iri, "update", len(graph), requests, time.monotonic() - started
    )


def _is_sparql_endpoint(client: httpx.Client, endpoint: str) -> bool:
    """Whether ``endpoint`` answers a SPARQL query (then it takes updates, not a Graph Store
    PUT: some such endpoints, Virtuoso's ``/sparql-auth``, never answer a PUT at all)."""
    response = _send(
        client,
        "GET",
        endpoint,
        params={"query": "ASK {}"},
        headers={"Accept": "application/sparql-results+json, application/sparql-results+xml"},
    )
    if response.status_code == 401:
        _raise_for(response, endpoint, "GET", credentials=client.auth is not None)
    kind = response.headers.get("content-type", "")
    return response.status_code == 200 and "sparql-results" in kind


def _push_update(
    client: httpx.Client,
    graph: Graph,
    endpoint: str,
    graph_iri: str,
    batch_size: int,
    credentials: bool,
) -> int:
    """DROP and INSERT in batches; returns the number of requests sent."""
    batches = list(batch_triples(graph, batch_size)) or [[]]
    for number, batch in enumerate(batches):
        update = insert_request(graph_iri, batch)
        if number == 0:
            update = f"DROP SILENT GRAPH <{graph_iri}> ;\n{update}"
        response = _send(
            client,
            "POST",
            endpoint,
            content=update.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )
        note = ""
        if number > 0:
            note = f"; the graph is partly loaded ({number} of {len(batches)} batches): push again"
        _raise_for(response, endpoint, "POST", credentials=credentials, note=note)
    return len(batches)


def insert_request(graph_iri: str, triples: list) -> str:
    """``INSERT DATA`` for the triples; with blank nodes ``INSERT {...} WHERE {}`` instead,
    which every store accepts (Virtuoso refuses blank nodes in ``INSERT DATA``) and which
    makes one new node per label, as the batch keeps each blank node's triples together."""
    body = "".join(_nt_row(t) for t in triples)
    if any(isinstance(t[0], BNode) or isinstance(t[2], BNode) for t in triples):
        return f"INSERT {{ GRAPH <{graph_iri}> {{\n{body}}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{body}}} }}"


def batch_triples(graph: Graph, size: int) -> Iterator[list]:
    """The triples in batches of about ``size``; triples linked by a blank node stay in one
    batch, since a blank node label means a new node in each INSERT DATA request."""
    plain = []
    parent: dict[BNode, BNode] = {}

    def find(node: BNode) -> BNode:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    with_bnodes = []
    for triple in graph:
        bnodes = [t for t in (triple[0], triple[2]) if isinstance(t, BNode)]
        if not bnodes:
            plain.append(triple)
            continue
        with_bnodes.append((triple, bnodes[0]))
        if len(bnodes) == 2:
            a, b = find(bnodes[0]), find(bnodes[1])
            if a != b:
                parent[a] = b
    groups: dict[BNode, list] = {}
    for triple, node in with_bnodes:
        groups.setdefault(find(node), []).append(triple)
    yield from _pack(([t] for t in sorted(plain)), size)
    yield from _pack((sorted(g) for g in groups.values()), min(size, BNODE_BATCH))


def _pack(groups: Iterable[list], size: int) -> Iterator[list]:
    batch: list = []
    for group in groups:
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def _send(client: httpx.Client, verb: str, url: str, **kwargs) -> httpx.Response:  # noqa: ANN003
    try:
        return client.request(verb, url, **kwargs)
    except httpx.TimeoutException:
        raise RemoteError(f"{url}: no answer within {client.timeout.read:g} s") from None
    except httpx.ConnectError as err:
        raise RemoteError(f"{url}: cannot connect ({_reason(err)})") from None
    except httpx.HTTPError as err:
        raise RemoteError(f"{url}: {type(err).__name__}: {_reason(err)}") from None


def _reason(err: Exception) -> str:
    text = str(err) or type(err).__name__
    match = re.search(r"\] (.+)$", text)  # "[Errno 111] Connection refused" -> the words
    return one_line(match.group(1) if match else text)


def _raise_for(
    response: httpx.Response, url: str, verb: str, credentials: bool = False, note: str = ""
) -> None:
    if response.status_code < 400:
        return
    message = server_message(response)
    if not message and response.status_code == 401:
        message = (
            "user name or password refused"
            if credentials
            else "the store wants a login: give --user and --password-env"
        )
    detail = f": {message}" if message else ""
    raise RemoteError(
        f"{url}: {verb} refused with HTTP {response.status_code} "
        f"{response.reason_phrase}{detail}{note}"
    )


def server_message(response: httpx.Response, limit: int = 200) -> str:
    """The server's explanation on one line: the body with markup stripped, shortened."""
    text = response.text if response.content else ""
    if "html" in response.headers.get("content-type", ""):
        text = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", text)
        text = re.sub(r"<[^>]+>", " ", text)
    return clip(one_line(text), limit)


def one_line(text: str) -> str:
    return " ".join(text.split())
