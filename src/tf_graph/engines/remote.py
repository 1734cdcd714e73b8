"""A remote SPARQL endpoint as a read-only rdflib Graph, so that named queries, ``ask`` and
``show`` run unchanged against a triple store (``--endpoint URL``).

Built on rdflib's SPARQLStore, with two things fixed:

- Bindings. SPARQLStore appends ``initBindings`` as a trailing ``VALUES`` clause, which the
  SPARQL algebra joins *after* GROUP BY and aggregates (so a bound variable that is not
  projected stops filtering), and it writes terms with ``n3()``, which checks nothing (an IRI
  containing ``>`` would end up as query text). Here each value replaces its variable in the
  query text (see :func:`bind_values`), after being checked and escaped.
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

import httpx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result

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

_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LANG = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")
#: the pieces of SPARQL text that may hide a brace: comments, IRIs and strings
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<other>[^\sA-Za-z_{}()#<"'?$]+|<|\S)
  """,
    re.VERBOSE | re.DOTALL,
)
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
#: characters escaped in string literals (tabs too: pyparsing would expand them to spaces)
_ESCAPES = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
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

    def __init__(
        self,
        url: str,
        user: str | None = None,
        password: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ):
        super().__init__(url, returnFormat="xml")
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
            query = bind_values(query, initBindings)
        contextual = self._is_contextual(queryGraph)
        return self._query(query, default_graph=queryGraph if contextual else None)

    def _query(self, query: str, default_graph: Any = None, named_graph: Any = None) -> Result:
        self._queries += 1
        data = {"query": ascii_query(query)}
        if isinstance(default_graph, (str, URIRef)) and not isinstance(default_graph, BNode):
            data["default-graph-uri"] = str(default_graph)
        url = self.query_endpoint
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


# --- binding values into query text -----------------------------------------------------------


def bind_values(query: str, bindings: Mapping[str, Any]) -> str:
    """``query`` with its variables bound as rdflib's ``initBindings`` binds them locally.

    Each value replaces its variable in the graph patterns, as a constant: Virtuoso
    evaluates a property path such as ``skos:broader*`` only from a constant end, and a
    ``VALUES`` block alone leaves it unbound (no rows). Every SELECT (sub-selects too) that
    projects a bound variable, or ``*``, also gets a ``VALUES`` row at the start of its WHERE
    group, so that the variable is in scope for the SELECT list, GROUP BY and ORDER BY
    (left as they are) and shows in the answer, as it does locally.

    A variable the query assigns itself (``AS ?v``) or tests with ``BOUND(?v)`` cannot be
    replaced; it is bound by a trailing ``VALUES`` block (joined with the result), the way
    rdflib's SPARQLStore binds everything: such queries are written to work either way.
    """
    terms: dict[str, str] = {}
    for name, value in bindings.items():
        if not _VARNAME.fullmatch(str(name)):
            raise QueryError(f"not a variable name: {name!r}")
        terms[str(name)] = term_to_sparql(value)
    trailing = _assigned_or_tested(query) & set(terms)
    inline = {name: term for name, term in terms.items() if name not in trailing}
    rewritten = _inline(query, inline) if inline else query
    if trailing:
        names = sorted(trailing)
        rewritten += "\nVALUES ({}) {{ ({}) }}\n".format(
            " ".join(f"?{n}" for n in names), " ".join(terms[n] for n in names)
        )
    return rewritten


def _significant(query: str) -> list[tuple[str, str, re.Match]]:
    return [(m.lastgroup, m.group(), m) for m in _TOKEN.finditer(query) if m.lastgroup != "comment"]


def _assigned_or_tested(query: str) -> set[str]:
    """Variables after ``AS`` or inside ``BOUND(...)``."""
    tokens = _significant(query)
    found = set()
    for i, (kind, text, _) in enumerate(tokens):
        if kind != "var" or i == 0:
            continue
        before = tokens[i - 1][1].upper()
        if before == "AS" or (before == "(" and i > 1 and tokens[i - 2][1].upper() == "BOUND"):
            found.add(text[1:])
    return found


