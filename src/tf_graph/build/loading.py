"""Loading: the shipped ontology and data, plus any RDF files a user adds with ``--data``.

One function, :func:`load_graph`, is the way every command gets its graph, so that every
command accepts the same inputs and reports bad ones the same way.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from tf_graph import resources
from tf_graph.errors import InputFileError
from tf_graph.errors import one_line as _one_line

if TYPE_CHECKING:  # rdflib is imported where a graph is parsed (the index is opened without it)
    from rdflib import Graph

#: file suffix -> rdflib parser name; the one table of the RDF formats we read
FORMATS_BY_SUFFIX = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".trig": "trig",
    ".nq": "nquads",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}
#: formats whose files may hold named graphs; their triples are merged into one graph
QUAD_FORMATS = {"trig", "nquads"}
#: formats read with pyoxigraph's parser even where rdflib's graph is wanted: rdflib's
#: N-Triples reader re-matches a growing buffer on a long line (1 MB on one line: 15 s)
OX_PARSED = {"nt", "nquads"}
OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "json-ld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "xml": ox.RdfFormat.RDF_XML,
}
_OX_POSITION = re.compile(
    r"^Parser error at line (\d+) (?:column|between columns) (\d+)(?: and \d+)?: "
)

#: environment variables raising the input limits, in MiB (see README, "Limits")
MAX_FILE_ENV = "TF_GRAPH_MAX_FILE_MB"
MAX_LITERAL_ENV = "TF_GRAPH_MAX_LITERAL_MB"
#: default limits: an input file of at most 1 GiB, a literal of at most 1 MiB (pyoxigraph's
#: parser cannot read a term longer than 16 MiB whatever the limit)
DEFAULT_MAX_FILE_MB = 1024
DEFAULT_MAX_LITERAL_MB = 1
PARSER_TERM_LIMIT = 16 << 20
#: triples parsed by pyoxigraph handed over at a time
OX_BATCH = 200_000


def limit_bytes(env: str, default_mb: float) -> int:
    """A size limit in bytes: ``$env`` in MiB (a positive number) if set, else ``default_mb``."""
    text = os.environ.get(env, "").strip()
    if not text:
        return int(default_mb * (1 << 20))
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise InputFileError(f"{env}={text!r}: expected a positive number of MiB")
    return int(value * (1 << 20))


def literal_limit() -> int:
    """The longest literal accepted, in characters (``$TF_GRAPH_MAX_LITERAL_MB`` MiB)."""
    return limit_bytes(MAX_LITERAL_ENV, DEFAULT_MAX_LITERAL_MB)


def check_input_file(path: Path) -> Path:
    """``path`` if it is a regular file within the size limit; else one clear line naming it.

    A FIFO or a device would block or never end; a missing file is "no such file"."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except OSError as err:
        raise InputFileError(f"{path}: cannot read ({err.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputFileError(f"{path}: is a directory, not a file")
    if stat.S_ISFIFO(info.st_mode):
        raise InputFileError(f"{path}: is a FIFO, not a regular file")
    if not stat.S_ISREG(info.st_mode):
        raise InputFileError(f"{path}: is a device or socket, not a regular file")
    limit = limit_bytes(MAX_FILE_ENV, DEFAULT_MAX_FILE_MB)
    if info.st_size > limit:
        raise InputFileError(
            f"{path}: {_mib(info.st_size)} is over the input file limit of {_mib(limit)} "
            f"(set {MAX_FILE_ENV} to raise it)"
        )
    return path


def _mib(size: int) -> str:
    return f"{size / (1 << 20):.1f} MiB"


def check_literals(path: Path, literals: Iterable[str]) -> None:
    """Refuse a literal longer than the limit, naming the file and the line it starts on."""
    limit = literal_limit()
    for value in literals:
        if len(value) > limit:
            probe = re.split(r"[\\\"'\r\n\t]", value, maxsplit=1)[0][:64]
            line = line_of(path, [probe.encode()]) if probe else None
            where = f"{path}:{line}" if line else str(path)
            raise InputFileError(
                f"{where}: a literal of {len(value):,} characters is over the limit of "
                f"{limit:,} (set {MAX_LITERAL_ENV} to raise it)"
            )


def long_line(path: Path, length: int) -> int | None:
    """The first line of ``path`` longer than ``length`` bytes (read by blocks), or None."""
    line, current = 1, 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            start = 0
            while (end := block.find(b"\n", start)) >= 0:
                if current + end - start > length:
                    return line
                line, current, start = line + 1, 0, end + 1
            current += len(block) - start
            if current > length:
                return line
    return None


def line_of(path: Path, needles: Sequence[bytes]) -> int | None:
    """The line on which the first of ``needles`` found in ``path`` occurs (read by blocks)."""
    for needle in needles:
        if not needle:
            continue
        line, tail = 1, b""
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                data = tail + block
                found = data.find(needle)
                if found >= 0:
                    return line + data.count(b"\n", 0, found)
                cut = len(data) - (len(needle) - 1)
                line += data.count(b"\n", 0, cut)
                tail = data[cut:]
    return None


def ox_quads(path: Path, fmt: str, batch: int) -> Iterator[list[Any]]:
    """The triples of ``path`` parsed by pyoxigraph, in lists of at most ``batch``; named graphs
    merged into the default graph; blank nodes renamed apart from other files'; errors (syntax
    with file and line, a literal over the limit, a term over the parser's limit) as
    :class:`InputFileError`."""
    check_input_file(path)
    check = path.stat().st_size > literal_limit()
    try:
        quads: Iterator[Any] = ox.parse(
            path=path,
            format=OX_FORMATS[fmt],
            base_iri=path.resolve().as_uri(),
            rename_blank_nodes=True,  # _:x in two files are two nodes, as in rdflib
        )
        if fmt in QUAD_FORMATS:
            quads = (ox.Quad(q.subject, q.predicate, q.object) for q in quads)
        while chunk := list(itertools.islice(quads, batch)):
            if check:  # (a file smaller than the limit cannot hold a literal over it)
                check_literals(
                    path, (q.object.value for q in chunk if type(q.object) is ox.Literal)
                )
            yield chunk
    except SyntaxError as err:
        raise InputFileError(syntax_message(path, err)) from None
    except MemoryError:  # pyoxigraph's "Reached the buffer maximal size"
        line = long_line(path, PARSER_TERM_LIMIT)
        where = f"{path}:{line}" if line else str(path)
        raise InputFileError(
            f"{where}: a literal or IRI longer than {PARSER_TERM_LIMIT >> 20} MiB, the parser's "
            f"limit (and over the literal limit of {_mib(literal_limit())})"
        ) from None
    except (OSError, ValueError) as err:
        raise InputFileError(f"{path}: cannot load as {fmt}: {_one_line(err)}") from None


def syntax_message(path: Path, err: SyntaxError) -> str:
    """``FILE:LINE: message (column N)`` from pyoxigraph's SyntaxError."""
    text = " ".join(str(err.msg or err).split())
    match = _OX_POSITION.match(text)
    line, column = err.lineno, err.offset
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        text = text[match.end() :]
    where = f"{path}:{line}" if line else str(path)
    suffix = f" (column {column})" if column else ""
    return f"{where}: {text[:300]}{suffix}"


def rdf_format(path: Path) -> str:
    """The rdflib parser for a file, from its suffix; a clear error for anything else."""
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise InputFileError(
            f"{path}: unknown RDF file type {path.suffix!r} (expected one of {known})"
        )
    return fmt


def new_graph() -> Graph:
    """An empty in-memory graph with the project's prefixes bound."""
    from rdflib import Graph

    from tf_graph.namespaces import PREFIXES

    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def parse_file(graph: Graph, path: Path) -> None:
    """Parse one RDF file into ``graph``; any failure becomes an :class:`InputFileError`
    naming the file and, where the parser tells it, the line."""
    from rdflib import Dataset, Literal
    from rdflib.plugins.parsers.notation3 import BadSyntax

    path = Path(path)
    fmt = rdf_format(path)
    check_input_file(path)
    if fmt in OX_PARSED:
        _ox_parse(graph, path, fmt)
        return
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputFileError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    except OSError as err:
        raise InputFileError(f"{path}: cannot read ({err.strerror})") from None
    try:
        if fmt in QUAD_FORMATS:
            dataset = Dataset()
            dataset.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except BadSyntax as err:
        raise InputFileError(f"{path}:{err.lines + 1}: {err._why}") from None
    except json.JSONDecodeError as err:
        raise InputFileError(f"{path}:{err.lineno}: {err.msg}") from None
    except Exception as err:  # noqa: BLE001 - any parser failure is the file's fault
        raise InputFileError(f"{path}: cannot parse as {fmt}: {_one_line(err)}") from None
    if len(text) > literal_limit():
        check_literals(path, (str(o) for o in graph.objects() if isinstance(o, Literal)))


def _ox_parse(graph: Graph, path: Path, fmt: str) -> None:
    """N-Triples / N-Quads into ``graph`` through pyoxigraph's parser (linear in the file, where
    rdflib's reader is quadratic on a long line); terms as rdflib's parser makes them."""
    from tf_graph.engines.oxigraph_view import term_converter

    convert = term_converter()
    for chunk in ox_quads(path, fmt, OX_BATCH):
        graph.addN(
            (convert(q.subject), convert(q.predicate), convert(q.object), graph) for q in chunk
        )


def load_files(paths: Iterable[Path], graph: Graph | None = None) -> Graph:
    """Parse ``paths`` into ``graph`` (a new one if not given) and return it."""
    graph = graph if graph is not None else new_graph()
    for path in paths:
        parse_file(graph, Path(path))
    return graph


def load_graph(extra: Sequence[Path] = (), *, include_core: bool = True) -> Graph:
    """The graph every command works on: ontology + shipped data + the user's ``--data`` files,
    with the facts the rules derive from them (:mod:`tf_graph.build.rules`)."""
    from tf_graph.build.rules import apply_rules

    files = (resources.core_files() if include_core else []) + [Path(p) for p in extra]
    graph = load_files(files)
    apply_rules(graph)
    return graph
