"""The catalogue of named SPARQL queries (``queries/*.rq``) and running them with parameters.

A query file opens with comment lines that describe it::

    # title: Agencies by topic
    # description: Agencies that ...
    # param: topic - the topic (default: forced labor)

A parameter is a SPARQL variable of the same name. Its value (a label, abbreviation, slug or
IRI; a year for ``year``) is resolved here and bound with ``initBindings``, never pasted into
the query text. ``(default: any)`` marks an optional parameter: left unbound, the query returns
every value. Queries are written so that binding a parameter before evaluation (rdflib,
Oxigraph) and joining it afterwards (a remote store's ``VALUES``) give the same rows.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from tf_graph import resources
from tf_graph.errors import InputFileError, QueryError, TfGraphError
from tf_graph.errors import one_line as _one_line
from tf_graph.iris import is_iri

#: a user's query file larger than this is refused before it is read
MAX_QUERY_BYTES = 1_000_000
#: default values that leave an optional parameter unbound
ANY_VALUES = frozenset({"any", "all", "none", ""})
#: parameters resolved to a resource, by name -> the kind of resource they accept
ENTITY_PARAMS = {
    "topic": "topic",
    "agency": "agency",
    "partner": "agency",
    "body": "body",
    "law": "law",
    "pillar": "pillar",
    "country": "country",
    "sector": "sector",
    "initiative": "initiative",
    "event": "event",
    "document": "document",
    "status": "status",
    "entity": None,
}
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip

_HEADER = re.compile(r"#\s*(title|description|param)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_PARAM = re.compile(
    r"([A-Za-z_][A-Za-z0-9_]*)\s*-\s*(.*?)\s*(?:\(default:\s*([^()]*?)\s*\))?\s*$", re.DOTALL
)


@dataclass(frozen=True)
class Param:
    """One parameter: its variable name, what it means and its default (None: required)."""

    name: str
    meaning: str
    default: str | None = None

    @property
    def required(self) -> bool:
        return self.default is None

    @property
    def optional(self) -> bool:
        """True when the parameter may stay unbound (``default: any``)."""
        return self.default is not None and self.default.strip().lower() in ANY_VALUES


@dataclass(frozen=True)
class QuerySpec:
    """A query file with its header: name (the file stem), title, description, parameters."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    path: Path
    named: bool = True

    @property
    def text(self) -> str:
        """The query text (a user's file is checked again: size, binary, encoding)."""
        return self.path.read_text("utf-8") if self.named else read_query_file(self.path)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


@dataclass
class QueryResult:
    """Rows of a query: ``vars`` in order, ``rows`` as var -> term (None when unbound).

    ``bindings`` are the resolved parameters, ``labels`` the labels of the IRIs in the rows
    (for display), ``boolean`` the answer of an ASK query.
    """

    vars: list[str]
    rows: list[dict[str, Node | None]]
    sparql: str
    bindings: dict[str, Node]
    spec: QuerySpec
    labels: dict[str, str] = field(default_factory=dict)
    boolean: bool | None = None

    def label(self, term: Node | None) -> str:
        """How a cell reads: an IRI's label (else its last segment), a literal's text."""
        if term is None:
            return ""
        if isinstance(term, URIRef):
            text = str(term)
            return self.labels.get(text) or text.rstrip("/").rsplit("/", 1)[-1].rsplit("#")[-1]
        return str(term)


# --- the catalogue ---------------------------------------------------------------------------


def parse_header(text: str, path: Path, named: bool = True) -> QuerySpec:
    """Read the ``# title / # description / # param`` lines at the top of a query; a
    description may run over several ``# description:`` lines."""
    title, description, params = "", "", []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER.match(stripped)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2)
        if key == "title":
            title = value
        elif key == "description":
            description = f"{description} {value}".strip()
        else:
            param = _PARAM.match(value)
            if not param:
                raise QueryError(
                    f"{path}: bad '# param:' line (expected 'NAME - meaning'): {value}"
                )
            params.append(Param(param.group(1), param.group(2), param.group(3)))
    return QuerySpec(path.stem, title or path.stem, description, tuple(params), path, named)


