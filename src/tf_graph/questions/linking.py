"""Entity linking: every mention in a question of something the graph names.

The names come from the graph itself (labels, preferred and alternative labels, official
identifiers such as "22 U.S.C. 7103" or "EO 14053", classes' labels such as "Agency"), read by
one query (``queries/entities.rq``), so new data is understood without new code. A question
and every name are read the same way (:func:`words`): case folded, possessives and punctuation
dropped, "U.S.C." one word, plurals reduced. Then every span of the question's words is looked
up among the names, exactly or (for spans of five letters or more) by a close spelling
(rapidfuzz); overlapping mentions resolve to the longest, then the exact, then the closest.
A span that names several resources is kept with the others as ``alternatives`` and reported
as ambiguous. Years, months ("December 2021") and small numbers are mentions too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from tf_graph.namespaces import TF_IRI as TF
from tf_graph.namespaces import TFR_IRI as TFR

#: the longest name, in words, looked for
MAX_WORDS = 12
#: a span this close to a name (rapidfuzz ratio, 0-100) is a mention of it, spelled loosely
FUZZY_CUTOFF = 88
#: spans shorter than this (letters) are matched exactly only
FUZZY_MIN_CHARS = 5
#: a short all-capital name (US, ED, IC) typed in lower case in a question that has capitals
#: elsewhere is an ordinary word, not the acronym
ACRONYM_MAX = 4
ARTICLES = frozenset({"the", "a", "an"})
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "all": 0}
#: words (and letters after a number: "$87m") that multiply an amount of money
MULTIPLIERS = {"thousand": 10**3, "k": 10**3, "million": 10**6, "m": 10**6, "mn": 10**6,
               "billion": 10**9, "bn": 10**9, "b": 10**9}  # fmt: skip
#: words after an amount that say it is money
CURRENCY = frozenset({"dollar", "usd"})
#: kinds whose mentions join across "of": "section 307 of the Tariff Act" names the section
JOINED_KINDS = frozenset({"law"})
#: the classes whose resources are mentioned by kind; resources of other classes are "thing"
KIND_OF_CLASS = {
    "Agency": "agency",
    "CoordinationBody": "body",
    "Initiative": "initiative",
    "Statute": "law",
    "StatutoryProvision": "law",
    "ExecutiveOrder": "law",
    "LegalText": "law",
    "PolicyDocument": "document",
    "SourceDocument": "document",
    "Pillar": "pillar",
    "Topic": "topic",
    "Sector": "sector",
    "Country": "country",
    "Event": "event",
    "Person": "person",
    "Group": "group",
    "AffectedGroup": "group",
}
#: the first segment of an IRI under ``id/``, for resources without a class of ours
KIND_OF_SEGMENT = {"status": "status", "group": "group"}

#: a number with its decimal point or thousands commas ("1.5", "87,000,000", "87.5m") is one word
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+[a-zA-Z]*|[^\W_]+|§", re.UNICODE)
_YEAR = re.compile(r"(19|20)\d\d")
_AMOUNT = re.compile(r"(\d+(?:,\d\d\d)*(?:\.\d+)?)([a-z]*)")


@dataclass(frozen=True)
class Word:
    """One word of a text: as typed, and as compared (folded, plural reduced)."""

    typed: str
    key: str


@dataclass(frozen=True)
class Mention:
    """A span of the question (word positions ``start``-``end``) and what it names.

    ``kind``: agency, body, topic, law, ... for a resource, ``class`` for a class of them,
    ``year`` / ``month`` / ``number`` / ``amount`` (US dollars, "$87 million" is 87000000) for
    a literal; ``value``: the IRI or the literal's text.
    """

    text: str
    start: int
    end: int
    kind: str
    value: str
    label: str
    fuzzy: bool = False
    alternatives: tuple[str, ...] = ()

    @property
    def length(self) -> int:
        return self.end - self.start

    def describe(self) -> str:
        """How the mention reads in a message: "DHS (agency)"."""
        return f"{self.label} ({self.kind})"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "kind": self.kind,
            "value": self.value,
            "label": self.label,
        }
        if self.fuzzy:
            out["fuzzy"] = True
        if self.alternatives:
            out["alternatives"] = list(self.alternatives)
        return out


@dataclass
class Named:
    """A resource with a name: its IRI, label and kind."""

    iri: str
    label: str
    kind: str
    acronyms: set[str] = field(default_factory=set)
    #: its shortest all-capitals one-word name other than the label ("DHS"), or ""
    short: str = ""


@dataclass
class Names:
    """Every name of the graph, keyed the way question words are (``" ".join(keys)``)."""

    things: dict[str, Named]
    by_key: dict[str, list[str]]
    #: keys by their number of words, for close spellings
    by_length: dict[int, list[str]]

    def named_in(self, text: str, iris: set[str]) -> bool:
        """Whether ``text`` names one of ``iris`` by one of its names, as whole words."""
        for mention in link(text, self, fuzzy=False):
            if iris & {mention.value, *mention.alternatives}:
                return True
        return False

    def to_json(self) -> dict[str, Any]:
        return {
            "things": {
                iri: [t.label, t.kind, sorted(t.acronyms), t.short]
                for iri, t in self.things.items()
            },
            "names": self.by_key,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Names:
        things = {
            iri: Named(iri, label, kind, set(acronyms), short)
            for iri, (label, kind, acronyms, short) in data["things"].items()
        }
        return cls.of(things, {k: list(v) for k, v in data["names"].items()})

    @classmethod
    def of(cls, things: dict[str, Named], by_key: dict[str, list[str]]) -> Names:
        by_length: dict[int, list[str]] = {}
        for key in by_key:
            by_length.setdefault(key.count(" ") + 1, []).append(key)
        return cls(things, by_key, by_length)


def stem(word: str) -> str:
    """Plural to singular, roughly: "agencies" -> "agency", "chairs" -> "chair"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[Word]:
    """The words of ``text``: "U.S.C." is one word ("usc"), "DHS's" is "dhs", and each is
    compared in lower case with its plural reduced."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    text = re.sub(r"'s\b|s'(?=\s|$)", lambda m: "" if m.group(0) == "'s" else "s", text)
    out: list[Word] = []
    single = False  # the previous word was one letter ("U" of "U.S.")
    for match in _TOKEN.finditer(text):
        typed = match.group(0)
        if len(typed) == 1 and typed.isalpha() and single and out:
            last = out[-1]
            out[-1] = Word(last.typed + "." + typed, last.key + typed.casefold())
            continue
        single = len(typed) == 1 and typed.isalpha()
        out.append(Word(typed, stem(typed.casefold())))
    return out


def name_key(name: str) -> str:
    """The key a name is looked up by: its words' keys, without a leading article."""
    keys = [w.key for w in words(name)]
    while keys and keys[0] in ARTICLES:
        keys.pop(0)
    return " ".join(keys)


