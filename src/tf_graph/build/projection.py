"""Projection of the RDF graph onto its resources, as a networkx graph.

Nodes are the labelled resources of the data (agencies, bodies, initiatives, laws, topics,
...); edges are the links between them. Bookkeeping links that would make a hub of every
node (``rdf:type``, ``prov:wasDerivedFrom``, ``skos:inScheme``) are left out. Statistics and
the visualisation both stand on this one projection.
"""

from __future__ import annotations

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from tf_graph.build.rules import derived_properties
from tf_graph.labels import CLASS_ORDER, is_abbreviation, local_name
from tf_graph.namespaces import ELI, SCHEMA, TF, TFR

#: predicates that are not relations between the things the graph is about
SKIPPED_PREDICATES = (
    frozenset(
        {
            RDF.type,
            PROV.wasDerivedFrom,
            SKOS.inScheme,
            SKOS.topConceptOf,
            SKOS.hasTopConcept,
            OWL.sameAs,
            SCHEMA.sameAs,
            DCTERMS.source,
            SCHEMA.url,
            RDFS.seeAlso,
            # the parts of a law link up by eli:is_part_of; tf:within is its closure written
            # out for queries, eli:has_part its inverse
            TF.within,
            ELI.has_part,
        }
    )
    | derived_properties()
)  # the rules' facts (tf:partOfAgency, ...): no source states them
#: literal properties copied onto nodes (attribute name -> predicate)
NODE_ATTRIBUTES = {
    "description": RDFS.comment,
    "date": TF.date,
    "quote": TF.quote,  # several quotes are joined with " … "
    "amount_usd": TF.amountUSD,
    "url": SCHEMA.url,
}
#: link properties whose target's label is copied onto nodes
NODE_LINK_ATTRIBUTES = {"pillar": TF.pillar, "status": TF.status}


#: types whose instances are vocabulary or bookkeeping, not things the data is about
VOCABULARY_TYPES = frozenset(
    {
        OWL.Class,
        RDFS.Class,
        RDF.Property,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.Ontology,
        SKOS.ConceptScheme,
    }
)
#: resources of the data that are not nodes of the projection: a statement is the evidence of
#: a link, not a thing of the picture (statements still count in the statistics of the data)
NOT_PROJECTED_TYPES = frozenset({TF.Statement})
#: the parts of the law texts are their words (``show``, the law-text query): only those the
#: data links to (the U.S. Code sections an Act's section is codified at) are nodes
LAW_PART_TYPE = TF.LegalText


def is_resource(graph: Graph, node: object) -> bool:
    """A thing the data is about: an IRI of ours, or a labelled one of a user's, that is not
    part of a vocabulary."""
    if not isinstance(node, URIRef) or str(node).startswith(str(TF)):
        return False
    if any(t in VOCABULARY_TYPES for t in graph.objects(node, RDF.type)):
        return False
    return str(node).startswith(str(TFR)) or graph.value(node, RDFS.label) is not None


class _Index:
    """Everything the projection reads about nodes, gathered in one pass over the graph.

    Looking each node up in the store (``graph.value`` per attribute) made the projection of
    a 5,000-node graph take seconds; one pass keeps it linear in the number of triples.
    """

    def __init__(self, graph: Graph) -> None:
        self.literals: dict[URIRef, dict[URIRef, list[str]]] = {}
        self.links: dict[URIRef, dict[URIRef, list[URIRef]]] = {}
        self.types: dict[URIRef, set[URIRef]] = {}
        self.codified: set[object] = set()  # the law texts' parts the data links to
        for s, p, o in graph:
            if not isinstance(s, URIRef) or not isinstance(p, URIRef):
                continue
            if p == TF.codifiedAt:
                self.codified.add(o)
            if p == RDF.type and isinstance(o, URIRef):
                self.types.setdefault(s, set()).add(o)
            elif isinstance(o, Literal):
                self.literals.setdefault(s, {}).setdefault(p, []).append(str(o))
            elif isinstance(o, URIRef):
                self.links.setdefault(s, {}).setdefault(p, []).append(o)

    def first(self, node: URIRef, prop: URIRef) -> str | None:
        values = self.literals.get(node, {}).get(prop)
        return min(values) if values else None

    def label(self, node: URIRef) -> str:
        return self.first(node, RDFS.label) or self.first(node, SKOS.prefLabel) or local_name(node)

    def short(self, node: URIRef) -> str:
        alts = sorted(self.literals.get(node, {}).get(SKOS.altLabel, []))
        abbrevs = [a for a in alts if is_abbreviation(a)]
        return min(abbrevs, key=len) if abbrevs else self.label(node)

    def cls(self, node: URIRef) -> str:
        names = {local_name(t) for t in self.types.get(node, ()) if str(t).startswith(str(TF))}
        return next((name for name in CLASS_ORDER if name in names), "Resource")

    def is_resource(self, node: object) -> bool:
        """As :func:`is_resource`, from the index; statements, and parts of laws the data does
        not link to, are left out (:data:`NOT_PROJECTED_TYPES`, :data:`LAW_PART_TYPE`)."""
        if not isinstance(node, URIRef) or str(node).startswith(str(TF)):
            return False
        types = self.types.get(node, set())
        if types & (VOCABULARY_TYPES | NOT_PROJECTED_TYPES):
            return False
        if LAW_PART_TYPE in types and node not in self.codified:
            return False
        return str(node).startswith(str(TFR)) or self.first(node, RDFS.label) is not None

    def attributes(self, node: URIRef) -> dict[str, str]:
        attrs = {"label": self.label(node), "short": self.short(node), "cls": self.cls(node)}
        for name, prop in NODE_ATTRIBUTES.items():
            value = self.first(node, prop)
            if prop == TF.quote and value is not None:
                value = " … ".join(sorted(self.literals[node][prop]))  # every quote, not one
            if value is None and prop == SCHEMA.url:
                urls = self.links.get(node, {}).get(prop)
                value = str(min(urls)) if urls else None
            if value is not None:
                attrs[name] = value
        for name, prop in NODE_LINK_ATTRIBUTES.items():
            targets = self.links.get(node, {}).get(prop)
            if targets:
                attrs[name] = self.label(min(targets))
        return attrs


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The resources of ``graph`` as nodes (IRI strings) and their links as directed edges.

    Node attributes: ``label``, ``short`` (abbreviation or label), ``cls`` (contract class),
    and ``description``, ``date``, ``quote``, ``amount_usd``, ``url``, ``pillar``, ``status``
    where the data has them. Edge attributes: ``predicate`` (IRI) and ``label``.
    """
    index = _Index(graph)
    net = nx.MultiDiGraph()
    edges = []
    for s, links in index.links.items():
        if not index.is_resource(s):
            continue
        for p, targets in links.items():
            if p in SKIPPED_PREDICATES:
                continue
            for o in targets:
                if index.is_resource(o):
                    edges.append((s, p, o))
    nodes = {s for s, _, _ in edges} | {o for _, _, o in edges}
    nodes |= {
        s for s, lits in index.literals.items() if RDFS.label in lits and index.is_resource(s)
    }
    for node in sorted(nodes):
        net.add_node(str(node), **index.attributes(node))
    for s, p, o in sorted(edges):
        net.add_edge(str(s), str(o), key=str(p), predicate=str(p), label=index.label(p))
    return net
