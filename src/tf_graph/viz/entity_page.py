"""A page for every entity: what it is, its names, each link grouped by relation with the
quote and source of that fact, and a small picture of its neighbourhood.

The same pages are served by ``tf-graph serve`` (``/id/agency/dhs``) and written by
``tf-graph site``; only the way one page links to another differs (:class:`Links`).

Evidence for a link ``s p o``: a ``tf:Statement`` about exactly that fact (``rdf:subject s;
rdf:predicate p; rdf:object o``) with its ``tf:quote``, sources and ``tf:locator`` when the
graph has one (the law's words, where a law states the fact); else the quotes of ``s`` that
name ``o``, with the sources of ``s``; else only those sources (a quote that does not name
the other end does not support the link). Each is labelled for what it is. The rules'
derived facts (``tf:partOfAgency``, ``tf:joinedQuote`` ...) are for queries: no source
states them, and no page shows them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import quote as url_quote
from weakref import WeakKeyDictionary

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS
from rdflib.term import Node

from tf_graph.build.rules import derived_properties
from tf_graph.labels import CLASS_ORDER, is_abbreviation, local_name
from tf_graph.namespaces import ELI, ORG, PREFIXES, SCHEMA, TF, TFR
from tf_graph.viz.visualisation import CLASS_STYLES, PROVENANCE_PROPERTIES, TEMPLATES, safe_url

NAME_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.identifier)
#: out-links shown as the page's sources or as links elsewhere, not as relations
SOURCE_PROPERTIES = PROVENANCE_PROPERTIES
ELSEWHERE_PROPERTIES = (SCHEMA.url, OWL.sameAs, SCHEMA.sameAs, RDFS.seeAlso)
#: links that are bookkeeping of statements, never relations of the entity itself
STATEMENT_PROPERTIES = frozenset({RDF.subject, RDF.predicate, RDF.object})
#: links that repeat another: tf:within writes out every level above a part of a law and
#: eli:has_part is eli:is_part_of's inverse (each part's page and its parent's already show it)
REPEATED_LINKS = frozenset({TF.within, ELI.has_part})
#: a resource's own words (a law's text): shown as paragraphs, however short
TEXT_PROPERTIES = frozenset({TF.text})
#: how a law's text is divided: its numbering says so, no quote or source line is needed
TEXT_STRUCTURE = frozenset({ELI.is_part_of})
#: tf:position orders the parts of the law texts: bookkeeping, not a fact to read
SKIPPED_OUT = frozenset({RDF.type, TF.quote, RDFS.comment, TF.position, *NAME_PROPERTIES})
#: how a link reads from its object's page ("Initiatives" "led by" DHS -> DHS "leads")
INVERSE_NAMES: dict[Node, str] = {
    TF.ledBy: "leads",
    TF.partner: "partner in",
    TF.pillar: "initiatives under this pillar",
    TF.status: "with this status",
    TF.addresses: "addressed by",
    TF.sector: "concerning this sector",
    TF.country: "concerning this country",
    TF.implements: "implemented by",
    TF.produces: "produced by",
    TF.establishedBy: "establishes",
    TF.chairedBy: "chairs",
    TF.memberOf: "members",
    TF.issuedBy: "issues",
    TF.announcedAt: "announced here",
    TF.advises: "advised by",
    ELI.is_part_of: "parts",
    ELI.has_part: "part of",
    ORG.subOrganizationOf: "parts",
    DCTERMS.isPartOf: "parts",
    SKOS.broader: "narrower",
    DCTERMS.references: "referenced by",
    DCTERMS.creator: "created",
    SCHEMA.attendee: "attended",
    SCHEMA.organizer: "organised",
    TF.codifiedAt: "codifies",
    TF.disproportionatelyAffects: "disproportionately affected by",
    TF.stakeholder: "stakeholder in",
    TF.restarts: "restarted by",
    TF.expands: "expanded by",
    TF.involves: "involved in",
    TF.coversPillar: "covered by",
    SKOS.related: "related",
    SKOS.inScheme: "concepts",
    SKOS.hasTopConcept: "top concept of",
    SKOS.topConceptOf: "top concepts",
    RDFS.seeAlso: "see also (from)",
}
#: labels of the vocabulary that read badly on a page
OUT_NAMES: dict[Node, str] = {
    ORG.subOrganizationOf: "part of",
    DCTERMS.isPartOf: "part of",
    SKOS.broader: "broader",
    DCTERMS.references: "references",
    DCTERMS.creator: "creator",
    TF.text: "The law's words",
}
#: longer literal values (a law's text) are shown as paragraphs rather than in a list
LONG_TEXT = 200
#: what a segment of an entity's path may hold to get a page (and a file of the site)
SEGMENT = re.compile(r"[\w.~-]+")
#: at most this many links of one group on a page (a topic of a large graph has thousands)
MAX_GROUP_ITEMS = 200
#: at most this many neighbours in the page's picture
PICTURE_NEIGHBOURS = 24
#: the longest value of a fact named in a list ("forced labor definition “Forced labor”, …")
FACT_VALUE_WIDTH = 90


@dataclass(frozen=True)
class Links:
    """Where links point: an entity IRI of ours to its page (or None), and the way to the
    index, the network and the static style of the pages."""

    page: Callable[[str], str | None]
    index: str
    network: str


def server_links() -> Links:
    """Links for ``tf-graph serve``: ``/id/agency/dhs``."""
    return Links(page=lambda iri: _tail_path(iri, "/id/", ""), index="/id/", network="/graph")


def _tail_path(iri: str, base: str, suffix: str) -> str | None:
    tail = entity_tail(iri)
    return None if tail is None else base + url_quote(tail, safe="/") + suffix


def entity_tail(iri: str) -> str | None:
    """``agency/dhs`` for ``…/id/agency/dhs``; None for an IRI that is not an entity of ours
    or could not be a plain path (empty or dot segments)."""
    if not iri.startswith(str(TFR)):
        return None
    tail = iri[len(str(TFR)) :]
    parts = tail.split("/")
    if not all(SEGMENT.fullmatch(p) and p not in (".", "..") for p in parts):
        return None
    return tail


@dataclass
class Source:
    label: str
    href: str | None


@dataclass
class Evidence:
    """The words behind a fact: from a statement of exactly that fact, or from the resource
    that states it (``of`` names that resource)."""

    quotes: list[str]
    of_fact: bool
    of: str
    sources: list[Source] = field(default_factory=list)
    locator: Source | None = None
    #: the words are the whole text of the page they are listed on (not repeated there)
    in_text: bool = False


@dataclass
class LinkItem:
    iri: str
    label: str
    cls: str
    href: str | None
    evidence: Evidence | None


@dataclass
class LinkGroup:
    heading: str
    direction: str  # "out" or "in"
    items: list[LinkItem]
    total: int = 0  # how many links the group has (more than shown when cut)


@dataclass
class EntityView:
    iri: str
    label: str
    cls: str
    names: list[str]
    description: str
    facts: list[tuple[str, list[str]]]
    texts: list[tuple[str, str]]
    groups: list[LinkGroup]
    quotes: list[str]
    sources: list[Source]
    elsewhere: list[str]
    picture: str
    #: a law's part: the words of the parts below it, in the law's order
    subdivisions: list[Subdivision] = field(default_factory=list)


@dataclass
class Subdivision:
    """A part below a law's part, for its words on the page above it."""

    label: str
    title: str
    href: str | None
    text: str
    depth: int


