"""Statistics of the graph: what it holds, and which agencies sit at the centre of the effort.

Counts come straight from the RDF (instances per tf: class, triples per predicate); the
rankings come from the networkx projection that the visualisation also draws, so that "most
connected" means the same thing in both.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

import networkx as nx
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from tf_graph.build.projection import is_resource, to_networkx
from tf_graph.build.rules import derived_properties, stated_triples
from tf_graph.build.validation import compact
from tf_graph.labels import label, local_name, short_name
from tf_graph.namespaces import TF

#: the class whose instances are ranked
RANKED_CLASS = "Agency"
#: above this many resources, betweenness is estimated from BETWEENNESS_SAMPLE sampled sources:
#: exact betweenness costs resources x links (13 minutes on a 100,000-triple synthetic graph of
#: 8,389 resources; well under a second on the shipped one of under 200)
EXACT_BETWEENNESS_LIMIT = 2000
BETWEENNESS_SAMPLE = 100


@dataclass(frozen=True)
class Ranked:
    """One agency in a ranking: its IRI, names and score."""

    iri: str
    label: str
    short: str
    score: float


@dataclass
class Stats:
    """What ``tf-graph stats`` shows; ``to_dict`` is its JSON form."""

    triples: int
    classes: dict[str, int]
    properties: dict[str, int]
    nodes: int
    edges: int
    by_degree: list[Ranked] = field(default_factory=list)
    by_betweenness: list[Ranked] = field(default_factory=list)
    betweenness_sample: int | None = None  # sources sampled; None when exact

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        how = "normalised"
        if self.betweenness_sample:
            how += f"; estimated from {self.betweenness_sample:,} sampled resources"
        lines = [
            f"{self.triples:,} triples; projection: {self.nodes:,} resources, {self.edges:,} links",
            "",
            "Instances per class",
            *_table(self.classes),
            "",
            f"Triples per property (about the resources; {sum(self.properties.values()):,} in all)",
            *_table(self.properties),
            "",
            "Most connected agencies by degree (links in and out)",
            *_ranking(self.by_degree, "{:g}"),
            "",
            f"Most connected agencies by betweenness centrality ({how})",
            *_ranking(self.by_betweenness, "{:.4f}"),
        ]
        return "\n".join(lines)


def graph_stats(
    graph: Graph,
    top: int = 10,
    exact_limit: int = EXACT_BETWEENNESS_LIMIT,
    sample_size: int = BETWEENNESS_SAMPLE,
) -> Stats:
    """Counts per class and per property, and the ``top`` agencies by degree and betweenness.

    On a projection of more than ``exact_limit`` resources, betweenness is estimated from
    ``sample_size`` sampled sources (fixed seed: the same graph gives the same numbers).
    """
    net = to_networkx(graph)
    nodes = net.number_of_nodes()
    sample = min(sample_size, nodes) if nodes > exact_limit else None
    by_degree, by_betweenness = agency_rankings(graph, net, top, sample)
    return Stats(
        triples=stated_triples(graph),  # the derived ones left out, as in the counts
        classes=class_counts(graph),
        properties=property_counts(graph),
        nodes=net.number_of_nodes(),
        edges=net.number_of_edges(),
        by_degree=by_degree,
        by_betweenness=by_betweenness,
        betweenness_sample=sample,
    )


def class_counts(graph: Graph) -> dict[str, int]:
    """Distinct instances of each tf: class (declared classes without instances count 0),
    largest first. Direct ``rdf:type`` only: no inference."""
    classes = {c for c in graph.subjects(RDF.type, OWL.Class) if str(c).startswith(str(TF))}
    counts: Counter[str] = Counter({local_name(c): 0 for c in classes})
    for cls in graph.objects(None, RDF.type, unique=False):  # one per (subject, class) triple
        if isinstance(cls, URIRef) and str(cls).startswith(str(TF)):
            counts[local_name(cls)] += 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def property_counts(graph: Graph) -> dict[str, int]:
    """Triples per predicate about the resources of the graph (largest first, as prefixed
    names where known). The ontology's and shapes' own triples (class declarations, SHACL
    lists) are left out: they would drown the counts people ask about (how many tf:ledBy)."""
    resource: dict[Node, bool] = {}
    counts: Counter[str] = Counter()
    derived = derived_properties()  # what the rules add is no statement of a source
    for subject, predicate in graph.subject_predicates(unique=False):
        if subject not in resource:
            resource[subject] = is_resource(graph, subject)
        if resource[subject] and predicate not in derived:
            counts[compact(str(predicate))] += 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def agency_rankings(
    graph: Graph, net: nx.MultiDiGraph, top: int, sample: int | None = None
) -> tuple[list[Ranked], list[Ranked]]:
    """Agencies ranked by degree (every link in or out of the projection) and by betweenness
    centrality over its undirected simple view (a path does not care which way a link points
    or how many links join two resources). Ties are broken by label, so output is stable."""
    agencies = [n for n, cls in net.nodes(data="cls") if cls == RANKED_CLASS]
    degree = {n: float(net.degree(n)) for n in agencies}
    simple = nx.Graph(net.to_undirected(as_view=True))
    betweenness = nx.betweenness_centrality(simple, k=sample, normalized=True, seed=0)
    return (
        _rank(graph, degree, top),
        _rank(graph, {n: betweenness[n] for n in agencies}, top),
    )


def _rank(graph: Graph, scores: dict[str, float], top: int) -> list[Ranked]:
    rows = [
        Ranked(iri, label(graph, URIRef(iri)), short_name(graph, URIRef(iri)), score)
        for iri, score in scores.items()
    ]
    rows.sort(key=lambda r: (-r.score, r.label))
    return rows[: max(top, 0)]


def _table(counts: dict[str, int]) -> list[str]:
    width = max((len(k) for k in counts), default=0)
    return [f"  {name:<{width}}  {count:>6,}" for name, count in counts.items()]


def _ranking(rows: list[Ranked], number: str) -> list[str]:
    width = max((len(r.short) for r in rows), default=0)
    return [
        f"  {i:>2}. {r.short:<{width}}  {number.format(r.score):>8}  {r.label}"
        for i, r in enumerate(rows, start=1)
    ]
