"""A query's trailing ``VALUES`` evaluated first, each row bound as rdflib binds its
``initBindings``, in rdflib's own SPARQL engine.

Remote clients bind parameters with a ``VALUES`` block after the query, and the question path
looks many resources up at once with one (:func:`tf_graph.engines.values.append_values`).
rdflib's engine evaluates the whole WHERE before it joins that block, row by row: for one
resource ``entity-profile`` reads every statement of the graph (seconds) where the same
query with ``initBindings`` looks up one resource (milliseconds); the labels of 500 resources
took 2.6 s (every label of the graph joined with every row of the block) instead of 0.1 s.
:func:`values_first` finds such a block in the parsed algebra (never in the text) and, where
binding first gives exactly the rows of the join, returns the query with the join turned
round: the block's rows first, the pattern evaluated once per row with the row's values
bound (rdflib's lazy join, as for ``initBindings``). Applied where rdflib's parses are made
(:mod:`.rdflib_parse`) and by the endpoint (:mod:`tf_graph.server.worker`); Oxigraph and
other stores need none of it.

Binding first equals the join when each bound variable is only *narrowed* by the pattern:
the algebra is walked and every operator that mentions the variable must keep its rows
when the variable is fixed first. A variable that a pattern may leave unbound (OPTIONAL,
one branch of a UNION) must not be read by a FILTER, BIND or OPTIONAL there; BIND, an inner
VALUES, GRAPH ?v, sub-queries that do not project it (or cut their rows with LIMIT) and
grouping by other variables must not mention it. MINUS
anywhere keeps the join (a bound variable enters every row and so changes which rows share
a variable). A row with an UNDEF, or anything not known safe, keeps the join as written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from rdflib import Literal, URIRef, Variable
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from tf_graph.engines.rdflib_algebra import parts

#: operators above the trailing VALUES join (modifiers and SELECT expressions)
_ABOVE = frozenset(
    {
        "SelectQuery",
        "ConstructQuery",
        "AskQuery",
        "DescribeQuery",
        "Slice",
        "Distinct",
        "Reduced",
        "Project",
        "OrderBy",
        "Extend",
    }
)


def values_first(query: Query) -> Query | None:
    """``query`` with its trailing VALUES evaluated first, each row's values bound before
    the pattern is evaluated; None when the query has no such block or binding first could
    give other rows than the join."""
    path = _path_to_values_join(query.algebra)
    if path is None:
        return None
    join = path[-1]
    if not all(_binds_first(path, row) for row in join.p2.p.res):
        return None
    algebra: CompValue = join.clone()
    algebra["p1"], algebra["p2"], algebra["lazy"] = join.p2, join.p1, True
    for node in reversed(path[:-1]):
        copy = node.clone()
        copy["p"] = algebra
        algebra = copy
    return Query(query.prologue, algebra)


def _binds_first(path: list[CompValue], row: dict[Variable, Any]) -> bool:
    if not row or not all(isinstance(v, (URIRef, Literal)) for v in row.values()):
        return False  # an UNDEF (or nothing) stays a join
    if any(node.name == "Extend" and node.var in row for node in path):
        return False  # SELECT (... AS ?v) assigns it
    join = path[-1]
    minus = any(part.name == "Minus" for part in parts(join.p1))
    return not minus and all(_narrows(join.p1, var) for var in row)


def _path_to_values_join(node: CompValue) -> list[CompValue] | None:
    """The operators from the top down to the join with a trailing VALUES of some rows."""
    path = []
    while isinstance(node, CompValue) and node.name in _ABOVE:
        path.append(node)
        node = node.get("p")
    if not (isinstance(node, CompValue) and node.name == "Join"):
        return None
    values = node.p2.get("p") if node.p2.name == "ToMultiSet" else None
    if not (isinstance(values, CompValue) and values.name == "values"):
        return None  # (an empty VALUES block is parsed as a list)
    if not values.res:
        return None
    return [*path, node]


def _narrows(node: CompValue, var: Variable) -> bool:
    """Whether fixing ``var`` before evaluating ``node`` gives the rows of ``node`` joined
    with that value (see the module doc)."""
    if var not in mentioned(node):
        return True
    check = _NARROWS.get(node.name)
    return check is not None and check(node, var)


def _leftjoin_narrows(node: CompValue, var: Variable) -> bool:
    if var not in mentioned(node.p2) | mentioned(node.expr):
        return _narrows(node.p1, var)
    return var in bound(node.p1) and _narrows(node.p1, var) and _narrows(node.p2, var)


def _extend_narrows(node: CompValue, var: Variable) -> bool:
    return node.var != var and _narrows(node.p, var) and _reads_only_bound(node.expr, node.p, var)


def _subselect_narrows(node: CompValue, var: Variable) -> bool:
    """A sub-select (``ToMultiSet`` of a ``Project``, perhaps under DISTINCT or REDUCED, its
    ORDER BY inside) that projects ``var``, binds it in every row and only narrows it: binding
    it first keeps the rows the join keeps (rdflib evaluates a sub-select with the outer
    bindings in view). Not one with LIMIT or OFFSET (binding first changes which rows they
    keep), nor an inner VALUES block."""
    inner = node.get("p")
    while isinstance(inner, CompValue) and inner.name in ("Distinct", "Reduced"):
        inner = inner.p
    if not (isinstance(inner, CompValue) and inner.name == "Project") or var not in inner.PV:
        return False
    inner = inner.p
    if inner.name == "OrderBy":
        inner = inner.p
    return var in bound(inner) and _narrows(inner, var)


#: the operators that may mention a bound variable, and when they keep their rows; any
#: other (GRAPH, inner VALUES, SERVICE, ...) keeps the join
_NARROWS: dict[str, Callable[[CompValue, Variable], bool]] = {
    "BGP": lambda node, var: True,
    "Join": lambda node, var: _narrows(node.p1, var) and _narrows(node.p2, var),
    "Union": lambda node, var: _narrows(node.p1, var) and _narrows(node.p2, var),
    "Filter": lambda node, var: _narrows(node.p, var) and _reads_only_bound(node.expr, node.p, var),
    "LeftJoin": _leftjoin_narrows,
    "Extend": _extend_narrows,
    "AggregateJoin": lambda node, var: _narrows(node.p, var),
    "Group": lambda node, var: var in (node.expr or ()) and _narrows(node.p, var),
    "ToMultiSet": _subselect_narrows,
}


def _reads_only_bound(expr: Any, pattern: CompValue, var: Variable) -> bool:
    return var not in mentioned(expr) or var in bound(pattern)


def bound(node: CompValue) -> set[Variable]:
    """The variables every row of ``node`` binds."""
    name = node.name
    if name == "BGP":
        return {t for triple in node.triples for t in triple if isinstance(t, Variable)}
    if name == "Join":
        return bound(node.p1) | bound(node.p2)
    if name == "Union":
        return bound(node.p1) & bound(node.p2)
    if name in ("LeftJoin", "Minus"):
        return bound(node.p1)
    if name in ("Filter", "Extend", "AggregateJoin"):
        return bound(node.p)
    if name == "Group":
        return bound(node.p) & set(node.expr or ())
    return set()


def mentioned(node: Any) -> set[Variable]:
    """Every variable anywhere in ``node`` (patterns, expressions, EXISTS, sub-queries)."""
    return set(_variables(node))


def _variables(node: Any) -> Iterator[Variable]:
    if isinstance(node, Variable):
        yield node
    elif isinstance(node, dict):  # CompValue and the rows of a VALUES block
        for key, value in node.items():
            if key != "_vars":
                yield from _variables(key)
                yield from _variables(value)
    elif isinstance(node, (list, tuple, set, frozenset)):
        for item in node:
            yield from _variables(item)
