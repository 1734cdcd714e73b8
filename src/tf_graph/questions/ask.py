"""Plain-English questions mapped to the named queries, answered with evidence.

Each kind of question is a pattern (a regular expression over the question) naming a query
and which part of the question is its parameter; the entity named is resolved like any
parameter (label, abbreviation, alias, small misspellings). The answer lists the result's
subjects (the agencies, the initiatives, ...) and then, for each row, its evidence: the
initiative or body behind it and the quote of the fact sheet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from tf_graph.errors import UnansweredQuestionError, UnknownEntityError
from tf_graph.questions.catalogue import AnswerView, Detail
from tf_graph.questions.params import parse_month
from tf_graph.questions.queries import QueryResult, run_for_each
from tf_graph.questions.resolve import resolve_entity
from tf_graph.questions.run import run_query

MAX_QUESTION = 500

#: questions shown when one cannot be answered (each works on the shipped graph)
EXAMPLES = (
    "Which agencies touch forced labor?",
    "What does DHS do?",
    "Who does the Justice Department work with?",
    "What implements the Uyghur Forced Labor Prevention Act?",
    "Who chairs the PITF?  /  Who created JTFA?  /  Who sits on FLETF?",
    "What is planned for 2022?",
    "What happened in December 2021?",
    "What falls under prevention?",
    "Which agencies act in all four pillars?",
    "What concerns Mexico?  /  What concerns the seafood industry?",
    "How much money?",
)


@dataclass
class Evidence:
    """One row's support: who or what it is about, how, the item behind it and its quote."""

    subject: Node | None
    subject_label: str
    detail: str
    item: Node | None
    item_label: str
    quote: str
    source: str = ""


@dataclass
class Answer:
    """A question's answer: the query run, its parameters, the rows and their evidence."""

    question: str
    query_name: str
    params: dict[str, str]
    result: QueryResult
    subjects: list[tuple[Node, str]] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """The answer as plain JSON-ready data (the server returns this)."""
        from tf_graph.questions.results import term_json

        return {
            "question": self.question,
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
                }
                for e in self.evidence
            ],
            "sparql": self.result.sparql,
        }


def _term_json(term: Node | None) -> dict[str, str]:
    from tf_graph.questions.results import term_json

    return term_json(term) if term is not None else {}


# --- question patterns -----------------------------------------------------------------------

_AGENCIES = r"(?:federal )?(?:agencies|agency|departments?|offices?|organi[sz]ations?|who)"
_TOPIC_VERBS = (
    r"(?:touch(?:es)?|work(?:s|ing)? on|address(?:es)?|deal(?:s|ing)? with|handles?|"
    r"tackles?|combat(?:s|ting)?|fight(?:s|ing)?|focus(?:es)? on|cover(?:s)?|counter(?:s)?|"
    r"(?:are|is) (?:involved|engaged|active) (?:in|with|on)|(?:are|is) working on|"
    r"(?:are|is) (?:responsible for|in charge of)|"
    r"(?:are|is) (?:doing|done) (?:something )?about|do (?:anything )?about|act on)"
)
_BE = r"(?:is|are|was|were|'s)"


@dataclass(frozen=True)
class Pattern:
    """A regular expression for one phrasing and how its groups become query parameters."""

    regex: re.Pattern[str]
    query: str
    params: Callable[[dict[str, str]], dict[str, str]]
    keep: Callable[[dict[str, Node | None]], bool] | None = None
    note: str = ""


def _p(
    regex: str,
    query: str,
    params: Callable[[dict[str, str]], dict[str, str]] | None = None,
    keep: Callable[[dict[str, Node | None]], bool] | None = None,
    note: str = "",
) -> Pattern:
    return Pattern(re.compile(regex, re.IGNORECASE), query, params or dict, keep, note)


def _relation(*names: str) -> Callable[[dict[str, Node | None]], bool]:
    return lambda row: str(row.get("relation")) in names


def _period(groups: dict[str, str]) -> dict[str, str]:
    """``2021`` -> year; ``December 2021`` / ``2021-12`` -> month."""
    when = groups["when"].strip()
    if re.fullmatch(r"\d{4}", when):
        return {"year": when}
    month = parse_month(when)
    return {"month": month} if month else {"month": when}


