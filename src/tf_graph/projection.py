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

from .labels import label, primary_class, short_name
from .namespaces import SCHEMA, TF, TFR

#: predicates that are not relations between the things the graph is about
SKIPPED_PREDICATES = frozenset(
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
    }
)
#: literal properties copied onto nodes (attribute name -> predicate)
NODE_ATTRIBUTES = {
    "description": RDFS.comment,
    "date": TF.date,
    "quote": TF.quote,
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


def is_resource(graph: Graph, node: object) -> bool:
    """A thing the data is about: an IRI of ours, or a labelled one of a user's, that is not
    part of a vocabulary."""
    if not isinstance(node, URIRef) or str(node).startswith(str(TF)):
        return False
    if any(t in VOCABULARY_TYPES for t in graph.objects(node, RDF.type)):
        return False
    return str(node).startswith(str(TFR)) or graph.value(node, RDFS.label) is not None


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The resources of ``graph`` as nodes (IRI strings) and their links as directed edges.

    Node attributes: ``label``, ``short`` (abbreviation or label), ``cls`` (contract class),
    and ``description``, ``date``, ``quote``, ``amount_usd``, ``url``, ``pillar``, ``status``
    where the data has them. Edge attributes: ``predicate`` (IRI) and ``label``.
    """
    net = nx.MultiDiGraph()
    predicate_labels: dict[URIRef, str] = {}

    def add_node(node: URIRef) -> None:
        if node in net:
            return
        attrs = {"label": label(graph, node), "short": short_name(graph, node)}
        attrs["cls"] = primary_class(graph, node)
        for name, prop in NODE_ATTRIBUTES.items():
            value = graph.value(node, prop)
            if value is not None:
                attrs[name] = str(value)
        for name, prop in NODE_LINK_ATTRIBUTES.items():
            target = graph.value(node, prop)
            if target is not None:
                attrs[name] = label(graph, target)
        net.add_node(str(node), **attrs)

    for s, p, o in graph:
        if p in SKIPPED_PREDICATES or isinstance(o, Literal):
            continue
        if not (is_resource(graph, s) and is_resource(graph, o)):
            continue
        if p not in predicate_labels:
            predicate_labels[p] = label(graph, p)
        add_node(s)
        add_node(o)
        net.add_edge(str(s), str(o), key=str(p), predicate=str(p), label=predicate_labels[p])
    for s in set(graph.subjects(RDFS.label, None)):
        if is_resource(graph, s):
            add_node(s)
    return net
