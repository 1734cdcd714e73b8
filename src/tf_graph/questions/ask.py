"""Questions in users' own words, answered from the named queries with evidence for each row.

Understanding is data, not code: :mod:`.linking` finds every mention of something the graph
names (by the graph's own labels, acronyms and citations), :mod:`.intents` reads what is asked
from the lexicon of ``queries/ask/kinds.toml`` and picks the question kind declared there that
fits best; this module binds the mentions as the kind's query parameters (through the engine,
never into the text), keeps the rows the kind asks for, and gathers each row's evidence: the
statement that states the fact (its words, the law or sheet and the part that says it) where
the graph has one, else the quote of the item behind the row. A question nothing answerable is
recognised in is refused, saying what was recognised and offering three questions that work.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tf_graph import resources
from tf_graph.engines.cache import PerGraph
from tf_graph.engines.terms import is_iri, is_literal
from tf_graph.errors import TfGraphError, UnansweredQuestionError
from tf_graph.namespaces import RDFS_IRI
from tf_graph.questions.catalogue import AnswerView, Detail
from tf_graph.questions.intents import Choice, Intent, asked_classes, choose, declarations
from tf_graph.questions.intents import recognise_intents as _intents
from tf_graph.questions.linking import (
    Mention,
    Names,
    capitals_name,
    codified,
    link,
    names_of_rows,
    words,
)
from tf_graph.questions.queries import QueryResult, execute, run_for_each
from tf_graph.questions.run import run_query

if TYPE_CHECKING:
    from rdflib import Graph

#: a term: rdflib's, or a light one on the index's reader (:mod:`tf_graph.engines.terms`)
Node = Any

MAX_QUESTION = 500
#: how many working questions a refusal offers
SUGGESTIONS = 3
SOURCE_SHEET = "fact sheet"
_RDFS_LABEL = RDFS_IRI + "label"


@dataclass
class Evidence:
    """One row's support: who or what it is about, how, the item behind it and its quote;
    ``source`` names where the quote is from (the fact sheet, a law's part such as
    22 U.S.C. 7103(c)); no quote: no source states the fact in its own words. ``own``: where
    the quote is a statement of one part of the row's fact (its date, its chair), the row's
    own words too (what DOL "will provide", beside the sheet's "plans for 2022")."""

    subject: Node | None
    subject_label: str
    detail: str
    item: Node | None
    item_label: str
    quote: str
    source: str = ""
    own: str = ""


@dataclass
class Answer:
    """A question's answer: what was recognised, the kind and query chosen with its bindings,
    the subjects the answer lists and the evidence of each row; ``boolean`` for a yes/no
    question, ``profile`` for a question about one resource."""

    question: str
    query_name: str
    params: dict[str, str]
    result: QueryResult
    subjects: list[tuple[Node, str]] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    note: str = ""
    kind: str = ""
    recognised: list[Mention] = field(default_factory=list)
    intents: list[Intent] = field(default_factory=list)
    boolean: bool | None = None
    profile: Any = None
    counted: bool = False
    #: the kind lists another column than the query's subject (its roles are not theirs)
    relisted: bool = False

    def to_json(self) -> dict[str, Any]:
        """The answer as plain JSON-ready data (the server returns this)."""
        from tf_graph.questions.results import term_json

        out: dict[str, Any] = {
            "question": self.question,
            "recognised": [m.to_json() for m in self.recognised],
            "intents": [{"intent": i.name, "text": i.text} for i in self.intents],
            "kind": self.kind,
            "query": self.query_name,
            "params": {
                name: {"given": value, **_term_json(self.result.bindings.get(name))}
                for name, value in self.params.items()
            },
            "note": self.note,
            "answer": [{**term_json(s), "label": label} for s, label in self.subjects],
            "evidence": [
                {
                    "subject": _term_json(e.subject),
                    "subjectLabel": e.subject_label,
                    "detail": e.detail,
                    "item": _term_json(e.item),
                    "itemLabel": e.item_label,
                    "quote": e.quote,
                    "source": e.source,
                    **({"ownQuote": e.own} if e.own else {}),
                }
                for e in self.evidence
            ],
            "sparql": self.result.sparql,
        }
        if self.boolean is not None:
            out["boolean"] = self.boolean
        if self.counted:
            out["count"] = len(self.subjects)
        if self.profile is not None:
            out["profile"] = self.profile.to_json()
        return out


def _term_json(term: Node | None) -> dict[str, str]:
    from tf_graph.questions.results import term_json

    return term_json(term) if term is not None else {}


# --- understanding ---------------------------------------------------------------------------

#: the names of each graph, by identity (see :mod:`tf_graph.engines.cache`)
_NAMES: PerGraph[Names] = PerGraph()


def names_of(graph: Graph) -> Names:
    """Every name of the graph (``queries/entities.rq``, citations of a law's one codified
    text as the law's: ``lookup/codified-at.rq``), read once per graph; for an index on disk,
    kept beside it (:mod:`.names_cache`), so a new process does not read them again."""
    return _NAMES.of(graph, _read_names)


def _read_names(graph: Graph) -> Names:
    from tf_graph.questions import names_cache

    queries = resources.queries_dir()
    text = (queries / "entities.rq").read_text("utf-8")
    at = (queries / "lookup" / "codified-at.rq").read_text("utf-8")
    cache = names_cache.cache_file(graph, text + at)
    names = names_cache.load(cache)
    if names is None:
        names = names_of_rows(execute(graph, text, {}, where="entities")[1])
        names = codified(names, execute(graph, at, {}, where="codified-at")[1])
        names_cache.save(cache, names)
    return names


@dataclass
class Understanding:
    """What a question says: its mentions, intents, the classes it asks for, the kind."""

    text: str
    mentions: list[Mention]
    intents: list[Intent]
    asked: set[str]
    choice: Choice | None


def understand(names: Names, question: str) -> Understanding:
    """Link the question's mentions, read its intents and choose its kind."""
    declared = declarations()
    text = clean(question)
    typed = words(text)
    mentions = link(text, names, declared.lexicon.stop)
    intents = _intents(typed, mentions, declared.lexicon)
    asked = asked_classes(typed, mentions, declared.lexicon)
    return Understanding(
        text, mentions, intents, asked, choose(mentions, intents, asked, declared.kinds)
    )


def clean(question: str) -> str:
    """One line, typographic apostrophes plain, no closing punctuation."""
    text = " ".join(question.replace("’", "'").replace("‘", "'").split())
    return text.rstrip("?!. ").strip()


# --- answering -------------------------------------------------------------------------------


def answer(graph: Graph, question: str) -> Answer:
    """Understand a question, run the query of its kind and gather the evidence of each row."""
    if len(question) > MAX_QUESTION:
        raise UnansweredQuestionError(
            f"question too long ({len(question)} characters; limit {MAX_QUESTION})"
        )
    names = names_of(graph)
    found = understand(names, question)
    choice = found.choice
    if choice is None:
        why = "no question I can answer asks about this" if found.mentions else ""
        raise _refusal(found, why or "nothing I can answer was recognised")
    if choice.kind.query == "entity-profile":
        return _profile_answer(graph, found)
    params = {p: m.value for p, m in choice.params.items() if not p.startswith("_")}
    result = _listing(run_query(graph, choice.kind.query, params), choice.kind.subject)
    result.rows = _kept(result.rows, choice)
    out = Answer(
        question, choice.kind.query, params, result, kind=choice.kind.name,
        recognised=found.mentions, intents=found.intents,
    )  # fmt: skip
    out.relisted = bool(choice.kind.subject)
    _check(out, choice)
    # "how many" says how many rows first, unless the kind answers it itself (stated counts)
    out.counted = "count" not in choice.kind.intents and any(
        i.name == "count" for i in found.intents
    )
    _gather(out, graph, names)
    if not out.subjects and out.boolean is None:
        when = [m for m in choice.params.values() if m.kind in ("year", "month")]
        raise _refusal(
            found,
            f"nothing that answers it is dated {when[0].text}"
            if when
            else "nothing in the graph answers it",
        )
    out.note = _note(out, found)
    return out


def _listing(result: QueryResult, subject: str) -> QueryResult:
    """The result listing the column a kind names ("which DHS initiatives": the evidence
    column of law-agencies, whose own subject is the agency)."""
    if subject and result.spec is not None:
        result.spec = replace(result.spec, answer=replace(result.spec.answer, subject=subject))
    return result


def _check(out: Answer, choice: Choice) -> None:
    """A yes/no kind: yes when a row's column holds the mention; then only those rows are
    the evidence (for a no, every row: what the graph does say)."""
    if not choice.kind.check:
        return
    column, param = next(iter(choice.kind.check.items()))
    wanted = choice.params[param].value
    rows = out.result.rows
    out.boolean = any(str(row.get(column)) == wanted for row in rows)
    out.result.rows = [r for r in rows if str(r.get(column)) == wanted] or rows


def _kept(rows: list[dict[str, Node | None]], choice: Choice) -> list[dict[str, Node | None]]:
    """The rows the kind keeps: by column values (the first table that keeps any), by a
    mention in a column, and by the year or month asked for in a date column."""
    kind = choice.kind
    if kind.subject:
        rows = [r for r in rows if r.get(kind.subject) is not None]
    if kind.keep:
        rows = next((kept for table in kind.keep if (kept := _keep(rows, table))), [])
    when = choice.params.get("_dated")
    if kind.dated and when is not None:
        rows = [r for r in rows if str(r.get(kind.dated) or "").startswith(when.value)]
    return _compared(_matched(rows, choice), choice)


def _matched(rows: list[dict[str, Node | None]], choice: Choice) -> list[dict[str, Node | None]]:
    """The rows whose column holds the mention the kind's ``match`` names (an optional
    mention not in the question: every row)."""
    for column, param in choice.kind.match.items():
        if param in choice.params:
            rows = [r for r in rows if str(r.get(column)) == choice.params[param].value]
    return rows


def _compared(rows: list[dict[str, Node | None]], choice: Choice) -> list[dict[str, Node | None]]:
    """The rows whose number in a column is above (or below) the mention the kind names."""
    for sign, table in ((1, choice.kind.above), (-1, choice.kind.below)):
        for column, param in table.items():
            wanted = choice.params[param].value
            rows = [r for r in rows if _compare(r.get(column), wanted) == sign]
    return rows


def _compare(cell: Node | None, value: str) -> int:
    """-1, 0 or 1 as the number in a cell is below, equal to or above ``value``; 0 for a
    cell without a number (neither above nor below)."""
    try:
        number = Decimal(str(cell)) if cell is not None else None
    except ArithmeticError:
        number = None
    if number is None:
        return 0
    wanted = Decimal(value)
    return (number > wanted) - (number < wanted)


def _keep(
    rows: list[dict[str, Node | None]], table: Mapping[str, tuple[str, ...]]
) -> list[dict[str, Node | None]]:
    return [r for r in rows if all(str(r.get(c)) in values for c, values in table.items())]


def _note(out: Answer, found: Understanding) -> str:
    """What was understood, in one line: the kind and the mentions it used."""
    used = ", ".join(
        m.describe() for p, m in (found.choice.params.items() if found.choice else ()) if m
    )
    for name, said in _view(out.result).notes if out.result.spec is not None else ():
        if name in out.params:
            used = f"{used}; {said.replace('{' + name + '}', out.params[name])}"
    ambiguous = [m for m in found.mentions if m.alternatives]
    text = f"{out.kind}" + (f": {used}" if used else "")
    if ambiguous:
        text += "; " + "; ".join(
            f"{m.text!r} also names {', '.join(a.rsplit('/', 1)[-1] for a in m.alternatives)}"
            for m in ambiguous
        )
    return text


def _profile_answer(graph: Graph, found: Understanding) -> Answer:
    """An entity question: the resource's profile (what it is, its links, the source's words)."""
    from tf_graph.questions.profile import profile

    assert found.choice is not None
    mention = found.choice.params["entity"]
    prof = profile(graph, mention.value)
    result = QueryResult([], [], "", {"entity": prof.iri}, None)  # type: ignore[arg-type]
    result.labels = {str(prof.iri): prof.label}
    out = Answer(
        found.text, "entity-profile", {"entity": mention.value}, result, kind="profile",
        recognised=found.mentions, intents=found.intents, profile=prof,
    )  # fmt: skip
    out.subjects = [(prof.iri, prof.label)]
    quotes = prof.quotes or [""]
    out.evidence = [
        Evidence(prof.iri, prof.label, "", prof.iri, prof.label, q, SOURCE_SHEET if q else "")
        for q in quotes
    ]
    out.note = _note(out, found)
    return out


# --- refusing --------------------------------------------------------------------------------


def _refusal(found: Understanding, why: str) -> UnansweredQuestionError:
    """One message: what was recognised and why there is no answer, then three questions
    that work, the closest first."""
    recognised = ", ".join(m.describe() for m in found.mentions)
    head = f"{recognised}: {why}" if recognised else f"{why} in {found.text[:80]!r}"
    offers = suggestions(found)
    listing = "\n".join(f"  {q}" for q in offers)
    return UnansweredQuestionError(
        f"{head}. Questions I can answer:\n{listing}",
        [m.to_json() for m in found.mentions],
        offers,
    )


def suggestions(found: Understanding, n: int = SUGGESTIONS) -> list[str]:
    """Working questions close to this one: kinds that use what was recognised first, then
    the closest in wording."""
    from rapidfuzz import fuzz

    kinds_said = {m.kind for m in found.mentions}
    said = {i.name for i in found.intents}
    scored = []
    for kind in declarations().kinds:
        if not kind.example:
            continue
        uses = sum(1 for need in kind.needs if need.kind in kinds_said)
        intent = 1 if said & set(kind.intents) else 0
        scored.append(
            (-uses, -intent, -fuzz.token_set_ratio(found.text, kind.example), kind.example)
        )
    seen: list[str] = []
    for *_, example in sorted(scored):
        if example not in seen:
            seen.append(example)
    return seen[:n]


# --- evidence --------------------------------------------------------------------------------


def abbreviations(graph: Graph, names: Names, subjects: Iterable[Node | None]) -> dict[str, str]:
    """IRI -> its shortest all-capitals one-word name other than the label ("DHS", "FLETF"),
    for the subjects of an answer that have one: from the names questions are linked with
    (``names``, read once per graph), and for a subject not among them (a resource of no kind a
    question names) from the graph (``lookup/names-of``, one query for all of them).

    Why the names: one ``lookup/names-of`` per answer cost 0.3-1 s on rdflib's memory graph
    (``--data``), over half of a short answer."""
    found: dict[str, str] = {}
    missing: set[str] = set()
    for subject in subjects:
        if not is_iri(subject):
            continue
        thing = names.things.get(str(subject))
        if thing is None:
            missing.add(str(subject))
        elif thing.short:
            found[str(subject)] = thing.short
    return found | capitals_names(graph, missing) if missing else found


def capitals_names(graph: Graph, iris: Iterable[str]) -> dict[str, str]:
    """IRI -> shortest all-capitals one-word name other than the label, read from the graph
    (label, prefLabel, altLabel, identifier: ``lookup/names-of``, one query for them all:
    a lookup per resource cost 0.1 s for the 1,433 agencies of a large answer)."""
    names: dict[str, list[str]] = {}
    labels: dict[str, list[str]] = {}
    for row in run_for_each(graph, "lookup/names-of", iris):
        iri, name = str(row["resource"]), str(row["name"])
        names.setdefault(iri, []).append(name)
        if str(row["property"]) == _RDFS_LABEL:
            labels.setdefault(iri, []).append(name)
    found = {iri: capitals_name(names[iri], min(labels.get(iri, [""]))) for iri in names}
    return {iri: short for iri, short in found.items() if short}


def _view(result: QueryResult) -> AnswerView:
    """How the query's rows read as an answer (its ``# answer:`` lines); without them, the
    first column is the subject."""
    view = result.spec.answer if result.spec is not None else AnswerView()
    if not view.subject:
        view = AnswerView(subject=result.vars[0] if result.vars else "")
    return view


def _gather(out: Answer, graph: Graph, names: Names) -> None:
    """Subjects (first appearance order), with their abbreviations, and one evidence item per
    row: the statement of the row's fact where the graph has one, else the item's quote if it
    names the row's subject (a quote about a task force that does not name the member is no
    evidence of its membership)."""
    result = out.result
    view = _view(result)
    short = abbreviations(graph, names, (row.get(view.subject) for row in result.rows))
    statements = _statements(graph, result.rows, view)
    seen: set[Node] = set()
    for row in result.rows:
        subject = row.get(view.subject)
        name = _name(result, subject)
        if str(subject) in short:
            name = f"{name} ({short[str(subject)]})"
        if subject is not None and subject not in seen:
            seen.add(subject)
            out.subjects.append((subject, name))
        item = row.get(view.evidence) if view.evidence else None
        quote, source, stated = _quote_of(row, view, subject, item, statements, result.bindings)
        # a statement states the row's very fact (the law's words "the Attorney General" for
        # DOJ's membership); a body's own quote must name the row's subject to be evidence
        if (
            quote
            and not stated
            and item != subject
            and _about_other(names, item, quote, subject, row)
        ):
            quote, source = "", _cell(row, view.source)
        own = _cell(row, view.quote) if item == subject else ""
        out.evidence.append(
            Evidence(
                subject, name, _detail(result, row, view), item,
                result.label(item) if item is not None else "", quote, source,
                own if own not in ("", quote) else "",
            )
        )  # fmt: skip


def _about_other(
    names: Names,
    item: Node | None,
    quote: str,
    subject: Node | None,
    row: Mapping[str, Node | None],
) -> bool:
    """A body's quote that does not name the row's subject (or the component it acts through)
    says nothing of how the subject relates to the body: no evidence of membership. (An
    initiative's quote is a fragment of the sentence that names who leads it: kept.)"""
    thing = names.things.get(str(item))
    if thing is None or thing.kind != "body":
        return False
    return not names.named_in(quote, {str(subject), str(row.get("via"))})


#: what a statement is found by: {subject, object}, and that with its predicate's local name
StatementKey = frozenset[str] | tuple[frozenset[str], str]


def _statements(
    graph: Graph, rows: Sequence[Mapping[str, Node | None]], view: AnswerView
) -> dict[StatementKey, tuple[str, str]]:
    """{subject, object} (and that with the predicate's local name: "chairedBy") -> (quote,
    where) of the statements about the answer's resources."""
    columns = [c for c in (view.subject, view.evidence) if c]
    iris = {str(r.get(c)) for r in rows for c in columns} - {"None"}
    found: dict[StatementKey, tuple[str, str]] = {}
    with contextlib.suppress(TfGraphError):
        for row in run_for_each(graph, "lookup/statements-about", iris):
            quote = row.get("quote")
            where = row.get("locatorLabel") or row.get("sourceLabel") or row.get("outside")
            if quote is None and row.get("outside") is None:
                continue
            pair = frozenset({str(row["subject"]), str(row["object"])})
            predicate = str(row["predicate"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            _remember(found, (pair, (pair, predicate)), (str(quote or ""), str(where or "")))
    return found


def _remember(
    found: dict[StatementKey, tuple[str, str]],
    keys: Iterable[StatementKey],
    stated: tuple[str, str],
) -> None:
    """Keep a statement under its keys; one with words before one that only cites a source."""
    for key in keys:
        if key not in found or (stated[0] and not found[key][0]):
            found[key] = stated


def _quote_of(
    row: Mapping[str, Node | None],
    view: AnswerView,
    subject: Node | None,
    item: Node | None,
    statements: Mapping[StatementKey, tuple[str, str]],
    bindings: Mapping[str, Node],
) -> tuple[str, str, bool]:
    """The words that state the row's fact, where they are from and whether a statement of
    the fact gave them: for a row with a role, a statement of that role (the body's chair for
    "chairs"); else any statement linking the row's subject with its item or what the
    question named; else the item's own quote."""
    # the row's subject, or the component or body it acts through ("via": DHS enforces
    # section 307 through CBP, whose statement states it; with the item listed as the
    # subject, the one acting is the via alone)
    actors = [a for a in (subject, row.get("via")) if a is not None]
    others = [o for o in (item, *bindings.values()) if o is not None]
    predicate = declarations().role_facts.get(_cell(row, view.role), "")
    pairs = [
        frozenset({str(actor), str(other)})
        for actor in actors
        for other in others
        if other not in actors or (other == item and actor != item)
    ]
    # a role with its property: only a statement of that property states it
    keys: list[StatementKey] = [(pair, predicate) for pair in pairs] if predicate else list(pairs)
    for key in keys:
        stated = statements.get(key)
        if stated is not None:
            quote, where = stated
            return quote, where if quote else f"not in a shipped source's words; see {where}", True
    said = _cell(row, view.quote)
    if not said:
        return "", "", False
    return said, _cell(row, view.source) or SOURCE_SHEET, False


def _cell(row: Mapping[str, Node | None], column: str) -> str:
    value = row.get(column) if column else None
    return str(value) if value is not None else ""


def _name(result: QueryResult, term: Node | None) -> str:
    return result.label(term) if term is not None else ""


def _detail(result: QueryResult, row: Mapping[str, Node | None], view: AnswerView) -> str:
    """How the row's subject relates to its evidence ("leads, via FinCEN"), as the query's
    ``# answer: detail`` lines say, roles in the words of kinds.toml's [roles]; parameters
    the question fixed (the body asked about) are not repeated."""
    parts = []
    for detail in view.details:
        value = row.get(detail.column)
        if value is None or str(value) == "" or result.bindings.get(detail.column) == value:
            continue
        parts.append(_detail_text(result, detail, value))
    return ", ".join(parts)


def _detail_text(result: QueryResult, detail: Detail, value: Node) -> str:
    """One detail through its template: ``{}`` the value (a number for a numeric literal, a
    role in words), ``{s}`` "s" unless the value is 1; no template: ``column: value``."""
    text = result.label(value)
    text = declarations().roles.get(text, text) if is_literal(value) else text
    if not detail.template:
        return f"{detail.column}: {text}"
    number = value.toPython() if is_literal(value) else None
    if isinstance(number, (int, float, Decimal)) and not isinstance(number, bool):
        shown: object = int(number) if number == int(number) else number
    else:
        shown = text
    return detail.template.format(shown, s="" if text == "1" else "s")


# --- text ------------------------------------------------------------------------------------


def format_answer(out: Answer, show_sparql: bool = False) -> str:
    """The answer as text: what was understood, the query used, the subjects, then each
    row's evidence."""
    lines = _heading(out, show_sparql)
    if out.profile is not None:
        from tf_graph.questions.profile import format_profile

        return "\n".join(lines) + "\n\n" + format_profile(out.profile)
    if out.boolean is not None:
        lines += ["", f"Answer: {'yes' if out.boolean else 'no'}"]
    if not out.subjects:
        return "\n".join(lines) + "\n"
    if out.counted:
        lines += ["", f"Count: {len(out.subjects)}"]
    title = "Answer" if out.boolean is None else "What the graph says"
    lines += ["", f"{title} ({len(out.subjects)}):"]
    roles = _roles(out)
    lines += [f"  - {label}{roles.get(subject, '')}" for subject, label in out.subjects]
    lines += ["", "Evidence:"]
    by_subject: dict[Node | None, list[Evidence]] = {}
    for item in out.evidence:
        by_subject.setdefault(item.subject, []).append(item)
    for items in by_subject.values():
        lines.append(f"  {items[0].subject_label}")
        lines += _evidence_lines(items)
    return "\n".join(lines) + "\n"


def _heading(out: Answer, show_sparql: bool) -> list[str]:
    """The question, what was understood, the query and its bindings (and its text)."""
    result = out.result
    params = ", ".join(
        f"{name} = {result.label(result.bindings[name])}"
        for name in out.params
        if name in result.bindings
    )
    lines = [
        f"Q: {clean(out.question)}?",
        f"Understood: {', '.join(m.describe() for m in out.recognised) or '-'}",
        f"Query: {out.query_name}" + (f" ({params})" if params else ""),
    ]
    if out.note:
        lines.append(f"Note: {out.note}")
    if show_sparql and result.sparql:
        lines += ["", "SPARQL:", result.sparql.rstrip()]
        for name, term in result.bindings.items():
            lines.append(f"# bound by the engine: ?{name} = {term.n3()}")
    return lines


def _roles(out: Answer) -> dict[Node | None, str]:
    """Subject -> ": leads, is a member of", the values of the query's ``# answer: role``
    column in words, first-seen order (one pass over the rows: answers at scale have
    thousands)."""
    view = _view(out.result)
    if not view.role or out.relisted:
        # a kind that lists another column: the role says how the query's own subject takes
        # part (DHS chairs the FLETF), not the listed one (the FLETF does not "chair")
        return {}
    words_of = declarations().roles
    roles: dict[Node | None, dict[str, None]] = {}
    for row in out.result.rows:
        role = row.get(view.role)
        if role is not None and str(role):
            text = out.result.label(role)
            roles.setdefault(row.get(view.subject), {})[words_of.get(text, text)] = None
    return {subject: f": {', '.join(found)}" for subject, found in roles.items()}


def _evidence_lines(items: list[Evidence]) -> list[str]:
    lines = []
    for item in items:
        head = f"{item.detail}: " if item.detail else ""
        if item.item is not None and item.item != item.subject:
            lines.append(f"    - {head}{item.item_label}")
        else:
            lines.append(f"    - {head.rstrip(': ')}" if head else "    -")
        if item.item is not None and is_iri(item.item):
            lines.append(f"      <{item.item}>")
        if item.quote:
            lines.append(f"      “{item.quote}”")
            if item.source:
                lines.append(f"      source: {item.source}")
            if item.own:
                lines += [f"      and its own words: “{item.own}”", f"      source: {SOURCE_SHEET}"]
        elif item.source:
            lines.append(f"      (no quoted words; source: {item.source})")
        else:
            lines.append("      (no source in the graph states this in its own words)")
    return lines


__all__ = ["Answer", "Evidence", "answer", "format_answer", "understand"]
