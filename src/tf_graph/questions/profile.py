"""A profile of one resource (``tf-graph show``): names, description, links in and out, quotes.

Built from the ``entity-profile`` named query, so it runs on any store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tf_graph.engines.terms import is_iri, is_literal
from tf_graph.namespaces import (
    DCTERMS_IRI,
    ELI_IRI,
    PREFIX_IRIS,
    RDF_IRI,
    RDFS_IRI,
    SKOS_IRI,
    TF_IRI,
)
from tf_graph.questions.queries import QueryResult
from tf_graph.questions.run import run_query
from tf_graph.sourcetext import clip

if TYPE_CHECKING:
    from rdflib import Graph

#: a term: rdflib's or a light one (:mod:`tf_graph.engines.terms`); compared here by its text
Node = Any
URIRef = Any
_RDF_TYPE = RDF_IRI + "type"
_RDFS_LABEL = RDFS_IRI + "label"
_RDFS_COMMENT = RDFS_IRI + "comment"
_TF_QUOTE = TF_IRI + "quote"

#: literal properties shown as names, description and quotes rather than as "facts"
NAME_PROPERTIES = (
    _RDFS_LABEL,
    SKOS_IRI + "prefLabel",
    SKOS_IRI + "altLabel",
    DCTERMS_IRI + "identifier",
)
#: properties of a part of a law that its "Text:" block shows instead
LAW_TEXT_PROPERTIES = (
    TF_IRI + "text", TF_IRI + "position", ELI_IRI + "number", ELI_IRI + "title", TF_IRI + "within"
)  # fmt: skip


#: links in from statements: a profile shows them as the evidence of each fact instead
STATEMENT_PROPERTIES = (RDF_IRI + "subject", RDF_IRI + "object")


@dataclass
class Evidence:
    """Where one fact about the resource comes from: a source's words and place in it, or (an
    outside fact) a reference."""

    fact: str
    source: str
    where: str
    quote: str
    reference: str


@dataclass
class LawPart:
    """One part of a law in a profile's text: its mark ("(c)", "§ 7103"), heading and words."""

    mark: str
    heading: str
    text: str
    depth: int


@dataclass
class Link:
    """A neighbour through one property: the resource or literal and how it reads."""

    value: Node
    label: str


@dataclass
class Profile:
    """Everything the graph says about one resource, grouped for reading."""

    iri: URIRef
    label: str
    types: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    description: str = ""
    facts: dict[str, list[str]] = field(default_factory=dict)
    links_out: dict[str, list[Link]] = field(default_factory=dict)
    links_in: dict[str, list[Link]] = field(default_factory=dict)
    quotes: list[str] = field(default_factory=list)
    law_text: list[LawPart] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        def links(groups: dict[str, list[Link]]) -> dict[str, list[dict[str, str]]]:
            return {
                prop: [{"value": str(link.value), "label": link.label} for link in items]
                for prop, items in groups.items()
            }

        return {
            "iri": str(self.iri),
            "label": self.label,
            "types": self.types,
            "names": self.names,
            "description": self.description,
            "facts": self.facts,
            "out": links(self.links_out),
            "in": links(self.links_in),
            "quotes": self.quotes,
            "text": [
                {"mark": p.mark, "heading": p.heading, "text": p.text, "depth": p.depth}
                for p in self.law_text
            ],
            "evidence": [
                {
                    "fact": e.fact,
                    "source": e.source,
                    "where": e.where,
                    "quote": e.quote,
                    "reference": e.reference,
                }
                for e in self.evidence
            ],
        }


def property_name(result: QueryResult, row: dict[str, Node | None]) -> str:
    """A property's label from the ontology, else its prefixed name (``org:memberOf``)."""
    label = row.get("propertyLabel")
    if label is not None:
        return str(label)
    return prefixed(row["property"])


def prefixed(term: Node | None) -> str:
    text = str(term)
    for prefix, namespace in sorted(PREFIX_IRIS.items(), key=lambda p: -len(str(p[1]))):
        if text.startswith(str(namespace)) and len(text) > len(str(namespace)):
            return f"{prefix}:{text[len(str(namespace)) :]}"
    return text


def profile(graph: Graph, term: str) -> Profile:
    """Resolve ``term`` and gather every statement about it, in and out."""
    result = run_query(graph, "entity-profile", {"entity": term})
    iri = result.bindings["entity"]
    assert is_iri(iri)
    found = Profile(iri, result.label(iri))
    for row in result.rows:
        prop, value = row["property"], row["value"]
        if value is None or prop is None:
            continue
        if is_literal(row["direction"]) and str(row["direction"]) == "in":
            if str(prop) in STATEMENT_PROPERTIES:
                continue  # a statement about it: shown as the evidence of its fact
            found.links_in.setdefault(property_name(result, row), []).append(
                Link(value, _value_label(result, row))
            )
            continue
        _add_out(found, result, row, prop, value)
    codified = [r for r in result.rows if str(r["property"]) == TF_IRI + "codifiedAt"]
    law_words = (TF_IRI + "text", ELI_IRI + "has_part")
    if len(codified) == 1 or any(str(r["property"]) in law_words for r in result.rows):
        # a law's own words; an Act's section codified at one U.S. Code section: that text
        found.law_text = law_text(graph, iri)
    if any(str(row["property"]) in STATEMENT_PROPERTIES for row in result.rows):
        found.evidence = evidence(graph, iri)
    return found


