"""The interactive network page: one self-contained, offline HTML file over the projection.

Why a page of our own rather than pyvis's ``write_html``: pyvis's template loads bootstrap from
a CDN, repeats the heading and inserts tooltips as raw HTML. We keep pyvis's ``Network`` to
collect the vis-network nodes and edges and inline the vis-network build pyvis ships, but render
our own template (``templates/network.html``) where every string from the data travels as
escaped JSON and is put on the page as text by our script.

Views: the whole graph, or a selection of it -- a neighbourhood (``focus``/``depth``), the
first question's answer for a topic (``topic``, from the ``agencies-by-topic`` query), the
initiatives of a pillar, some classes. Selections combine as an intersection.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from tf_graph.build.projection import to_networkx
from tf_graph.errors import TfGraphError, UnknownEntityError
from tf_graph.labels import CLASS_ORDER
from tf_graph.namespaces import ORG, TF, TFR
from tf_graph.outputs import write_bytes

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class ClassStyle:
    """How a class is drawn: colour, vis-network shape and matplotlib marker (same look)."""

    color: str
    shape: str
    marker: str


#: one look per contract class; the page, its legend and the static picture all use this
CLASS_STYLES: dict[str, ClassStyle] = {
    "Agency": ClassStyle("#1f77b4", "dot", "o"),
    "CoordinationBody": ClassStyle("#ff7f0e", "hexagon", "h"),
    "Initiative": ClassStyle("#2ca02c", "square", "s"),
    "Statute": ClassStyle("#d62728", "triangle", "^"),
    "StatutoryProvision": ClassStyle("#e377c2", "triangleDown", "v"),
    "ExecutiveOrder": ClassStyle("#8c564b", "diamond", "D"),
    "PolicyDocument": ClassStyle("#9467bd", "star", "*"),
    "Event": ClassStyle("#bcbd22", "diamond", "D"),
    "Pillar": ClassStyle("#17becf", "star", "*"),
    "Topic": ClassStyle("#ad494a", "dot", "o"),
    "Sector": ClassStyle("#637939", "triangle", "^"),
    "Country": ClassStyle("#7b4173", "square", "s"),
    "SourceDocument": ClassStyle("#525252", "square", "s"),
    "Person": ClassStyle("#e7969c", "dot", "o"),
    "Resource": ClassStyle("#969696", "dot", "o"),
}
#: every class a view can be restricted to (``--class``)
CLASS_NAMES = tuple(CLASS_ORDER) + ("Resource",)

#: above this many nodes the page gets positions computed here and vis-network physics off.
#: From benchmarks/viz_scale.py (first draw in headless Chromium, 2 CPUs): physics 1.8 s at
#: 337 nodes, 3.3 s at 534, 7.8 s at 1018, 45 s at 4924; static 0.3-2.1 s at any of those.
STATIC_THRESHOLD = 300
LAYOUTS = ("auto", "physics", "static")
#: node attributes of the projection shown in the tooltip and the side panel
DETAIL_FIELDS = ("description", "pillar", "status", "date", "quote", "amount_usd")


@dataclass(frozen=True)
class ViewSpec:
    """Which part of the graph to show; every given part narrows the view (intersection)."""

    focus: str | None = None
    depth: int = 1
    topic: str | None = None
    pillar: str | None = None
    classes: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        """A short human title for the page and picture."""
        parts = []
        if self.focus:
            parts.append(f"around {self.focus} (depth {self.depth})")
        if self.topic:
            parts.append(f"agencies and initiatives on {self.topic}")
        if self.pillar:
            parts.append(f"pillar {self.pillar}")
        if self.classes:
            parts.append("classes " + ", ".join(self.classes))
        return "; ".join(parts)


# --- selecting the view -------------------------------------------------------------------


def resolve_node(graph: Graph, net: nx.MultiDiGraph, term: str, kind: str | None = None) -> str:
    """The projection node a user means by ``term`` (name, abbreviation, slug or IRI)."""
    from tf_graph.questions.resolve import resolve_entity

    node = str(resolve_entity(graph, term, kind))
    if node not in net:
        raise UnknownEntityError(term, kind=(kind or "entity").lower())
    return node


def focus_nodes(graph: Graph, net: nx.MultiDiGraph, term: str, depth: int) -> set[str]:
    """The neighbourhood of an entity up to ``depth`` links, whichever way the links point."""
    if depth < 0:
        raise TfGraphError(f"--depth must be 0 or more, not {depth}")
    center = resolve_node(graph, net, term)
    return set(nx.ego_graph(net, center, radius=depth, undirected=True))


def topic_nodes(graph: Graph, net: nx.MultiDiGraph, topic: str) -> set[str]:
    """The first question's answer as nodes: the ``agencies-by-topic`` query's agencies, their
    evidence (initiatives, bodies, laws) and the topic(s), exactly as the query returns them."""
    from tf_graph.questions.run import run_query

    result = run_query(graph, "agencies-by-topic", {"topic": topic})
    nodes = {str(v) for v in result.bindings.values() if isinstance(v, URIRef)}
    for row in result.rows:
        nodes.update(str(v) for v in row.values() if isinstance(v, URIRef))
    return {n for n in nodes if n in net}


def pillar_nodes(graph: Graph, net: nx.MultiDiGraph, pillar: str) -> set[str]:
    """A pillar, the initiatives listed under it and what those initiatives link to."""
    node = resolve_node(graph, net, pillar, "pillar")
    return pillar_view(net, node)


def pillar_view(net: nx.MultiDiGraph, pillar_node: str) -> set[str]:
    label = net.nodes[pillar_node].get("label")
    members = {n for n, a in net.nodes(data=True) if a.get("pillar") == label}
    members.add(pillar_node)
    for node in list(members):
        members.update(net.successors(node))
        members.update(net.predecessors(node))
    return members


def class_nodes(net: nx.MultiDiGraph, classes: Iterable[str]) -> set[str]:
    known = {c.casefold(): c for c in CLASS_NAMES}
    wanted = set()
    for name in classes:
        if name.casefold() not in known:
            close = difflib.get_close_matches(name, CLASS_NAMES, n=3, cutoff=0.5)
            raise UnknownEntityError(name, close, kind="class")
        wanted.add(known[name.casefold()])
    return {n for n, a in net.nodes(data=True) if a.get("cls") in wanted}


def select_view(graph: Graph, net: nx.MultiDiGraph, spec: ViewSpec) -> nx.MultiDiGraph:
    """The part of the projection ``spec`` asks for, with every link among its nodes."""
    keep: set[str] | None = None

    def narrow(nodes: set[str]) -> None:
        nonlocal keep
        keep = nodes if keep is None else keep & nodes

    if spec.focus:
        narrow(focus_nodes(graph, net, spec.focus, spec.depth))
    if spec.topic:
        narrow(topic_nodes(graph, net, spec.topic))
    if spec.pillar:
        narrow(pillar_nodes(graph, net, spec.pillar))
    if spec.classes:
        narrow(class_nodes(net, spec.classes))
    if keep is None:
        return net
    if not keep:
        raise TfGraphError(f"nothing to show: no resource is {spec.describe()}")
    return net.subgraph(keep).copy()


# --- layout -------------------------------------------------------------------------------


def uses_physics(node_count: int, layout: str) -> bool:
    """Physics in the browser for small graphs; positions from Python above the threshold."""
    if layout not in LAYOUTS:
        raise TfGraphError(f"unknown layout {layout!r} (expected one of {', '.join(LAYOUTS)})")
    if layout == "auto":
        return node_count <= STATIC_THRESHOLD
    return layout == "physics"


#: connected parts up to this size get networkx's spring layout (its dense, exact path);
#: larger ones the grid variant below, whose cost grows linearly with nodes and links
SPRING_UP_TO = 500


def layout_positions(view: nx.MultiDiGraph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions (pixels) from a force layout, so a large page draws at once without physics.

    Each connected part is laid out alone (a stray node would otherwise squeeze the rest into
    a corner) and the parts are set side by side, largest first.
    """
    simple = nx.Graph()  # in a fixed order, so the same graph always gets the same picture
    simple.add_nodes_from(sorted(view))
    simple.add_edges_from(sorted((u, v) for u, v in view.edges() if u != v))
    parts = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c)))
    positions: dict[str, tuple[float, float]] = {}
    x_offset, y_offset, row_height, row_width = 0.0, 0.0, 0.0, 0.0
    for number, part in enumerate(parts):
        radius = 60.0 * math.sqrt(len(part)) + 40.0
        if number and x_offset + 2 * radius > max(row_width, 1200.0):
            x_offset, y_offset, row_height = 0.0, y_offset + row_height, 0.0
        local = _part_layout(simple.subgraph(part), seed)
        for node, (x, y) in local.items():
            positions[node] = (x_offset + radius * (1 + x), y_offset + radius * (1 + y))
        x_offset += 2 * radius
        row_height = max(row_height, 2 * radius)
        row_width = max(row_width, x_offset)
    return positions


