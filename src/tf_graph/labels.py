"""Names of resources as people read them: label, short name (abbreviation), class."""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from tf_graph.namespaces import TF

#: classes of the contract, most specific first: a resource is shown as the first that it has
CLASS_ORDER = (
    "Initiative",
    "Agency",
    "CoordinationBody",
    "StatutoryProvision",
    "Statute",
    "ExecutiveOrder",
    "PolicyDocument",
    "Event",
    "Pillar",
    "Topic",
    "Sector",
    "Country",
    "SourceDocument",
    "Person",
)


def label(graph: Graph, node: URIRef) -> str:
    """Its ``rdfs:label`` (or ``skos:prefLabel``), else the last segment of its IRI."""
    for prop in (RDFS.label, SKOS.prefLabel):
        value = graph.value(node, prop)
        if value is not None:
            return str(value)
    return local_name(node)


def local_name(node: Node) -> str:
    text = str(node)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or text


def abbreviations(graph: Graph, node: URIRef) -> list[str]:
    """Alternative labels that look like abbreviations (no space, an upper-case letter)."""
    alts = sorted(str(v) for v in graph.objects(node, SKOS.altLabel) if isinstance(v, Literal))
    return [a for a in alts if is_abbreviation(a)]


def is_abbreviation(name: str) -> bool:
    """A name that reads as an abbreviation: one word with an upper-case letter ("DHS", "State")."""
    return " " not in name and any(c.isupper() for c in name)


def short_name(graph: Graph, node: URIRef) -> str:
    """The abbreviation where there is one (shortest first), else the label."""
    abbrevs = sorted(abbreviations(graph, node), key=len)
    return abbrevs[0] if abbrevs else label(graph, node)


def primary_class(graph: Graph, node: URIRef) -> str:
    """The contract class a resource is shown as ("Agency", "Initiative", ...), or "Resource"."""
    types = {local_name(t) for t in graph.objects(node, RDF.type) if str(t).startswith(str(TF))}
    for name in CLASS_ORDER:
        if name in types:
            return name
    return "Resource"