def kind_of(iri: str, classes: Iterable[str]) -> str | None:
    """The kind of a resource (None: not something a question names)."""
    for name in classes:
        if name in KIND_OF_CLASS:
            return KIND_OF_CLASS[name]
    if iri.startswith(str(TF)) and iri[len(str(TF)) :][:1].isupper():
        return "class"
    if iri.startswith(str(TFR)):
        segment = iri[len(str(TFR)) :].split("/", 1)[0]
        return KIND_OF_SEGMENT.get(segment, "thing" if "/" in iri[len(str(TFR)) :] else None)
    return None


def names_of_rows(rows: Iterable[Mapping[str, Any]]) -> Names:
    """The names of the rows of ``queries/entities.rq`` (entity, name, nameProperty, class)."""
    found: dict[str, tuple[list[str], set[str], str]] = {}
    for row in rows:
        iri = str(row["entity"])
        names, classes, label = found.setdefault(iri, ([], set(), ""))
        name = str(row["name"])
        if name not in names:
            names.append(name)
        cls = row.get("class")
        if cls is not None and str(cls).startswith(str(TF)):
            classes.add(str(cls)[len(str(TF)) :])
        if str(row.get("nameProperty")).endswith("#label") and not label:
            found[iri] = (names, classes, name)
    things: dict[str, Named] = {}
    by_key: dict[str, list[str]] = {}
    for iri, (names, classes, label) in found.items():
        kind = kind_of(iri, classes)
        if kind is None:
            continue
        thing = Named(iri, label or min(names), kind, short=capitals_name(names, label))
        for name in names:
            key = name_key(name)
            if not key:
                continue
            if _is_acronym(name):
                thing.acronyms.add(key)
            if iri not in by_key.setdefault(key, []):
                by_key[key].append(iri)
        things[iri] = thing
    # where a name fits several resources, a law's own resource comes before the text of it
    # (19 U.S.C. 1307 names section 307 of the Tariff Act and its text)
    texts = {iri for iri, (_, classes, _) in found.items() if "LegalText" in classes}
    for iris in by_key.values():
        iris.sort(key=lambda iri: iri in texts)
    return Names.of(things, by_key)


