"""The SPARQL 1.1 Protocol, without the HTTP server: read a request, tell queries from
updates, choose a result format, write the result.

Pure functions over plain values, so that the web app stays thin and the worker processes
(which run the queries) can call them too. One table, :data:`RESULT_FORMATS`, says which
content types each kind of result can be written as.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape, quoteattr

from pyparsing import ParseException
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.sparql import Query

from tf_graph.errors import one_line

#: the largest query text we read (a request body or a ``query=`` value), in bytes
MAX_QUERY_BYTES = 1_000_000

XML_RESULTS = "http://www.w3.org/2005/sparql-results#"

#: SPARQL query forms -> the kind of result they give
SOLUTIONS, BOOLEAN, TRIPLES = "solutions", "boolean", "triples"
KIND_OF_FORM = {
    "SelectQuery": SOLUTIONS,
    "AskQuery": BOOLEAN,
    "ConstructQuery": TRIPLES,
    "DescribeQuery": TRIPLES,
}


class ResultFormat(NamedTuple):
    media_type: str
    #: names a ``format=`` parameter may use for it
    names: tuple[str, ...]
    #: the W3C's IRI for the format (http://www.w3.org/ns/formats/), for the service description
    w3c: str
    #: other media types a client may ask for and get this one
    aliases: tuple[str, ...] = ()


_JSON = ResultFormat(
    "application/sparql-results+json", ("json", "srj"), "SPARQL_Results_JSON", ("application/json",)
)
_XML = ResultFormat(
    "application/sparql-results+xml",
    ("xml", "srx"),
    "SPARQL_Results_XML",
    ("application/xml", "text/xml"),
)
_CSV = ResultFormat("text/csv", ("csv",), "SPARQL_Results_CSV")
_TSV = ResultFormat("text/tab-separated-values", ("tsv",), "SPARQL_Results_TSV")

#: THE table: kind of result -> the formats it can be written in, server's preference first
RESULT_FORMATS: dict[str, tuple[ResultFormat, ...]] = {
    SOLUTIONS: (_JSON, _XML, _CSV, _TSV),
    BOOLEAN: (_JSON, _XML, _CSV, _TSV),
    TRIPLES: (
        ResultFormat("text/turtle", ("turtle", "ttl"), "Turtle", ("application/x-turtle",)),
        ResultFormat("application/n-triples", ("nt", "ntriples", "n-triples"), "N-Triples"),
        ResultFormat("application/ld+json", ("jsonld", "json-ld"), "JSON-LD"),
    ),
}
#: media type -> rdflib serializer for graphs
GRAPH_SERIALIZERS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
}


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
    format: str | None = None
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
    url_params = form_pairs(query_string.encode("latin-1", "replace"))
    media = content_type.split(";", 1)[0].strip().lower()
    params = list(url_params)
    query: str | None = None
    if method == "POST":
        if len(body) > MAX_QUERY_BYTES:
            raise ProtocolError(413, f"request body larger than {MAX_QUERY_BYTES} bytes")
        if media == "application/x-www-form-urlencoded":
            params += form_pairs(body)
        elif media == "application/sparql-query":
            query = _decode(body)
        elif media == "application/sparql-update":
            raise _update_refused()
        else:
            raise ProtocolError(
                415,
                f"unsupported content type {media or '(none)'!r}: POST a query as "
                "application/sparql-query or as an application/x-www-form-urlencoded form",
            )
    elif method != "GET":
        raise ProtocolError(405, f"method {method} not allowed: use GET or POST")
    names = [name for name, _ in params]
    if "update" in names or "using-graph-uri" in names or "using-named-graph-uri" in names:
        raise _update_refused()
    queries = [value for name, value in params if name == "query"]
    if query is not None and queries:
        raise ProtocolError(400, "give the query once: in the body or as query=, not both")
    if len(queries) > 1:
        raise ProtocolError(400, "more than one query= parameter")
    if queries:
        query = queries[0]
    if query is not None and len(query.encode("utf-8")) > MAX_QUERY_BYTES:
        raise ProtocolError(413, f"query longer than {MAX_QUERY_BYTES} bytes")
    formats = [value for name, value in params if name in ("format", "output")]
    return SparqlRequest(
        query=query,
        format=formats[-1] if formats else None,
        accept=accept,
        default_graph_uris=[v for n, v in params if n == "default-graph-uri"],
        named_graph_uris=[v for n, v in params if n == "named-graph-uri"],
    )


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
    """The prepared query; an update gets 403, anything unparsable 400 with the parser's
    message (line and column). Whether text is an update is decided by parsing it."""
    if not text.strip():
        raise ProtocolError(400, "empty query")
    try:
        return prepareQuery(text, initNs=dict(namespaces or {}))
    except ParseException as err:
        if _is_update(text):
            raise _update_refused() from None
        raise ProtocolError(400, f"syntax error: {_parse_message(err)}") from None
    except Exception as err:  # noqa: BLE001 - e.g. an undeclared prefix, found in translation
        raise ProtocolError(400, f"bad query: {one_line(err)}") from None


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


def choose_format(kind: str, fmt_param: str | None, accept: str) -> str:
    """The media type to answer with: the ``format`` parameter if given, else the acceptable
    format with the highest q (the table's order breaks ties); 406 when none fits."""
    formats = RESULT_FORMATS[kind]
    offered = ", ".join(f.media_type for f in formats)
    if fmt_param:
        wanted = fmt_param.strip().lower()
        for fmt in formats:
            if wanted in fmt.names or wanted == fmt.media_type or wanted in fmt.aliases:
                return fmt.media_type
        names = ", ".join(f.names[0] for f in formats)
        raise ProtocolError(
            406, f"format {fmt_param!r} is not available for this query; use one of: {names}"
        )
    if not accept.strip():
        return formats[0].media_type
    ranges = parse_accept(accept)
    scored = [(_quality(fmt, ranges), -i, fmt.media_type) for i, fmt in enumerate(formats)]
    q, _, media = max(scored)
    if q <= 0:
        raise ProtocolError(406, f"no acceptable format for {accept!r}; available: {offered}")
    return media


# --- writing results ----------------------------------------------------------------------


def serialize_graph(graph: Graph, media_type: str) -> bytes:
    """A graph in one of the :data:`GRAPH_SERIALIZERS` media types, as UTF-8."""
    return graph.serialize(format=GRAPH_SERIALIZERS[media_type], encoding="utf-8")


def serialize_solutions(result, media_type: str) -> bytes:  # noqa: ANN001 - rdflib Result
    """SELECT and ASK results. JSON by rdflib; XML, CSV and TSV of SELECT written here:
    rdflib has no TSV writer, no CSV for ASK (we follow Jena: a ``_askResult`` column), and
    its XML writer leaves the value of a literal 0 or false empty."""
    if media_type == _JSON.media_type:
        return result.serialize(format="json", encoding="utf-8")
    if media_type == _XML.media_type and result.type == "ASK":
        return result.serialize(format="xml", encoding="utf-8")
    if result.type == "ASK":
        vars_, rows = ["_askResult"], [[Literal(result.askAnswer)]]
    else:
        vars_ = [str(v) for v in result.vars]
        rows = [[row[i] for i in range(len(vars_))] for row in result]
    if media_type == _XML.media_type:
        return write_xml(vars_, rows).encode("utf-8")
    if media_type == _CSV.media_type:
        return write_csv(vars_, rows).encode("utf-8")
    if media_type == _TSV.media_type:
        return write_tsv(vars_, rows).encode("utf-8")
    raise ValueError(f"not a solutions format: {media_type}")


def write_xml(vars_: list[str], rows: Iterable[list]) -> str:
    """W3C SPARQL Query Results XML Format for SELECT."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{XML_RESULTS}">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in vars_]
    out += ["</head>", "<results>"]
    for row in rows:
        out.append("<result>")
        for var, term in zip(vars_, row, strict=True):
            if term is not None:
                out.append(f"<binding name={quoteattr(var)}>{_xml_term(term)}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>", ""]
    return "\n".join(out)


def _xml_term(term) -> str:  # noqa: ANN001
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    attrs = ""
    if term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype:
        attrs = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attrs}>{escape(str(term))}</literal>"


def write_csv(vars_: list[str], rows: Iterable[list]) -> str:
    """W3C SPARQL 1.1 CSV: plain values, blank nodes as ``_:label``, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(vars_)
    for row in rows:
        writer.writerow(
            ["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row]
        )
    return out.getvalue()


def write_tsv(vars_: list[str], rows: Iterable[list]) -> str:
    """W3C SPARQL 1.1 TSV: ``?var`` header, terms in Turtle syntax, tabs and newlines escaped."""
    lines = ["\t".join(f"?{v}" for v in vars_)]
    for row in rows:
        lines.append("\t".join("" if t is None else _tsv_term(t) for t in row))
    return "\n".join(lines) + "\n"


def _tsv_term(term) -> str:  # noqa: ANN001
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = (
            str(term)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype:
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    return str(term)