def _part_layout(part: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """One connected part's positions within [-1, 1]."""
    if part.number_of_nodes() == 1:
        return {next(iter(part)): (0.0, 0.0)}
    if part.number_of_nodes() <= SPRING_UP_TO:
        pos = nx.spring_layout(part, seed=seed, iterations=50)
        return {v: (float(x), float(y)) for v, (x, y) in pos.items()}
    return grid_force_layout(part, seed)


def grid_force_layout(
    part: nx.Graph, seed: int = 7, iterations: int = 50
) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold with repulsion only between nodes closer than three ideal link
    lengths (the paper's grid variant, neighbours found with a k-d tree) and linear rather
    than quadratic attraction (hubs with thousands of links otherwise pull everything into
    one dense knot): a step costs about O(nodes + links) instead of networkx's O(nodes^2),
    so thousands of nodes take seconds. Positions within [-1, 1]."""
    import numpy as np
    from scipy.spatial import cKDTree

    nodes = list(part)
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    links = np.array([(index[u], index[v]) for u, v in part.edges()], dtype=np.int64)
    links = links.reshape(-1, 2)
    side = math.sqrt(n)  # ideal link length 1: the nodes fill about side x side
    pos = np.random.default_rng(seed).random((n, 2)) * side
    temperature = side / 10
    cooling = temperature / (iterations + 1)

    def spread(pairs: np.ndarray, force: np.ndarray, disp: np.ndarray) -> None:
        for axis in (0, 1):
            disp[:, axis] += np.bincount(pairs[:, 0], force[:, axis], n)
            disp[:, axis] -= np.bincount(pairs[:, 1], force[:, axis], n)

    for _ in range(iterations):
        disp = np.zeros((n, 2))
        close = cKDTree(pos).query_pairs(r=3.0, output_type="ndarray")
        if len(close):
            delta = pos[close[:, 0]] - pos[close[:, 1]]
            spread(close, delta / np.maximum((delta**2).sum(1), 1e-4)[:, None], disp)
        delta = pos[links[:, 0]] - pos[links[:, 1]]
        spread(links, -delta, disp)
        length = np.sqrt(np.maximum((disp**2).sum(1), 1e-8))
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    pos = nx.rescale_layout(pos - pos.mean(axis=0), scale=1.0)
    return {v: (float(x), float(y)) for v, (x, y) in zip(nodes, pos, strict=True)}


# --- the page -----------------------------------------------------------------------------


def safe_url(url: str | None) -> str | None:
    """Only http(s) links leave the page (no ``javascript:`` or ``data:`` hrefs)."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def node_size(degree: int) -> float:
    """Bigger with more links, but capped: a hub of thousands must not cover the page."""
    return round(min(45.0, 10 + 3 * math.sqrt(degree)), 1)


#: the classes that count as laws, evidence and actors in the agencies-by-topic query
LAW_CLASSES = frozenset({"Statute", "StatutoryProvision", "ExecutiveOrder"})
EVIDENCE_CLASSES = frozenset({"Initiative", "CoordinationBody"})
ACTOR_CLASSES = frozenset({"Agency", "CoordinationBody"})


def topic_members(net: nx.MultiDiGraph, topic: str) -> set[str]:
    """The nodes of the ``agencies-by-topic`` answer for ``topic``, from the projection.

    The in-page topic filter needs this for every topic at once, and one SPARQL run per
    topic costs about 0.2 s on the memory store; tests check it equals the query's answer
    for every topic of the shipped graph.
    """
    # the topic and the topics related to it (skos:related: forced labor and labor trafficking),
    # each with every topic narrower than it, as the query's skos:broader*/skos:related?
    about: set[str] = set()
    for start in {topic} | _sources(net, {topic}, SKOS.related):
        about |= {start} | _reaching(net, start, str(SKOS.broader))
    laws = {n for n in _sources(net, about, TF.addresses) if _cls(net, n) in LAW_CLASSES}
    evidence = {
        n
        for n in _sources(net, about, TF.addresses) | _sources(net, laws, TF.implements)
        if _cls(net, n) in EVIDENCE_CLASSES
    }
    members = {topic}
    for ev in evidence:
        actors = _targets(net, ev, (TF.ledBy, TF.partner, TF.chairedBy))
        actors |= _sources(net, {ev}, TF.memberOf)
        if _cls(net, ev) == "CoordinationBody":
            actors |= _targets(net, ev, (ORG.subOrganizationOf,))
        for actor in (a for a in actors if _cls(net, a) in ACTOR_CLASSES):
            chain = {actor} | _reaching(net, actor, str(ORG.subOrganizationOf), forward=True)
            agencies = {a for a in chain if _cls(net, a) == "Agency"}
            if agencies:
                members |= agencies | {ev}
                if agencies - {actor}:
                    members.add(actor)
    return members


def _cls(net: nx.MultiDiGraph, node: str) -> str:
    return net.nodes[node].get("cls", "Resource")


def _targets(net: nx.MultiDiGraph, node: str, predicates: Iterable[URIRef]) -> set[str]:
    wanted = {str(p) for p in predicates}
    return {t for _, t, p in net.out_edges(node, keys=True) if p in wanted}


def _sources(net: nx.MultiDiGraph, nodes: Iterable[str], predicate: URIRef) -> set[str]:
    wanted = str(predicate)
    return {s for n in nodes for s, _, p in net.in_edges(n, keys=True) if p == wanted}


def _reaching(net: nx.MultiDiGraph, start: str, predicate: str, forward: bool = False) -> set[str]:
    """Nodes joined to ``start`` by a chain of ``predicate`` links (into it, or out of it)."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        node = todo.pop()
        edges = net.out_edges(node, keys=True) if forward else net.in_edges(node, keys=True)
        for s, t, p in edges:
            nxt = t if forward else s
            if p == predicate and nxt not in seen and nxt != start:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def topic_views(net: nx.MultiDiGraph, view: nx.MultiDiGraph) -> dict[str, set[str]]:
    """For each topic in the view, the nodes of its topic view (the in-page topic filter)."""
    shown = set(view)
    topics = [n for n, a in view.nodes(data=True) if a.get("cls") == "Topic"]
    return {t: topic_members(net, t) & shown for t in topics}


def page_data(
    graph: Graph,
    net: nx.MultiDiGraph,
    view: nx.MultiDiGraph,
    *,
    title: str,
    physics: bool,
    overview: bool = False,
    pages: PageLinks | None = None,
) -> dict[str, Any]:
    """Everything the page's script needs, as plain JSON-able data (strings not yet escaped).

    ``overview``: the page opens on the overview (:mod:`.overview`) of the view and expands
    on click; else on the whole view. ``pages``: where each resource's own page is, if any.
    """
    from pyvis.network import Network

    pyvis_net = Network(directed=True, cdn_resources="in_line", heading=title)
    positions = {} if physics else layout_positions(view)
    for node, attrs in sorted(view.nodes(data=True)):
        _add_node(pyvis_net, view, node, attrs, positions)
    for source, target, _, attrs in sorted(view.edges(keys=True, data=True), key=_edge_key):
        pyvis_net.add_edge(
            source, target, label=attrs.get("label", ""), predicate=attrs.get("predicate", "")
        )
    return {
        "title": title,
        "physics": physics,
        "nodes": pyvis_net.nodes,
        "edges": [dict(e, id=i) for i, e in enumerate(pyvis_net.edges)],
        "classes": _legend(pyvis_net.nodes),
        **_filters(net, view, pyvis_net.nodes),
        "options": vis_options(len(pyvis_net.nodes), physics),
        "overview": overview_data(view, pyvis_net.nodes) if overview else None,
        "unlinked": unlinked_data(net, view),
        "pages": pages.to_json() if pages else None,
    }


def _add_node(pyvis_net, view, node: str, attrs: dict, positions: dict) -> None:  # noqa: ANN001
    """One node as vis-network draws it, with what the tooltip and side panel show."""
    cls = attrs.get("cls", "Resource")
    style = CLASS_STYLES.get(cls, CLASS_STYLES["Resource"])
    short = attrs.get("short") or attrs.get("label") or node
    extra: dict[str, Any] = {
        "name": attrs.get("label", node),
        "short": short,
        "cls": cls,
        "size": node_size(view.degree(node)),
        "color": style.color,
    }
    extra.update({k: attrs[k] for k in DETAIL_FIELDS if attrs.get(k)})
    if url := safe_url(attrs.get("url")):
        extra["url"] = url
    if node in positions:
        extra["x"], extra["y"] = positions[node]
    pyvis_net.add_node(node, label=short, shape=style.shape, **extra)


def _legend(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The classes present, with their look and count (the legend and class filter)."""
    counts: dict[str, int] = {}
    for n in nodes:
        counts[n["cls"]] = counts.get(n["cls"], 0) + 1
    return [
        {"name": cls, "color": style.color, "shape": style.shape, "count": counts[cls]}
        for cls, style in CLASS_STYLES.items()
        if cls in counts
    ]


def _filters(
    net: nx.MultiDiGraph, view: nx.MultiDiGraph, nodes: list[dict[str, Any]]
) -> dict[str, dict[str, list[int]]]:
    """The pillar and topic filters: for each, the indices of the nodes it keeps."""
    index = {n["id"]: i for i, n in enumerate(nodes)}
    pillars = {
        net.nodes[p]["label"]: sorted(index[n] for n in pillar_view(net, p) if n in index)
        for p in view
        if view.nodes[p].get("cls") == "Pillar"
    }
    topics = {
        view.nodes[t]["label"]: sorted(index[n] for n in members if n in index)
        for t, members in topic_views(net, view).items()
    }
    return {"pillars": dict(sorted(pillars.items())), "topics": dict(sorted(topics.items()))}


def overview_data(view: nx.MultiDiGraph, nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """The overview of the view for the page: which nodes it starts on, what each stands for
    (its members, shown with it when it is expanded), and its links through folded nodes."""
    from tf_graph.viz.overview import build_overview

    found = build_overview(view)
    by_id = {n["id"]: n for n in nodes}
    for node in found.nodes:
        summary = found.summary(node, view)
        if summary:
            by_id[node]["summary"] = summary
            count = len(found.initiatives.get(node, ()))
            if count:
                by_id[node]["label"] += f"\n{count} initiative{'s' if count > 1 else ''}"
    return {
        "nodes": found.nodes,
        "members": {n: m for n, m in found.members.items() if m},
        "links": [
            {
                "id": f"o{i}",
                "from": link.source,
                "to": link.target,
                "label": _overview_label(link.label, len(_initiatives_in(view, link.via))),
                "via": sorted(link.via),
                "overview": True,
            }
            for i, link in enumerate(found.links)
        ],
    }


def _overview_label(label: str, initiatives: int) -> str:
    """ "initiatives (4)", "works with (2 initiatives)", or a link's own label."""
    if label == "initiatives":
        return f"initiatives ({initiatives})"
    if initiatives:
        return f"{label} ({initiatives} initiative{'s' if initiatives > 1 else ''})"
    return label


def _initiatives_in(view: nx.MultiDiGraph, nodes: Iterable[str]) -> list[str]:
    return [n for n in nodes if view.nodes[n].get("cls") == "Initiative"]


def unlinked_data(net: nx.MultiDiGraph, view: nx.MultiDiGraph) -> list[dict[str, str]]:
    """The nodes of the view with no link at all (in the whole network: a node of a selection
    may have its links outside it), with what the data says they are (the page lists them,
    so that a lone node is never left unexplained)."""
    return [
        {
            "id": node,
            "name": view.nodes[node].get("label", node),
            "cls": view.nodes[node].get("cls", "Resource"),
            "description": view.nodes[node].get("description", ""),
        }
        for node in sorted(view)
        if net.degree(node) == 0
    ]


@dataclass(frozen=True)
class PageLinks:
    """Where the page of a resource is: its IRI with ``prefix`` replaced by ``base`` and
    ``suffix`` appended (``/id/agency/dhs`` on ``serve``, ``id/agency/dhs.html`` in a site)."""

    prefix: str
    base: str
    suffix: str = ""

    def href(self, iri: str) -> str | None:
        if not iri.startswith(self.prefix) or len(iri) == len(self.prefix):
            return None
        return self.base + iri[len(self.prefix) :] + self.suffix

    def to_json(self) -> dict[str, str]:
        return {"prefix": self.prefix, "base": self.base, "suffix": self.suffix}


def _edge_key(edge: tuple) -> tuple[str, str, str]:
    return edge[0], edge[1], edge[2]


def vis_options(node_count: int, physics: bool) -> dict[str, Any]:
    """vis-network options: readable labels, arrows, physics only where it pays."""
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "nodes": {
            "font": {"size": 14, "strokeWidth": 3, "strokeColor": "#ffffff", "color": "#343434"},
            "widthConstraint": {"maximum": 170},
            "borderWidth": 1,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9aa5b1", "highlight": "#333333", "inherit": False},
            "font": {"size": 9, "color": "#555555", "strokeWidth": 2, "align": "middle"},
            "smooth": {"enabled": True, "type": "continuous"} if physics else False,
            "width": 1,
        },
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -12000,
                "springLength": 190,
                "springConstant": 0.03,
                "damping": 0.35,
                "avoidOverlap": 0.3,
            },
            "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 25},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": node_count > 500,
            "multiselect": False,
        },
    }