# --- reading the graph ----------------------------------------------------------------------


def label_of(graph: Graph, node: Node) -> str:
    for prop in (RDFS.label, SKOS.prefLabel):
        values = sorted(str(v) for v in graph.objects(node, prop))  # type: ignore[arg-type]
        if values:
            return values[0]
    return local_name(node) if isinstance(node, URIRef) else str(node)


def short_of(graph: Graph, node: Node) -> str:
    alts = sorted(str(v) for v in graph.objects(node, SKOS.altLabel))  # type: ignore[arg-type]
    abbrevs = [a for a in alts if is_abbreviation(a)]
    return min(abbrevs, key=len) if abbrevs else label_of(graph, node)


def class_of(graph: Graph, node: Node) -> str:
    """The contract class it is shown as; else another class of ours (a law's part is a
    ``tf:LegalText``); else "Resource"."""
    names = {local_name(t) for t in graph.objects(node, RDF.type) if str(t).startswith(str(TF))}  # type: ignore[arg-type]
    return next((c for c in CLASS_ORDER if c in names), min(names, default="Resource"))


def exists(graph: Graph, iri: URIRef) -> bool:
    """Whether the graph says anything about ``iri`` (else its page is a 404)."""
    return next(iter(graph.triples((iri, None, None))), None) is not None


