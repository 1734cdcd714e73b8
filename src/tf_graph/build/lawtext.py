"""The law texts under ``data/sources/law/`` as sources and as ELI structure, in Turtle.

Each law file opens with a provenance header (a ``# title`` line, then ``key: value`` lines:
``source``, ``retrieved from``, ``completeness``, ``edits``, ``note``), then the text. This
module reads every such file and writes ``data/law/structure.ttl``:

- one ``tf:SourceDocument`` per file (``…/id/source/<file stem>``), from its header;
- the U.S. Code as ELI: a title (``…/id/law/usc/22``), its sections (``…/law/usc/22/7103``) and
  their subdivisions (subsection ``…/7103/c``, paragraph ``…/7103/d/7``, subparagraph
  ``…/7103/d/7/M``, clause ``…/7103/d/7/M/i``), each a ``tf:LegalText`` with ``eli:number``,
  ``eli:title`` (the heading, where the Code gives one), ``tf:text`` (its own words, without
  those of its parts), ``eli:is_part_of``/``eli:has_part``, ``tf:within`` (every level above it,
  written out so that queries need no property paths) and ``tf:position`` (document order);
- executive orders: the sections of each order (``…/id/law/eo/14053/2``) as parts of the
  order's own resource (``…/id/eo/14053``, described in data/triples.ttl).

``python -m tf_graph.build.lawtext`` rewrites the file; a test regenerates it and compares, so
the committed Turtle is always what this module makes of the committed texts.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal

from tf_graph import resources
from tf_graph.errors import InputFileError
from tf_graph.namespaces import TFR

LAW_DIR = "sources/law"
OUTPUT = "law/structure.ttl"
_HEADER_LINE = re.compile(r"([a-z][a-z ]*):\s*(.*)")
_USC_STEM = re.compile(r"(\d+)-usc-(\d+[a-z]*)")
_EO_STEM = re.compile(r"eo-(\d+)")
_TITLE = re.compile(r"# Title (\d+)—\s*(.*)")
_SECTION = re.compile(r"####\s+§\s*(\d+[a-z]*)\.\s*(.*)")
_SUBSECTION = re.compile(r"#####\s+\(([a-z]+)\)\s*(.*)")
_ENUMERATED = re.compile(r"\(([0-9]+|[A-Za-z]+)\)\s+(.*)")
_EO_SECTION = re.compile(r"^[^\S\n]*(?:Section|Sec\.)[^\S\n]+(\d+)\.\s+", re.MULTILINE)
_EO_HEADING = re.compile(r"(.+?\.)(?:\s+|$)(.*)", re.DOTALL)
_SIGNATURE = re.compile(r"\n[^\S\n]*[A-Z][A-Z. ]+ JR\.")
_ROMAN = re.compile(r"(?i)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})")
_SENTENCE_END = (".", ";", ":", ",", "—")
#: last words of a lead-in to a list ("Documentation provided by a foreign country, including")
_LEAD_INS = frozenset(
    [
        "including",
        "includes",
        "regarding",
        "means",
        "that",
        "to",
        "of",
        "on",
        "and",
        "or",
        "for",
        "by",
        "in",
        "with",
        "than",
        "from",
    ]
)
# levels of the Code below a section: subsection (a), paragraph (1), subparagraph (A),
# clause (i), subclause (I), item (aa)
SUBSECTION, PARAGRAPH, SUBPARAGRAPH, CLAUSE, SUBCLAUSE, ITEM = range(1, 7)


@dataclass
class Header:
    """A law file's provenance header."""

    title: str
    fields: dict[str, list[str]]

    def one(self, key: str) -> str:
        return " ".join(self.fields.get(key, []))