def evidence(graph: Graph, iri: URIRef) -> list[Evidence]:
    """The provenance of each fact about ``iri`` that has a statement (``statements``)."""
    found = []
    for row in run_query(graph, "statements", {"entity": str(iri)}).rows:
        ends = [_name(row, "subject"), _name(row, "predicate"), _name(row, "object")]
        source = str(row["documentLabel"] or row["document"] or "")
        locator = row.get("locator")
        # a law's subdivision names its source ("22 U.S.C. 7103(c)"); the fact sheet's section
        # is a literal read with the sheet's name
        where = row.get("citation") or ", ".join(
            x for x in (source, str(locator) if is_literal(locator) else "") if x
        )
        found.append(
            Evidence(
                fact=" ".join(ends),
                source=source,
                where=str(where),
                quote=str(row["quote"] or ""),
                reference=str(row["source"] or ""),
            )
        )
    return found


def _name(row: dict[str, Node | None], key: str) -> str:
    label = row.get(f"{key}Label")
    if label is not None:
        return str(label)
    value = row.get(key)
    return str(value) if is_literal(value) else prefixed(value)


def law_text(graph: Graph, iri: URIRef) -> list[LawPart]:
    """The words of a part of a law and of every part below it, in order (``law-text``)."""
    rows = run_query(graph, "law-text", {"law": str(iri)}).rows
    if not rows:
        return []
    top = str(rows[0]["citation"]) if rows[0]["part"] == iri else ""
    parts, seen = [], set()
    for row in rows:
        if row["part"] in seen:
            continue
        seen.add(row["part"])
        citation = str(row["citation"])
        nested = bool(top) and citation.startswith(top) and citation != top
        depth = citation[len(top) :].count("(") if nested else (0 if citation == top else 1)
        mark = "" if citation == top else (f"({row['number']})" if nested else citation)
        parts.append(LawPart(mark, str(row["heading"] or ""), str(row["text"] or ""), depth))
    return parts


def _add_out(
    found: Profile, result: QueryResult, row: dict[str, Node | None], prop: Node, value: Node
) -> None:
    prop_iri = str(prop)
    if prop_iri == _RDF_TYPE:
        found.types.append(prefixed(value).removeprefix("tf:"))
    elif prop_iri == _RDFS_LABEL:
        found.label = str(value)
    elif prop_iri in NAME_PROPERTIES:
        if str(value) not in found.names:
            found.names.append(str(value))
    elif prop_iri == _RDFS_COMMENT:
        found.description = str(value)
    elif prop_iri == _TF_QUOTE:
        found.quotes.append(str(value))
    elif prop_iri in LAW_TEXT_PROPERTIES:
        return
    elif is_literal(value):
        found.facts.setdefault(property_name(result, row), []).append(str(value))
    else:
        found.links_out.setdefault(property_name(result, row), []).append(
            Link(value, _value_label(result, row))
        )


def _law_part_lines(part: LawPart) -> list[str]:
    """ "(c) Chairman" then its words indented below; a part without a heading on one line
    with its mark ("(1) Coordinate the implementation of this chapter.")."""
    indent = "  " * (part.depth + 1)
    paragraphs = [p for p in part.text.splitlines() if p]
    if part.heading:
        head = " ".join(x for x in (part.mark, part.heading) if x)
        return [f"{indent}{head}"] + [f"{indent}    {p}" for p in paragraphs]
    if not paragraphs:
        return [f"{indent}{part.mark}"] if part.mark else []
    first = " ".join(x for x in (part.mark, paragraphs[0]) if x)
    return [f"{indent}{first}"] + [f"{indent}    {p}" for p in paragraphs[1:]]


def _value_label(result: QueryResult, row: dict[str, Node | None]) -> str:
    label = row.get("valueLabel")
    return str(label) if label is not None else prefixed(row.get("value"))


def _head_lines(found: Profile) -> list[str]:
    """The name, IRI, types, other names, description and literal facts."""
    names = [n for n in found.names if n != found.label]
    lines = [found.label, f"  IRI:   {found.iri}"]
    if found.types:
        lines.append(f"  Type:  {', '.join(found.types)}")
    if names:
        lines.append(f"  Names: {', '.join(names)}")
    if found.description:
        lines.append(f"  About: {found.description}")
    for prop, values in found.facts.items():
        lines.append(f"  {prop}: {', '.join(values)}")
    return lines


def _link_lines(found: Profile) -> list[str]:
    """The links out and in, grouped by property."""
    lines: list[str] = []
    for title, groups, arrow in (
        ("Links out", found.links_out, "→"),
        ("Links in", found.links_in, "←"),
    ):
        if not groups:
            continue
        lines += ["", f"{title}:"]
        for prop, links in groups.items():
            lines.append(f"  {arrow} {prop} ({len(links)})")
            lines += [f"      {link.label}" for link in links]
    return lines


def _evidence_lines(found: Profile) -> list[str]:
    """Where each fact is stated, with the source's words, or its outside reference."""
    if not found.evidence:
        return []
    lines = ["", "Evidence:"]
    for item in found.evidence:
        lines.append(f"  {clip(item.fact, 160)}")
        if item.quote:
            lines.append(f"      {item.where}: “{item.quote}”")
        else:
            lines.append(f"      outside fact, from {item.reference or 'no reference'}")
    return lines


def format_profile(found: Profile) -> str:
    """The profile as text for a terminal."""
    lines = _head_lines(found) + _link_lines(found)
    if found.law_text:
        lines += ["", "Text:"]
        for part in found.law_text:
            lines += _law_part_lines(part)
    lines += _evidence_lines(found)
    if found.quotes:
        lines += ["", "Quotes:"]
        lines += [f"  “{quote}”" for quote in found.quotes]
    return "\n".join(lines) + "\n"