def property_name(graph: Graph, prop: Node, direction: str) -> str:
    if direction == "in":
        name = INVERSE_NAMES.get(prop)
        return name or f"{property_name(graph, prop, 'out')} (pointing here)"
    if prop in OUT_NAMES:
        return OUT_NAMES[prop]
    value = graph.value(prop, RDFS.label)
    return str(value) if value is not None else _prefixed(prop)


def _prefixed(term: Node) -> str:
    text = str(term)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda p: -len(str(p[1]))):
        if text.startswith(str(namespace)) and len(text) > len(str(namespace)):
            return f"{prefix}:{text[len(str(namespace)) :]}"
    return text


def _sources(graph: Graph, node: Node, links: Links) -> list[Source]:
    found = []
    for prop in SOURCE_PROPERTIES:
        for value in sorted(graph.objects(node, prop), key=str):  # type: ignore[arg-type]
            href = links.page(str(value)) or safe_url(str(value))
            title = label_of(graph, value) if graph.value(value, RDFS.label) else str(value)
            found.append(Source(title, href))
    return found


def _statement_for(graph: Graph, s: Node, p: Node, o: Node) -> Node | None:
    """A ``tf:Statement`` of exactly the fact ``s p o`` (one with a quote first), if any."""
    found = [
        st
        for st in graph.subjects(RDF.subject, s)  # type: ignore[arg-type]
        if (st, RDF.predicate, p) in graph and (st, RDF.object, o) in graph
    ]
    found.sort(key=lambda st: (graph.value(st, TF.quote) is None, str(st)))
    return found[0] if found else None


def _statement_evidence(graph: Graph, st: Node, s: Node, links: Links) -> Evidence:
    """A statement's words, sources and place in its source (a law's part links to its page)."""
    return Evidence(
        quotes=sorted(str(q) for q in graph.objects(st, TF.quote)),  # type: ignore[arg-type]
        of_fact=True,
        of=label_of(graph, s),
        sources=_sources(graph, st, links) or _sources(graph, s, links),
        locator=_locator(graph, graph.value(st, TF.locator), links),
    )


def _locator(graph: Graph, locator: Node | None, links: Links) -> Source | None:
    """Where a statement's words stand: a law's part (its citation, linked) or a literal."""
    if locator is None:
        return None
    if isinstance(locator, URIRef):
        cited = graph.value(locator, DCTERMS.identifier)
        return Source(
            str(cited) if cited is not None else label_of(graph, locator), links.page(str(locator))
        )
    return Source(str(locator), None)


def evidence(graph: Graph, s: Node, p: Node, o: Node, links: Links) -> Evidence | None:
    """The words behind the fact ``s p o``: its statement's, else the quotes of ``s`` that
    name ``o``, else none but the sources of ``s``; None when there is nothing to show."""
    st = _statement_for(graph, s, p, o)
    if st is not None:
        return _statement_evidence(graph, st, s, links)
    quotes = sorted(str(q) for q in graph.objects(s, TF.quote))  # type: ignore[arg-type]
    naming = [q for q in quotes if names_in(graph, o, q, speaker=s)]
    sources = _sources(graph, s, links)
    if not naming and not sources:
        return None
    return Evidence(naming, False, label_of(graph, s), sources)


def names_in(graph: Graph, node: Node, text: str, speaker: Node | None = None) -> bool:
    """Whether ``text`` names ``node`` by one of its names, as whole words ("State" is not
    named by "United States"), and not as a piece of a longer name of something else (the
    pillar "Prevention" is not named by "the Uyghur Forced Labor Prevention Act"). The names
    of ``speaker``, whose words ``text`` are, do not count as something else (an initiative's
    label often repeats its quote: "DOJ will release an intra-Departmental ...")."""
    index = _names(graph)
    for prop in NAME_PROPERTIES:
        for name in {str(n) for n in graph.objects(node, prop)}:  # type: ignore[arg-type]
            if len(name) < 2:
                continue
            longer = index.containing(name, {node, speaker})
            for found in _word_pattern(name).finditer(text):
                if not any(_covers(pattern, text, found) for pattern in longer):
                    return True
    return False


def _covers(pattern: re.Pattern[str], text: str, found: re.Match[str]) -> bool:
    return any(
        m.start() <= found.start() and found.end() <= m.end() for m in pattern.finditer(text)
    )