def codified(names: Names, rows: Iterable[Mapping[str, Any]]) -> Names:
    """A citation of a law text names the statute or provision codified there alone ("19
    U.S.C. 1307" is section 307 of the Tariff Act of 1930, whose profile carries that text);
    ``rows``: ``queries/lookup/codified-at.rq`` (law, text, how many texts the law has). A
    text that codifies a law with several texts (22 U.S.C. 7102, one part of the TVPA) and a
    subdivision ("19 U.S.C. 1307(a)") keep their own names."""
    own = {str(r["text"]): str(r["law"]) for r in rows if int(str(r["texts"])) == 1}
    for iris in names.by_key.values():
        for i, iri in enumerate(iris):
            law = own.get(iri)
            if law is not None and law in names.things:
                iris[i] = law
        iris[:] = list(dict.fromkeys(iris))
    return names


def capitals_name(names: Iterable[str], label: str) -> str:
    """The shortest all-capitals one-word name of ``names`` that is not the label ``label``
    (the first name where there is none): "DHS" for the Department of Homeland Security."""
    names = list(names)
    main = label or min(names, default="")
    short = [
        n for n in names
        if " " not in n and n.upper() == n and any(c.isalpha() for c in n) and n != main
    ]  # fmt: skip
    return min(short, key=lambda n: (len(n), n)) if short else ""


def _is_acronym(name: str) -> bool:
    letters = name.replace(".", "").replace("/", "").replace("-", "")
    return letters.isalnum() and letters.isupper()


# --- finding mentions ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    key: str
    iris: tuple[str, ...]
    score: float
    literal: tuple[str, str] | None = None  # (kind, value) of a year, month or number

    def order(self) -> tuple[int, int, float, int]:
        return (-(self.end - self.start), 0 if self.score >= 100 else 1, -self.score, self.start)


def link(
    question: str, names: Names, stop_words: frozenset[str] = frozenset(), fuzzy: bool = True
) -> list[Mention]:
    """Every mention in ``question``, in question order; overlaps resolved to the longest.

    ``stop_words`` (question words, auxiliaries: keys as :func:`words` makes them) are never
    a whole mention by themselves, nor the first or last word of a loosely spelled one."""
    typed = words(question)
    mixed_case = any(w.typed != w.typed.lower() for w in typed[1:])
    has_lower = any(w.typed != w.typed.upper() for w in typed)
    candidates = _literals(typed) + _amounts(typed)
    candidates += _names(typed, names, stop_words, (mixed_case, has_lower), fuzzy)
    taken: list[_Candidate] = []
    for cand in sorted(candidates, key=_Candidate.order):
        if all(cand.end <= t.start or cand.start >= t.end for t in taken):
            taken.append(cand)
    mentions = [_mention(c, typed, names) for c in sorted(taken, key=lambda c: c.start)]
    return _joined(mentions, typed)


def _joined(mentions: list[Mention], typed: list[Word]) -> list[Mention]:
    """Mentions that read as one: "section 307 of the Tariff Act" (a law "of" a law) is the
    first; "the prevention pillar" (a resource and the name of its class) is the resource."""
    out: list[Mention] = []
    for mention in mentions:
        last = out[-1] if out else None
        if last is not None and _joins(last, mention, typed):
            text = " ".join(w.typed for w in typed[last.start : mention.end])
            out[-1] = replace(last, text=text, end=mention.end)
            continue
        out.append(mention)
    return out


def _joins(first: Mention, second: Mention, typed: list[Word]) -> bool:
    between = [w.key for w in typed[first.end : second.start]]
    if second.kind == "class":
        own = KIND_OF_CLASS.get(second.value.rsplit("#", 1)[-1])
        return not between and own == first.kind
    if first.kind != second.kind or first.kind not in JOINED_KINDS:
        return False
    return bool(between) and between[0] == "of" and all(w in ARTICLES for w in between[1:])


def _mention(cand: _Candidate, typed: list[Word], names: Names) -> Mention:
    text = " ".join(w.typed for w in typed[cand.start : cand.end])
    if cand.literal is not None:
        kind, value = cand.literal
        label = f"${int(value):,}" if kind == "amount" else text
        return Mention(text, cand.start, cand.end, kind, value, label)
    things = [names.things[iri] for iri in cand.iris]
    first = things[0]
    return Mention(
        text,
        cand.start,
        cand.end,
        first.kind,
        first.iri,
        first.label,
        fuzzy=cand.score < 100,
        alternatives=tuple(t.iri for t in things[1:]),
    )


def _literals(typed: list[Word]) -> list[_Candidate]:
    """Years (2021), months (December 2021, Dec 2021, 2021-12) and number words."""
    out = []
    for i, word in enumerate(typed):
        key = word.key
        if _YEAR.fullmatch(key):
            out.append(_Candidate(i, i + 1, key, (), 100, ("year", key)))
            month = _month(typed[i - 1].key) if i > 0 else 0
            if month:
                out.append(_Candidate(i - 1, i + 1, key, (), 100, ("month", f"{key}-{month:02d}")))
            nxt = typed[i + 1].key if i + 1 < len(typed) else ""
            if nxt.isdigit() and len(nxt) == 2 and 1 <= int(nxt) <= 12:
                out.append(_Candidate(i, i + 2, key, (), 100, ("month", f"{key}-{nxt}")))
        elif key in NUMBERS or (key.isdigit() and len(key) == 1):
            number = NUMBERS.get(key, 0) if not key.isdigit() else int(key)
            out.append(_Candidate(i, i + 1, key, (), 100, ("number", str(number or "all"))))
    return out