@dataclass
class Part:
    """One level of a law: a title, section or subdivision, with its own words."""

    iri: str
    citation: str
    number: str
    level: int
    heading: str = ""
    paragraphs: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    parent: Part | None = None
    source: str = ""
    classes: tuple[str, ...] = ("tf:LegalText", "eli:LegalResourceSubdivision")
    position: int = 0
    generated: bool = True  # False: the resource is described elsewhere (an order's own node)

    @property
    def label(self) -> str:
        # the citation alone: it is the name users type, and one name per part keeps the index
        # of names small (the heading is the part's eli:title)
        return self.citation

    def ancestors(self) -> list[Part]:
        found, node = [], self.parent
        while node is not None:
            found.append(node)
            node = node.parent
        return found

    def walk(self) -> Iterator[Part]:
        yield self
        for part in self.parts:
            yield from part.walk()


@dataclass
class LawFile:
    path: Path
    stem: str
    header: Header
    body: str


def read_header(path: Path) -> LawFile:
    """A law file split into its provenance header and its text; a file without the header
    (a ``# title`` line, then ``key: value`` lines, then a blank line) is refused."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or not lines[0].startswith("# "):
        raise InputFileError(f"{path}: line 1: a law file starts with its '# title' line")
    fields: dict[str, list[str]] = {}
    index = 1
    while index < len(lines) and lines[index].strip():
        match = _HEADER_LINE.fullmatch(lines[index].strip())
        if match is None:
            raise InputFileError(
                f"{path}: line {index + 1}: expected a 'key: value' header line, got "
                f"{lines[index][:60]!r}"
            )
        fields.setdefault(match.group(1), []).append(match.group(2))
        index += 1
    for key in ("source", "retrieved from", "completeness"):
        if key not in fields:
            raise InputFileError(f"{path}: the header has no '{key}:' line")
    header = Header(lines[0][2:].strip(), fields)
    return LawFile(path, path.stem, header, "\n".join(lines[index + 1 :]))


def law_files(folder: Path | None = None) -> list[LawFile]:
    """Every law file of ``folder`` (default: the shipped ``data/sources/law``), U.S. Code
    first (by title and section), then executive orders (by number)."""
    folder = folder or resources.data_dir() / LAW_DIR
    files = [read_header(p) for p in folder.glob("*.md") if p.name != "README.md"]
    for found in files:
        if not (_USC_STEM.fullmatch(found.stem) or _EO_STEM.fullmatch(found.stem)):
            raise InputFileError(
                f"{found.path}: a law file is named <title>-usc-<section>.md or eo-<number>.md"
            )
    return sorted(files, key=lambda f: _file_order(f.stem))


def _file_order(stem: str) -> tuple[int, int, int, str]:
    usc = _USC_STEM.fullmatch(stem)
    if usc:
        section = re.match(r"\d+", usc.group(2))
        assert section is not None
        return (0, int(usc.group(1)), int(section.group()), usc.group(2))
    eo = _EO_STEM.fullmatch(stem)
    assert eo is not None
    return (1, int(eo.group(1)), 0, "")


# --- the U.S. Code ------------------------------------------------------------------------------


def parse_usc(law: LawFile, titles: dict[str, Part]) -> None:
    """Add the sections of one U.S. Code file to their title (made on first sight)."""
    source = str(TFR[f"source/{law.stem}"])
    title: Part | None = None
    stack: list[Part] = []
    blocks = _blocks(law.body)
    for index, block in enumerate(blocks):
        if block.startswith("#"):
            title, stack = _usc_heading(law, block, title, stack, titles, source)
            continue
        if not stack:
            raise InputFileError(f"{law.path}: text before the first section: {block[:60]!r}")
        _usc_text(law, block, blocks[index + 1 : index + 2], stack, source)


def _usc_heading(
    law: LawFile,
    line: str,
    title: Part | None,
    stack: list[Part],
    titles: dict[str, Part],
    source: str,
) -> tuple[Part | None, list[Part]]:
    """A Markdown heading of the Code: a title, a section or a subsection (others: kept out)."""
    match = _TITLE.fullmatch(line)
    if match:
        number = match.group(1)
        if number not in titles:
            titles[number] = Part(
                str(TFR[f"law/usc/{number}"]),
                f"{number} U.S.C.",
                number,
                0,
                heading=f"Title {number}, {_title_case(match.group(2))}",
                classes=("tf:LegalText", "eli:LegalResource"),
            )
        return titles[number], stack
    match = _SECTION.fullmatch(line)
    if match:
        if title is None:
            raise InputFileError(f"{law.path}: section {match.group(1)} before its title")
        section = _child(title, match.group(1), 0, match.group(2), source)
        section.citation = f"{title.number} U.S.C. {match.group(1)}"
        return title, [section]
    match = _SUBSECTION.fullmatch(line)
    if match:
        if not stack:
            raise InputFileError(f"{law.path}: subsection ({match.group(1)}) before a section")
        return title, [
            stack[0],
            _child(stack[0], match.group(1), SUBSECTION, match.group(2), source),
        ]
    return title, stack  # "## SUBTITLE …", "### CHAPTER …": breadcrumbs, not structure


def _usc_text(
    law: LawFile, block: str, following: list[str], stack: list[Part], source: str
) -> None:
    """A paragraph of text: a new enumerated level ("(1) …", "(A) …"), or words of the current."""
    match = _ENUMERATED.fullmatch(block)
    if match is None:
        stack[-1].paragraphs.append(block)
        return
    enumerator, rest = match.groups()
    level = _level(enumerator, stack)
    while len(stack) > 1 and stack[-1].level >= level:
        stack.pop()
    heading = rest if _is_heading(rest, following) else ""
    part = _child(stack[-1], enumerator, level, heading, source)
    if not heading:
        part.paragraphs.append(rest)
    stack.append(part)


def _level(enumerator: str, stack: list[Part]) -> int:
    """The level an enumerator opens: (1) paragraph, (A) subparagraph, (i) clause, (I)
    subclause, (aa) item; a letter that is also a Roman numeral goes by what is open."""
    levels = {p.level: p.number for p in stack}
    if enumerator.isdigit():
        return PARAGRAPH
    if enumerator.isupper():
        roman = bool(_ROMAN.fullmatch(enumerator))
        if roman and (
            (enumerator == "I" and CLAUSE in levels and SUBCLAUSE not in levels)
            or (SUBCLAUSE in levels and _next_roman(levels[SUBCLAUSE]) == enumerator.lower())
        ):
            return SUBCLAUSE
        return SUBPARAGRAPH
    if len(enumerator) == 2 and enumerator[0] == enumerator[1] and not _ROMAN.fullmatch(enumerator):
        return ITEM
    return CLAUSE


def _title_case(heading: str) -> str:
    """ "FOREIGN RELATIONS AND INTERCOURSE" -> "Foreign Relations and Intercourse"."""
    small = {"and", "of", "the", "in", "on", "for", "to"}
    words = heading.strip().lower().split()
    return " ".join(w if i and w in small else w.capitalize() for i, w in enumerate(words))


def _next_roman(numeral: str) -> str:
    order = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
    numeral = numeral.lower()
    return order[order.index(numeral) + 1] if numeral in order[:-1] else ""


def _is_heading(rest: str, following: list[str]) -> bool:
    """ "(3) Coercion" followed by its text, or "(2) Membership; related matters" followed by
    "(A) In general", is a heading; "(A) threats of serious harm …;" and a lead-in followed by
    an enumerated list ("(V) disaggregated data regarding" then "(i) …") are text."""
    if rest.endswith(_SENTENCE_END) or re.search(r"\d$", rest) or len(rest.split()) > 12:
        return False
    if not following or following[0].startswith("#"):
        return False
    if rest.split()[-1] in _LEAD_INS:
        return False
    return not _ENUMERATED.fullmatch(following[0]) or rest[:1].isupper()


def _child(parent: Part, number: str, level: int, heading: str, source: str) -> Part:
    citation = f"{parent.citation}({number})" if level else parent.citation
    # lower case in the IRI ("…/7103/d/7/m/i" for 7103(d)(7)(M)(i)): siblings are of one level,
    # so the path stays unique, and IRIs need no case folding to be matched
    part = Part(
        f"{parent.iri}/{number.lower()}",
        citation,
        number,
        level,
        heading=heading.strip(),
        parent=parent,
        source=source,
    )
    parent.parts.append(part)
    return part


def _blocks(body: str) -> list[str]:
    """Paragraphs (runs of non-blank lines), each with its white space collapsed; a Markdown
    heading is a block of its own."""
    blocks: list[str] = []
    current: list[str] = []
    for line in body.split("\n"):
        if line.startswith("#") or not line.strip():
            if current:
                blocks.append(" ".join(current))
                current = []
            if line.startswith("#"):
                blocks.append(line.strip())
            continue
        current.append(line.strip())
    if current:
        blocks.append(" ".join(current))
    return [" ".join(b.split(" ")) for b in blocks]


# --- executive orders ---------------------------------------------------------------------------


def parse_eo(law: LawFile) -> Part:
    """An executive order's sections ("Sec. 2.  Heading.  Text …"), as parts of its node."""
    number = _EO_STEM.fullmatch(law.stem)
    assert number is not None
    order = Part(
        str(TFR[f"eo/{number.group(1)}"]),
        f"EO {number.group(1)}",
        number.group(1),
        0,
        source=str(TFR[f"source/{law.stem}"]),
        generated=False,
    )
    body = law.body
    signature = _SIGNATURE.search(body)
    if signature:
        body = body[: signature.start()]
    starts = list(_EO_SECTION.finditer(body))
    if not starts:
        raise InputFileError(f"{law.path}: no 'Section 1.' found in the order's text")
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(body)
        text = body[start.end() : end]
        heading = _EO_HEADING.match(" ".join(text.split()))
        assert heading is not None
        part = _child(order, start.group(1), 1, heading.group(1).rstrip("."), order.source)
        part.citation = f"EO {number.group(1)} sec. {start.group(1)}"
        part.iri = str(TFR[f"law/eo/{number.group(1)}/{start.group(1)}"])
        first, *others = _eo_paragraphs(text)
        lead = first[len(heading.group(1)) :].strip()
        part.paragraphs = ([lead] if lead else []) + others
    return order


