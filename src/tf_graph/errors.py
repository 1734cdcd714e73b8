"""Errors of our own: the library raises these, only the CLI prints them and exits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def one_line(err: object, limit: int = 300) -> str:
    """A parser's or server's complaint as one line of at most ``limit`` characters (an
    exception with no text is named by its type), fit for a one-line error."""
    text = " ".join(str(err).split())[:limit]
    return text or (type(err).__name__ if isinstance(err, BaseException) else "")


class TfGraphError(Exception):
    """Base class; its message is one line a user can act on. ``exit_code`` is for the CLI."""

    exit_code = 2


class InputFileError(TfGraphError):
    """A file given by the user is missing, unreadable, of an unknown kind or malformed."""


class OutputError(TfGraphError):
    """An output file cannot be written (nothing half-written is left behind)."""


class UnknownEntityError(TfGraphError):
    """A name, abbreviation, slug or IRI matches no resource in the graph."""

    def __init__(self, term: str, suggestions: list[str] | None = None, kind: str = "entity"):
        self.term = term
        self.suggestions = suggestions or []
        hint = f"; did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown {kind} {term!r}{hint}")


class QueryError(TfGraphError):
    """A query cannot be found, parsed or run, or a parameter is missing or bad."""


class RemoteError(TfGraphError):
    """A remote SPARQL endpoint or graph store cannot be reached, refuses or fails a request."""


class UnansweredQuestionError(TfGraphError):
    """``ask`` cannot answer a question; the message says what was recognised and lists
    questions it can answer. ``recognised`` (mentions as JSON-ready mappings) and
    ``suggestions`` (questions that work) are the same as data."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        recognised: Sequence[Mapping[str, Any]] = (),
        suggestions: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.recognised = [dict(m) for m in recognised]
        self.suggestions = list(suggestions)

    def to_json(self) -> dict[str, Any]:
        return {
            "error": str(self),
            "recognised": self.recognised,
            "suggestions": self.suggestions,
        }


class WrongKindError(UnknownEntityError):
    """A name that matches a resource, but not of the kind a parameter accepts."""

    def __init__(self, term: str, kind: str, found: str):
        super().__init__(term, [found], kind)
        self.args = (f"{term!r} names {found}, not {_a(kind)}",)


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"
