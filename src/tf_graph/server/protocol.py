"""The SPARQL 1.1 Protocol, without the HTTP server: read a request, tell queries from
updates, choose a result format, write the result.

Pure functions over plain values, so that the web app stays thin and the worker processes
(which run the queries) can call them too. One table, :data:`RESULT_FORMATS`, says which
content types each kind of result can be written as.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import parse_qsl

from pyparsing import ParseException
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from tf_graph.errors import one_line
from tf_graph.questions import policy, w3c

#: the largest query text we read (a request body or a ``query=`` value), in bytes: parsing
#: takes about 9 us a byte, so the largest query is parsed in about 2 s
MAX_QUERY_BYTES = 256 * 1024

#: SPARQL query forms -> the kind of result they give
SOLUTIONS, BOOLEAN, TRIPLES = "solutions", "boolean", "triples"
KIND_OF_FORM = {
    "SelectQuery": SOLUTIONS,
    "AskQuery": BOOLEAN,
    "ConstructQuery": TRIPLES,
    "DescribeQuery": TRIPLES,
}
#: query parameters naming the result format, as Virtuoso (format) and Fuseki (output) read them
FORMAT_PARAMETERS = ("format", "output")
#: the one answer to FROM, FROM NAMED, default-graph-uri and named-graph-uri
DATASET_REFUSED = (
    "this endpoint's dataset is one default graph (the shipped files and every --data file) "
    "and no named graphs: FROM, FROM NAMED, default-graph-uri and named-graph-uri are refused; "
    "leave them out"
)


class ResultFormat(NamedTuple):
    media_type: str
    #: names a ``format=`` or ``output=`` parameter may use for it
    names: tuple[str, ...]
    #: the W3C's IRI for the format (http://www.w3.org/ns/formats/), for the service description
    w3c: str
    #: other media types a client may ask for and get this one
    aliases: tuple[str, ...] = ()
    #: the writer: a :mod:`.w3c` format for solutions, an rdflib serializer for graphs
    writer: str = ""

    def matches(self, wanted: str) -> bool:
        return wanted in self.names or wanted == self.media_type or wanted in self.aliases


_JSON = ResultFormat(
    "application/sparql-results+json",
    ("json", "srj"),
    "SPARQL_Results_JSON",
    ("application/json",),
    "json",
)
_XML = ResultFormat(
    "application/sparql-results+xml",
    ("xml", "srx"),
    "SPARQL_Results_XML",
    ("application/xml", "text/xml"),
    "xml",
)
_CSV = ResultFormat("text/csv", ("csv",), "SPARQL_Results_CSV", (), "csv")
_TSV = ResultFormat("text/tab-separated-values", ("tsv",), "SPARQL_Results_TSV", (), "tsv")

#: THE table: kind of result -> the formats it can be written in, server's preference first.
#: As in Virtuoso and Fuseki, ``format=xml`` of a graph is RDF/XML and ``json`` is JSON-LD.
RESULT_FORMATS: dict[str, tuple[ResultFormat, ...]] = {
    SOLUTIONS: (_JSON, _XML, _CSV, _TSV),
    BOOLEAN: (_JSON, _XML, _CSV, _TSV),
    TRIPLES: (
        ResultFormat(  # Turtle is N3 too: asked for N3, a client gets Turtle
            "text/turtle",
            ("turtle", "ttl", "n3"),
            "Turtle",
            ("application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3"),
            "turtle",
        ),
        ResultFormat(
            "application/n-triples", ("nt", "ntriples", "n-triples"), "N-Triples", (), "nt"
        ),
        ResultFormat(
            "application/ld+json",
            ("jsonld", "json-ld", "json"),
            "JSON-LD",
            ("application/x-json+ld", "application/json"),
            "json-ld",
        ),
        ResultFormat(
            "application/rdf+xml",
            ("rdfxml", "rdf+xml", "rdf", "xml"),
            "RDF_XML",
            ("application/xml", "text/xml"),
            "xml",
        ),
    ),
}
#: media type -> how it is written
WRITERS = {f.media_type: f.writer for formats in RESULT_FORMATS.values() for f in formats}


class ProtocolError(Exception):
    """A request we answer with an HTTP error status and a one-line message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class SparqlRequest:
    """What a client asked: the query text (None: the service description) and options."""

    query: str | None
    #: the values of ``format=`` and ``output=``, in the order given
    formats: tuple[str, ...] = ()
    accept: str = ""
    default_graph_uris: list[str] = field(default_factory=list)
    named_graph_uris: list[str] = field(default_factory=list)


