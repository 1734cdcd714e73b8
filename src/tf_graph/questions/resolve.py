"""From what a user types to a resource: label, abbreviation, alias, slug or IRI.

The index of names comes from ONE SPARQL query (``queries/entities.rq``), so it works on any
store. Matching, in order: an IRI; a slug (``dhs``, ``agency/dhs``, ``agency:dhs``); a name
equal after normalisation (case, punctuation, a leading "the", plurals, possessives); a name
holding every word typed, small misspellings of words corrected ("labour", "Homland"); a
close spelling of a whole name. Ties go to the more central kind (agency before initiative)
and then to the name with fewest extra words. Nothing found: ``UnknownEntityError`` with the
closest names as suggestions.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tf_graph import resources
from tf_graph.engines.cache import PerGraph
from tf_graph.engines.terms import make_iri, make_literal
from tf_graph.errors import QueryError, UnknownEntityError, WrongKindError
from tf_graph.iris import is_engine_web_iri, is_web_iri
from tf_graph.namespaces import RDFS_IRI, TF_IRI, TFR_IRI
from tf_graph.questions import queries

if TYPE_CHECKING:
    from rdflib import Graph

#: an IRI term: rdflib's URIRef, or a light IRI on the index (:mod:`tf_graph.engines.terms`)
URIRef = Any

#: what a ``kind`` filter accepts: the contract classes, and the IRI path segments
KINDS: dict[str, tuple[str, ...]] = {
    "agency": ("Agency",),
    "body": ("CoordinationBody",),
    "initiative": ("Initiative",),
    "statute": ("Statute",),
    "provision": ("StatutoryProvision",),
    "eo": ("ExecutiveOrder",),
    "document": ("PolicyDocument", "SourceDocument"),
    "law": ("Statute", "StatutoryProvision", "ExecutiveOrder", "PolicyDocument"),
    # the words of a law: a part of a law's text, or an Act, its section or an order
    "law-text": ("LegalText", "Statute", "StatutoryProvision", "ExecutiveOrder"),
    "pillar": ("Pillar",),
    "topic": ("Topic",),
    "sector": ("Sector",),
    "country": ("Country",),
    "event": ("Event",),
    "person": ("Person",),
    "group": ("Group",),
    "source": ("SourceDocument",),
    "status": (),
}
#: path segments of the IRIs of each kind ("…/id/agency/dhs")
KIND_SEGMENTS = {
    "law": ("statute", "provision", "eo", "document"),
    "law-text": ("law", "statute", "provision", "eo"),
    "document": ("document", "source"),
}
#: on a tie, the kind people most likely mean comes first
PRIORITY = (
    "Agency",
    "CoordinationBody",
    "Statute",
    "StatutoryProvision",
    "ExecutiveOrder",
    "LegalText",
    "PolicyDocument",
    "Topic",
    "Pillar",
    "Sector",
    "Country",
    "Event",
    "Person",
    "Group",
    "SourceDocument",
    "Initiative",
)
ARTICLES = frozenset({"the", "a", "an"})
#: words that do not count as "extra" when a name holds more words than were typed
MINOR_WORDS = frozenset({"the", "a", "an", "of", "on", "for", "and", "to", "in", "at", "by"})
MAX_TERM = 300
_NO_IRI = "urn:tf-graph:none"  # what the lookup's ?iri is bound to when no IRI was typed


@dataclass
class Entity:
    iri: str
    label: str = ""
    names: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)

    @functools.cached_property
    def slug(self) -> str:
        """The IRI's path under the project's resources ("agency/dhs"), or "" (the IRI never
        changes, so it is worked out once: a resolution compares it for every candidate)."""
        return self.iri[len(TFR_IRI) :] if self.iri.startswith(TFR_IRI) else ""

    @functools.cached_property
    def slug_tail(self) -> str:
        """The slug's last segment, lower case ("dhs")."""
        return self.slug.lower().rsplit("/", 1)[-1]

    def rank(self) -> int:
        ranks = [PRIORITY.index(c) for c in self.classes if c in PRIORITY]
        return min(ranks) if ranks else len(PRIORITY)


@dataclass
class EntityIndex:
    """Every named resource with its normalised names, built once per graph."""

    entities: dict[str, Entity]
    by_name: dict[str, set[str]]
    vocabulary: set[str]

    def of_kind(self, kind: str | None) -> Iterable[Entity]:
        return (e for e in self.entities.values() if matches_kind(e, kind))


