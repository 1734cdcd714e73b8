"""The overview a person can read first: departments with their components folded in, the
coordination bodies, the pillars and the laws, with initiatives folded into counts.

Computed from the projection (:func:`tf_graph.build.projection.to_networkx`). Each folded node
has a representative on the overview (a component its top department, a working group its
body, a provision its Act, a document its issuer); an initiative is represented by the links
it makes between the actors that lead it or partner in it and the rest of the overview
("DHS - Prevention, through 4 initiatives"). Every such overview link keeps the nodes it
passes through (``via``), so that a page can drop it once those nodes are drawn themselves.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

from tf_graph.namespaces import ORG, TF

#: the classes drawn on the overview (unless folded into another node)
OVERVIEW_CLASSES = ("Pillar", "Agency", "CoordinationBody", "Statute", "ExecutiveOrder")
#: at most this many nodes on the overview; beyond it the best-connected are kept
OVERVIEW_MAX = 60
#: how a node is folded into another: (its class, the link to follow, the class it must reach)
FOLDS = (
    ("Agency", str(ORG.subOrganizationOf), "Agency"),
    ("CoordinationBody", str(ORG.subOrganizationOf), "CoordinationBody"),
    ("StatutoryProvision", "http://purl.org/dc/terms/isPartOf", "Statute"),
    ("PolicyDocument", str(TF.issuedBy), None),
)
#: the links of an initiative that name who acts in it
ACTOR_LINKS = frozenset({str(TF.ledBy), str(TF.partner)})
#: words for the counts shown beside an overview node
COUNT_WORDS = {
    "Agency": ("component", "components"),
    "CoordinationBody": ("working group", "working groups"),
    "StatutoryProvision": ("section", "sections"),
    "PolicyDocument": ("document", "documents"),
    "Initiative": ("initiative", "initiatives"),
}


@dataclass
class OverviewLink:
    """A link drawn on the overview between two overview nodes, standing for ``via``."""

    source: str
    target: str
    label: str
    via: set[str] = field(default_factory=set)


@dataclass
class Overview:
    nodes: list[str]
    #: what each overview node stands for besides itself (components, sections, documents)
    members: dict[str, list[str]]
    #: the initiatives each overview node (or one of its members) leads or partners in
    initiatives: dict[str, list[str]]
    links: list[OverviewLink]
    #: nodes with no link at all, and so on no overview (a quoted person, for instance)
    unlinked: list[str]

    def summary(self, node: str, net: nx.MultiDiGraph) -> str:
        """ "3 components, 12 initiatives": what the overview node folds in."""
        counts: Counter[str] = Counter(_cls(net, m) for m in self.members.get(node, ()))
        counts["Initiative"] = len(self.initiatives.get(node, ()))
        parts = []
        for cls, (one, many) in COUNT_WORDS.items():
            if counts[cls]:
                parts.append(f"{counts[cls]} {one if counts[cls] == 1 else many}")
        return ", ".join(parts)


def _cls(net: nx.MultiDiGraph, node: str) -> str:
    return net.nodes[node].get("cls", "Resource")


def _fold_parent(net: nx.MultiDiGraph, node: str) -> str | None:
    """The node ``node`` folds into directly, or None."""
    cls = _cls(net, node)
    for folded, link, parent_cls in FOLDS:
        if cls != folded:
            continue
        parents = sorted(
            t
            for _, t, p in net.out_edges(node, keys=True)
            if p == link and (parent_cls is None or _cls(net, t) == parent_cls) and t != node
        )
        if parents:
            return parents[0]
    return None


def representatives(net: nx.MultiDiGraph) -> dict[str, str]:
    """For each node that appears on the overview or folds into a node that does, that node."""
    reps: dict[str, str] = {}
    for node in net:
        seen = [node]
        parent = _fold_parent(net, node)
        while parent is not None and parent not in seen:
            seen.append(parent)
            parent = _fold_parent(net, parent)
        top = seen[-1]
        if _cls(net, top) in OVERVIEW_CLASSES:
            reps[node] = top
    return reps


def build_overview(net: nx.MultiDiGraph, limit: int = OVERVIEW_MAX) -> Overview:
    """The overview of the projection ``net``."""
    reps = representatives(net)
    links: dict[tuple[str, str, str], set[str]] = {}

    def link(source: str, target: str, label: str, via: set[str]) -> None:
        if source != target:
            links.setdefault((source, target, label), set()).update(via - {source, target})

    initiatives: dict[str, set[str]] = {}
    for node in net:
        if _cls(net, node) == "Initiative":
            _initiative_links(net, node, reps, link, initiatives)
    _folded_links(net, reps, link)
    chosen = _choose(net, set(reps.values()), links, limit)
    members: dict[str, list[str]] = {n: [] for n in chosen}
    for node, rep in sorted(reps.items()):
        if rep in members and node != rep:
            members[rep].append(node)
    return Overview(
        nodes=chosen,
        members=members,
        initiatives={n: sorted(initiatives[n]) for n in chosen if n in initiatives},
        links=[
            OverviewLink(s, t, label, via)
            for (s, t, label), via in sorted(links.items())
            if s in members and t in members
        ],
        unlinked=sorted(n for n in net if net.degree(n) == 0),
    )


def _folded_links(net: nx.MultiDiGraph, reps: dict[str, str], link) -> None:  # noqa: ANN001
    """Links that are not an initiative's, between the representatives of their ends (a
    component's membership of a body becomes its department's), unless drawn as themselves."""
    for source, target, attrs in net.edges(data=True):
        if "Initiative" in (_cls(net, source), _cls(net, target)):
            continue
        rs, rt = reps.get(source), reps.get(target)
        if rs is None or rt is None or (rs, rt) == (source, target):
            continue  # outside the overview, or a link drawn as itself
        link(rs, rt, attrs.get("label", ""), {source, target})


def _initiative_links(net, node, reps, link, initiatives) -> None:  # noqa: ANN001
    """An initiative's overview links: from each actor to each other overview node it links
    to, and from each lead to each partner."""
    actors: dict[str, set[str]] = {}  # representative -> the actual actors it stands for
    leads: set[str] = set()
    others: dict[str, set[str]] = {}
    for _, target, pred in net.out_edges(node, keys=True):
        rep = reps.get(target)
        if rep is None:
            continue
        if pred in ACTOR_LINKS:
            actors.setdefault(rep, set()).add(target)
            if pred == str(TF.ledBy):
                leads.add(rep)
        else:
            others.setdefault(rep, set()).add(target)
    for source, _, _ in net.in_edges(node, keys=True):
        if (rep := reps.get(source)) is not None:
            others.setdefault(rep, set()).add(source)
    for other in others:
        initiatives.setdefault(other, set()).add(node)
    for actor, actual in actors.items():
        initiatives.setdefault(actor, set()).add(node)
        for other, through in others.items():
            if other not in actors:
                link(actor, other, "initiatives", {node} | actual | through)
        if actor in leads:
            for partner, partners in actors.items():
                if partner not in leads:
                    link(actor, partner, "works with", {node} | actual | partners)


def _choose(net: nx.MultiDiGraph, candidates: set[str], links: dict, limit: int) -> list[str]:
    """The overview nodes: every candidate, or the ``limit`` best connected (pillars first)."""
    degree: Counter[str] = Counter()
    for source, target, _ in links:
        degree[source] += 1
        degree[target] += 1
    for node in candidates:
        degree[node] += net.degree(node)
    ranked = sorted(
        candidates,
        key=lambda n: (OVERVIEW_CLASSES.index(_cls(net, n)) != 0, -degree[n], n),
    )
    return sorted(ranked[:limit])
