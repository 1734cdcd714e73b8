"""Query results as text: an aligned table, W3C SPARQL 1.1 CSV, TSV, JSON and XML, or
Markdown.

``table`` and ``md`` are for people: IRIs read as their labels and a column ``xLabel`` that
only repeats the label of column ``x`` is dropped. ``csv``, ``tsv``, ``json`` and ``xml`` are
for programs: every column, terms as the W3C formats define them (:mod:`.w3c`, which the
endpoint writes with too).
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from tf_graph.engines.terms import is_iri
from tf_graph.errors import QueryError
from tf_graph.questions import w3c
from tf_graph.questions.queries import QueryResult
from tf_graph.questions.w3c import term_json as term_json  # (where ask.py reads it)
from tf_graph.sourcetext import clip

#: a term: rdflib's or a light one (:mod:`tf_graph.engines.terms`)
Node = Any

FORMATS = ("table", "csv", "json", "md", "tsv", "xml")
#: widest a table cell gets before it is cut with "…" (the csv/json formats keep everything)
MAX_CELL = 60


def render(result: QueryResult, fmt: str = "table") -> str:
    """The result in one of :data:`FORMATS`."""
    renderers = {
        "table": to_table,
        "csv": to_csv,
        "json": to_json,
        "md": to_markdown,
        "tsv": to_tsv,
        "xml": to_xml,
    }
    if fmt not in renderers:
        raise QueryError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    return renderers[fmt](result)


# --- for programs: the W3C formats, written by .w3c (the endpoint writes them too) ----------


def to_json(result: QueryResult) -> str:
    """W3C SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/)."""
    return w3c.write("json", result.vars, result.rows, result.boolean, indent=2)


def to_csv(result: QueryResult) -> str:
    """W3C SPARQL 1.1 CSV (https://www.w3.org/TR/sparql11-results-csv-tsv/): CRLF lines,
    IRIs and literals as plain strings, blank nodes as ``_:label``, unbound as empty; an ASK
    answer as a column ``_askResult`` (see :mod:`.w3c`)."""
    return w3c.write("csv", result.vars, result.rows, result.boolean)


def to_tsv(result: QueryResult) -> str:
    """W3C SPARQL 1.1 TSV: terms in Turtle syntax."""
    return w3c.write("tsv", result.vars, result.rows, result.boolean)


def to_xml(result: QueryResult) -> str:
    """W3C SPARQL Query Results XML."""
    return w3c.write("xml", result.vars, result.rows, result.boolean)


# --- for people ------------------------------------------------------------------------------


def display_columns(result: QueryResult) -> list[str]:
    """The columns people see: ``xLabel`` is dropped when column ``x`` is shown as labels."""
    return [
        name
        for name in result.vars
        if not (name.endswith("Label") and name[: -len("Label")] in result.vars)
    ]


def cell_text(result: QueryResult, term: Node | None) -> str:
    """A cell on one line: label for an IRI, text for a literal, white space collapsed."""
    return " ".join(result.label(term).split())


def to_table(result: QueryResult) -> str:
    """An aligned plain-text table with labels for IRIs, and the number of rows."""
    if result.boolean is not None:
        return ("yes" if result.boolean else "no") + "\n"
    columns = display_columns(result)
    cells = [[_cut(cell_text(result, row.get(c))) for c in columns] for row in result.rows]
    widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = [_pad_row(columns, widths), "  ".join("-" * w for w in widths)]
    lines += [_pad_row(row, widths) for row in cells]
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _cut(text: str) -> str:
    return clip(text, MAX_CELL)


def _width(text: str) -> int:
    """Columns a string takes in a terminal (wide East Asian characters take two)."""
    if text.isascii():  # no per-character lookup for most cells (large answers have 100,000s)
        return len(text)
    return _wide_width(text)


@functools.lru_cache(maxsize=65536)
def _wide_width(text: str) -> int:
    """Why cached: a cell's text repeats down a column (labels, quotes of one evidence)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad_row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True))


def to_markdown(result: QueryResult) -> str:
    """A Markdown table: IRIs as links with their labels; pipes and brackets escaped."""
    if result.boolean is not None:
        return ("yes" if result.boolean else "no") + "\n"
    columns = display_columns(result)
    lines = [
        "| " + " | ".join(_md_escape(c) for c in columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    for row in result.rows:
        lines.append("| " + " | ".join(_md_cell(result, row.get(c)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def _md_cell(result: QueryResult, term: Node | None) -> str:
    text = _md_escape(cell_text(result, term))
    if is_iri(term) and text:
        target = str(term).replace("(", "%28").replace(")", "%29").replace(" ", "%20")
        target = target.replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
        return f"[{text}]({target})"
    return text


def _md_escape(text: str) -> str:
    for char in ("\\", "|", "[", "]", "*", "_", "`", "<", ">"):
        text = text.replace(char, "\\" + char)
    return text