PATTERNS: tuple[Pattern, ...] = (
    # agencies by topic
    _p(
        rf"^(?:which|what) {_AGENCIES} (?:(?:are|is|do|does) )?{_TOPIC_VERBS} (?P<topic>.+)$",
        "agencies-by-topic",
    ),
    _p(rf"^who {_TOPIC_VERBS} (?P<topic>.+)$", "agencies-by-topic"),
    _p(r"^(?:agencies|who) (?:on|for|against|working on) (?P<topic>.+)$", "agencies-by-topic"),
    # initiatives by topic
    _p(
        rf"^(?:which|what) (?:initiatives|actions|programs|efforts) {_TOPIC_VERBS} (?P<topic>.+)$",
        "initiatives-by-topic",
    ),
    _p(
        rf"^what {_BE} (?:being )?done (?:about|on|against) (?P<topic>.+)$",
        "initiatives-by-topic",
    ),
    # who works with an agency
    _p(
        r"^(?:who|which agencies) (?:does|do|did) (?P<agency>.+?) "
        r"(?:work|partner|collaborate|cooperate|team up) with$",
        "agency-partners",
    ),
    _p(
        r"^(?:who|which agencies) (?:works?|partners?|collaborates?|cooperates?) "
        r"with (?P<agency>.+)$",
        "agency-partners",
    ),
    _p(rf"^who {_BE} (?P<agency>.+?)(?:'s?)? partners$", "agency-partners"),
    _p(r"^(?:the )?partners of (?P<agency>.+)$", "agency-partners"),
    _p(
        r"^with whom (?:does|do|did) (?P<agency>.+?) (?:work|partner|collaborate)$",
        "agency-partners",
    ),
    # what an agency does
    _p(
        r"^what (?:does|do|did|has|have|is|are) (?P<agency>.+?) "
        r"(?:do|doing|done|lead|leading|work on|working on|been doing)$",
        "initiatives-by-agency",
    ),
    _p(
        rf"^what {_BE} (?P<agency>.+?)(?:'s?)? (?:initiatives|actions|programs|activities|work)$",
        "initiatives-by-agency",
    ),
    _p(
        r"^(?:initiatives|actions|programs) (?:of|by|led by) (?P<agency>.+)$",
        "initiatives-by-agency",
    ),
    # laws
    _p(
        r"^(?:what|who|which (?:initiatives|agencies|bodies)) "
        r"(?:implements?|enforces?|carr(?:y|ies) out|applies|apply) (?P<law>.+)$",
        "law-implementers",
    ),
    _p(
        rf"^how {_BE} (?P<law>.+?) (?:implemented|enforced|carried out|applied)$",
        "law-implementers",
    ),
    # bodies
    _p(
        rf"^who (?:chairs|leads|heads|runs|{_BE} (?:the )?chair(?:ing)? of|{_BE} chairing) "
        r"(?P<body>.+)$",
        "coordination-bodies",
        keep=_relation("chair"),
        note="only rows where relation = chair",
    ),
    _p(
        r"^(?:who|what) (?:created|established|set up|founded|launched|formed) (?P<body>.+)$",
        "coordination-bodies",
        keep=_relation("created by"),
        note="only rows where relation = created by",
    ),
    _p(
        rf"^(?:who|which agencies) (?:sits? on|{_BE} (?:on|in|part of|members? of)|"
        r"belongs? to|serves? on) (?P<body>.+)$",
        "coordination-bodies",
        keep=_relation("member", "chair"),
        note="only rows where relation = member or chair",
    ),
    _p(
        rf"^(?:who|what) {_BE} the members of (?P<body>.+)$",
        "coordination-bodies",
        keep=_relation("member", "chair"),
        note="only rows where relation = member or chair",
    ),
    # plans
    _p(
        rf"^what {_BE} (?:planned|coming|announced for the future|scheduled)"
        r"(?: (?:for|in) (?P<year>\d{4}))?$",
        "planned-actions",
        lambda g: {"year": g["year"]} if g.get("year") else {},
    ),
    _p(
        r"^what (?:are the |is the )?(?:planned actions|plans)(?: (?:for|in) (?P<year>\d{4}))?$",
        "planned-actions",
        lambda g: {"year": g["year"]} if g.get("year") else {},
    ),
    _p(
        r"^what will (?:happen|be done)(?: (?:in|for) (?P<year>\d{4}))?$",
        "planned-actions",
        lambda g: {"year": g["year"]} if g.get("year") else {},
    ),
    # timeline
    _p(
        r"^what (?:happened|was done|took place|occurred) (?:in|during) (?P<when>.+)$",
        "timeline",
        _period,
    ),
    _p(r"^what happened (?P<when>in \d{4}|\d{4})$", "timeline", _period),
    _p(r"^(?:what happened when|timeline|what is the timeline)$", "timeline"),
    # pillars
    _p(
        r"^which agencies (?:act|work|are active|operate|take part) (?:in|across|under) "
        r"(?:all (?:(?:four|4|the four|of the|the) )?)?(?:four |4 |the four )?pillars$",
        "agencies-across-pillars",
        lambda g: {"pillars": "4"},
    ),
    _p(
        r"^which agencies (?:act|work|are active|operate) (?:in|across) "
        r"(?P<n>one|two|three|four|1|2|3|4) pillars?$",
        "agencies-across-pillars",
        lambda g: {"pillars": g["n"]},
    ),
    _p(
        rf"^(?:what|which initiatives) (?:falls?|comes?|{_BE}|belongs?) "
        r"(?:under|in|to) (?:the )?(?P<pillar>.+?)(?: pillar)?$",
        "initiatives-by-pillar",
    ),
    _p(r"^(?P<pillar>.+?) (?:initiatives|actions)$", "initiatives-by-pillar"),
    # countries and sectors
    _p(
        r"^what (?:concerns|involves|is about|relates to|is (?:being )?done (?:in|with)) "
        r"(?P<place>.+)$",
        "by-country",
    ),
    # money
    _p(
        r"^how (?:much|many) (?:money|funding|dollars|funds)\b.*$|^what funding\b.*$"
        r"|^how much\b.*\b(?:money|funding|spent|announced|awarded)\b.*$",
        "funding",
    ),
)


