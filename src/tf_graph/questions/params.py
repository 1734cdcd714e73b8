"""Parameter values as RDF terms, by the kind each query's header declares for them.

A value is a label, abbreviation, slug or IRI for a resource kind (resolved by
:mod:`tf_graph.questions.resolve`), or a year, month or number for a literal kind. The terms
are bound by the engine, never pasted into the query text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tf_graph.engines.terms import XSD, make_literal
from tf_graph.errors import QueryError
from tf_graph.questions.catalogue import ANY, Kind, QuerySpec
from tf_graph.questions.resolve import kind_for_classes, resolve_entity

if TYPE_CHECKING:
    from rdflib import Graph

#: a term (rdflib's or a light one, as the graph answers: :mod:`tf_graph.engines.terms`)
Identifier = Any

MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
#: number words an ``xsd:integer`` parameter accepts ("all" is the top of its range)
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def parse_month(value: str) -> str | None:
    """``2021-12``, ``December 2021``, ``Dec 2021`` -> ``2021-12``; None if not a month."""
    text = " ".join(value.split()).lower()
    match = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", text)
    if match:
        return text
    match = re.fullmatch(r"([a-z]+)\.?,? (\d{4})", text)
    if match:
        name = match.group(1)
        for number, month in enumerate(MONTHS, start=1):
            if len(name) >= 3 and month.startswith(name):
                return f"{match.group(2)}-{number:02d}"
    return None


def literal_param(name: str, kind: Kind, value: str, graph: Any = None) -> Any:
    """The literal a year / month / integer parameter stands for (of the family of terms
    ``graph`` answers in: :func:`tf_graph.engines.terms.make_literal`)."""
    text = value.strip()
    if kind.literal == "year":
        if not re.fullmatch(r"\d{4}", text):
            raise QueryError(f"parameter {name}: expected a year such as 2022, got {value!r}")
        return make_literal(graph, text)
    if kind.literal == "month":
        month = parse_month(text)
        if month is None:
            raise QueryError(
                f"parameter {name}: expected a month such as 2021-12 or December 2021, "
                f"got {value!r}"
            )
        return make_literal(graph, month)
    word = text.lower()
    number = kind.high if word == "all" else NUMBER_WORDS.get(word)
    if number is None and re.fullmatch(r"-?\d+", text):
        number = int(text)
    if number is None or not kind.low <= number <= kind.high:
        raise QueryError(
            f"parameter {name}: expected a number from {kind.low} to {kind.high}, got {value!r}"
        )
    return make_literal(graph, str(number), datatype=XSD + "integer")


def resolve_param(graph: Graph, name: str, kind: Kind, value: str) -> Identifier:
    """One parameter value as an RDF term: a literal for a literal kind, else a resource."""
    if kind.literal is not None:
        return literal_param(name, kind, value, graph)
    return resolve_entity(graph, value, kind=kind_for_classes(kind.classes))


def bind_params(graph: Graph, spec: QuerySpec, params: Mapping[str, str]) -> dict[str, Identifier]:
    """Resolve the given parameters and the defaults; name a missing or unknown parameter.
    A user's query without ``# param:`` lines takes any parameter, as any resource."""
    _check_names(spec, params)
    bindings: dict[str, Identifier] = {}
    for param in spec.params:
        if param.name in params:
            value = params[param.name]
        elif param.required:
            raise QueryError(
                f"query {spec.name} needs parameter {param.name!r} ({param.meaning}); "
                f"give it with --param {param.name}=VALUE"
            )
        elif param.optional:
            continue
        else:
            value = param.default or ""
        bindings[param.name] = resolve_param(graph, param.name, param.kind, value)
    for name, value in params.items():
        if name not in bindings and spec.param(name) is None:
            bindings[name] = resolve_param(graph, name, ANY, value)
    return bindings


def _check_names(spec: QuerySpec, params: Mapping[str, str]) -> None:
    declared = {p.name for p in spec.params}
    for name in params:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"bad parameter name {name!r}")
        if spec.params and name not in declared:
            known = ", ".join(sorted(declared))
            raise QueryError(
                f"query {spec.name} has no parameter {name!r} (its parameters: {known})"
            )
        if not spec.params and spec.named:
            raise QueryError(f"query {spec.name} takes no parameters (got {name!r})")
