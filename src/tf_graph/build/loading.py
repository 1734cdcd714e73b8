"""Loading: the shipped ontology and data, plus any RDF files a user adds with ``--data``.

One function, :func:`load_graph`, is the way every command gets its graph, so that every
command accepts the same inputs and reports bad ones the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax

from tf_graph import resources
from tf_graph.errors import InputFileError
from tf_graph.errors import one_line as _one_line
from tf_graph.namespaces import PREFIXES

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
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def parse_file(graph: Graph, path: Path) -> None:
    """Parse one RDF file into ``graph``; any failure becomes an :class:`InputFileError`
    naming the file and, where the parser tells it, the line."""
    path = Path(path)
    fmt = rdf_format(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
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
    except ParserError as err:
        line = _failing_line(text, fmt) if fmt in {"nt", "nquads"} else None
        where = f"{path}:{line}" if line else str(path)
        raise InputFileError(f"{where}: {_one_line(err)}") from None
    except Exception as err:  # noqa: BLE001 - any parser failure is the file's fault
        raise InputFileError(f"{path}: cannot parse as {fmt}: {_one_line(err)}") from None


def _failing_line(text: str, fmt: str) -> int | None:
    """The first line of a line-based file (N-Triples, N-Quads) that does not parse alone."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            Dataset().parse(data=line, format=fmt)
        except Exception:  # noqa: BLE001
            return number
    return None


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