#: the full index of each graph (by identity: every view of an index has one identifier)
_CACHE: PerGraph[EntityIndex] = PerGraph()
_RDFS_LABEL = RDFS_IRI + "label"


def normalise(text: str) -> str:
    """Lower case, no punctuation or leading article, possessives and plurals reduced."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w§]+", " ", text).replace("_", " ")
    words: list[str] = []
    initials = False  # the last word is made of single letters ("u", "us")
    for word in text.split():
        # "u s" (from "U.S.") reads as one word, "us"; "u s c" (from "U.S.C.") as "usc"
        single = len(word) == 1 and word.isalpha()
        if single and initials:
            words[-1] += word
            continue
        words.append(word)
        initials = single
    while words and words[0] in ARTICLES:
        words.pop(0)
    return " ".join(_stem(w) for w in words)


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def matches_kind(entity: Entity, kind: str | None) -> bool:
    if kind is None:
        return True
    key = _kind_key(kind)
    if key is None:
        return kind in entity.classes
    if entity.classes & set(KINDS[key]):
        return True
    segments = KIND_SEGMENTS.get(key, (key,))
    return any(entity.slug.startswith(f"{seg}/") for seg in segments)


def _kind_key(kind: str) -> str | None:
    """The key of KINDS that ``kind`` means: a kind ("agency") or a class ("Agency")."""
    return kind.lower() if kind.lower() in KINDS else _kind_of_class(kind)


def kind_for_classes(classes: tuple[str, ...]) -> str | None:
    """The kind a query header's classes stand for (``("Topic",)`` -> "topic", the four law
    classes -> "law"); one class of no kind stays itself; no classes: None (any resource)."""
    if not classes:
        return None
    wanted = set(classes)
    found = next((k for k, names in KINDS.items() if names and set(names) == wanted), None)
    if found is not None:
        return found
    if len(classes) == 1:
        return classes[0]
    raise QueryError(f"no kind of resource is exactly {' | '.join(f'tf:{c}' for c in classes)}")


def _kind_of_class(name: str) -> str | None:
    return next((k for k, classes in KINDS.items() if classes == (name,)), None)


def entity_index(graph: Graph) -> EntityIndex:
    """The index of names, from one SPARQL query; cached for the life of the graph."""
    return _CACHE.of(graph, _full_index)


def _full_index(graph: Graph) -> EntityIndex:
    text = (resources.queries_dir() / "entities.rq").read_text("utf-8")
    return _index_of(graph, text, {}, "entities")


def _index_of(graph: Graph, text: str, bindings: dict, where: str) -> EntityIndex:
    """An index from the rows of a query shaped like ``entities.rq``."""
    return _index_of_rows(queries.execute(graph, text, bindings, where=where)[1])


def _index_of_rows(rows: Iterable[dict]) -> EntityIndex:
    entities: dict[str, Entity] = {}
    for row in rows:
        iri = str(row["entity"])
        entity = entities.setdefault(iri, Entity(iri))
        name = str(row["name"])
        entity.names.add(name)
        if str(row.get("nameProperty")) == _RDFS_LABEL and not entity.label:
            entity.label = name
        cls = row.get("class")
        if cls is not None and str(cls).startswith(TF_IRI):
            entity.classes.add(str(cls)[len(TF_IRI) :])
    for entity in entities.values():
        entity.label = entity.label or min(entity.names)
    by_name: dict[str, set[str]] = {}
    vocabulary: set[str] = set()
    for entity in entities.values():
        for name in entity.names:
            key = normalise(name)
            if key:
                by_name.setdefault(key, set()).add(entity.iri)
                vocabulary.update(key.split())
    return EntityIndex(entities, by_name, vocabulary)


def _exact_lookup(graph: Graph, text: str, kind: str | None) -> Entity | None:
    """What the full index would find by IRI, slug or exact name, from a small SPARQL lookup.

    Why: the full index reads every name in the graph (seconds at a million triples). The
    lookup fetches a superset of the resources those three steps could pick (a name holding
    the longest typed word, a name with characters beyond ASCII that normalisation may fold,
    an IRI ending in the typed slug, the typed IRI), runs the same steps on it, and answers
    only when they pick one resource; else None (the full path decides, as before). For a
    kind with classes (an agency, a topic) it reads only the names of resources typed so: a
    resource of that kind known only by its IRI's segment ("agency/x" with no rdf:type, which
    ``validate`` reports when linked) is then left to the full path.
    """
    if _CACHE.get(graph) is not None or not lookups_pay(graph):
        return None  # the full index exists already (no gain), or the lookup cannot run or pay
    by_iri = _iri_lookup(graph, text, kind)
    if by_iri is not None:
        return by_iri
    key = normalise(text)
    words = sorted(key.split(), key=len, reverse=True)
    if not words or len(words[0]) < 3 or not words[0].isascii():
        # a two-letter word may come from "U.S." (letters merged), so is no substring; case
        # folding beyond ASCII may differ between Python and SPARQL
        return None
    fragment = words[0][:-1] if words[0].endswith("y") else words[0]  # "agencies" -> "agenc"
    slug = _slug_of(text)
    iri = text[1:-1] if text.startswith("<") and text.endswith(">") else text
    if not is_engine_web_iri(iri):
        iri = _NO_IRI
    bindings = {
        "fragment": make_literal(graph, fragment),
        "iriTail": make_literal(graph, "/" + slug if slug.split() == [slug] else " "),
        "iri": make_iri(graph, iri),
    }
    small = _lookup_index(graph, bindings, _classes_of_kind(kind))
    candidates = list(small.of_kind(kind))
    return (
        _by_iri(small, text, kind)
        or _by_slug(candidates, text)
        or _by_exact_name(small, candidates, text)
    )


def _iri_lookup(graph: Graph, text: str, kind: str | None) -> Entity | None:
    """A full IRI (a question's mention, a profile's link) as the lookup below would resolve
    it first (:func:`_by_iri`), from its own names and classes (``lookup/iri.rq``, 1 ms)
    instead of a pass over every name (11 ms on the shipped graph); None: the lookup decides."""
    iri = text[1:-1] if text.startswith("<") and text.endswith(">") else text
    if not is_web_iri(iri) or not is_engine_web_iri(iri):
        return None
    query = (resources.queries_dir() / "lookup" / "iri.rq").read_text("utf-8")
    bindings = {"iri": make_iri(graph, iri)}
    rows = queries.execute(graph, query, bindings, where="lookup/iri")[1]
    return _by_iri(_index_of_rows(rows), text, kind)


def _classes_of_kind(kind: str | None) -> tuple[str, ...]:
    """The tf: classes a resource of ``kind`` has ("agency" -> Agency), or () for any."""
    if kind is None:
        return ()
    key = _kind_key(kind)
    if key is not None:
        return KINDS[key]
    return (kind,) if kind in PRIORITY else ()


def _lookup_index(graph: Graph, bindings: dict, classes: tuple[str, ...]) -> EntityIndex:
    """The lookup's small index: over the names of the kind's classes when it has some (one
    query per class, each reading only that class's names), else over every name."""
    folder = resources.queries_dir() / "lookup"
    if not classes:
        text = (folder / "exact-name.rq").read_text("utf-8")
        return _index_of(graph, text, bindings, "lookup/exact-name")
    text = (folder / "exact-name-of-kind.rq").read_text("utf-8")
    rows: list[dict] = []
    for name in classes:
        bound = {**bindings, "kindClass": make_iri(graph, TF_IRI + name)}
        rows += queries.execute(graph, text, bound, where="lookup/exact-name-of-kind")[1]
    return _index_of_rows(rows)


def binds_before_evaluation(graph: Graph) -> bool:
    """False for a remote endpoint, whose bindings are a trailing VALUES block joined with the
    query's answer: the lookups test their parameters in FILTERs, which cannot see such a
    binding (docs/engines.md), so there the full index (one query) decides."""
    return bool(getattr(graph.store, "binds_before_evaluation", True))


def lookups_pay(graph: Graph) -> bool:
    """Whether the small lookups (a name, the names of one kind) can beat reading every name
    once: not in rdflib's memory, whose SPARQL evaluator runs a lookup's FILTER in Python over
    every name (1.35 s a lookup on the shipped graph, against 0.36 s for the full index, then
    kept for the graph); on an engine that evaluates SPARQL itself (the Oxigraph index, an
    Oxigraph store) when it sees the bindings (:func:`binds_before_evaluation`)."""
    if not binds_before_evaluation(graph):
        return False
    store = graph.store
    if getattr(store, "light_terms", False):  # the Oxigraph index's reader (engines/index.py)
        return True
    from rdflib.plugins.stores.memory import Memory, SimpleMemory

    return not isinstance(store, (Memory, SimpleMemory))


def _has_full_index(graph: Graph) -> bool:
    return _CACHE.get(graph) is not None


def resolve_entity(graph: Graph, term: str, kind: str | None = None) -> URIRef:
    """The resource ``term`` names (label, abbreviation, alias, slug or IRI), of ``kind``."""
    what = kind or "entity"
    text = " ".join(str(term).split())
    if not text or len(text) > MAX_TERM:
        shown = text[:60] + ("…" if len(text) > 60 else "")
        raise UnknownEntityError(shown, [], what)
    quick = _exact_lookup(graph, text, kind)
    if quick is not None:
        return make_iri(graph, quick.iri)
    classes = _classes_of_kind(kind)
    if kind is not None and classes and not _has_full_index(graph) and lookups_pay(graph):
        return _resolve_among_kind(graph, text, kind, classes)
    index = entity_index(graph)
    candidates = [e for e in index.of_kind(kind)]
    found = _closest(index, candidates, text, kind)
    if found is not None:
        return make_iri(graph, found.iri)
    if kind is not None:
        other = _other_kind(index, text)
        if other is not None:
            raise WrongKindError(text, kind, f"{_kind_words(other)}{other.label}")
    raise UnknownEntityError(text, suggestions(index, candidates, text), what)


def _closest(
    index: EntityIndex, candidates: list[Entity], text: str, kind: str | None
) -> Entity | None:
    """The candidate ``text`` names, by IRI, slug, exact name, words or spelling; or None."""
    return (
        _by_iri(index, text, kind)
        or _by_slug(candidates, text)
        or _by_exact_name(index, candidates, text)
        or _by_words(index, candidates, text)
        or _by_spelling(index, candidates, text)
    )


def _resolve_among_kind(graph: Graph, text: str, kind: str, classes: tuple[str, ...]) -> URIRef:
    """The resource of ``kind`` that ``text`` names, reading only the names of that kind's
    classes (plus one exact lookup over all names for the wrong-kind message).

    Why: the full index reads every name in the graph: 5 s to say "unknown topic" at a
    million triples, where the topics' names alone take milliseconds. What this path does
    not do that the full one does: a resource of another kind named by some of its words
    (not its whole name) is not pointed out, and an untyped resource of the kind (an IRI
    segment only) is found by its slug or exact name, not by words or spelling.
    """
    exact = _exact_lookup(graph, text, None)  # by IRI, slug or whole name, any class
    if exact is not None and matches_kind(exact, kind):
        return make_iri(graph, exact.iri)  # (an untyped resource of the kind, by its IRI segment)
    bindings = {
        "fragment": make_literal(graph, ""),
        "iriTail": make_literal(graph, " "),
        "iri": make_iri(graph, _NO_IRI),
    }
    index = _lookup_index(graph, bindings, classes)
    candidates = list(index.of_kind(kind))
    found = _closest(index, candidates, text, kind)
    if found is not None:
        return make_iri(graph, found.iri)
    if exact is not None:
        raise WrongKindError(text, kind, f"{_kind_words(exact)}{exact.label}")
    raise UnknownEntityError(text, suggestions(index, candidates, text), kind)


def _kind_words(entity: Entity) -> str:
    """ "the coordination body " for a tf:CoordinationBody; "" when it has no contract class."""
    ranked = sorted(entity.classes, key=lambda c: PRIORITY.index(c) if c in PRIORITY else 99)
    if not ranked:
        return ""
    return "the " + re.sub(r"(?<!^)([A-Z])", r" \1", ranked[0]).lower() + " "


def _other_kind(index: EntityIndex, text: str) -> Entity | None:
    """What ``text`` names among all resources, to say so when a kind filter excluded it."""
    everything = list(index.entities.values())
    return (
        _by_slug(everything, text)
        or _by_exact_name(index, everything, text)
        or _by_words(index, everything, text)
    )


def _by_iri(index: EntityIndex, text: str, kind: str | None) -> Entity | None:
    iri = text[1:-1] if text.startswith("<") and text.endswith(">") else text
    if not is_web_iri(iri):
        return None
    entity = index.entities.get(iri)
    return entity if entity is not None and matches_kind(entity, kind) else None


def _slug_of(text: str) -> str:
    slug = text.lower().strip("/")
    for prefix in ("tfr:", "tfr/"):
        slug = slug.removeprefix(prefix)
    return re.sub(r"^([a-z]+):", r"\1/", slug)


def _by_slug(candidates: list[Entity], text: str) -> Entity | None:
    slug = _slug_of(text)
    if "/" in slug:
        return next((e for e in candidates if e.slug.lower() == slug), None)
    found = [e for e in candidates if e.slug_tail == slug]
    return _best(found)


def _by_exact_name(index: EntityIndex, candidates: list[Entity], text: str) -> Entity | None:
    key = normalise(text)
    allowed = {e.iri for e in candidates}
    found = [index.entities[i] for i in index.by_name.get(key, ()) if i in allowed]
    return _best(found)


def _by_words(index: EntityIndex, candidates: list[Entity], text: str) -> Entity | None:
    """Names holding every word typed (misspelt words corrected); fewest extra words wins."""
    words = [_correct(w, index.vocabulary) for w in normalise(text).split()]
    wanted = {w for w in words if w not in MINOR_WORDS}
    if not wanted:
        return None
    scored: list[tuple[int, int, str, Entity]] = []
    for entity in candidates:
        best = None
        for name in entity.names:
            have = set(normalise(name).split())
            if wanted <= have:
                extra = len(have - wanted - MINOR_WORDS)
                best = extra if best is None else min(best, extra)
        if best is not None:
            scored.append((best, entity.rank(), entity.iri, entity))
    if not scored:
        return None
    scored.sort(key=lambda s: s[:3])
    top = scored[0]
    if len(scored) > 1 and scored[1][:2] == top[:2]:
        return None  # two equally good names: ambiguous, let suggestions show both
    return top[3]


def _correct(word: str, vocabulary: set[str]) -> str:
    if word in vocabulary or len(word) < 4 or word.isdigit():
        return word
    import difflib  # (where a spelling is compared: 10 ms of every command otherwise)

    close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.8)
    return close[0] if close else word