def _inline(query: str, terms: dict[str, str]) -> str:
    """The variables of ``terms`` replaced by their values in the graph patterns, with a
    ``VALUES`` row at the start of each SELECT's group that projects one of them."""
    values_row = " VALUES ({}) {{ ({}) }} ".format(
        " ".join(f"?{n}" for n in terms), " ".join(terms.values())
    )
    pieces: list[str] = []
    last = 0
    clause, clause_paren, paren, depth = None, 0, 0, 0
    projects = False  # the current SELECT list names a bound variable or *
    insert_at_next_group = False
    previous = ""
    for kind, text, match in _significant(query):
        upper = text.upper() if kind == "word" else ""
        if kind == "lparen":
            paren += 1
        elif kind == "rparen":
            paren -= 1
        elif upper == "SELECT":
            clause, clause_paren, projects = "select", paren, False
        elif upper == "BY" and previous.upper() in ("GROUP", "ORDER"):
            clause, clause_paren = "modifier", paren
        elif upper == "VALUES":
            clause = "values"
        elif kind == "open":
            if (clause == "select" or insert_at_next_group) and projects:
                pieces += [query[last : match.end()], values_row]
                last = match.end()
            insert_at_next_group = False
            clause = None
            depth += 1
        elif kind == "close":
            clause = None
            depth -= 1
        elif upper in ("WHERE", "FROM") and clause == "select" and paren == clause_paren:
            clause, insert_at_next_group = None, True
        elif upper in ("LIMIT", "OFFSET", "HAVING") and clause == "modifier":
            clause = None
        elif text == "*" and clause == "select" and paren == clause_paren:
            projects = True
        elif kind == "var" and text[1:] in terms:
            if clause == "values":
                raise QueryError(f"cannot bind {text}: the query has its own VALUES for it")
            if clause in ("select", "modifier") or depth == 0:
                projects = projects or clause == "select"
            else:
                pieces += [query[last : match.start()], terms[text[1:]]]
                last = match.end()
        previous = text
    return "".join(pieces) + query[last:]


def where_group_start(query: str) -> int:
    """The offset just after the ``{`` opening the outer WHERE group (skipping comments,
    IRIs, strings and a CONSTRUCT template)."""
    form = None
    template_done = False
    previous = ""
    depth = 0
    for match in _TOKEN.finditer(query):
        kind, text = match.lastgroup, match.group()
        if kind == "comment":
            continue
        if kind == "word" and depth == 0 and form is None and text.upper() in _FORMS:
            form = text.upper()
        elif kind == "open":
            if depth == 0 and form is not None:
                if form != "CONSTRUCT" or template_done:
                    return match.end()
                if previous.upper() == "WHERE":
                    raise QueryError(
                        "parameters cannot be bound into a short CONSTRUCT WHERE { } query "
                        "on a remote endpoint; write CONSTRUCT { ... } WHERE { ... }"
                    )
            depth += 1
        elif kind == "close":
            depth -= 1
            if depth == 0 and form == "CONSTRUCT":
                template_done = True
        previous = text
    raise QueryError("cannot find the WHERE clause of the query to bind parameters")


def term_to_sparql(term: Any) -> str:
    """An IRI or literal as SPARQL text, checked and escaped (never raw ``n3()``)."""
    if isinstance(term, URIRef):
        return f"<{check_iri(str(term), 'IRI')}>"
    if isinstance(term, Literal):
        if re.search(r"\\[uU]", str(term)):
            # SPARQL decodes \uXXXX before parsing, inside strings too: no escaping of
            # this text means the same to every store, so it is refused
            raise QueryError(f"cannot send a value containing a \\u sequence: {str(term)!r}")
        text = str(term).translate(_ESCAPES)
        if term.language:
            if not _LANG.fullmatch(term.language):
                raise QueryError(f"not a language tag: {term.language!r}")
            return f'"{text}"@{term.language}'
        if term.datatype:
            return f'"{text}"^^<{check_iri(str(term.datatype), "datatype IRI")}>'
        return f'"{text}"'
    raise QueryError(f"cannot bind {type(term).__name__} {term!r} on a remote endpoint")


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
