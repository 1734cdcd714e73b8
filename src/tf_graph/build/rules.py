"""Derived facts: the rules in ``queries/rules/*.rq``, applied once when a graph is loaded.

Each rule is a SPARQL CONSTRUCT with a header (``# title:``, ``# description:``,
``# derives: tf:property``). :func:`apply_rules` runs every rule over the stated triples and
adds what they construct, for both engines: the Oxigraph index when it is built
(:func:`tf_graph.engines.store.build`) and rdflib's memory graph when it is loaded
(:func:`tf_graph.build.loading.load_graph`, which ``validate``, ``export`` and ``push`` use,
so the derived triples travel with an export and a push).

Why: the named queries then read plain triples (``?actor tf:partOfAgency ?agency``) instead
of property paths, written-out chains and ordered sub-selects, which engines evaluate
differently (docs/engines.md) and slowly.

- Rules read stated triples only, never each other's output: each is complete by itself, so
  their order does not matter and one pass is enough.
- Derived triples already in the input (a graph exported with them, loaded again with
  ``--data``) are dropped first and derived again, so a quote added beside an exported
  ``tf:joinedQuote`` does not leave a stale second one.
- Every derived property is declared in ``ontology/tf.ttl`` with ``tf:derivedBy`` naming its
  rule file; :func:`derived_properties` reads the rules' ``# derives:`` lines, and a test
  checks that the two agree.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from tf_graph import resources
from tf_graph.errors import QueryError
from tf_graph.namespaces import TF_IRI

if TYPE_CHECKING:  # (an index is opened, its rules' digest checked, without rdflib)
    from rdflib import Graph, URIRef

#: the header line naming what a rule derives: ``# derives: tf:partOfAgency``
_DERIVES = re.compile(r"#\s*derives\s*:\s*tf:(\w+)\s*$")


@dataclass(frozen=True)
class Rule:
    """One rule file: its name (the file stem), the properties it derives and its text."""

    name: str
    derives: tuple[URIRef, ...]
    text: str


def rules_dir() -> Path:
    return resources.queries_dir() / "rules"


@cache
def _rule_files() -> tuple[tuple[str, str], ...]:
    """(name, text) of each shipped rule file, by file name."""
    return tuple((path.stem, path.read_text("utf-8")) for path in sorted(rules_dir().glob("*.rq")))


@cache
def rules() -> tuple[Rule, ...]:
    """The shipped rules, by file name."""
    from rdflib import URIRef

    found = []
    for name, text in _rule_files():
        derives = tuple(
            URIRef(TF_IRI + match.group(1))
            for line in text.splitlines()
            if (match := _DERIVES.match(line.strip()))
        )
        if not derives:
            raise QueryError(f"{rules_dir() / name}.rq: no '# derives: tf:NAME' line")
        found.append(Rule(name, derives, text))
    return tuple(found)


def rules_digest() -> str:
    """SHA-256 of the rules' texts: an index built with other rules is built again. (From the
    files: opening an index checks it without rdflib.)"""
    digest = hashlib.sha256()
    for name, text in _rule_files():
        digest.update(f"{name}\n{text}\n".encode())
    return digest.hexdigest()


def derived_properties() -> frozenset[URIRef]:
    """Every property a rule derives: not stated by any source, so projections, statistics
    and profiles leave them out."""
    return frozenset(prop for rule in rules() for prop in rule.derives)


def stated_triples(graph: Graph) -> int:
    """How many triples of ``graph`` a source states: all but the derived ones."""
    derived = sum(1 for prop in derived_properties() for _ in graph.triples((None, prop, None)))
    return len(graph) - derived


def apply_rules(target: Graph | ox.Store) -> int:
    """Add the derived triples to ``target`` (an rdflib Graph or a pyoxigraph Store) and
    return how many there are; derived triples it held before are replaced."""
    if isinstance(target, ox.Store):
        return _apply_oxigraph(target)
    for prop in derived_properties():
        target.remove((None, prop, None))
    derived: set[Any] = set()
    for rule in rules():
        constructed = target.query(rule.text).graph
        derived.update(constructed if constructed is not None else ())
    for triple in derived:
        target.add(triple)
    return len(derived)


def _apply_oxigraph(store: ox.Store) -> int:
    for prop in derived_properties():
        for quad in list(store.quads_for_pattern(None, ox.NamedNode(str(prop)), None)):
            store.remove(quad)
    derived: set[ox.Triple] = set()
    for rule in rules():
        answer = store.query(rule.text)
        if isinstance(answer, ox.QueryTriples):
            derived.update(answer)
    store.extend(_quads(derived))
    return len(derived)


def _quads(triples: Iterable[ox.Triple]) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
