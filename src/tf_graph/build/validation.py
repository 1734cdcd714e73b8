"""Validation of the graph: SHACL shapes, quotes against their sources, links and labels.

The shapes (``ontology/shapes.ttl``) state the contract's rules. What SHACL cannot see, a
quote against the text of its source file, is checked here; so are dangling links and label
counts, with their SPARQL in ``queries/qa/*.rq`` so that anyone can run them on their own
store (a link the shapes already reported is not repeated). Findings are grouped by the
resource that has to be fixed, because that is how people fix them.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH, XSD
from rdflib.query import ResultRow
from rdflib.term import Node

from tf_graph import resources
from tf_graph.build.loading import line_of, load_files
from tf_graph.engines.oxigraph_view import to_ox
from tf_graph.engines.rdflib_parse import parsed
from tf_graph.errors import TfGraphError
from tf_graph.labels import label
from tf_graph.namespaces import PREFIXES, TF
from tf_graph.sourcetext import clip, collapse, quote_in_source, read_plain_text

VIOLATION = "violation"
WARNING = "warning"
INFO = "info"
_SEVERITIES = {SH.Violation: VIOLATION, SH.Warning: WARNING, SH.Info: INFO}


@dataclass(frozen=True)
class Finding:
    """One problem with one resource. ``rule`` says which check found it."""

    resource: str
    label: str
    rule: str
    message: str
    property: str | None = None
    value: str | None = None
    severity: str = VIOLATION
    shape: str | None = None  # the SHACL shape that found it (tfsh:InitiativeLedBy)


@dataclass
class ValidationReport:
    """All findings, plus what was checked (so that a clean report says how much was clean)."""

    findings: list[Finding] = field(default_factory=list)
    triples: int = 0
    quotes_checked: int = 0
    sources_read: list[str] = field(default_factory=list)
    #: facts without words from a shipped source (outside facts, cited by web address)
    outside_facts: int = 0

    @property
    def conforms(self) -> bool:
        """True when nothing of severity "violation" was found (warnings do not fail)."""
        return not any(f.severity == VIOLATION for f in self.findings)

    @property
    def violations(self) -> int:
        return sum(f.severity == VIOLATION for f in self.findings)

    def by_resource(self) -> list[tuple[str, str, list[Finding]]]:
        """``(iri, label, findings)`` per offending resource, in IRI order."""
        groups: dict[str, list[Finding]] = {}
        for finding in self.findings:
            groups.setdefault(finding.resource, []).append(finding)
        return [
            (iri, found[0].label, sorted(found, key=_finding_order))
            for iri, found in sorted(groups.items())
        ]

    def to_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "violations": self.violations,
            "warnings": sum(f.severity == WARNING for f in self.findings),
            "checked": {
                "triples": self.triples,
                "quotes": self.quotes_checked,
                "sources": self.sources_read,
                "outside_facts": self.outside_facts,
            },
            "resources": [
                {
                    "resource": iri,
                    "label": name,
                    "findings": [
                        {k: v for k, v in asdict(f).items() if k not in {"resource", "label"}}
                        for f in found
                    ],
                }
                for iri, name, found in self.by_resource()
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        """The report as a person reads it in a terminal."""
        checked = (
            f"{self.triples:,} triples, {self.quotes_checked:,} quotes checked against "
            f"{len(self.sources_read)} source text(s), {self.outside_facts:,} fact(s) without "
            "words from a shipped source"
        )
        groups = self.by_resource()
        if not groups:
            return f"Valid: no problems found ({checked})."
        lines = []
        for iri, name, found in groups:
            lines.append(f"{name}  <{iri}>")
            for f in found:
                what = f" {f.property}" if f.property else ""
                value = f" = {_quoted(_clip(f.value))}" if f.value else ""
                mark = "" if f.severity == VIOLATION else f" ({f.severity})"
                shape = f" ({f.shape})" if f.shape else ""
                lines.append(f"  - [{f.rule}]{mark}{what}{value}: {f.message}{shape}")
            lines.append("")
        warnings = len(self.findings) - self.violations
        lines.append(
            f"{'Invalid' if not self.conforms else 'Valid'}: {self.violations} violation(s)"
            f", {warnings} warning(s) in {len(groups)} resource(s) ({checked})."
        )
        return "\n".join(lines)


def validate(
    graph: Graph,
    *,
    source_dirs: Sequence[Path] = (),
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    files: Sequence[Path] = (),
) -> ValidationReport:
    """Check ``graph`` against the shapes, its quotes against their sources, its links and labels.

    ``source_dirs`` are extra folders in which a source's ``tf:localCopy`` is looked for after the
    shipped ``data/`` folder (the CLI passes the folders of the user's ``--data`` files and the
    working directory). ``shapes`` and ``ontology`` default to the shipped files. ``files``
    are the files the graph was read from, where an ill-typed literal's line is looked up.
    """
    report = ValidationReport(triples=len(graph))
    report.findings += shacl_findings(graph, shapes, ontology)
    found, report.quotes_checked, report.sources_read = quote_findings(
        graph, [resources.data_dir(), *source_dirs]
    )
    report.findings += found
    report.findings += uncited_source_findings(graph)
    report.outside_facts = outside_facts(graph)
    reported = {(f.resource, f.property, f.value) for f in report.findings}
    indexed = indexed_copy(graph)
    report.findings += [  # a link the shapes already reported as dangling is not repeated
        f
        for f in dangling_link_findings(indexed)
        if (f.resource, f.property, f.value) not in reported
    ]
    report.findings += label_findings(indexed)
    report.findings += cycle_findings(indexed)
    report.findings += content_findings(indexed)
    report.findings += ill_typed_findings(graph, files)
    return report


def indexed_copy(graph: Graph) -> Graph:
    """``graph`` copied into an in-memory Oxigraph store, for the QA queries: rdflib's engine
    took 13 s of a 5,000-line file's 27 s on them (FILTERs over every link), Oxigraph a
    fraction of a second; the copy costs about as much as parsing the file again. A graph
    already answered by Oxigraph is used as it is."""
    from tf_graph.engines.store import NormalisingOxigraphStore, wrap_graph

    if isinstance(graph.store, NormalisingOxigraphStore):
        return graph
    store = ox.Store()
    store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)
    return wrap_graph(store)


# --- SHACL -----------------------------------------------------------------------------------


def shipped_shapes() -> Graph:
    return load_files([resources.shapes_file()])


def shipped_ontology() -> Graph:
    """The ontology without its shapes: lets ``sh:class`` follow ``rdfs:subClassOf``."""
    return load_files(resources.ontology_files())


def shacl_findings(
    graph: Graph, shapes: Graph | None = None, ontology: Graph | None = None
) -> list[Finding]:
    """The SHACL shapes' findings: the rules pyshacl evaluates per resource at great cost
    (:func:`whole_graph_constraints`, :func:`class_ranges`, :func:`string_ors`) checked over
    the whole graph, the rest by pyshacl (no inference; the ontology mixed in). The findings
    are those of pyshacl alone (:func:`pyshacl_findings` on all the shapes; a test compares)."""
    shapes = shapes if shapes is not None else shipped_shapes()
    ontology = ontology if ontology is not None else shipped_ontology()
    whole, rest = whole_graph_constraints(shapes)
    mixed = with_ontology(graph, ontology)
    findings = sparql_constraint_findings(graph, mixed, shapes, whole)
    findings += class_range_findings(graph, mixed, shapes, class_ranges(shapes))
    findings += string_or_findings(graph, mixed, shapes, string_ors(shapes))
    # (pyshacl copies the data graph to mix the ontology in: not when the graph holds it)
    return findings + pyshacl_findings(graph, rest, ontology if mixed is not graph else None)


@contextlib.contextmanager
def prepared_queries() -> Iterator[None]:
    """rdflib parses each query text once while inside (kept by text, base and prefixes, in
    :mod:`tf_graph.engines.rdflib_parse`), and runs the parse with each call's bindings.

    Why: pyshacl sends a SPARQL constraint's text once per focus node (tfsh:StatementAsserted:
    once per statement); parsing it again was a third of ``validate`` on the shipped graph
    and 60% of validating a small graph. The rows are rdflib's as before. (rdflib's SPARQL
    processor is swapped for the duration: ``validate`` is run by one command at a time.)"""
    from rdflib.plugins.sparql import processor

    real = processor.SPARQLProcessor.query

    def query(self, text, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(text, str):
            text = parsed(text, base, (initNs or {}).items())
        return real(self, text, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = real  # type: ignore[method-assign]


def pyshacl_findings(graph: Graph, shapes: Graph, ontology: Graph | None) -> list[Finding]:
    """Run pyshacl with the settings noted at the top of ontology/shapes.ttl; each result
    becomes a finding."""
    from pyshacl import validate as shacl_validate
    from pyshacl.errors import ReportableRuntimeError

    try:
        with prepared_queries():
            _, results, _ = shacl_validate(
                graph,
                shacl_graph=shapes,
                ont_graph=ontology if ontology is not None and len(ontology) else None,
                inference="none",
                advanced=False,
                abort_on_first=False,
                allow_warnings=True,
            )
    except ReportableRuntimeError as err:
        raise TfGraphError(f"SHACL validation failed: {' '.join(str(err).split())}") from None
    findings = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        component = results.value(result, SH.sourceConstraintComponent)
        message = results.value(result, SH.resultMessage)
        severity = _SEVERITIES.get(results.value(result, SH.resultSeverity), VIOLATION)
        shape = _named_shape(shapes, results.value(result, SH.sourceShape))
        findings.append(
            Finding(
                resource=str(focus),
                label=_label(graph, focus),
                rule="shacl/" + _component_name(component),
                message=compact(str(message)) if message else "violates a shape",
                property=compact(str(path)) if isinstance(path, URIRef) else None,
                value=_show(value) if value is not None else None,
                severity=severity,
                shape=compact(str(shape)) if shape is not None else None,
            )
        )
    return findings


def whole_graph_constraints(shapes: Graph) -> tuple[list[tuple[Node, Node]], Graph]:
    """The SPARQL constraints run once over the whole graph (:func:`sparql_constraint_findings`)
    as ``(shape, constraint)``, and the shapes with those (and the class ranges of
    :func:`class_ranges`) deactivated, for pyshacl.

    pyshacl runs a SPARQL constraint once per focus node: rdflib took 5-8 ms each, 40 s for
    100,000 lines of links, even with the query parsed once. Run once with ``$this`` free, the
    same query gives the same rows for every focus node at once. Taken: node shapes whose
    targets are ``sh:targetSubjectsOf`` / ``sh:targetNode`` and whose constraint is a SELECT of
    ``$this ?path ?value`` with full IRIs (tfsh:NoDanglingLinksQuery); pyshacl runs the rest.
    """
    whole = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        select = str(shapes.value(constraint, SH.select) or "")
        if (
            _targets(shapes, shape) <= {SH.targetSubjectsOf, SH.targetNode}
            and _targets(shapes, shape)
            and shapes.value(shape, SH.path) is None
            and shapes.value(constraint, SH.prefixes) is None
            and shapes.value(constraint, SH.deactivated) is None
            and not re.search(r"[?$](failure|currentShape|shapesGraph)\b", select)
        ):
            whole.append((shape, constraint))
    rest = Graph()
    rest += shapes
    for _, constraint in whole:
        rest.add((constraint, SH.deactivated, Literal(True)))
    for shape, *_ in class_ranges(shapes):
        rest.add((shape, SH.deactivated, Literal(True)))
    for shape, *_ in string_ors(shapes):
        rest.remove((shape, SH["or"], None))
    return whole, rest


def _severity(node: Node | None) -> str:
    return _SEVERITIES.get(node, VIOLATION) if isinstance(node, URIRef) else VIOLATION


def _targets(shapes: Graph, shape: Node) -> set[Node]:
    return {p for p, _ in shapes.predicate_objects(shape) if str(p).startswith(f"{SH}target")}


#: what a class-range shape may say besides its targets, path and classes
_RANGE_EXTRAS = {RDF.type, SH.name, SH.description, SH.severity, SH.message, SH.path}


def class_ranges(shapes: Graph) -> list[tuple[Node, URIRef, list[Node], str]]:
    """Property shapes that only say "every value of this property, wherever it is used, is an
    instance of one of these classes" (``sh:targetSubjectsOf``, a plain ``sh:path``, and
    ``sh:class C`` or ``sh:or ( [ sh:class C1 ] [ sh:class C2 ] ... )``: the ``tfsh:*Range``
    shapes) as ``(shape, path, classes, component)``. pyshacl checks each value against
    each branch and describes every failed branch (half of validate's time);
    :func:`class_range_findings` gives the same results from the graph's indexes."""
    ranges = []
    for shape in set(shapes.subjects(SH.targetSubjectsOf, None)):
        path = shapes.value(shape, SH.path)
        said = {p for p, _ in shapes.predicate_objects(shape)} - _targets(shapes, shape)
        if not isinstance(path, URIRef) or _targets(shapes, shape) != {SH.targetSubjectsOf}:
            continue
        classes = list(shapes.objects(shape, SH["class"]))
        if said - _RANGE_EXTRAS == {SH["class"]} and len(classes) == 1:
            ranges.append((shape, path, classes, "Class"))
        elif said - _RANGE_EXTRAS == {SH["or"]}:
            choices = shapes.value(shape, SH["or"])
            branches = list(shapes.items(choices)) if choices is not None else []
            classes = [c for c in (_only(shapes, b, SH["class"]) for b in branches) if c]
            if branches and len(classes) == len(branches):
                ranges.append((shape, path, classes, "Or"))
    return ranges


def _only(shapes: Graph, branch: Node, predicate: URIRef) -> Node | None:
    """X if ``branch`` is a blank node saying only ``predicate X`` (``sh:class C``)."""
    said = list(shapes.predicate_objects(branch))
    if isinstance(branch, URIRef) or len(said) != 1 or said[0][0] != predicate:
        return None
    return said[0][1]


def class_range_findings(
    graph: Graph, mixed: Graph, shapes: Graph, ranges: list[tuple[Node, URIRef, list[Node], str]]
) -> list[Finding]:
    """What pyshacl reports for each class range: each value of the property (on a subject
    that uses one of the target properties) that is not a SHACL instance of any of the classes
    (``rdf:type/rdfs:subClassOf*`` in the graph with the ontology mixed in)."""
    findings = []
    for shape, path, classes, component in ranges:
        instances: set[Node] = set()
        for cls in classes:
            for sub in mixed.transitive_subjects(RDFS.subClassOf, cls):
                instances.update(mixed.subjects(RDF.type, sub))
        focus: set[Node] = set()
        for predicate in shapes.objects(shape, SH.targetSubjectsOf):
            focus.update(graph.subjects(predicate, None, unique=True))
        message = shapes.value(shape, SH.message)
        severity = _severity(shapes.value(shape, SH.severity))
        for subject, value in graph.subject_objects(path):
            if subject in focus and value not in instances:
                findings.append(
                    Finding(
                        resource=str(subject),
                        label=_label(graph, subject),
                        rule=f"shacl/{component}",
                        message=compact(str(message)) if message else "violates a shape",
                        property=compact(str(path)),
                        value=_show(value),
                        severity=severity,
                        shape=compact(str(shape)) if isinstance(shape, URIRef) else None,
                    )
                )
    return findings


_STRING_TYPES = {XSD.string, RDF.langString}


def string_ors(shapes: Graph) -> list[tuple[Node, URIRef, list[Node], list[Node]]]:
    """Property shapes with ``sh:or ( [ sh:datatype xsd:string ] [ sh:datatype rdf:langString ] )``
    (any of those two), used by node shapes whose targets are classes, subjects of or nodes,
    as ``(property shape, path, datatypes, node shapes)``: every label and description of every
    resource. pyshacl describes each failed branch of each value (a third of validate's time);
    :func:`string_or_findings` checks that ``sh:or`` from the graph's indexes (pyshacl checks
    the rest of the shape)."""
    found = []
    for shape, choices in shapes.subject_objects(SH["or"]):
        path = shapes.value(shape, SH.path)
        branches = list(shapes.items(choices))
        datatypes = [d for d in (_only(shapes, b, SH.datatype) for b in branches) if d]
        node_shapes = list(shapes.subjects(SH.property, shape))
        if (
            isinstance(path, URIRef)
            and branches
            and len(datatypes) == len(branches)
            and set(datatypes) <= _STRING_TYPES
            and node_shapes
            and not _targets(shapes, shape)
            and all(_simple_node_shape(shapes, node) for node in node_shapes)
        ):
            found.append((shape, path, datatypes, node_shapes))
    return found


def _simple_node_shape(shapes: Graph, node: Node) -> bool:
    targets = _targets(shapes, node)
    return (
        bool(targets)
        and targets <= {SH.targetClass, SH.targetSubjectsOf, SH.targetNode}
        and shapes.value(node, SH.path) is None
        and shapes.value(node, SH.deactivated) is None
    )


def _is_string(value: Node, datatype: Node) -> bool:
    """pyshacl's sh:datatype test for xsd:string and rdf:langString."""
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        return not value.ill_typed and isinstance(value.value, (str, bytes))
    if datatype == XSD.string:
        return value.datatype is None and value.language is None
    return bool(value.language)


def string_or_findings(
    graph: Graph,
    mixed: Graph,
    shapes: Graph,
    ors: list[tuple[Node, URIRef, list[Node], list[Node]]],
) -> list[Finding]:
    """What pyshacl reports for each of ``ors``: each value of the path, on each focus node of
    each node shape using it, that is none of the datatypes."""
    findings = []
    for shape, path, datatypes, node_shapes in ors:
        message = shapes.value(shape, SH.message)
        severity = _severity(shapes.value(shape, SH.severity))
        named = _named_shape(shapes, shape)
        for node in node_shapes:
            for focus in _focus_nodes(graph, mixed, shapes, node):
                for value in graph.objects(focus, path):
                    if any(_is_string(value, datatype) for datatype in datatypes):
                        continue
                    findings.append(
                        Finding(
                            resource=str(focus),
                            label=_label(graph, focus),
                            rule="shacl/Or",
                            message=compact(str(message)) if message else "violates a shape",
                            property=compact(str(path)),
                            value=_show(value),
                            severity=severity,
                            shape=compact(str(named)) if named is not None else None,
                        )
                    )
    return findings


def _focus_nodes(graph: Graph, mixed: Graph, shapes: Graph, node: Node) -> set[Node]:
    """The focus nodes of a node shape's class, subjects-of and node targets."""
    focus: set[Node] = set(shapes.objects(node, SH.targetNode))
    for predicate in shapes.objects(node, SH.targetSubjectsOf):
        focus.update(graph.subjects(predicate, None, unique=True))
    for cls in shapes.objects(node, SH.targetClass):
        for sub in mixed.transitive_subjects(RDFS.subClassOf, cls):
            focus.update(graph.subjects(RDF.type, sub))
    return focus


def with_ontology(graph: Graph, ontology: Graph) -> Graph:
    """``graph`` with ``ontology`` mixed in (as pyshacl's ``ont_graph``), or ``graph`` itself
    when it holds the ontology already (as the CLI's graph does: the same files, read again,
    so only the triples without blank nodes, which get new names each time, can be compared)."""
    named = (t for t in ontology if not any(isinstance(term, BNode) for term in t))
    if all(triple in graph for triple in named):
        return graph
    mixed = Graph()
    mixed += graph
    mixed += ontology
    return mixed


def sparql_constraint_findings(
    graph: Graph, mixed: Graph, shapes: Graph, constraints: list[tuple[Node, Node]]
) -> list[Finding]:
    """What pyshacl would report for each of ``constraints``, from one query over the graph
    (with the ontology mixed in, as pyshacl's ``ont_graph``) in Oxigraph."""
    if not constraints:
        return []
    indexed = indexed_copy(mixed)
    findings: dict[tuple[str, str | None, str | None, str], Finding] = {}
    for shape, constraint in constraints:
        focus = set(shapes.objects(shape, SH.targetNode))
        for predicate in shapes.objects(shape, SH.targetSubjectsOf):
            focus.update(graph.subjects(predicate, None, unique=True))
        message = str(shapes.value(constraint, SH.message) or "violates a shape")
        severity = shapes.value(constraint, SH.severity) or shapes.value(shape, SH.severity)
        named = _named_shape(shapes, shape)
        rows: Iterable[Any] = indexed.query(str(shapes.value(constraint, SH.select)))
        for row in rows:
            this, path, value = row.get("this"), row.get("path"), row.get("value")
            if this not in focus:
                continue
            bound = {"this": this, "path": path, "value": value}
            text = message
            for name, term in bound.items():
                for mark in (f"{{?{name}}}", f"{{${name}}}"):
                    text = text.replace(mark, str(term)) if term is not None else text
            finding = Finding(
                resource=str(this),
                label=_label(graph, this),
                rule="shacl/SPARQL",
                message=compact(text),
                property=compact(str(path)) if isinstance(path, URIRef) else None,
                value=_show(value) if value is not None else None,
                severity=_severity(severity),
                shape=compact(str(named)) if named is not None else None,
            )
            findings[(finding.resource, finding.property, finding.value, str(constraint))] = finding
    return list(findings.values())


def _named_shape(shapes: Graph, shape: Node | None) -> Node | None:
    """The shape itself when it has an IRI, else the named shape holding it (sh:property)."""
    seen: set[Node] = set()
    while shape is not None and not isinstance(shape, URIRef) and shape not in seen:
        seen.add(shape)
        shape = next(iter(shapes.subjects(SH.property, shape)), None)
    return shape


def _component_name(component: Node | None) -> str:
    name = str(component or "Shape").rsplit("#", 1)[-1]
    return name.removesuffix("ConstraintComponent") or name


# --- quotes ----------------------------------------------------------------------------------


def quote_findings(
    graph: Graph, search_dirs: Sequence[Path]
) -> tuple[list[Finding], int, list[str]]:
    """Every ``tf:quote`` must occur in the text of (one of) the resource's sources.

    Returns the findings, how many quotes were checked and which source files were read. A
    source without a readable local copy is itself a finding, once, on the source.
    """
    quotes: dict[tuple[Node, str], list[Node]] = {}
    for row in _rows(graph, "quotes"):
        sources = quotes.setdefault((row.resource, str(row.quote)), [])
        if row.source is not None and row.source not in sources:
            sources.append(row.source)
    findings: list[Finding] = []
    texts: dict[Node, str | None] = {}  # source -> plain text, None when unavailable
    read: list[str] = []
    for sources in quotes.values():
        for source in sources:
            if source not in texts:
                texts[source] = _source_text(graph, source, search_dirs, findings, read)
    others = _OtherSources(graph, search_dirs, texts)
    for (resource, quote), sources in quotes.items():
        message = _quote_problem(graph, quote, sources, texts, others)
        if message is None:
            continue
        findings.append(
            Finding(
                resource=str(resource),
                label=_label(graph, resource),
                rule="quote",
                message=message,
                property="tf:quote",
                value=quote,
            )
        )
    return findings, len(quotes), read


def _quote_problem(
    graph: Graph,
    quote: str,
    sources: list[Node],
    texts: dict[Node, str | None],
    others: _OtherSources,
) -> str | None:
    """What is wrong with a quote, checked against the sources it names; None when it is in
    one of them."""
    readable = [text for text in (texts[s] for s in sources) if text is not None]
    if not sources:
        return "has a tf:quote but no prov:wasDerivedFrom source to check it against"
    if not readable:
        return "cannot be checked: the text of its source is unavailable"
    if any(quote_in_source(quote, text) for text in readable):
        return None
    names = ", ".join(_label(graph, s) for s in sources)
    holders = others.holding(quote, sources)
    if holders:  # the right words, attributed to the wrong source
        return (
            f"not found in the text of {names}, the source it names; it is in the text of "
            f"{', '.join(_label(graph, h) for h in holders)}"
        )
    return f"not found in the text of {names}{_divergence(quote, readable)}"


class _OtherSources:
    """The texts of every source with a local copy, read only when a quote is not in the source
    it names, to say which source does hold it."""

    def __init__(self, graph: Graph, search_dirs: Sequence[Path], texts: dict):
        self.graph, self.search_dirs, self.texts = graph, search_dirs, texts
        self.sources: list[Node] | None = None

    def holding(self, quote: str, named: Sequence[Node]) -> list[Node]:
        if self.sources is None:
            self.sources = []
            for row in _rows(self.graph, "sources"):
                if row.source not in self.sources:
                    self.sources.append(row.source)
        found = []
        for source in self.sources:
            if source in named:
                continue
            if source not in self.texts:  # unreadable here: reported where it is cited
                self.texts[source] = _source_text(self.graph, source, self.search_dirs, [], [])
            text = self.texts[source]
            if text is not None and quote_in_source(quote, text):
                found.append(source)
        return found


def uncited_source_findings(graph: Graph) -> list[Finding]:
    """Each source with a local copy from which no quoted fact is derived: a shipped source
    must state at least one fact of the graph."""
    return [
        Finding(
            resource=str(row.source),
            label=_label(graph, row.source),
            rule="uncited-source",
            message="no fact quotes this source (no resource or statement with a tf:quote has "
            "it as prov:wasDerivedFrom): cite it at least once, or do not ship it",
            property="tf:localCopy",
            value=str(row.localCopy),
        )
        for row in _rows(graph, "uncited-sources")
    ]


def outside_facts(graph: Graph) -> int:
    """How many facts have no words from a shipped source: statements without a quote from a
    source with a local copy, and resources citing a reference by ``dcterms:source``."""
    return len({row.fact for row in _rows(graph, "outside-facts")})


def _source_text(
    graph: Graph,
    source: Node,
    search_dirs: Sequence[Path],
    findings: list[Finding],
    read: list[str],
) -> str | None:
    """The plain text of a source's local copy (first found in ``search_dirs``), or None with a
    finding on the source saying why."""
    copies = sorted(str(c) for c in graph.objects(source, TF.localCopy))
    tried: list[Path] = []
    problems: list[str] = []
    for copy in copies:
        for folder in search_dirs:
            path = (Path(folder) / copy).resolve()
            if path in tried:
                continue
            tried.append(path)
            if not path.is_file():
                continue
            try:
                text = read_plain_text(path)
            except (OSError, UnicodeDecodeError) as err:
                problems.append(f"{path} cannot be read ({err})")
                continue
            read.append(str(path))
            return text
    if not copies:
        message = "has no tf:localCopy, so the quotes derived from it cannot be checked"
    elif problems:
        message = "; ".join(problems)
    else:
        message = "local copy not found (looked for " + ", ".join(map(str, tried)) + ")"
    findings.append(
        Finding(
            resource=str(source),
            label=_label(graph, source),
            rule="source-text",
            message=message,
            property="tf:localCopy",
            value=copies[0] if copies else None,
        )
    )
    return None


def _divergence(quote: str, texts: Iterable[str]) -> str:
    """Where the quote stops matching: helps spot a straight quote mark or a wrong word."""
    quote = collapse(quote)
    best = 0
    for text in texts:
        low, high = 0, len(quote)  # longest prefix found in text: binary search (monotone)
        while low < high:
            mid = (low + high + 1) // 2
            if quote[:mid] in text:
                low = mid
            else:
                high = mid - 1
        best = max(best, low)
    if best == 0:
        return ""
    return f"; it matches up to {_clip(quote[max(0, best - 30) : best], 30)!r}, then differs"


# --- links and labels ------------------------------------------------------------------------


def dangling_link_findings(graph: Graph) -> list[Finding]:
    """Each link (by a tf: property, org:subOrganizationOf, prov:wasDerivedFrom, ...) whose
    target is not typed or not labelled in the graph."""
    findings = []
    for row in _rows(graph, "dangling-links"):
        missing = [
            what
            for what, ok in (("rdf:type", row.typed), ("rdfs:label", row.labelled))
            if not (isinstance(ok, Literal) and ok.toPython())  # a boolean literal
        ]
        findings.append(
            Finding(
                resource=str(row.subject),
                label=_label(graph, row.subject),
                rule="dangling-link",
                message=f"links to {_show(row.target)}, which has no {' and no '.join(missing)}",
                property=compact(str(row.property)),
                value=_show(row.target),
            )
        )
    return findings


def label_findings(graph: Graph) -> list[Finding]:
    """Each resource without exactly one ``rdfs:label``."""
    findings = []
    for row in _rows(graph, "label-count"):
        count = int(row.labelCount)
        message = (
            "has no rdfs:label" if count == 0 else f"has {count} rdfs:label values (needs one)"
        )
        findings.append(
            Finding(
                resource=str(row.resource),
                label=_label(graph, row.resource),
                rule="label",
                message=message,
                property="rdfs:label",
            )
        )
    return findings


def cycle_findings(graph: Graph) -> list[Finding]:
    """A warning for each resource below itself by ``org:subOrganizationOf``,
    ``dcterms:isPartOf`` or ``skos:broader`` links (``queries/qa/part-of-cycle.rq``): the rules
    that close those links would make every resource on the cycle part of every other."""
    findings = []
    for row in _rows(graph, "part-of-cycle"):
        prop = compact(str(row.property))
        findings.append(
            Finding(
                resource=str(row.resource),
                label=_label(graph, row.resource),
                rule="part-of-cycle",
                message=f"is below itself by {prop} links (through {_show(row.above)}); "
                "the derived closures count each resource on the cycle as part of every other",
                property=prop,
                value=_show(row.above),
                severity=WARNING,
            )
        )
    return findings


#: QA queries on what the data says (each SELECTs ?resource ?property ?value ?problem and may
#: bind ?severity to "warning"; a finding is a violation otherwise), with
#: the rule name their findings carry: kinds of error a line-by-line audit found and that can
#: come back with the next source (queries/qa/<name>.rq describes each)
CONTENT_CHECKS = (
    ("plans", "plan"),
    ("unsourced-facts", "unsourced-fact"),
    ("shared-alias", "shared-alias"),
)


def content_findings(graph: Graph) -> list[Finding]:
    """A finding for each row of the content QA queries (``CONTENT_CHECKS``)."""
    findings = []
    for name, rule in CONTENT_CHECKS:
        for row in graph.query(qa_query(name)):
            assert isinstance(row, ResultRow)  # a SELECT gives rows
            findings.append(
                Finding(
                    resource=str(row.resource),
                    label=_label(graph, row.resource),
                    rule=rule,
                    message=str(row.problem),
                    property=compact(str(row.property)) if row.property is not None else None,
                    value=_show(row.value) if row.value is not None else None,
                    severity=WARNING if str(row.get("severity")) == WARNING else VIOLATION,
                )
            )
    return findings


def ill_typed_findings(graph: Graph, files: Sequence[Path] = ()) -> list[Finding]:
    """Each literal whose text is not a value of its datatype ("abc"^^xsd:integer,
    "2022-13-45"^^xsd:date), with the file and line it is on when one of ``files`` holds it."""
    findings = []
    for subject, predicate, value in graph:
        if not isinstance(value, Literal) or not value.ill_typed:
            continue
        datatype = compact(str(value.datatype))
        where = _where(str(value), files)
        findings.append(
            Finding(
                resource=str(subject),
                label=_label(graph, subject),
                rule="ill-typed-literal",
                message=f"{str(value)!r} is not a valid {datatype}{where}",
                property=compact(str(predicate)),
                value=str(value),
            )
        )
    return findings


def _where(lexical: str, files: Sequence[Path]) -> str:
    """ " (FILE:LINE)" of the first of ``files`` where the literal is written, or ""."""
    needles = [f'"{lexical}"'.encode(), f"'{lexical}'".encode()]
    for path in files:
        with contextlib.suppress(OSError):
            line = line_of(Path(path), needles)
            if line is not None:
                return f" ({path}:{line})"
    return ""


# --- helpers ---------------------------------------------------------------------------------


def _rows(graph: Graph, name: str) -> list[ResultRow]:
    """The rows of ``queries/qa/<name>.rq`` on ``graph``."""
    return [row for row in graph.query(qa_query(name)) if isinstance(row, ResultRow)]


@cache
def qa_query(name: str) -> str:
    """The text of ``queries/qa/<name>.rq``."""
    return (resources.queries_dir() / "qa" / f"{name}.rq").read_text(encoding="utf-8")


_IRI = re.compile(r"<?(https?://[^\s<>\"']+)>?")
SHAPES_NS = "https://w3id.org/tf-graph/shapes#"
#: (namespace, prefix), longest namespace first, so that agency: wins over tfr:
_NAMESPACES = sorted(
    [(str(ns), p) for p, ns in PREFIXES.items()] + [(SHAPES_NS, "tfsh")], key=lambda x: -len(x[0])
)


def compact(text: str) -> str:
    """IRIs in ``text`` (bare or in angle brackets) that fall in one of our namespaces written as
    prefixed names ("tf:ledBy"): messages stay short enough to read."""

    def shorten(match: re.Match) -> str:
        iri = match.group(1)
        for namespace, prefix in _NAMESPACES:
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and local and "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
        return match.group(0)

    return _IRI.sub(shorten, text)


def _show(node: Node) -> str:
    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, URIRef):
        short = compact(str(node))
        return short if short != str(node) else f"<{node}>"
    return f"_:{node}"


def _label(graph: Graph, node: Node) -> str:
    return label(graph, node) if isinstance(node, URIRef) else _show(node)


def _clip(text: str | None, width: int = 160) -> str:
    return clip(collapse(text or ""), width)


def _quoted(value: str) -> str:
    """Text values in double quotes, so that a quote's own punctuation stands apart; names
    (agency:dhs, <https://...>) as they are."""
    return f'"{value}"' if " " in value else value


def _finding_order(finding: Finding) -> tuple[str, str, str]:
    return (finding.rule, finding.property or "", finding.value or "")