def _amounts(typed: list[Word]) -> list[_Candidate]:
    """Amounts of money ("$87 million", "87M", "15 million dollars", "$87,000,000")."""
    return [amount for i in range(len(typed)) if (amount := _amount(typed, i)) is not None]


def _amount(typed: list[Word], i: int) -> _Candidate | None:
    """An amount of money starting at word ``i``: a number said to be money by a multiplier
    ("million", "87m") or a currency word ("dollars"), or written with thousands commas
    ("87,000,000"); None otherwise (a plain number such as "section 307" is no amount)."""
    keys = [w.key for w in typed]
    found = _AMOUNT.fullmatch(keys[i])
    if found is None or (found.group(2) and found.group(2) not in MULTIPLIERS):
        return None
    number, suffix = found.groups()
    value = Decimal(number.replace(",", "")) * MULTIPLIERS.get(suffix, 1)
    end, said = i + 1, bool(suffix) or "," in number
    if not suffix and end < len(keys) and keys[end] in MULTIPLIERS and len(keys[end]) > 1:
        value, end, said = value * MULTIPLIERS[keys[end]], end + 1, True
    if end < len(keys) and keys[end] in CURRENCY:
        end, said = end + 1, True
    if not said:
        return None
    return _Candidate(i, end, keys[i], (), 100, ("amount", str(int(value))))


def _month(key: str) -> int:
    if len(key) < 3:
        return 0
    return next((n for n, m in enumerate(MONTHS, start=1) if m.startswith(key)), 0)


def _names(
    typed: list[Word],
    names: Names,
    stop_words: frozenset[str],
    case: tuple[bool, bool],
    fuzzy: bool,
) -> list[_Candidate]:
    out = []
    keys = [w.key for w in typed]
    for length in range(min(MAX_WORDS, len(keys)), 0, -1):
        for start in range(len(keys) - length + 1):
            span = keys[start : start + length]
            if span[0] in ARTICLES:
                continue
            key = " ".join(span)
            iris = names.by_key.get(key)
            if iris:
                iris = [
                    i
                    for i in iris
                    if _case_fits(names.things[i], key, typed[start : start + length], case)
                ]
                if iris and not (
                    length == 1 and key in stop_words and not _typed_as_acronym(typed[start])
                ):
                    out.append(_Candidate(start, start + length, key, tuple(iris), 100))
                continue
            close = _close(key, span, names, stop_words) if fuzzy else None
            if close is not None:
                found, score = close
                out.append(
                    _Candidate(start, start + length, found, tuple(names.by_key[found]), score)
                )
    return out


def _typed_as_acronym(word: Word) -> bool:
    return word.typed.isupper() and len(word.typed) > 1


def _case_fits(thing: Named, key: str, span: list[Word], case: tuple[bool, bool]) -> bool:
    """A one-word mention and the case it is typed in: a short acronym (US, ED, IC) typed in
    lower case in a question with capitals elsewhere is an ordinary word ("tell us"); a word
    typed in capitals among lower-case ones (UNION) is an acronym, not an ordinary name."""
    if len(span) != 1:
        return True
    mixed_case, has_lower = case
    typed = span[0].typed.replace(".", "")
    if key in thing.acronyms:
        return len(typed) > ACRONYM_MAX or not mixed_case or typed.isupper()
    return not (has_lower and len(typed) > 1 and typed.isupper())


def _close(
    key: str, span: list[str], names: Names, stop_words: frozenset[str]
) -> tuple[str, float] | None:
    """The name closest to a span, spelled loosely (one name of the same number of words)."""
    if len(key.replace(" ", "")) < FUZZY_MIN_CHARS or span[0] in stop_words:
        return None
    if span[-1] in stop_words or any(w.isdigit() for w in span):
        return None
    from rapidfuzz import fuzz, process

    found = process.extractOne(
        key, names.by_length.get(len(span), []), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
    )
    if found is None:
        return None
    name, score = found[0], float(found[1])
    # every word close on its own: "department of labour" is "department of labor", but
    # "department of justice" is not "department of defense"
    if any(fuzz.ratio(a, b) < 75 for a, b in zip(span, name.split(), strict=False)):
        return None
    return name, score