def _by_spelling(index: EntityIndex, candidates: list[Entity], text: str) -> Entity | None:
    key = normalise(text)
    if len(key) < 4:
        return None
    names = _names_of(candidates)
    import difflib

    close = difflib.get_close_matches(key, list(names), n=2, cutoff=0.85)
    if not close:
        return None
    found = {names[c] for c in close if difflib.SequenceMatcher(None, key, c).ratio() >= 0.85}
    first = names[close[0]]
    return index.entities[first] if len(found) == 1 else None


def _names_of(candidates: list[Entity]) -> dict[str, str]:
    names: dict[str, str] = {}
    for entity in sorted(candidates, key=lambda e: (e.rank(), e.iri)):
        for name in entity.names:
            names.setdefault(normalise(name), entity.iri)
    return names


def _best(found: list[Entity]) -> Entity | None:
    if not found:
        return None
    found = sorted(found, key=lambda e: (e.rank(), e.iri))
    if len(found) > 1 and found[0].rank() == found[1].rank():
        return None
    return found[0]


def suggestions(index: EntityIndex, candidates: list[Entity], text: str, n: int = 3) -> list[str]:
    """The labels of the entities whose names are closest to ``text``."""
    import difflib

    key = normalise(text)
    names = _names_of(candidates)
    words = set(key.split()) - MINOR_WORDS
    scored = []
    for name, iri in names.items():
        ratio = difflib.SequenceMatcher(None, key, name).ratio()
        if words and words & set(name.split()):
            ratio += 0.3
        scored.append((-ratio, index.entities[iri].label, iri))
    out: list[str] = []
    for score, label, _ in sorted(scored):
        if -score < 0.5:
            break
        if label not in out:
            out.append(label)
        if len(out) == n:
            break
    return out


def closest_entity(graph: Graph, term: str, kind: str | None = None) -> URIRef | None:
    """What :func:`resolve_entity` picks for ``term`` from the full index of names, or None:
    no error and no suggestions, for callers that rank candidates themselves (the
    reconciliation service asks for many names at once)."""
    text = " ".join(str(term).split())
    if not text or len(text) > MAX_TERM:
        return None
    index = entity_index(graph)
    found = _closest(index, list(index.of_kind(kind)), text, kind)
    return make_iri(graph, found.iri) if found is not None else None
