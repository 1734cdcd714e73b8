"""The catalogue of named SPARQL queries (``queries/*.rq``): each file declares itself in its
leading comment lines, and Python reads nothing about a query from anywhere else::

    # title: Agencies by topic
    # description: Agencies that ...
    # param: topic (tf:Topic) - the topic, e.g. forced labor (default: forced labor)
    # answer: subject agency
    # answer: detail role
    # answer: detail via "via {}"
    # answer: evidence evidence
    # answer: quote quote

``# param: NAME (KIND) - meaning (default: VALUE)``: a parameter is the SPARQL variable of the
same name. Its KIND says what a value may be (:mod:`tf_graph.questions.params` resolves it):

- ``tf:Class`` or ``tf:A | tf:B``: a resource of that class (a name, abbreviation, slug or IRI);
- ``any``, or no kind: any resource;
- ``year``: a year such as 2022 (bound as the plain literal ``"2022"``);
- ``month``: a month such as 2021-12 or December 2021 (bound as ``"2021-12"``);
- ``xsd:integer 1-4``: a whole number in that range (number words too; ``all`` is the top).

``(default: any)`` marks an optional parameter: left unbound, the query returns every value;
no default makes it required.

``# answer: KEY COLUMN ["TEMPLATE"]`` lines say how the rows read as an answer to a question
(``tf-graph ask``): ``subject`` (what the answer lists), ``detail`` (how a row's subject
relates to its evidence; repeatable, in order; the template's ``{}`` is the value, ``{s}`` an
"s" unless the value is 1, ``{:,}`` a number with thousands separators; without a template
``COLUMN: value``), ``role`` (a column whose values are listed beside each subject),
``evidence`` / ``quote`` / ``source`` (the item behind the row, its words and their source),
and ``note PARAM "TEXT"`` (a note shown when PARAM is given; ``{PARAM}`` is its value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tf_graph import resources
from tf_graph.errors import InputFileError, QueryError
from tf_graph.errors import one_line as _one_line

#: a user's query file larger than this is refused before it is read
MAX_QUERY_BYTES = 1_000_000
#: default values that leave an optional parameter unbound
ANY_VALUES = frozenset({"any", "all", "none", ""})
#: literal kinds of parameter (anything else is a resource kind: classes or ``any``)
LITERAL_KINDS = ("year", "month", "xsd:integer")
#: the name a query written in Python (``TfGraph.query("SELECT ...")``) goes by in messages
TEXT_NAME = "<query>"

#: first words of SPARQL text (a query given as text rather than by name or path)
_SPARQL_STARTS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "PREFIX", "BASE"})
_HEADER = re.compile(r"#\s*(title|description|param|answer)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<kind>[^()]*)\)\s*)?-\s*(?P<meaning>.*?)\s*"
    r"(?:\(default:\s*(?P<default>[^()]*?)\s*\))?\s*$",
    re.DOTALL,
)
_CLASS = re.compile(r"tf:([A-Z][A-Za-z0-9]*)")
_RANGE = re.compile(r"xsd:integer\s+(-?\d+)\s*-\s*(-?\d+)")
_ANSWER = re.compile(r'(?P<key>[a-z]+)\s+(?P<column>[A-Za-z_][A-Za-z0-9_]*)(?:\s+"(?P<text>.*)")?')
_ANSWER_KEYS = ("subject", "detail", "role", "evidence", "quote", "source", "note")


@dataclass(frozen=True)
class Kind:
    """What a parameter's value may be: resources of some classes (none: any resource), or a
    literal (``year``, ``month``, ``xsd:integer`` within ``low``-``high``)."""

    literal: str | None = None
    classes: tuple[str, ...] = ()
    low: int = 0
    high: int = 0

    def __str__(self) -> str:
        if self.literal == "xsd:integer":
            return f"xsd:integer {self.low}-{self.high}"
        if self.literal is not None:
            return self.literal
        return " | ".join(f"tf:{name}" for name in self.classes) or "any"


ANY = Kind()


@dataclass(frozen=True)
class Param:
    """One parameter: its variable name, what it means, its default (None: required) and
    its kind."""

    name: str
    meaning: str
    default: str | None = None
    kind: Kind = ANY

    @property
    def required(self) -> bool:
        return self.default is None

    @property
    def optional(self) -> bool:
        """True when the parameter may stay unbound (``default: any``)."""
        return self.default is not None and self.default.strip().lower() in ANY_VALUES


@dataclass(frozen=True)
class Detail:
    """A detail column of an answer and how its value reads (``{}``: the value)."""

    column: str
    template: str = ""


@dataclass(frozen=True)
class AnswerView:
    """How a query's rows read as an answer (its ``# answer:`` lines); columns may be ""."""

    subject: str = ""
    details: tuple[Detail, ...] = ()
    role: str = ""
    evidence: str = ""
    quote: str = ""
    source: str = ""
    notes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class QuerySpec:
    """A query with its header: name (the file stem), title, description, parameters, answer.

    ``body`` holds the text of a query given as text rather than as a file."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    path: Path
    named: bool = True
    answer: AnswerView = field(default_factory=AnswerView)
    body: str | None = None

    @property
    def text(self) -> str:
        """The query text (a user's file is checked again: size, binary, encoding)."""
        if self.body is not None:
            return self.body
        return self.path.read_text("utf-8") if self.named else read_query_file(self.path)

    @property
    def where(self) -> str:
        """How messages name the query: its name, or the path of a user's file."""
        return self.name if self.named else str(self.path)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


# --- headers ---------------------------------------------------------------------------------


def header_lines(text: str) -> list[tuple[str, str]]:
    """The ``(key, value)`` pairs of the ``# key: value`` lines before the query starts."""
    found = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER.match(stripped)
        if match:
            found.append((match.group(1).lower(), match.group(2)))
    return found


def parse_header(text: str, path: Path, named: bool = True) -> QuerySpec:
    """Read the ``# title / description / param / answer`` lines at the top of a query; a
    description may run over several ``# description:`` lines."""
    title, description = "", ""
    params: list[Param] = []
    answers: list[tuple[str, str, str]] = []
    for key, value in header_lines(text):
        if key == "title":
            title = value
        elif key == "description":
            description = f"{description} {value}".strip()
        elif key == "param":
            params.append(parse_param(value, path))
        else:
            answers.append(parse_answer_line(value, path))
    view = answer_view(answers, {p.name for p in params}, path)
    return QuerySpec(path.stem, title or path.stem, description, tuple(params), path, named, view)


def parse_param(value: str, path: Path) -> Param:
    """One ``# param:`` line: ``NAME (KIND) - meaning (default: VALUE)``."""
    match = _PARAM.match(value)
    if not match:
        raise QueryError(f"{path}: bad '# param:' line (expected 'NAME (KIND) - meaning'): {value}")
    kind = parse_kind(match.group("kind"), path) if match.group("kind") else ANY
    return Param(match.group("name"), match.group("meaning"), match.group("default"), kind)


def parse_kind(text: str, path: Path) -> Kind:
    """A parameter's kind: ``tf:Class``, ``tf:A | tf:B``, ``any``, ``year``, ``month`` or
    ``xsd:integer LOW-HIGH``."""
    text = " ".join(text.split())
    if text in ("any", ""):
        return ANY
    if text in ("year", "month"):
        return Kind(literal=text)
    numbers = _RANGE.fullmatch(text)
    if numbers:
        low, high = int(numbers.group(1)), int(numbers.group(2))
        if low <= high:
            return Kind(literal="xsd:integer", low=low, high=high)
    classes = [part.strip() for part in text.split("|")]
    if all(_CLASS.fullmatch(c) for c in classes):
        return Kind(classes=tuple(c[len("tf:") :] for c in classes))
    raise QueryError(
        f"{path}: unknown parameter kind ({text}); expected tf:Class, tf:A | tf:B, any, "
        "year, month or xsd:integer LOW-HIGH"
    )


def parse_answer_line(value: str, path: Path) -> tuple[str, str, str]:
    """One ``# answer:`` line: ``KEY COLUMN ["TEMPLATE"]``."""
    match = _ANSWER.fullmatch(value)
    if not match or match.group("key") not in _ANSWER_KEYS:
        raise QueryError(
            f"{path}: bad '# answer:' line (expected one of {', '.join(_ANSWER_KEYS)}, a "
            f'column and an optional "template"): {value}'
        )
    return match.group("key"), match.group("column"), match.group("text") or ""


def answer_view(lines: list[tuple[str, str, str]], params: set[str], path: Path) -> AnswerView:
    """The answer layout of a query's ``# answer:`` lines (each single key at most once)."""
    single: dict[str, str] = {}
    details: list[Detail] = []
    notes: list[tuple[str, str]] = []
    for key, column, text in lines:
        if key == "detail":
            details.append(Detail(column, text))
        elif key == "note":
            if column not in params:
                raise QueryError(f"{path}: '# answer: note {column}' names no parameter")
            notes.append((column, text))
        elif key in single:
            raise QueryError(f"{path}: '# answer: {key}' given twice")
        else:
            single[key] = column
    return AnswerView(details=tuple(details), notes=tuple(notes), **single)


# --- finding queries -------------------------------------------------------------------------


def list_queries() -> list[QuerySpec]:
    """The named queries shipped in ``queries/``, sorted by name."""
    files = sorted(resources.queries_dir().glob("*.rq"))
    return [parse_header(p.read_text("utf-8"), p) for p in files]


def query_names() -> list[str]:
    return [p.stem for p in sorted(resources.queries_dir().glob("*.rq"))]


def looks_like_text(name_or_text: str) -> bool:
    """SPARQL text rather than a name or a path: a brace, a line break or a leading SPARQL
    keyword, and no ``.rq`` or ``.sparql`` suffix (a misspelt name is not taken for text)."""
    text = name_or_text.strip()
    if not text or text.endswith((".rq", ".sparql")):
        return False
    first = text.split(None, 1)[0].upper()
    return "{" in text or "\n" in text or first in _SPARQL_STARTS


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
    import difflib  # (only for a name not found)

    close = difflib.get_close_matches(name_or_path, query_names(), n=3, cutoff=0.5)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise QueryError(f"unknown query {name_or_path!r}{hint} ('tf-graph queries' lists them)")


def query_of_text(text: str) -> QuerySpec:
    """A query given as SPARQL text (its own ``# param:`` lines, if any, count as a file's)."""
    if len(text.encode("utf-8")) > MAX_QUERY_BYTES:
        raise QueryError(f"{TEXT_NAME}: too large for a query (limit 1 MB)")
    spec = parse_header(text, Path(TEXT_NAME), named=False)
    return QuerySpec(
        TEXT_NAME, spec.title, spec.description, spec.params, spec.path, False, spec.answer, text
    )


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
