"""The one walker of rdflib's SPARQL parse trees and algebra (the endpoint's policy, the
trailing VALUES evaluated first)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Identifier


def parts(tree: Any) -> Iterator[CompValue]:
    """Every ``CompValue`` in a parse tree or an algebra (rdflib's), depth first. Nesting is
    bounded by the parser (which refuses deeper queries), so recursion is safe here."""
    seen: set[int] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if id(node) in seen or isinstance(node, (str, Identifier)):
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            yield node
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)) or _is_parse_results(node):
            stack.extend(node)


def _is_parse_results(node: Any) -> bool:
    from pyparsing import ParseResults

    return isinstance(node, ParseResults)