# --- reading requests ---------------------------------------------------------------------


def read_request(
    method: str, query_string: str, content_type: str, body: bytes, accept: str = ""
) -> SparqlRequest:
    """A :class:`SparqlRequest` from the three forms of the protocol: GET ``query=``,
    POST form (``application/x-www-form-urlencoded``) and POST ``application/sparql-query``.
    Updates (``update=``, ``application/sparql-update``) are refused with 403."""
    params = form_pairs(query_string.encode("latin-1", "replace"))
    body_query = None
    if method == "POST":
        body_query, body_params = _read_body(content_type, body)
        params += body_params
    elif method != "GET":
        raise ProtocolError(405, f"method {method} not allowed: use GET or POST")
    names = {name for name, _ in params}
    if names & {"update", "using-graph-uri", "using-named-graph-uri"}:
        raise _update_refused()
    return SparqlRequest(
        query=_the_query(body_query, [value for name, value in params if name == "query"]),
        formats=tuple(value for name, value in params if name in FORMAT_PARAMETERS),
        accept=accept,
        default_graph_uris=[v for n, v in params if n == "default-graph-uri"],
        named_graph_uris=[v for n, v in params if n == "named-graph-uri"],
    )


def _read_body(content_type: str, body: bytes) -> tuple[str | None, list[tuple[str, str]]]:
    """A POST body: the query (``application/sparql-query``) or form parameters."""
    if len(body) > MAX_QUERY_BYTES:
        raise _too_long("request body")
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/x-www-form-urlencoded":
        return None, form_pairs(body)
    if media == "application/sparql-query":
        return _decode(body), []
    if media == "application/sparql-update":
        raise _update_refused()
    raise ProtocolError(
        415,
        f"unsupported content type {media or '(none)'!r}: POST a query as "
        "application/sparql-query or as an application/x-www-form-urlencoded form",
    )


def _the_query(body_query: str | None, queries: list[str]) -> str | None:
    """The one query of a request, from its body or its one ``query=`` parameter."""
    if body_query is not None and queries:
        raise ProtocolError(400, "give the query once: in the body or as query=, not both")
    if len(queries) > 1:
        raise ProtocolError(400, "more than one query= parameter")
    query = queries[0] if queries else body_query
    if query is not None and len(query.encode("utf-8")) > MAX_QUERY_BYTES:
        raise _too_long("query")
    return query


def _too_long(what: str) -> ProtocolError:
    return ProtocolError(
        413, f"{what} larger than {MAX_QUERY_BYTES} bytes (this endpoint's limit on a query)"
    )


def check_dataset(default_graph_uris: Sequence[str], named_graph_uris: Sequence[str]) -> None:
    """``default-graph-uri`` and ``named-graph-uri`` are refused, as ``FROM`` is."""
    if default_graph_uris or named_graph_uris:
        raise ProtocolError(400, DATASET_REFUSED)