def _eo_paragraphs(text: str) -> list[str]:
    """Paragraphs of a hard-wrapped order (blank lines between), white space collapsed."""
    return [" ".join(p.split()) for p in re.split(r"\n[^\S\n]*\n", text) if p.strip()]


# --- Turtle -------------------------------------------------------------------------------------

_PREFIXES = """\
@prefix tf: <https://w3id.org/tf-graph/ontology#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def structure(laws: Iterable[LawFile]) -> tuple[list[LawFile], list[Part]]:
    """The law files and the top of each law they hold (titles of the Code, orders)."""
    laws = list(laws)
    titles: dict[str, Part] = {}
    tops: list[Part] = []
    for law in laws:
        if _USC_STEM.fullmatch(law.stem):
            parse_usc(law, titles)
        else:
            tops.append(parse_eo(law))
    tops = list(titles.values()) + tops
    position = 0
    seen: dict[str, str] = {}
    for top in tops:
        for part in top.walk():
            position += 1
            part.position = position
            if seen.setdefault(part.iri, part.citation) != part.citation:
                raise InputFileError(
                    f"{part.citation} and {seen[part.iri]} would share the IRI <{part.iri}>"
                )
    return laws, tops


def turtle(laws: list[LawFile], tops: list[Part]) -> str:
    """The Turtle of the sources and the structure, in a fixed order."""
    out = [
        "# Generated by `python -m tf_graph.build.lawtext` from data/sources/law/*.md:",
        "# do not edit (edit the texts or the generator, then regenerate; a test compares).",
        "",
        _PREFIXES,
    ]
    out += [_source_turtle(law) for law in laws]
    for top in tops:
        out += [_part_turtle(part) for part in top.walk()]
    return "\n".join(out)


def _source_turtle(law: LawFile) -> str:
    header = law.header
    lines = [
        f"<{TFR}source/{law.stem}> a tf:SourceDocument ;",
        f"    rdfs:label {_text(header.title + ' (shipped text)')}@en ;",
        f"    rdfs:comment {_text(_comment_of(law))}@en ;",
        f"    dcterms:bibliographicCitation {_text(header.one('source'))} ;",
        f"    tf:retrievedFrom {_text(header.one('retrieved from'))} ;",
        f"    tf:completeness {_text(header.one('completeness'))} ;",
    ]
    date = _date_of(header)
    if date:
        lines.append(f'    tf:date "{date}"^^xsd:date ;')
    url = _url_of(header)
    if url:
        lines.append(f"    schema:url <{url}> ;")
    lines.append(f"    tf:localCopy {_text(f'{LAW_DIR}/{law.path.name}')} .")
    return "\n".join(lines) + "\n"


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DATED = re.compile(r"\bof (" + "|".join(_MONTHS) + r") (\d{1,2}), (\d{4})\b")


def _date_of(header: Header) -> str:
    """The date the header's ``source:`` line gives the text ("Executive Order of November 15,
    2021"), as YYYY-MM-DD; "" when it gives none (the U.S. Code files: their version is the
    commit they were retrieved from)."""
    found = _DATED.search(header.one("source"))
    if not found:
        return ""
    month, day, year = found.groups()
    return f"{year}-{_MONTHS.index(month) + 1:02d}-{int(day):02d}"


def _comment_of(law: LawFile) -> str:
    return (
        f"The text of {law.header.title}, shipped as data/{LAW_DIR}/{law.path.name} "
        f"({law.header.one('completeness')}); its facts are quoted from it."
    )


def _url_of(header: Header) -> str:
    """The page the text was published on (an order's White House page), else the repository
    and commit it was retrieved from."""
    found = re.search(r"https?://\S+/", header.one("source"))
    if found:
        return found.group()
    repo = re.search(r"public repository (\S+?),", header.one("retrieved from"))
    commit = re.search(r"commit ([0-9a-f]{40})", header.one("retrieved from"))
    if repo and commit:
        return f"https://github.com/{repo.group(1)}/tree/{commit.group(1)}"
    return ""


def _part_turtle(part: Part) -> str:
    subject = f"<{part.iri}>"
    lines: list[str] = []
    if part.generated:
        lines += [
            f"{subject} a {' , '.join(part.classes)} ;",
            f"    rdfs:label {_text(part.label)}@en ;",
            f"    eli:number {_text(part.number)} ;",
        ]
        if part.heading:
            lines.append(f"    eli:title {_text(part.heading)}@en ;")
        lines.append(f"    tf:position {part.position} ;")
    if part.paragraphs:
        lines.append(f"    tf:text {_text(chr(10).join(part.paragraphs))} ;")
    if part.parent is not None:
        lines.append(f"    eli:is_part_of <{part.parent.iri}> ;")
        lines.append(f"    tf:within {' , '.join(f'<{a.iri}>' for a in part.ancestors())} ;")
    if part.parts:
        lines.append(f"    eli:has_part {' , '.join(f'<{p.iri}>' for p in part.parts)} ;")
    if part.generated:
        sources = [part.source] if part.source else sorted({p.source for p in part.walk()} - {""})
        lines += [f"    prov:wasDerivedFrom <{source}> ;" for source in sources]
    else:  # the order's own node: only its parts are added here
        lines[0] = subject + " " + lines[0].lstrip()
    lines[-1] = lines[-1][:-2] + " ."
    return "\n".join(lines) + "\n"


def _text(value: str) -> str:
    return Literal(value).n3()


def generate(folder: Path | None = None) -> str:
    """The Turtle for the law files of ``folder`` (default: the shipped ones)."""
    return turtle(*structure(law_files(folder)))


def output_path() -> Path:
    return resources.data_dir() / OUTPUT


def main(argv: list[str] | None = None) -> int:
    """Rewrite ``data/law/structure.ttl`` (atomically) from the shipped law texts."""
    del argv
    try:
        text = generate()
    except InputFileError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    target = output_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".ttl.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