def script_json(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element: no ``<``, ``>`` or ``&`` left raw."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


@cache
def inline_assets() -> dict[str, str]:
    """The scripts and styles the page inlines: vis-network as pyvis ships it, and ours."""
    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise TfGraphError("pyvis is not installed; it provides vis-network for the page")
    lib = Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib" / "vis-9.1.2"
    files = {
        "vis_js": lib / "vis-network.min.js",
        "vis_css": lib / "vis-network.css",
        "own_js": TEMPLATES / "network.js",
        "own_css": TEMPLATES / "network.css",
    }
    assets = {name: path.read_text(encoding="utf-8") for name, path in files.items()}
    for name, text in assets.items():
        closer = "</script" if name.endswith("js") else "</style"
        if closer in text.lower():
            raise TfGraphError(f"{files[name]}: cannot be inlined (it contains {closer})")
    return assets


def render_page(data: dict[str, Any]) -> str:
    """The HTML text of the page (our template, vis-network and our script inlined).

    Jinja2 autoescapes the template's text; the inlined code is trusted and checked not to
    close its element, and the data is JSON with ``<``, ``>`` and ``&`` escaped.
    """
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    raw = dict(inline_assets(), data_json=script_json(data))
    trusted = {name: Markup(text) for name, text in raw.items()}  # noqa: S704 - see docstring
    return env.get_template("network.html").render(
        title=data["title"],
        node_count=len(data["nodes"]),
        edge_count=len(data["edges"]),
        **trusted,
    )


def page_title(spec: ViewSpec) -> str:
    what = spec.describe()
    return "tf-graph: US federal anti-trafficking network" + (f" ({what})" if what else "")


#: links that name where a resource's facts come from (provenance), not a relation of it
PROVENANCE_PROPERTIES = (PROV.wasDerivedFrom, DCTERMS.source)


def provenance_only(graph: Graph, net: nx.MultiDiGraph) -> set[str]:
    """The nodes of the projection that nothing links to but provenance: a source a law text
    is read from (``law part prov:wasDerivedFrom source``). The projection leaves provenance
    links out, so these would stand alone in the network; they are where facts come from,
    not things the facts are about, and their pages (and those of the texts read from them)
    show them."""
    found = set()
    for node in net:
        if net.degree(node) == 0:
            iri = URIRef(node)
            if any(next(graph.subjects(p, iri), None) is not None for p in PROVENANCE_PROPERTIES):
                found.add(node)
    return found


def network_of(graph: Graph) -> nx.MultiDiGraph:
    """The network the page and picture draw: the projection without the nodes nothing
    links to but provenance (:func:`provenance_only`)."""
    net = to_networkx(graph)
    net.remove_nodes_from(provenance_only(graph, net))
    return net


def build_view(graph: Graph, spec: ViewSpec) -> tuple[nx.MultiDiGraph, nx.MultiDiGraph]:
    """The network (:func:`network_of`) and the part of it ``spec`` selects."""
    net = network_of(graph)
    return net, select_view(graph, net, spec)


def page_html(
    graph: Graph, spec: ViewSpec | None = None, layout: str = "auto", pages: PageLinks | None = None
) -> str:
    """The interactive page for ``spec``; the whole graph opens on its overview."""
    spec = spec or ViewSpec()
    net, view = build_view(graph, spec)
    physics = uses_physics(view.number_of_nodes(), layout)
    data = page_data(
        graph,
        net,
        view,
        title=page_title(spec),
        physics=physics,
        overview=spec == ViewSpec(),
        pages=pages,
    )
    return render_page(data)


def render_html(graph: Graph) -> str:
    """The page ``tf-graph serve`` shows at /graph: the overview, linked to /id/ pages."""
    return page_html(graph, pages=PageLinks(str(TFR), "/id/"))


def write_page(
    graph: Graph, path: Path | str, spec: ViewSpec | None = None, layout: str = "auto"
) -> Path | str:
    """Write the interactive page for ``spec`` to ``path`` (UTF-8, with
    :func:`tf_graph.outputs.write_bytes`; ``"-"``: standard output)."""
    return write_bytes(path, page_html(graph, spec, layout).encode("utf-8"))