def list_queries() -> list[QuerySpec]:
    """The named queries shipped in ``queries/``, sorted by name."""
    files = sorted(resources.queries_dir().glob("*.rq"))
    return [parse_header(p.read_text("utf-8"), p) for p in files]


def query_names() -> list[str]:
    return [p.stem for p in sorted(resources.queries_dir().glob("*.rq"))]


def looks_like_path(name_or_path: str) -> bool:
    """A file rather than a query name: a .rq/.sparql suffix, a folder, or an existing file."""
    return (
        name_or_path.endswith((".rq", ".sparql"))
        or "/" in name_or_path
        or "\\" in name_or_path
        or Path(name_or_path).is_file()
    )


def find_query(name_or_path: str) -> QuerySpec:
    """A named query by name, or a user's ``.rq`` file by path."""
    if looks_like_path(name_or_path):
        path = Path(name_or_path)
        return parse_header(read_query_file(path), path, named=False)
    path = resources.queries_dir() / f"{name_or_path}.rq"
    if name_or_path in query_names():
        return parse_header(path.read_text("utf-8"), path)
    close = difflib.get_close_matches(name_or_path, query_names(), n=3, cutoff=0.5)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise QueryError(f"unknown query {name_or_path!r}{hint} ('tf-graph queries' lists them)")


def read_query_file(path: Path) -> str:
    """A user's query text; refuses missing, huge, binary and non-UTF-8 files cleanly."""
    try:
        size = path.stat().st_size
    except OSError:
        raise InputFileError(f"{path}: no such file") from None
    if not path.is_file():
        raise InputFileError(f"{path}: not a file")
    if size > MAX_QUERY_BYTES:
        raise InputFileError(f"{path}: too large for a query ({size} bytes; limit 1 MB)")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputFileError(f"{path}: cannot read ({err.strerror})") from None
    if b"\x00" in data:
        raise InputFileError(f"{path}: binary file, not a SPARQL query")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputFileError(f"{path}: not UTF-8 text (bad byte at offset {err.start})") from None


