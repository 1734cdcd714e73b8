"""What a question asks: intents from a small lexicon, and the question kind that fits best.

Both are data, in ``queries/ask/kinds.toml`` (its header documents the format): the lexicon
maps phrases to intents; each kind names the query it runs, the mentions that fill its
parameters, the intents it answers and how its rows are kept. Nothing here knows a phrasing.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tf_graph import resources
from tf_graph.errors import QueryError
from tf_graph.namespaces import TFR_IRI as TFR
from tf_graph.questions.linking import Mention, Word, words
from tf_graph.questions.toml_cache import read_toml

#: kinds of mention that any resource fills ("entity")
RESOURCE_KINDS = frozenset(
    {"agency", "body", "law", "topic", "pillar", "country", "sector", "group", "document",
     "initiative", "event", "person", "thing"}
)  # fmt: skip
#: kinds of mention that cost a kind that leaves them unused
COUNTED_KINDS = RESOURCE_KINDS | {"year", "month", "amount"}
#: weights of the score of a kind
NEED, INTENT, ASKS, UNUSED = 10, 20, 15, 10


@dataclass(frozen=True)
class Need:
    """A parameter and the kind of mention that fills it (``class:Pillar``: that class)."""

    param: str
    kind: str
    optional: bool = False

    @property
    def bound(self) -> bool:
        return not self.param.startswith("_")

    def fits(self, mention: Mention) -> bool:
        if self.kind == "entity":
            return mention.kind in RESOURCE_KINDS
        if self.kind.startswith("class:"):
            return mention.kind == "class" and mention.value.endswith("#" + self.kind[6:])
        return mention.kind == self.kind


@dataclass(frozen=True)
class Kind:
    """One kind of question (a ``[[kind]]`` of kinds.toml)."""

    name: str
    query: str
    needs: tuple[Need, ...] = ()
    intents: tuple[str, ...] = ()
    asks: tuple[str, ...] = ()
    alone: bool = False
    keep: tuple[Mapping[str, tuple[str, ...]], ...] = ()
    match: Mapping[str, str] = field(default_factory=dict)
    check: Mapping[str, str] = field(default_factory=dict)
    #: column -> parameter: only rows whose number in the column is above / below the mention's
    above: Mapping[str, str] = field(default_factory=dict)
    below: Mapping[str, str] = field(default_factory=dict)
    subject: str = ""
    dated: str = ""
    example: str = ""


@dataclass(frozen=True)
class Lexicon:
    """Phrases (as word keys) -> intent; ``first``: phrases that count only at the start."""

    phrases: Mapping[tuple[str, ...], str]
    first: Mapping[tuple[str, ...], str]
    asks: Mapping[str, str]
    stop: frozenset[str]
    implies: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Declarations:
    lexicon: Lexicon
    kinds: tuple[Kind, ...]
    #: role values as answers say them ("lead" -> "leads")
    roles: Mapping[str, str] = field(default_factory=dict)
    #: role values -> the property whose statement states that role ("chair" -> "chairedBy")
    role_facts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Intent:
    """An intent recognised in the question: its name and the words that said it."""

    name: str
    text: str
    start: int
    end: int


@dataclass
class Choice:
    """The kind chosen for a question and the mentions that fill its parameters."""

    kind: Kind
    params: dict[str, Mention]
    score: int


def _keys(phrase: str) -> tuple[str, ...]:
    return tuple(w.key for w in words(phrase))


@functools.cache
def declarations() -> Declarations:
    """kinds.toml, read once per process (parsed once per version of it: :mod:`.toml_cache`)."""
    path = resources.queries_dir() / "ask" / "kinds.toml"
    data = read_toml(path)
    phrases: dict[tuple[str, ...], str] = {}
    first: dict[tuple[str, ...], str] = {}
    for intent, listed in data.get("lexicon", {}).items():
        for phrase in listed:
            target = first if phrase.startswith("^") else phrases
            target.setdefault(_keys(phrase.lstrip("^")), intent)
    asks = {_keys(word)[0]: cls for word, cls in data.get("asks", {}).items()}
    stop = frozenset(k for w in data.get("stop", {}).get("words", []) for k in _keys(w))
    implies = {str(TFR) + slug: intent for slug, intent in data.get("implies", {}).items()}
    kinds = tuple(_kind(entry, path) for entry in data.get("kind", []))
    roles = {str(k): str(v) for k, v in data.get("roles", {}).items()}
    facts = {str(k): str(v) for k, v in data.get("role_facts", {}).items()}
    return Declarations(Lexicon(phrases, first, asks, stop, implies), kinds, roles, facts)


def _kind(entry: Mapping[str, Any], path: object) -> Kind:
    try:
        needs = tuple(
            Need(param, kind.rstrip("?"), kind.endswith("?"))
            for param, kind in entry.get("needs", {}).items()
        )
        keep = entry.get("keep", ())
        keeps = (keep,) if isinstance(keep, Mapping) else tuple(keep)
        return Kind(
            name=entry["name"],
            query=entry["query"],
            needs=needs,
            intents=tuple(entry.get("intents", ())),
            asks=tuple(entry.get("asks", ())),
            alone=bool(entry.get("alone", False)),
            keep=tuple({col: tuple(vals) for col, vals in k.items()} for k in keeps),
            match=dict(entry.get("match", {})),
            check=dict(entry.get("check", {})),
            above=dict(entry.get("above", {})),
            below=dict(entry.get("below", {})),
            subject=entry.get("subject", ""),
            dated=entry.get("dated", ""),
            example=entry.get("example", ""),
        )
    except (KeyError, TypeError, AttributeError) as err:
        raise QueryError(f"{path}: bad [[kind]] {entry.get('name', '?')!r}: {err}") from None


def recognise_intents(
    typed: Sequence[Word], mentions: Sequence[Mention], lexicon: Lexicon
) -> list[Intent]:
    """The intents the words outside the mentions say; overlapping phrases: the longest."""
    covered = {i for m in mentions for i in range(m.start, m.end)}
    keys = [w.key for w in typed]
    found: list[Intent] = []
    candidates: list[tuple[int, int, str]] = []
    for table, anchored in ((lexicon.first, True), (lexicon.phrases, False)):
        for phrase, intent in table.items():
            starts = [0] if anchored else range(len(keys) - len(phrase) + 1)
            for start in starts:
                end = start + len(phrase)
                if tuple(keys[start:end]) == phrase and not covered & set(range(start, end)):
                    candidates.append((start, end, intent))
    taken: set[int] = set()
    for start, end, intent in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        span = set(range(start, end))
        if span & taken:
            continue
        taken |= span
        text = " ".join(w.typed for w in typed[start:end])
        found.append(Intent(intent, text, start, end))
    for mention in mentions:
        if mention.value in lexicon.implies:
            found.append(
                Intent(lexicon.implies[mention.value], mention.text, mention.start, mention.end)
            )
    return sorted(found, key=lambda i: i.start)


def asked_classes(typed: Sequence[Word], mentions: Sequence[Mention], lexicon: Lexicon) -> set[str]:
    """Classes the question asks for: class mentions ("agencies") and the [asks] words."""
    covered = {i for m in mentions for i in range(m.start, m.end)}
    out = {m.value.rsplit("#", 1)[-1] for m in mentions if m.kind == "class"}
    out.update(
        lexicon.asks[w.key]
        for i, w in enumerate(typed)
        if i not in covered and w.key in lexicon.asks
    )
    return out


def choose(
    mentions: Sequence[Mention], intents: Sequence[Intent], asked: set[str], kinds: Sequence[Kind]
) -> Choice | None:
    """The kind that fits best (see kinds.toml's header for the score), or None."""
    said = {i.name for i in intents}
    best: Choice | None = None
    for kind in kinds:
        choice = _fit(kind, mentions, said, asked)
        if choice is not None and (best is None or choice.score > best.score):
            best = choice
    return best


def _fit(kind: Kind, mentions: Sequence[Mention], said: set[str], asked: set[str]) -> Choice | None:
    """The kind with its parameters filled and its score, or None if it does not fit."""
    intent_met = bool(said & set(kind.intents))
    asks_met = bool(asked & set(kind.asks))
    if not _admits(kind, mentions, said, intent_met or asks_met):
        return None
    params = _fill(kind.needs, mentions)
    if params is None:
        return None
    if kind.dated:
        when = [m for m in mentions if m.kind in ("year", "month") and m not in params.values()]
        if when:
            params["_dated"] = max(when, key=lambda m: m.length)
    used = {m.value for m in params.values()}
    unused = len({m.value for m in mentions if m.kind in COUNTED_KINDS} - used)
    score = NEED * len(params) + INTENT * intent_met + ASKS * asks_met - UNUSED * unused
    return Choice(kind, params, score)


def _admits(kind: Kind, mentions: Sequence[Mention], said: set[str], met: bool) -> bool:
    """A kind that lists intents or asks needs one of them; an "alone" kind no other intent
    and no class named."""
    if (kind.intents or kind.asks) and not met:
        return False
    return not (
        kind.alone and (said - set(kind.intents) or any(m.kind == "class" for m in mentions))
    )


def _fill(needs: Sequence[Need], mentions: Sequence[Mention]) -> dict[str, Mention] | None:
    """Mentions for the needs, each used once: the longest, then the last, that fits."""
    params: dict[str, Mention] = {}
    used: set[int] = set()
    for need in needs:
        fitting = [m for m in mentions if id(m) not in used and need.fits(m)]
        if not fitting:
            if need.optional:
                continue
            return None
        pick = max(fitting, key=lambda m: (m.length, m.start))
        used.add(id(pick))
        params[need.param] = pick
    return params
