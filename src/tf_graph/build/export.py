"""Export of the graph: RDF for triple stores, GraphML / GEXF for Gephi and Cytoscape, CSV.

RDF formats carry every triple (a round trip gives an isomorphic graph). Network formats
and CSV carry the projection (``tf_graph.build.projection.to_networkx``), the same network that the
statistics rank and the visualisation draws. Every file is written to a temporary file in the
target folder and moved into place only when complete (:mod:`tf_graph.outputs`, the one
writer), so a failure leaves nothing behind and an existing file is replaced only by a whole
new one; ``"-"`` is standard output.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx
from rdflib import XSD, Dataset, Graph, Literal
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from tf_graph.build.projection import to_networkx
from tf_graph.errors import OutputError
from tf_graph.namespaces import PREFIXES
from tf_graph.outputs import as_text, atomic_output, describe

#: what a writer reports: counts by name ("triples", "nodes", "edges")
Counts = dict[str, int]


@dataclass(frozen=True)
class ExportFormat:
    """One output format: its name for people, file suffix, media type and writer."""

    title: str
    suffix: str
    media_type: str
    writer: Callable[[Graph, BinaryIO], Counts]


@dataclass(frozen=True)
class ExportResult:
    """What was written, for the CLI to report."""

    path: Path | str
    format: str
    title: str
    media_type: str
    size: int
    counts: Counts

    def summary(self) -> str:
        counts = ", ".join(f"{n:,} {what}" for what, n in self.counts.items())
        return f"wrote {describe(self.path)} ({self.title}: {counts}; {self.size:,} bytes)"


# --- writers ---------------------------------------------------------------------------------


def _write_rdf(rdflib_format: str, **options: Any) -> Callable[[Graph, BinaryIO], Counts]:
    def write(graph: Graph, handle: BinaryIO) -> Counts:
        graph.serialize(destination=handle, format=rdflib_format, encoding="utf-8", **options)
        return {"triples": len(graph)}

    return write


#: Turtle's number and boolean tokens, and the datatype each one means
_SHORTHAND = (
    (re.compile(r"[+-]?[0-9]+"), XSD.integer),
    (re.compile(r"[+-]?[0-9]*\.[0-9]+"), XSD.decimal),
    (re.compile(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"), XSD.double),
    (re.compile(r"true|false"), XSD.boolean),
)


def keeps_lexical_form(literal: Literal, shorthand: str) -> bool:
    """True when Turtle's shorthand for ``literal`` reads back as the same literal.

    rdflib writes "87000000"^^xsd:decimal as 87000000.0 and doubles as 1.5e+03: the same
    value, but another RDF term, so the round trip would lose the data's own spelling.
    """
    if shorthand != str(literal):
        return False
    return any(rx.fullmatch(shorthand) and dt == literal.datatype for rx, dt in _SHORTHAND)


class _LexicalLabels:
    """Turtle/TriG writing that uses number shorthand only where it keeps the lexical form."""

    def label(self, node: Node, position: int) -> str:
        text: str = super().label(node, position)  # type: ignore[misc]
        if not isinstance(node, Literal) or text.startswith(('"', "'")):
            return text
        if not keeps_lexical_form(node, text):
            return node._literal_n3(
                use_plain=False,
                qname_callback=lambda dt: self.get_pname(dt, False),  # type: ignore[attr-defined]
            )
        return text


class LexicalTurtleSerializer(_LexicalLabels, TurtleSerializer):
    pass


class LexicalTrigSerializer(_LexicalLabels, TrigSerializer):
    pass


def _write_turtle(graph: Graph, handle: BinaryIO) -> Counts:
    LexicalTurtleSerializer(graph).serialize(handle, encoding="utf-8")
    return {"triples": len(graph)}


def _write_trig(graph: Graph, handle: BinaryIO) -> Counts:
    """TriG of the default graph (a plain Graph would be written as an anonymous named graph)."""
    dataset = Dataset()
    for prefix, namespace in graph.namespaces():
        dataset.bind(prefix, namespace, override=True)
    for triple in graph:
        dataset.add(triple)
    LexicalTrigSerializer(dataset).serialize(handle, encoding="utf-8")
    return {"triples": len(graph)}


def export_network(graph: Graph) -> nx.MultiDiGraph:
    """The projection with every attribute a string and every edge a unique id ("e0", ...):
    GraphML needs unique edge ids, and Gephi and Cytoscape read strings without surprises."""
    net = to_networkx(graph)
    out = nx.MultiDiGraph()
    for node in sorted(net.nodes):
        out.add_node(node, **_strings(net.nodes[node]))
    edges = sorted(net.edges(data=True), key=lambda e: (e[0], e[2]["predicate"], e[1]))
    for number, (source, target, attrs) in enumerate(edges):
        out.add_edge(source, target, key=f"e{number}", **_strings(attrs))
    return out


def _strings(attrs: dict) -> dict[str, str]:
    return {name: str(value) for name, value in attrs.items() if value is not None}


def _write_graphml(graph: Graph, handle: BinaryIO) -> Counts:
    net = export_network(graph)
    nx.write_graphml(net, handle, encoding="utf-8")
    return {"nodes": net.number_of_nodes(), "edges": net.number_of_edges()}


def _write_gexf(graph: Graph, handle: BinaryIO) -> Counts:
    net = export_network(graph)
    nx.write_gexf(net, handle, encoding="utf-8")
    return {"nodes": net.number_of_nodes(), "edges": net.number_of_edges()}


CSV_COLUMNS = ("source", "source_label", "relation", "relation_label", "target", "target_label")


def _write_csv(graph: Graph, handle: BinaryIO) -> Counts:
    """An edge list of the projection, each end and the relation with its label."""
    net = export_network(graph)
    with as_text(handle, newline="") as text:
        writer = csv.writer(text)
        writer.writerow(CSV_COLUMNS)
        for source, target, attrs in net.edges(data=True):
            writer.writerow(
                (
                    source,
                    net.nodes[source].get("label", ""),
                    attrs["predicate"],
                    attrs.get("label", ""),
                    target,
                    net.nodes[target].get("label", ""),
                )
            )
    return {"edges": net.number_of_edges()}


#: format name -> how it is written; the one table of export formats
FORMATS: dict[str, ExportFormat] = {
    "ttl": ExportFormat("Turtle", ".ttl", "text/turtle", _write_turtle),
    "nt": ExportFormat("N-Triples", ".nt", "application/n-triples", _write_rdf("nt")),
    "jsonld": ExportFormat(
        "JSON-LD",
        ".jsonld",
        "application/ld+json",
        _write_rdf(
            "json-ld",
            context={prefix: str(ns) for prefix, ns in PREFIXES.items()},
            auto_compact=True,
        ),
    ),
    "trig": ExportFormat("TriG", ".trig", "application/trig", _write_trig),
    "graphml": ExportFormat("GraphML", ".graphml", "application/graphml+xml", _write_graphml),
    "gexf": ExportFormat("GEXF", ".gexf", "application/gexf+xml", _write_gexf),
    "csv": ExportFormat("CSV edge list", ".csv", "text/csv", _write_csv),
}


# --- the one entry point ---------------------------------------------------------------------


def export_graph(graph: Graph, fmt: str, path: Path | str) -> ExportResult:
    """Write ``graph`` as ``fmt`` (a key of :data:`FORMATS`) to ``path`` (``"-"``: standard
    output) with :func:`tf_graph.outputs.atomic_output`.

    Raises :class:`OutputError` naming the path when it cannot be written; then no file, not
    even a temporary one, is left behind and an existing file at ``path`` is untouched.
    """
    spec = FORMATS.get(fmt)
    if spec is None:
        raise OutputError(f"unknown export format {fmt!r} (expected one of {', '.join(FORMATS)})")
    with atomic_output(path) as handle:
        counts = spec.writer(graph, handle)
        size = handle.tell()
    return ExportResult(path, fmt, spec.title, spec.media_type, size, counts)
