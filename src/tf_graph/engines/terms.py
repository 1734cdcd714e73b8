"""RDF terms without rdflib: what the question path reads from the Oxigraph index.

Why: importing rdflib takes 0.07-0.12 s, more than answering a question on the index. The
question path (:mod:`tf_graph.questions`) is written against the few things it asks of a term,
which both these light terms and rdflib's answer in the same way:

- ``str(term)``: an IRI's text, a literal's lexical form (both are ``str`` subclasses);
- :func:`is_iri`, :func:`is_literal`, :func:`is_blank` instead of ``isinstance`` with a class;
- a literal's ``language``, ``datatype`` (an IRI or None: ``xsd:string`` reads as None, as
  rdflib's parser makes a plain literal), ``value`` / ``toPython()``, and ``n3()``;
- new terms made by :func:`make_iri` / :func:`make_literal` for the graph they are bound in, so
  that one answer never mixes the two families (they compare unequal, as rdflib's own classes
  of different types do).

An engine that answers in rdflib terms (the memory graph, an endpoint) keeps them; the index
(:class:`tf_graph.engines.index.IndexGraph`) answers in these.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_INTEGERS = frozenset(
    XSD + name
    for name in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "nonPositiveInteger",
        "negativeInteger", "positiveInteger", "unsignedLong", "unsignedInt", "unsignedShort",
        "unsignedByte",
    )
)  # fmt: skip
#: the datatypes whose literals order by value (rdflib's numeric types)
NUMERIC = _INTEGERS | {XSD + "decimal", XSD + "double", XSD + "float"}


class _Name(str):
    """A term that is its string (an IRI, a blank node's label); equal only to its own kind,
    as rdflib's terms are."""

    __slots__ = ()

    def toPython(self) -> str:  # noqa: N802 - rdflib's name
        return str(self)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash((type(self).__name__, str(self)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str.__repr__(self)})"


class IRI(_Name):
    """An IRI: its text is the string."""

    __slots__ = ()

    def n3(self, namespace_manager: Any = None) -> str:
        return f"<{self}>"


class BlankNode(_Name):
    """A blank node: its label is the string."""

    __slots__ = ()

    def n3(self, namespace_manager: Any = None) -> str:
        return f"_:{self}"


class Literal(str):
    """A literal: its lexical form is the string; ``language`` (lower case as written) or
    ``datatype`` (None for a plain string)."""

    language: str | None
    datatype: IRI | None

    def __new__(cls, lexical: str, language: str | None = None, datatype: str | None = None):
        self = str.__new__(cls, lexical)
        self.language = language or None
        self.datatype = None if language or datatype in (None, XSD_STRING) else IRI(datatype)
        return self

    @property
    def value(self) -> Any:
        """The Python value (as rdflib reads it: :func:`python_value`)."""
        return python_value(str(self), self.datatype)

    def toPython(self) -> Any:  # noqa: N802 - rdflib's name
        found = self.value
        return self if found is None else found

    def n3(self, namespace_manager: Any = None) -> str:
        text = '"' + escape(str(self)) + '"'
        if self.language:
            return f"{text}@{self.language}"
        if self.datatype is not None:
            return f"{text}^^<{self.datatype}>"
        return text

    def _key(self) -> tuple[str, str | None, str | None]:
        lang = self.language.lower() if self.language else None
        return (str(self), lang, self.datatype)

    def __eq__(self, other: object) -> bool:
        return type(other) is Literal and self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        extra = f", language={self.language!r}" if self.language else ""
        extra += f", datatype={str(self.datatype)!r}" if self.datatype else ""
        return f"Literal({str.__repr__(self)}{extra})"

    def __reduce__(self) -> Any:
        return (Literal, (str(self), self.language, self.datatype))


def escape(text: str) -> str:
    """A string's characters escaped for a quoted N-Triples / SPARQL literal."""
    for char, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r")):
        text = text.replace(char, escaped)
    return text


def python_value(lexical: str, datatype: str | None) -> Any:
    """What rdflib's ``Literal.value`` is: the text of a string (plain or tagged), the value of
    a number, boolean, date, date-time or time; None for other datatypes and ill-typed ones."""
    if datatype is None:
        return lexical
    kind = str(datatype)
    try:
        if kind in _INTEGERS:
            return int(lexical)
        if kind == XSD + "decimal":
            return Decimal(lexical)
        if kind in (XSD + "double", XSD + "float"):
            return float(lexical.replace("INF", "inf"))
        if kind == XSD + "boolean":
            return {"true": True, "1": True, "false": False, "0": False}.get(lexical.strip())
        if kind == XSD + "date":
            return date.fromisoformat(lexical)
        if kind == XSD + "dateTime":
            return datetime.fromisoformat(lexical)
        if kind == XSD + "time":
            return time.fromisoformat(lexical)
    except (ValueError, InvalidOperation):
        return None
    return None


# --- questions any term answers ------------------------------------------------------------


def _is(term: object, light: type, rdflib_name: str) -> bool:
    """Whether ``term`` is of class ``light`` or, if rdflib is imported (then its terms may be
    about), of rdflib's class ``rdflib_name``."""
    if type(term) is light:
        return True
    module = sys.modules.get("rdflib.term")
    return module is not None and isinstance(term, getattr(module, rdflib_name))


def is_iri(term: object) -> bool:
    """An IRI, light or rdflib's ``URIRef``."""
    return _is(term, IRI, "URIRef")


def is_literal(term: object) -> bool:
    """A literal, light or rdflib's."""
    return _is(term, Literal, "Literal")


def is_blank(term: object) -> bool:
    """A blank node, light or rdflib's ``BNode``."""
    return _is(term, BlankNode, "BNode")


def is_light(graph: object) -> bool:
    """Whether ``graph`` answers in light terms (else in rdflib's)."""
    return bool(getattr(graph, "light_terms", False))


def make_iri(graph: object, text: str) -> Any:
    """An IRI term of the family ``graph`` answers in."""
    if is_light(graph):
        return IRI(text)
    from rdflib import URIRef

    return URIRef(text)


def make_literal(
    graph: object, lexical: str, language: str | None = None, datatype: str | None = None
) -> Any:
    """A literal of the family ``graph`` answers in."""
    if is_light(graph):
        return Literal(lexical, language=language, datatype=datatype)
    from rdflib import Literal as RdflibLiteral
    from rdflib import URIRef

    return RdflibLiteral(
        lexical, lang=language, datatype=URIRef(datatype) if datatype and not language else None
    )


# --- to and from pyoxigraph and rdflib -----------------------------------------------------


def from_ox(term: Any) -> Any:
    """The light term of a pyoxigraph term (None stays None; a quoted triple: a tuple)."""
    import pyoxigraph as ox

    if term is None:
        return None
    kind = type(term)
    if kind is ox.NamedNode:
        return IRI(term.value)
    if kind is ox.Literal:
        if term.language:
            return Literal(term.value, language=term.language)
        return Literal(term.value, datatype=term.datatype.value)
    if kind is ox.BlankNode:
        return BlankNode(term.value)
    if kind is ox.Triple:
        return from_ox(term.subject), from_ox(term.predicate), from_ox(term.object)
    raise ValueError(f"not an Oxigraph term: {term!r}")


def memoised(convert_one: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``convert_one`` called once per distinct term (values repeat down a column); None
    stays None."""
    memo: dict[Any, Any] = {}

    def convert(term: Any) -> Any:
        if term is None:
            return None
        found = memo.get(term)
        if found is None:
            found = memo[term] = convert_one(term)
        return found

    return convert


def light_converter() -> Callable[[Any], Any]:
    """:func:`from_ox` converting each distinct term once."""
    return memoised(from_ox)


def to_ox(term: Any) -> Any:
    """The pyoxigraph term of a light or rdflib term (None stays None)."""
    import pyoxigraph as ox

    if term is None:
        return None
    if is_iri(term):
        return ox.NamedNode(str(term))
    if is_blank(term):
        return ox.BlankNode(str(term))
    if is_literal(term):
        datatype = ox.NamedNode(str(term.datatype)) if term.datatype else None
        return ox.Literal(str(term), language=term.language or None, datatype=datatype)
    raise ValueError(f"not an RDF term: {term!r}")


def to_light(term: Any) -> Any:
    """The light term of an rdflib term (a light one, or None, stays as it is)."""
    if term is None or type(term) in (IRI, Literal, BlankNode):
        return term
    if is_iri(term):
        return IRI(str(term))
    if is_blank(term):
        return BlankNode(str(term))
    if is_literal(term):
        return Literal(str(term), language=term.language, datatype=term.datatype)
    raise ValueError(f"not an RDF term: {term!r}")


def to_rdflib(term: Any) -> Any:
    """The rdflib term of a light term (an rdflib one, or None, stays as it is)."""
    if term is None or type(term) not in (IRI, Literal, BlankNode):
        return term
    from rdflib import BNode, URIRef
    from rdflib import Literal as RdflibLiteral

    if type(term) is IRI:
        return URIRef(str(term))
    if type(term) is BlankNode:
        return BNode(str(term))
    datatype = URIRef(term.datatype) if term.datatype else None
    return RdflibLiteral(str(term), lang=term.language, datatype=datatype)