class _NameIndex:
    """Every name of the graph with what bears it, and for a name the longer names of other
    things that hold it as whole words (computed on first ask)."""

    def __init__(self, graph: Graph) -> None:
        self.owners: dict[str, set[Node]] = {}
        for prop in NAME_PROPERTIES:
            for subject, name in graph.subject_objects(prop):
                self.owners.setdefault(str(name), set()).add(subject)
        self._containing: dict[str, list[tuple[re.Pattern[str], set[Node]]]] = {}

    def containing(self, name: str, besides: set[Node | None]) -> list[re.Pattern[str]]:
        """The longer names holding ``name`` that something not in ``besides`` bears."""
        if name not in self._containing:
            inner = _word_pattern(name)
            self._containing[name] = [
                (_word_pattern(other), owners)
                for other, owners in self.owners.items()
                if len(other) > len(name) and inner.search(other)
            ]
        return [pattern for pattern, owners in self._containing[name] if owners - besides]


_NAME_INDEXES: WeakKeyDictionary[Graph, _NameIndex] = WeakKeyDictionary()


def _names(graph: Graph) -> _NameIndex:
    """The name index of ``graph``, built once per graph (pages are built over a loaded
    graph that does not change)."""
    index = _NAME_INDEXES.get(graph)
    if index is None:
        index = _NAME_INDEXES[graph] = _NameIndex(graph)
    return index


@cache
def _word_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)


def _link_groups(graph: Graph, iri: URIRef, links: Links) -> list[LinkGroup]:
    """The links of ``iri`` by relation and direction, each group sorted by label and cut at
    :data:`MAX_GROUP_ITEMS` (evidence is looked up only for the links shown)."""
    facts: dict[tuple[str, str], list[tuple[Node, Node, Node, Node]]] = {}
    for _, p, o in graph.triples((iri, None, None)):
        if isinstance(o, URIRef) and _shown_out(p):
            facts.setdefault(("out", property_name(graph, p, "out")), []).append((o, iri, p, o))
    for s, p, _ in graph.triples((None, None, iri)):
        if _shown_in(graph, s, p):
            facts.setdefault(("in", property_name(graph, p, "in")), []).append((s, s, p, iri))
    # a statement is itself the evidence of its fact (its words are on its page)
    bare = (iri, RDF.type, TF.Statement) in graph
    groups = []
    for (direction, heading), found in sorted(facts.items()):
        ranked = sorted(found, key=lambda f: (label_of(graph, f[0]).casefold(), str(f[0])))
        items = [
            _item(
                graph,
                other,
                None if bare or p in TEXT_STRUCTURE else evidence(graph, s, p, o, links),
                links,
            )
            for other, s, p, o in ranked[:MAX_GROUP_ITEMS]
        ]
        groups.append(LinkGroup(heading, direction, items, len(found)))
    stated = _stated_here(graph, iri, links)
    if stated:
        groups.append(
            LinkGroup("facts quoted from here", "in", stated[:MAX_GROUP_ITEMS], len(stated))
        )
    return groups


def _shown_out(p: Node) -> bool:
    hidden = (SKIPPED_OUT, SOURCE_PROPERTIES, ELSEWHERE_PROPERTIES, REPEATED_LINKS)
    return not any(p in group for group in hidden) and p not in derived_properties()


def _shown_in(graph: Graph, s: Node, p: Node) -> bool:
    if p == RDF.type or p in STATEMENT_PROPERTIES or p in REPEATED_LINKS:
        return False
    if p in derived_properties():
        return False
    if isinstance(s, BNode) or p in SOURCE_PROPERTIES:
        return False
    return (s, RDF.type, TF.Statement) not in graph


def _stated_here(graph: Graph, iri: URIRef, links: Links) -> list[LinkItem]:
    """The facts whose statements quote this resource (a part of a law) as their place; words
    that are the part's whole text, shown above them, are not repeated under each fact."""
    own = {_plain(str(t)) for t in graph.objects(iri, TF.text)}
    items = []
    for st in sorted(graph.subjects(TF.locator, iri), key=str):
        s, p, o = (graph.value(st, prop) for prop in (RDF.subject, RDF.predicate, RDF.object))
        if s is None or p is None or o is None:
            continue
        value = _clip(label_of(graph, o), FACT_VALUE_WIDTH)
        fact = f"{label_of(graph, s)} {property_name(graph, p, 'out')} {value}"
        ev = _statement_evidence(graph, st, s, links)
        ev.locator = None  # this very part
        repeated = [q for q in ev.quotes if _plain(q) in own]
        if repeated:
            ev.quotes = [q for q in ev.quotes if q not in repeated]
            ev.in_text = True
        items.append(LinkItem(str(s), fact, class_of(graph, s), links.page(str(s)), ev))
    return items


