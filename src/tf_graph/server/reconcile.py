"""Names matched to the graph's IRIs: the W3C Entity Reconciliation Service API (the protocol
OpenRefine speaks), version 0.2 (form field ``queries``) and the 1.0 draft (a JSON body).

Candidates come from the same index of names as the commands (:mod:`tf_graph.questions.resolve`):
what :func:`~tf_graph.questions.resolve.resolve_entity` picks for the text (through
:func:`~tf_graph.questions.resolve.closest_entity`, its pick without the error) is first, with
score 100 and ``match`` true; the others are ranked by rapidfuzz over the normalised names,
with the abbreviations of office spreadsheets written out ("Dept." -> department).
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import Graph

from tf_graph.errors import TfGraphError
from tf_graph.namespaces import TF, TFR
from tf_graph.questions.resolve import (
    KINDS,
    MAX_TERM,
    Entity,
    EntityIndex,
    closest_entity,
    entity_index,
    normalise,
)

#: the types offered, as (id, name); an id is a kind of ``resolve.KINDS``
TYPES = (
    ("agency", "Agency"),
    ("body", "Coordination body"),
    ("statute", "Statute"),
    ("provision", "Statutory provision"),
    ("eo", "Executive order"),
    ("document", "Policy document"),
    ("law", "Law (statute, provision, executive order or plan)"),
    ("initiative", "Initiative"),
    ("topic", "Topic"),
    ("sector", "Sector"),
    ("country", "Country"),
    ("pillar", "Pillar"),
    ("event", "Event"),
    ("person", "Person"),
)
#: words of office spreadsheets, written out before matching
ABBREVIATIONS = {
    "dept": "department",
    "dep": "department",
    "dpt": "department",
    "sec": "section",
    "sect": "section",
    "§": "section",
    "admin": "administration",
    "adm": "administration",
    "natl": "national",
    "nat": "national",
    "intl": "international",
    "govt": "government",
    "gov": "government",
    "assn": "association",
    "comm": "committee",
    "cmte": "committee",
    "tf": "task force",
    "exec": "executive",
    "eo": "executive order",
    "svc": "service",
    "svcs": "service",
    "off": "office",
}
MAX_QUERIES = 100
MAX_LIMIT = 50
DEFAULT_LIMIT = 5
#: a candidate other than the resolver's pick is a "match" only with this score and margin
MATCH_SCORE = 95.0
MATCH_MARGIN = 10.0


class ReconcileError(TfGraphError):
    """A reconciliation request that cannot be read (answered with 400)."""


@dataclass(frozen=True)
class Query:
    query: str
    type: str | None = None
    limit: int = DEFAULT_LIMIT


def manifest(base_url: str) -> dict[str, Any]:
    """The service manifest: what OpenRefine reads when the service is added."""
    return {
        "versions": ["0.2", "0.1"],
        "name": "tf-graph: US federal anti-trafficking entities",
        "identifierSpace": str(TFR),
        "schemaSpace": str(TF),
        "defaultTypes": [{"id": tid, "name": name} for tid, name in TYPES],
        "view": {"url": f"{base_url}/id/{{{{id}}}}"},
    }


def expand(text: str) -> str:
    """``text`` normalised as the resolver does, with abbreviations written out."""
    words = normalise(text.replace("&", " and ").replace(".", " ")).split()
    return " ".join(ABBREVIATIONS.get(w, w) for w in words)


def type_key(value: object) -> str | None:
    """The kind a query's ``type`` names (an id we offer, a class name or a class IRI)."""
    if value in (None, "", []):
        return None
    if isinstance(value, list):
        value = value[0]
    if isinstance(value, dict):
        value = value.get("id")
    text = str(value)
    text = text.removeprefix(str(TF))
    for tid, name in TYPES:
        if text.lower() in (tid, name.lower()):
            return tid
    for kind, classes in KINDS.items():
        if text in classes and len(classes) == 1:
            return kind
    raise ReconcileError(f"unknown type {text!r}; use one of: {', '.join(t for t, _ in TYPES)}")


def read_queries(batch: Mapping[str, Any]) -> dict[str, Query]:
    """The queries of a batch (``{"q0": {"query": ..., "type": ..., "limit": ...}}``)."""
    if not isinstance(batch, Mapping):
        raise ReconcileError("queries must be a JSON object of queries by key")
    if len(batch) > MAX_QUERIES:
        raise ReconcileError(f"at most {MAX_QUERIES} queries per batch, not {len(batch)}")
    return {str(key): read_query(value, str(key)) for key, value in batch.items()}


