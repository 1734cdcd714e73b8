"""The W3C SPARQL 1.1 Query Results formats: one term -> JSON, and one writer per format for
SELECT and ASK results, used by the command line (:mod:`.results`) and the endpoint
(:mod:`tf_graph.server.protocol`) alike.

- JSON (https://www.w3.org/TR/sparql11-results-json/) and XML
  (https://www.w3.org/TR/rdf-sparql-XMLres/): SELECT and ASK as the specifications say.
- CSV and TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/) define SELECT results only.
  An ASK answer is written as Jena and Fuseki write it, so that their clients read ours: one
  column ``_askResult`` and one row ``true`` or ``false``.

A literal's datatype ``xsd:string`` is left out, as RDF 1.1 makes it the default.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from tf_graph.engines.terms import XSD, XSD_STRING, Literal, is_blank, is_iri, is_literal

#: a term: rdflib's or a light one (:mod:`tf_graph.engines.terms`); both read the same here
Node = Any

#: the formats :func:`write` knows, by short name
FORMATS = ("json", "xml", "csv", "tsv")
XML_RESULTS = "http://www.w3.org/2005/sparql-results#"
#: the column CSV and TSV give an ASK answer (Jena's; the W3C formats define none)
ASK_COLUMN = "_askResult"
XSD_BOOLEAN = XSD + "boolean"

Row = Mapping[str, Node | None]


def term_json(term: Node) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 Query Results JSON format."""
    if is_iri(term):
        return {"type": "uri", "value": str(term)}
    if is_blank(term):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if is_literal(term):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and str(term.datatype) != XSD_STRING:
            out["datatype"] = str(term.datatype)
    return out


def write(
    fmt: str,
    variables: Sequence[str],
    rows: Iterable[Row],
    boolean: bool | None = None,
    indent: int | None = None,
) -> str:
    """A SELECT result (``variables`` and ``rows`` of name -> term, None or missing when
    unbound), or an ASK answer (``boolean`` not None), in one of :data:`FORMATS`."""
    if fmt == "json":
        return write_json(variables, rows, boolean, indent)
    if fmt == "xml":
        return write_xml(variables, rows, boolean)
    writer = _TABLE_WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"not a SPARQL results format: {fmt!r}")
    if boolean is not None:
        answer = Literal("true" if boolean else "false", datatype=XSD_BOOLEAN)
        return writer([ASK_COLUMN], [{ASK_COLUMN: answer}])
    return writer(variables, rows)


def write_json(
    variables: Sequence[str],
    rows: Iterable[Row],
    boolean: bool | None = None,
    indent: int | None = None,
) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if boolean is not None:
        document: dict = {"head": {}, "boolean": boolean}
    else:
        bindings = [
            {name: term_json(term) for name, term in row.items() if term is not None}
            for row in rows
        ]
        document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=indent, ensure_ascii=False) + "\n"


def write_xml(variables: Sequence[str], rows: Iterable[Row], boolean: bool | None = None) -> str:
    """SPARQL Query Results XML."""
    from xml.sax.saxutils import quoteattr  # (imports urllib.request, 25 ms: only for XML)

    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{XML_RESULTS}">', "<head>"]
    if boolean is not None:
        out += ["</head>", f"<boolean>{'true' if boolean else 'false'}</boolean>", "</sparql>", ""]
        return "\n".join(out)
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out += ["</head>", "<results>"]
    for row in rows:
        out.append("<result>")
        for var in variables:
            term = row.get(var)
            if term is not None:
                out.append(f"<binding name={quoteattr(var)}>{_xml_term(term)}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>", ""]
    return "\n".join(out)


def _xml_term(term: Node) -> str:
    from xml.sax.saxutils import escape, quoteattr

    if is_iri(term):
        return f"<uri>{escape(str(term))}</uri>"
    if is_blank(term):
        return f"<bnode>{escape(str(term))}</bnode>"
    attrs = ""
    if is_literal(term) and term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif is_literal(term) and term.datatype and str(term.datatype) != XSD_STRING:
        attrs = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attrs}>{escape(str(term))}</literal>"


def write_csv(variables: Sequence[str], rows: Iterable[Row]) -> str:
    """SPARQL 1.1 CSV: CRLF line ends, IRIs and literals as plain strings, blank nodes as
    ``_:label``, unbound as empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    # IRIs and literals are strings already (their lexical form); one expression per cell,
    # not a call, for answers of 100,000s of cells
    writer.writerows(
        ["" if term is None else f"_:{term}" if is_blank(term) else term for term in cells]
        for cells in (map(row.get, variables) for row in rows)
    )
    return buffer.getvalue()


def write_tsv(variables: Sequence[str], rows: Iterable[Row]) -> str:
    """SPARQL 1.1 TSV: a ``?var`` header, terms in Turtle syntax, tabs and line ends escaped."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        lines.append("\t".join(_tsv_term(row.get(v)) for v in variables))
    return "\n".join(lines) + "\n"


def _tsv_term(term: Node | None) -> str:
    if term is None:
        return ""
    if is_iri(term):
        return f"<{term}>"
    if is_blank(term):
        return f"_:{term}"
    text = str(term).translate(_TSV_ESCAPES)
    if is_literal(term) and term.language:
        return f'"{text}"@{term.language}'
    if is_literal(term) and term.datatype and str(term.datatype) != XSD_STRING:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})

_TABLE_WRITERS: dict[str, Callable[[Sequence[str], Iterable[Row]], str]] = {
    "csv": write_csv,
    "tsv": write_tsv,
}