def clean(question: str) -> str:
    """One line, typographic apostrophes plain, no closing punctuation."""
    text = " ".join(question.replace("’", "'").replace("‘", "'").split())
    return text.rstrip("?!. ").strip()


def match(question: str) -> tuple[Pattern, dict[str, str]] | None:
    """The first pattern the question matches and its named groups."""
    text = clean(question)
    for pattern in PATTERNS:
        found = pattern.regex.match(text)
        if found:
            groups = {k: v for k, v in found.groupdict().items() if v is not None}
            return pattern, groups
    return None


def answer(graph: Graph, question: str) -> Answer:
    """Map a plain-English question to a named query, run it and gather the evidence."""
    if len(question) > MAX_QUESTION:
        raise UnansweredQuestionError(
            f"question too long ({len(question)} characters; limit {MAX_QUESTION})"
        )
    found = match(question)
    if found is None:
        listing = "\n".join(f"  {q}" for q in EXAMPLES)
        raise UnansweredQuestionError(
            f"cannot map {clean(question)[:80]!r} to a query. Questions I can answer:\n{listing}"
        )
    pattern, groups = found
    query_name, params = _query_and_params(graph, pattern, groups)
    result = run_query(graph, query_name, params)
    if pattern.keep is not None:
        result.rows = [row for row in result.rows if pattern.keep(row)]
    out = Answer(question, query_name, params, result, note=_note(pattern, result, params))
    _gather(out, graph)
    return out


def _note(pattern: Pattern, result: QueryResult, params: dict[str, str]) -> str:
    """The query's ``# answer: note`` for a parameter given, else the pattern's note."""
    for name, text in result.spec.answer.notes:
        if name in params:
            return text.replace("{" + name + "}", params[name])
    return pattern.note


def abbreviations(graph: Graph, subjects: Iterable[Node | None]) -> dict[str, str]:
    """IRI -> its shortest abbreviation-like name (DHS, FLETF), for the subjects of an answer."""
    return capitals_names(graph, (s for s in subjects if isinstance(s, URIRef)))


def capitals_names(graph: Graph, nodes: Iterable[URIRef]) -> dict[str, str]:
    """IRI -> shortest all-capitals one-word name other than the label ("DHS", "FLETF"),
    from the names the resolver reads (label, prefLabel, altLabel, identifier), for the
    resources that have one.

    Why one query (``lookup/names-of``) for just these: reading every name of a large graph
    took seconds, and a lookup per resource 0.1 s for the 1,433 agencies of a large answer."""
    names: dict[str, set[str]] = {}
    labels: dict[str, list[str]] = {}
    for row in run_for_each(graph, "lookup/names-of", {str(node) for node in nodes}):
        iri, name = str(row["resource"]), str(row["name"])
        names.setdefault(iri, set()).add(name)
        if row["property"] == RDFS.label:
            labels.setdefault(iri, []).append(name)
    found = {iri: _capitals_among(names[iri], labels.get(iri, [])) for iri in names}
    return {iri: short for iri, short in found.items() if short}


def _capitals_among(names: set[str], labels: list[str]) -> str | None:
    """The shortest all-capitals one-word name that is not the (first) label."""
    main = min(labels) if labels else min(names, default="")
    short = [
        n for n in names
        if " " not in n and n.upper() == n and any(c.isalpha() for c in n) and n != main
    ]  # fmt: skip
    return min(short, key=lambda n: (len(n), n)) if short else None