def read_query(value: object, key: str) -> Query:
    if isinstance(value, str):
        value = {"query": value}
    if not isinstance(value, Mapping) or not isinstance(value.get("query"), str):
        raise ReconcileError(f"query {key!r}: needs a string 'query'")
    text = " ".join(value["query"].split())
    if len(text) > MAX_TERM:
        raise ReconcileError(f"query {key!r}: longer than {MAX_TERM} characters")
    limit = value.get("limit", DEFAULT_LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise ReconcileError(f"query {key!r}: limit must be a positive whole number")
    return Query(text, type_key(value.get("type")), min(limit, MAX_LIMIT))


def parse_form_batch(text: str) -> dict[str, Query]:
    """The ``queries`` field of version 0.2 (a JSON text)."""
    try:
        batch = json.loads(text)
    except json.JSONDecodeError as err:
        raise ReconcileError(f"queries is not JSON: {err.msg} at character {err.pos}") from None
    return read_queries(batch)


def candidate_id(iri: str) -> str:
    """``agency/dhs`` for ours (identifierSpace + id = the IRI), the IRI for others."""
    return iri[len(str(TFR)) :] if iri.startswith(str(TFR)) else iri


def _resolved(graph: Graph, text: str, kind: str | None) -> str | None:
    """What the commands would pick for ``text`` (as typed, then with abbreviations written
    out), or None."""
    for attempt in dict.fromkeys((text, expand(text))):
        found = closest_entity(graph, attempt, kind) if attempt else None
        if found is not None:
            return str(found)
    return None


def reconcile(graph: Graph, query: Query) -> list[dict[str, Any]]:
    """The scored candidates for one query, best first."""
    from rapidfuzz import process

    index = entity_index(graph)
    pick = _resolved(graph, query.query, query.type)
    key = expand(query.query)
    choices, owners = _choices(index, query.type)
    scores: dict[str, float] = {}
    if key:
        found = process.extract(
            key, choices, scorer=_score, limit=max(20, query.limit * 10), processor=None
        )
        for _, score, position in found:
            iri = owners[position].iri
            scores[iri] = max(scores.get(iri, 0.0), float(score))
    if pick is not None:
        scores[pick] = 100.0
    ranked = sorted(
        scores.items(),
        key=lambda s: (s[0] != pick, -s[1], index.entities[s[0]].rank(), s[0]),
    )[: query.limit]
    return [
        _candidate(index.entities[iri], score, _is_match(iri, pick, ranked))
        for iri, score in ranked
    ]


#: the expanded names of an index's entities, by kind: (the index, {kind: (names, owners)})
_CHOICES: dict[int, tuple[weakref.ref, dict[str | None, tuple[list[str], list[Entity]]]]] = {}


def _choices(index: EntityIndex, kind: str | None) -> tuple[list[str], list[Entity]]:
    """Every name of the entities of ``kind``, expanded, with the entity each names; worked
    out once per index and kind (a batch asks for many names against the same ones)."""
    cached = _CHOICES.get(id(index))
    if cached is None or cached[0]() is not index:
        cached = (weakref.ref(index), {})
        _CHOICES.clear()  # one graph per server: keep only the latest index
        _CHOICES[id(index)] = cached
    if kind not in cached[1]:
        choices: list[str] = []
        owners: list[Entity] = []
        for entity in index.of_kind(kind):
            for name in sorted(entity.names):
                choices.append(expand(name))
                owners.append(entity)
        cached[1][kind] = (choices, owners)
    return cached[1][kind]


def _score(query: str, choice: str, **_: Any) -> float:
    """All the words typed found in the name (token set), less for extra words (token sort)."""
    from rapidfuzz import fuzz

    return round(
        0.6 * fuzz.token_set_ratio(query, choice) + 0.4 * fuzz.token_sort_ratio(query, choice), 1
    )


def _is_match(iri: str, pick: str | None, ranked: list[tuple[str, float]]) -> bool:
    if pick is not None:
        return iri == pick
    if not ranked or ranked[0][0] != iri or ranked[0][1] < MATCH_SCORE:
        return False
    return len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= MATCH_MARGIN


def _candidate(entity: Entity, score: float, match: bool) -> dict[str, Any]:
    types = [
        {"id": k, "name": n} for k, n in TYPES if k != "law" and set(KINDS[k]) & entity.classes
    ]
    return {
        "id": candidate_id(entity.iri),
        "name": entity.label,
        "type": types,
        "score": score,
        "match": match,
    }


def reconcile_batch(graph: Graph, queries: dict[str, Query]) -> dict[str, Any]:
    """Version 0.2's answer: ``{"q0": {"result": [candidates]}}``."""
    return {key: {"result": reconcile(graph, q)} for key, q in queries.items()}