def form_pairs(data: bytes) -> list[tuple[str, str]]:
    """``name=value&...`` pairs (a query string or a form body), decoded as UTF-8."""
    try:
        return parse_qsl(data.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise ProtocolError(400, "parameters are not UTF-8") from None


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ProtocolError(400, f"query is not UTF-8 (byte {err.start})") from None


def _update_refused() -> ProtocolError:
    return ProtocolError(403, "this endpoint is read-only: SPARQL Update is refused")


# --- parsing queries ----------------------------------------------------------------------


def parse_query(text: str, namespaces: Mapping[str, str] | None = None) -> Query:
    """The prepared query, checked against the endpoint's policy (:mod:`.policy`, and no
    dataset clause); an update gets 403, anything unparsable 400 with the parser's message
    (line and column). Whether text is an update is decided by parsing it."""
    if not text.strip():
        raise ProtocolError(400, "empty query")
    try:
        query = prepareQuery(text, initNs=dict(namespaces or {}))
    except ParseException as err:
        if _is_update(text):
            raise _update_refused() from None
        raise ProtocolError(400, f"syntax error: {_parse_message(err)}") from None
    except RecursionError:
        raise ProtocolError(400, NESTED_TOO_DEEPLY) from None
    except Exception as err:  # noqa: BLE001 - e.g. an undeclared prefix, found in translation
        raise ProtocolError(400, f"bad query: {one_line(err)}") from None
    found = policy.find_service(query.algebra)
    if found is not None:
        raise ProtocolError(400, policy.service_message(found))
    if dict.get(query.algebra, "datasetClause"):
        raise ProtocolError(400, DATASET_REFUSED)
    policy.clamp_slices(query.algebra)
    return query


#: what a query nested deeper than rdflib's parser can follow gets
NESTED_TOO_DEEPLY = (
    "query nested too deeply for the parser (about 25 levels of brackets at most): "
    "flatten its groups or expressions"
)


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except Exception:  # noqa: BLE001 - not an update either
        return False
    return True


def _parse_message(err: ParseException) -> str:
    found = repr(err.line[err.column - 1 : err.column + 19]) if err.line else "end of query"
    return f"line {err.lineno}, column {err.column}: {err.msg}, near {found}"


def result_kind(query: Query) -> str:
    """``solutions``, ``boolean`` or ``triples``: what the query's form gives."""
    return KIND_OF_FORM[query.algebra.name]


# --- content negotiation ------------------------------------------------------------------


def parse_accept(header: str) -> list[tuple[str, float]]:
    """``Accept`` as (media range, q) pairs; a malformed q counts as 0 (not acceptable)."""
    ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for piece in pieces[1:]:
            name, _, value = piece.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(fmt: ResultFormat, ranges: list[tuple[str, float]]) -> float:
    """q of the most specific range matching ``fmt`` (exact > type/* > */*), 0 if none.
    Aliases count only when named exactly: ``text/*`` does not mean the XML results."""
    best: tuple[int, float] = (-1, 0.0)
    major = fmt.media_type.split("/")[0]
    for rng, q in ranges:
        if rng == fmt.media_type or rng in fmt.aliases:
            rank = 2
        elif rng == f"{major}/*":
            rank = 1
        elif rng == "*/*":
            rank = 0
        else:
            continue
        if rank > best[0] or (rank == best[0] and q > best[1]):
            best = (rank, q)
    return best[1]


def choose_format(kind: str, fmt_params: Sequence[str], accept: str) -> str:
    """The media type to answer with: the first ``format``/``output`` value (each may be a
    comma-separated list, as SPARQLWrapper sends) this kind of result can be written in, else
    the acceptable format with the highest q (the table's order breaks ties); 406 when none
    fits."""
    formats = RESULT_FORMATS[kind]
    if fmt_params:
        return _named_format(formats, fmt_params)
    if not accept.strip():
        return formats[0].media_type
    ranges = parse_accept(accept)
    scored = [(_quality(fmt, ranges), -i, fmt.media_type) for i, fmt in enumerate(formats)]
    q, _, media = max(scored)
    if q <= 0:
        offered = ", ".join(f.media_type for f in formats)
        raise ProtocolError(406, f"no acceptable format for {accept!r}; available: {offered}")
    return media


def _named_format(formats: Sequence[ResultFormat], fmt_params: Sequence[str]) -> str:
    wanted = [w.split(";")[0].strip().lower() for value in fmt_params for w in value.split(",")]
    for name in wanted:
        for fmt in formats:
            if fmt.matches(name):
                return fmt.media_type
    names = ", ".join(f.names[0] for f in formats)
    given = ", ".join(fmt_params)
    raise ProtocolError(
        406, f"format {given!r} is not available for this query; use one of: {names}"
    )


# --- writing results ----------------------------------------------------------------------


def serialize_graph(graph: Graph, media_type: str) -> bytes:
    """A graph in one of the :data:`RESULT_FORMATS` of triples, as UTF-8."""
    return graph.serialize(format=WRITERS[media_type], encoding="utf-8")


def serialize_solutions(
    media_type: str,
    variables: Sequence[str],
    rows: Iterable[Mapping[str, Node | None]],
    boolean: bool | None = None,
) -> bytes:
    """SELECT rows (or an ASK answer) in one of the W3C formats, by :func:`.w3c.write`."""
    return w3c.write(WRITERS[media_type], variables, rows, boolean).encode("utf-8")