def _query_and_params(
    graph: Graph, pattern: Pattern, groups: dict[str, str]
) -> tuple[str, dict[str, str]]:
    """The query and its parameters; a place is a country if it names one, else a sector."""
    groups = {k: _strip_entity(v) for k, v in groups.items()}
    if pattern.query == "by-country":
        place = groups["place"]
        try:
            resolve_entity(graph, place, "country")
            return "by-country", {"country": place}
        except UnknownEntityError:
            try:
                resolve_entity(graph, place, "sector")
            except UnknownEntityError as err:
                raise UnknownEntityError(place, err.suggestions, "country or sector") from None
            return "by-sector", {"sector": place}
    params = pattern.params(groups)
    return pattern.query, params


def _strip_entity(text: str) -> str:
    """Words around a name that are not part of it ("the ... pillar", "... industry")."""
    return text.strip(" ,;:\"'").strip()


def _gather(out: Answer, graph: Graph) -> None:
    """Subjects (first appearance order), with their abbreviations, and one evidence item per
    row."""
    result = out.result
    view = result.spec.answer
    if not view.subject:
        view = AnswerView(subject=result.vars[0] if result.vars else "")
    short = abbreviations(graph, (row.get(view.subject) for row in result.rows))
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
        quote = row.get(view.quote) if view.quote else None
        source = row.get(view.source) if view.source else None
        out.evidence.append(
            Evidence(
                subject,
                name,
                _detail(result, row, view),
                item,
                result.label(item) if item is not None else "",
                str(quote) if quote is not None else "",
                str(source) if source is not None else "",
            )
        )


def _name(result: QueryResult, term: Node | None) -> str:
    return result.label(term) if term is not None else ""


def _detail(result: QueryResult, row: dict[str, Node | None], view: AnswerView) -> str:
    """How the row's subject relates to its evidence ("lead, via FinCEN"), as the query's
    ``# answer: detail`` lines say; parameters the question fixed (the body asked about) are
    not repeated."""
    parts = []
    for detail in view.details:
        value = row.get(detail.column)
        if value is None or str(value) == "" or result.bindings.get(detail.column) == value:
            continue
        parts.append(_detail_text(result, detail, value))
    return ", ".join(parts)


def _detail_text(result: QueryResult, detail: Detail, value: Node) -> str:
    """One detail through its template: ``{}`` the value (a number for a numeric literal),
    ``{s}`` "s" unless the value is 1; no template: ``column: value``."""
    text = result.label(value)
    if not detail.template:
        return f"{detail.column}: {text}"
    number = value.toPython() if isinstance(value, Literal) else None
    if isinstance(number, (int, float, Decimal)) and not isinstance(number, bool):
        shown: object = int(number) if number == int(number) else number
    else:
        shown = text
    return detail.template.format(shown, s="" if text == "1" else "s")


def format_answer(out: Answer, show_sparql: bool = False) -> str:
    """The answer as text: the query used, the subjects, then each row's evidence."""
    result = out.result
    params = ", ".join(
        f"{name} = {result.label(result.bindings[name])}"
        for name in out.params
        if name in result.bindings
    )
    lines = [
        f"Q: {clean(out.question)}?",
        f"Query: {out.query_name}" + (f" ({params})" if params else ""),
    ]
    if out.note:
        lines.append(f"Note: {out.note}")
    if show_sparql:
        lines += ["", "SPARQL:", result.sparql.rstrip()]
        for name, term in result.bindings.items():
            lines.append(f"# bound with initBindings: ?{name} = {term.n3()}")
    if not out.subjects:
        lines += ["", "No answer in the graph."]
        return "\n".join(lines) + "\n"
    lines += ["", f"Answer ({len(out.subjects)}):"]
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


def _roles(out: Answer) -> dict[Node | None, str]:
    """Subject -> ": lead, member", the values of the query's ``# answer: role`` column in
    first-seen order (one pass over the rows: answers at scale have thousands)."""
    column = out.result.spec.answer.role
    if not column:
        return {}
    roles: dict[Node | None, dict[str, None]] = {}
    subject = out.result.spec.answer.subject
    for row in out.result.rows:
        role = row.get(column)
        if role is not None and str(role):
            roles.setdefault(row.get(subject), {})[out.result.label(role)] = None
    return {subject: f": {', '.join(found)}" for subject, found in roles.items()}


def _evidence_lines(items: list[Evidence]) -> list[str]:
    lines = []
    for item in items:
        head = f"{item.detail}: " if item.detail else ""
        if item.item is not None and item.item != item.subject:
            lines.append(f"    - {head}{item.item_label}")
        else:
            lines.append(f"    - {head.rstrip(': ')}" if head else "    -")
        if item.item is not None and isinstance(item.item, URIRef):
            lines.append(f"      <{item.item}>")
        if item.quote:
            lines.append(f"      “{item.quote}”")
        if item.source:
            lines.append(f"      source: {item.source}")
    return lines