def _plain(text: str) -> str:
    """``text`` with its white space made single spaces (quotes match "white space aside")."""
    return " ".join(text.split())


def _item(graph: Graph, node: Node, ev: Evidence | None, links: Links) -> LinkItem:
    return LinkItem(
        str(node), label_of(graph, node), class_of(graph, node), links.page(str(node)), ev
    )


def _literals(
    graph: Graph, iri: URIRef
) -> tuple[list[tuple[str, list[str]]], list[tuple[str, str]]]:
    """Short literal facts (date, amount ...) and long texts (a law's words), by property."""
    facts: dict[str, list[str]] = {}
    texts: list[tuple[str, str]] = []
    for _, p, o in sorted(graph.triples((iri, None, None))):
        if not isinstance(o, Literal) or p in SKIPPED_OUT or p in derived_properties():
            continue
        name = property_name(graph, p, "out")  # type: ignore[arg-type]
        if len(str(o)) > LONG_TEXT or p in TEXT_PROPERTIES:
            texts.append((name, str(o)))
        else:
            facts.setdefault(name, []).append(str(o))
    return sorted(facts.items()), texts


def entity_view(graph: Graph, iri: URIRef, links: Links) -> EntityView | None:
    """Everything the page of ``iri`` shows; None when the graph says nothing about it."""
    if not exists(graph, iri):
        return None
    label = label_of(graph, iri)
    names = sorted({str(n) for prop in NAME_PROPERTIES for n in graph.objects(iri, prop)} - {label})  # type: ignore[arg-type]
    facts, texts = _literals(graph, iri)
    groups = _link_groups(graph, iri, links)
    elsewhere = sorted(
        {
            u
            for prop in ELSEWHERE_PROPERTIES
            for o in graph.objects(iri, prop)
            if (u := safe_url(str(o)))
        }  # type: ignore[arg-type]
    )
    description = graph.value(iri, RDFS.comment)
    view = EntityView(
        iri=str(iri),
        label=label,
        cls=class_of(graph, iri),
        names=names,
        description=str(description) if description is not None else "",
        facts=facts,
        texts=texts,
        groups=groups,
        quotes=sorted(str(q) for q in graph.objects(iri, TF.quote)),  # type: ignore[arg-type]
        sources=_sources(graph, iri, links),
        elsewhere=elsewhere,
        picture="",
    )
    view.picture = neighbourhood_svg(graph, view)
    view.subdivisions = subdivisions(graph, iri, links)
    return view


def subdivisions(graph: Graph, iri: URIRef, links: Links) -> list[Subdivision]:
    """The parts below a law's part (``tf:within`` it), in the law's order (``tf:position``),
    with their words: the page of 19 U.S.C. 4681 reads as the section does."""
    found = []
    for part in graph.subjects(TF.within, iri):
        position = graph.value(part, TF.position)
        if position is None or not isinstance(part, URIRef):
            continue
        ancestors = sum(1 for _ in graph.objects(part, TF.within))
        found.append((int(str(position)), part, ancestors))
    if not found:
        return []
    top = min(a for _, _, a in found)
    return [
        Subdivision(
            label=label_of(graph, part),
            title=str(graph.value(part, ELI.title) or ""),
            href=links.page(str(part)),
            text="\n".join(sorted(str(t) for t in graph.objects(part, TF.text))),
            depth=ancestors - top,
        )
        for _, part, ancestors in sorted(found, key=lambda f: (f[0], str(f[1])))
    ]


# --- the neighbourhood picture --------------------------------------------------------------