def check_syntax(text: str, where: str) -> None:
    """Parse a query with rdflib to report a syntax error by line and column."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(text)
    except ParseException as err:
        raise QueryError(
            f"{where}:{err.lineno}:{err.col}: SPARQL syntax error: {_one_line(err.msg)}"
        ) from None
    except Exception as err:  # noqa: BLE001 - any parser failure is the query's fault
        raise QueryError(f"{where}: SPARQL syntax error: {_one_line(err)}") from None


# --- parameters ------------------------------------------------------------------------------


def parse_month(value: str) -> str | None:
    """``2021-12``, ``December 2021``, ``Dec 2021`` -> ``2021-12``; None if not a month."""
    text = " ".join(value.split()).lower()
    match = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", text)
    if match:
        return text
    match = re.fullmatch(r"([a-z]+)\.?,? (\d{4})", text)
    if match:
        name = match.group(1)
        for number, month in enumerate(MONTHS, start=1):
            if len(name) >= 3 and month.startswith(name):
                return f"{match.group(2)}-{number:02d}"
    return None


def literal_param(name: str, value: str) -> Literal | None:
    """The literal a year / month / count parameter stands for; None for other parameters."""
    text = value.strip()
    if name == "year":
        if not re.fullmatch(r"\d{4}", text):
            raise QueryError(f"parameter year: expected a year such as 2022, got {value!r}")
        return Literal(text)
    if name == "month":
        month = parse_month(text)
        if month is None:
            raise QueryError(
                f"parameter month: expected a month such as 2021-12 or December 2021, got {value!r}"
            )
        return Literal(month)
    if name == "pillars":
        words = {"one": "1", "two": "2", "three": "3", "four": "4", "all": "4"}
        text = words.get(text.lower(), text)
        if not re.fullmatch(r"[1-4]", text):
            raise QueryError(f"parameter pillars: expected a number from 1 to 4, got {value!r}")
        return Literal(text, datatype=XSD.integer)
    return None


def resolve_param(graph: Graph, name: str, value: str) -> Node:
    """One parameter value as an RDF term: a literal for year/month/pillars, else a resource."""
    literal = literal_param(name, value)
    if literal is not None:
        return literal
    from tf_graph.questions.resolve import resolve_entity

    return resolve_entity(graph, value, kind=ENTITY_PARAMS.get(name))


def bind_params(graph: Graph, spec: QuerySpec, params: Mapping[str, str]) -> dict[str, Node]:
    """Resolve the given parameters and the defaults; name a missing or unknown parameter."""
    declared = {p.name for p in spec.params}
    for name in params:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"bad parameter name {name!r}")
        if spec.params and name not in declared:
            known = ", ".join(sorted(declared))
            raise QueryError(
                f"query {spec.name} has no parameter {name!r} (its parameters: {known})"
            )
        if not spec.params and spec.named:
            raise QueryError(f"query {spec.name} takes no parameters (got {name!r})")
    bindings: dict[str, Node] = {}
    for param in spec.params:
        if param.name in params:
            value = params[param.name]
        elif param.required:
            raise QueryError(
                f"query {spec.name} needs parameter {param.name!r} ({param.meaning}); "
                f"give it with --param {param.name}=VALUE"
            )
        elif param.optional:
            continue
        else:
            value = param.default or ""
        bindings[param.name] = resolve_param(graph, param.name, value)
    for name, value in params.items():
        if name not in bindings and name not in declared:
            bindings[name] = resolve_param(graph, name, value)
    return bindings


# --- running ---------------------------------------------------------------------------------


def run_query(
    graph: Graph, name_or_path: str, params: Mapping[str, str] | None = None
) -> QueryResult:
    """Run a named query or a user's ``.rq`` file with its parameters resolved and bound."""
    spec = find_query(name_or_path)
    text = spec.text
    if not spec.named:
        check_syntax(text, str(spec.path))
    bindings = bind_params(graph, spec, params or {})
    result = execute(graph, text, bindings, where=str(spec.path) if not spec.named else spec.name)
    rows_vars, rows, boolean = result
    out = QueryResult(rows_vars, rows, text, bindings, spec, boolean=boolean)
    out.labels = fetch_labels(graph, out)
    return out


def execute(
    graph: Graph, text: str, bindings: Mapping[str, Node], where: str
) -> tuple[list[str], list[dict[str, Node | None]], bool | None]:
    """Evaluate a query; SELECT rows, an ASK answer, or CONSTRUCT/DESCRIBE triples as rows."""
    try:
        result = graph.query(text, initBindings=dict(bindings))
        kind = result.type
        if kind == "ASK":
            return [], [], bool(result.askAnswer)
        if kind in ("CONSTRUCT", "DESCRIBE"):
            triples = sorted(result.graph, key=lambda t: tuple(str(x) for x in t))
            names = ["subject", "predicate", "object"]
            return names, [dict(zip(names, t, strict=True)) for t in triples], None
        variables = list(result.vars or [])
        names = [str(v) for v in variables]
        # the bindings themselves: a ResultRow per row (``for row in result``) costs more;
        # terms a store already gave in plain form (``plain_terms``) are taken as they are
        plain = (lambda term: term) if getattr(result, "plain_terms", False) else _plain
        rows = [
            dict(zip(names, map(plain, map(b.get, variables)), strict=True))
            for b in result.bindings
        ]
    except TfGraphError:
        raise
    except Exception as err:  # noqa: BLE001 - a store's failure becomes one line
        if _is_parse_error(err):
            raise QueryError(
                f"{where}:{err.lineno}:{err.col}: SPARQL syntax error: {_one_line(err.msg)}"
            ) from None
        raise QueryError(f"{where}: query failed: {_one_line(err)}") from None
    return names, rows, None


