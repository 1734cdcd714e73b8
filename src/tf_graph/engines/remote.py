"""A remote SPARQL endpoint as a read-only rdflib Graph, so that named queries, ``ask`` and
``show`` run unchanged against a triple store (``--endpoint URL``).

Built on rdflib's SPARQLStore, with two things fixed:

- Bindings. SPARQLStore appends ``initBindings`` as a trailing ``VALUES`` clause but writes
  terms with ``n3()``, which checks nothing (an IRI containing ``>`` would end up as query
  text). Here :func:`append_values` writes the same trailing block (SPARQL 1.1 allows one
  after the query; it is joined with the query's answer) with every term checked and
  escaped; the query text itself is never edited. The named queries are written so that this
  join and a local engine's binding give the same rows (docs/engines.md).
- Transport. SPARQLStore's urllib connector turns HTTP errors into a vague ValueError and
  knows only Basic authentication; here requests go through httpx (Basic or Digest, a
  timeout) and a failure is a :class:`~tf_graph.errors.RemoteError` with the status and
  the server's message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from io import BytesIO
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result

from tf_graph.engines.values import append_values as append_values
from tf_graph.engines.values import term_to_sparql as term_to_sparql
from tf_graph.errors import QueryError, RemoteError
from tf_graph.errors import one_line as _one_line
from tf_graph.iris import check_iri
from tf_graph.namespaces import PREFIXES

DEFAULT_TIMEOUT = 60.0
#: result formats rdflib reads; not application/rdf+xml, for which Virtuoso writes its own
#: result-set vocabulary that rdflib misreads
ACCEPT = (
    "application/sparql-results+xml, application/sparql-results+json;q=0.9, "
    "text/turtle;q=0.8, application/n-triples;q=0.7"
)


def open_endpoint(
    url: str,
    user: str | None = None,
    password: str | None = None,
    graph_iri: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Graph:
    """A read-only Graph over the SPARQL endpoint at ``url``; ``graph_iri`` restricts queries
    to that named graph (sent as ``default-graph-uri``), else the store's default dataset."""
    if not re.match(r"^https?://", url):
        raise RemoteError(f"not an http(s) endpoint URL: {url!r}")
    if graph_iri is not None:
        check_iri(graph_iri, "graph IRI")
    store = BoundSPARQLStore(url, user=user, password=password, timeout=timeout)
    graph = Graph(store=store, identifier=URIRef(graph_iri) if graph_iri else None)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


class BoundSPARQLStore(SPARQLStore):
    """SPARQLStore with safe ``initBindings`` and an httpx transport (see the module doc)."""

    #: bindings are joined after the query (a trailing VALUES), not bound before it
    binds_before_evaluation = False

    def __init__(
        self,
        url: str,
        user: str | None = None,
        password: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ):
        super().__init__(url, returnFormat="xml")
        import httpx  # (here: a local query's VALUES helpers in this module need no HTTP)

        from tf_graph.build.push import make_auth

        self._client = httpx.Client(auth=make_auth(user, password), timeout=timeout)

    def query(  # type: ignore[override]
        self,
        query: Any,
        initNs: Mapping[str, Any] | None = None,  # noqa: N803
        initBindings: Mapping[str, Any] | None = None,  # noqa: N803
        queryGraph: Any = None,  # noqa: N803
        DEBUG: bool = False,  # noqa: N803
    ) -> Result:
        if not isinstance(query, str):
            raise QueryError("a remote endpoint takes query text, not a prepared query")
        if initNs:
            query = self._inject_prefixes(query, initNs)
        if initBindings:
            query = append_values(query, [initBindings])
        contextual = self._is_contextual(queryGraph)
        return self._query(query, default_graph=queryGraph if contextual else None)

    def _query(self, query: str, default_graph: Any = None, named_graph: Any = None) -> Result:
        self._queries += 1
        data = {"query": ascii_query(query)}
        if isinstance(default_graph, (str, URIRef)) and not isinstance(default_graph, BNode):
            data["default-graph-uri"] = str(default_graph)
        url = self.query_endpoint
        if url is None:  # (set from the url given to __init__)
            raise RemoteError("no query endpoint")
        import httpx

        try:
            response = self._client.post(url, data=data, headers={"Accept": ACCEPT})
        except httpx.TimeoutException:
            raise RemoteError(f"{url}: no answer within {self._client.timeout.read:g} s") from None
        except httpx.HTTPError as err:
            raise RemoteError(f"{url}: cannot query ({_one_line(str(err))})") from None
        if response.status_code >= 400:
            from tf_graph.build.push import server_message

            raise RemoteError(
                f"{url}: query refused with HTTP {response.status_code} "
                f"{response.reason_phrase}: {server_message(response)}"
            )
        content_type = response.headers.get("content-type", "").split(";")[0].strip()
        try:
            return Result.parse(BytesIO(response.content), content_type=content_type)
        except Exception as err:  # noqa: BLE001 - whatever the store sent, one line
            raise RemoteError(
                f"{url}: cannot read the answer ({content_type}): {_one_line(str(err))}"
            ) from None


# --- binding values -------------------------------------------------------------------------


def ascii_query(query: str) -> str:
    """Non-ASCII characters as SPARQL ``\\uXXXX`` escapes: Virtuoso reads query text as
    Latin-1 whatever the request says ("…" arrives as "?"); every SPARQL parser decodes them."""
    return re.sub(
        r"[^\x00-\x7f]",
        lambda m: (
            f"\\u{ord(m.group()):04X}" if ord(m.group()) < 0x10000 else f"\\U{ord(m.group()):08X}"
        ),
        query,
    )