def neighbourhood_svg(graph: Graph, view: EntityView) -> str:
    """A small SVG: the entity in the middle, its neighbours around it (each a link to its
    page), coloured by class. Built as text with every string escaped; no script."""
    from markupsafe import escape

    seen: dict[str, LinkItem] = {}
    for group in view.groups:
        for item in group.items:
            seen.setdefault(item.iri, item)
    items = sorted(
        seen.values(),
        key=lambda i: (CLASS_ORDER.index(i.cls) if i.cls in CLASS_ORDER else 99, i.label),
    )
    more = max(0, len(items) - PICTURE_NEIGHBOURS)
    items = items[:PICTURE_NEIGHBOURS]
    width, height, cx, cy = 900, 460, 450, 230
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="tf-neighbourhood">',
        f"<title>{escape(view.label)} and its {len(seen)} neighbours</title>",
    ]
    spots = []
    for i, item in enumerate(items):
        angle = 2 * math.pi * i / max(1, len(items)) - math.pi / 2
        radius = 150 if i % 2 == 0 or len(items) < 10 else 205
        x, y = cx + radius * 1.35 * math.cos(angle), cy + radius * math.sin(angle)
        spots.append((item, x, y, angle))
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#b8c0c8"/>')
    parts += [_svg_neighbour(graph, *spot) for spot in spots]
    color = CLASS_STYLES.get(view.cls, CLASS_STYLES["Resource"]).color
    parts.append(f'<circle cx="{cx}" cy="{cy}" r="12" fill="{color}" stroke="#000"/>')
    parts.append(
        f'<text x="{cx}" y="{cy + 30}" text-anchor="middle" font-size="13" font-weight="bold">'
        f"{escape(_clip(short_of(graph, URIRef(view.iri)), 40))}</text>"
    )
    if more:
        parts.append(
            f'<text x="10" y="{height - 10}" font-size="12">and {more} more (listed below)</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _svg_neighbour(graph: Graph, item: LinkItem, x: float, y: float, angle: float) -> str:
    """One neighbour in the picture: a dot, its short name beside it, a link to its page."""
    from markupsafe import escape

    color = CLASS_STYLES.get(item.cls, CLASS_STYLES["Resource"]).color
    anchor = "start" if math.cos(angle) > 0.3 else "end" if math.cos(angle) < -0.3 else "middle"
    dx = {"start": 10, "end": -10, "middle": 0}[anchor]
    dy = 4 if anchor != "middle" else (-12 if math.sin(angle) < 0 else 20)
    name = _clip(short_of(graph, URIRef(item.iri)), 26)
    node = (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{color}" stroke="#333"/>'
        f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}" font-size="12">'
        f"{escape(name)}</text>"
    )
    title = f"<title>{escape(item.label)} ({escape(item.cls)})</title>"
    if item.href:
        return f'<a href="{escape(item.href)}">{title}{node}</a>'
    return f"<g>{title}{node}</g>"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# --- HTML -----------------------------------------------------------------------------------


@cache
def _environment():  # noqa: ANN202
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _style() -> str:
    return (TEMPLATES / "pages.css").read_text(encoding="utf-8")


def class_heading(cls: str) -> str:
    """ "Coordination body" for "CoordinationBody"."""
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in cls).strip()
    return words[:1].upper() + words[1:]


def render_entity(view: EntityView, links: Links) -> str:
    """The HTML page of one entity (every string escaped by the template)."""
    from markupsafe import Markup

    return (
        _environment()
        .get_template("entity.html")
        .render(
            view=view,
            links=links,
            kind=class_heading(view.cls),
            style=Markup(_style()),  # noqa: S704 - our own stylesheet, checked to hold no </style
            picture=Markup(view.picture),  # noqa: S704 - built with every string escaped
            color=CLASS_STYLES.get(view.cls, CLASS_STYLES["Resource"]).color,
            class_heading=class_heading,
        )
    )


def entity_page(graph: Graph, iri: URIRef, links: Links) -> str | None:
    """The HTML of ``iri``'s page, or None when the graph says nothing about it."""
    view = entity_view(graph, iri, links)
    return None if view is None else render_entity(view, links)


@dataclass
class IndexEntry:
    label: str
    short: str
    href: str


def entities_by_kind(graph: Graph, links: Links) -> list[tuple[str, list[IndexEntry]]]:
    """Every entity of ours with a page, grouped by class in the contract's order."""
    found: dict[str, list[IndexEntry]] = {}
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef)}
    for node in subjects:
        href = links.page(str(node))
        if href is None or (node, RDF.type, TF.Statement) in graph:
            continue
        short = short_of(graph, node)
        label = label_of(graph, node)
        found.setdefault(class_of(graph, node), []).append(
            IndexEntry(label, short if short != label else "", href)
        )
    order = list(CLASS_ORDER) + ["Resource"]
    return [
        (cls, sorted(found[cls], key=lambda e: e.label.casefold()))
        for cls in sorted(found, key=lambda c: (order.index(c) if c in order else len(order), c))
    ]


def render_index(graph: Graph, links: Links, title: str) -> str:
    from markupsafe import Markup

    kinds = entities_by_kind(graph, links)
    return (
        _environment()
        .get_template("index.html")
        .render(
            title=title,
            kinds=kinds,
            total=sum(len(entries) for _, entries in kinds),
            links=links,
            style=Markup(_style()),  # noqa: S704 - our own stylesheet
            class_heading=class_heading,
            colors={c: s.color for c, s in CLASS_STYLES.items()},
        )
    )