def _is_parse_error(err: Exception) -> bool:
    """rdflib's parser failed (pyparsing's ParseException). Checked without importing
    pyparsing, 20 ms of a command whose query Oxigraph parses: if rdflib's parser ran, it is
    imported already."""
    pyparsing = sys.modules.get("pyparsing")
    return pyparsing is not None and isinstance(err, pyparsing.ParseException)


_XSD_STRING = XSD.string  # (an attribute of a namespace is looked up on every use)


def _plain(term: Node | None) -> Node | None:
    """``"x"^^xsd:string`` as ``"x"``: the same RDF 1.1 term, which stores write either way."""
    if isinstance(term, Literal) and term.datatype == _XSD_STRING:
        return Literal(str(term))
    return term


def fetch_labels(graph: Graph, result: QueryResult) -> dict[str, str]:
    """Labels of the IRIs in the rows: from ``xLabel`` columns, else one SPARQL lookup."""
    labels: dict[str, str] = {}
    twins = [(name, f"{name}Label") for name in result.vars if f"{name}Label" in result.vars]
    for row in result.rows:
        for name, label_name in twins:
            term, twin = row.get(name), row.get(label_name)
            if isinstance(term, URIRef) and twin is not None:
                labels.setdefault(str(term), str(twin))
    iris = {t for row in result.rows for t in row.values() if isinstance(t, URIRef)}
    iris.update(t for t in result.bindings.values() if isinstance(t, URIRef))
    missing = {str(t) for t in iris if str(t) not in labels}
    # labels are a nicety: a failed lookup (an endpoint gone away) leaves raw IRIs, which read
    with contextlib.suppress(TfGraphError):
        for row in run_for_each(graph, "lookup/labels-of", missing):
            labels.setdefault(str(row["resource"]), str(row["label"]))
    return labels


#: the ``VALUES ?x { UNDEF }`` of a lookup query that :func:`run_for_each` fills (UNDEF, not
#: an empty block: the query runs as it is, for every resource, and rdflib 7 fails on ``{ }``)
_SLOT = re.compile(r"VALUES\s+\?(\w+)\s*\{\s*UNDEF\s*\}")
#: resources per query of :func:`run_for_each`
EACH_CHUNK = 500


def run_for_each(graph: Graph, name: str, iris: Iterable[str]) -> list[dict[str, Node | None]]:
    """The rows of lookup query ``name`` (``queries/NAME.rq``) for many resources at once: its
    ``VALUES ?x { UNDEF }`` is filled with the IRIs, :data:`EACH_CHUNK` per query.

    Why text and not ``initBindings``: a binding holds one value, and a query per resource
    cost a tenth of a second for the 1,433 agencies of a large answer. Only IRIs that cannot
    break out of ``<...>`` go in (they come from the graph, never from a user); others are
    skipped.
    """
    text = (resources.queries_dir() / f"{name}.rq").read_text("utf-8")
    slot = _SLOT.search(text)
    if slot is None:
        raise QueryError(f"{name}: no VALUES ?x {{ UNDEF }} block to fill")
    safe = sorted({iri for iri in iris if is_iri(iri)})
    rows: list[dict[str, Node | None]] = []
    for start in range(0, len(safe), EACH_CHUNK):
        values = " ".join(f"<{iri}>" for iri in safe[start : start + EACH_CHUNK])
        query = f"{text[: slot.start()]}VALUES ?{slot.group(1)} {{ {values} }}{text[slot.end() :]}"
        rows += execute(graph, query, {}, where=name)[1]
    return rows


__all__ = [
    "Param",
    "QueryResult",
    "QuerySpec",
    "find_query",
    "list_queries",
    "run_query",
]
