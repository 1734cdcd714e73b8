"""rdflib's parse of a query text, kept: rdflib's own SPARQL engine (over its memory stores)
parses a text on every ``graph.query`` (0.1-0.3 s a named query; pyshacl sends a SPARQL
constraint's text once per focus node). The one cache of parses, for the question path
(:mod:`tf_graph.questions.queries`) and for validation (:mod:`tf_graph.build.validation`);
a trailing VALUES block is evaluated first where that gives the same rows
(:mod:`.rdflib_values`)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any


def parsed(text: str, base: str | None = None, namespaces: Iterable[tuple[str, Any]] = ()) -> Any:
    """``text`` parsed and translated as ``graph.query(text, base=base, initNs=...)`` would,
    with the prefixes ``namespaces`` binds; the same object for the same text, base and
    prefixes (errors are not kept: a bad query is parsed and refused again)."""
    return _parsed(text, base, tuple(sorted((prefix, str(ns)) for prefix, ns in namespaces)))


@functools.lru_cache(maxsize=256)
def _parsed(text: str, base: str | None, namespaces: tuple[tuple[str, str], ...]) -> Any:
    from rdflib.plugins.sparql import processor

    from tf_graph.engines.rdflib_values import values_first

    query = processor.translateQuery(processor.parseQuery(text), base, dict(namespaces))
    return values_first(query) or query


def forget() -> None:
    """Drop the kept parses (a test that counts parses starts from none)."""
    _parsed.cache_clear()
