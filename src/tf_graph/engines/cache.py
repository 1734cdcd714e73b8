"""What a process remembers about a graph for as long as the graph lives, keyed by identity.

Why not a ``WeakKeyDictionary``: it keys by equality, and rdflib graphs compare by identifier:
every view of an Oxigraph index has rdflib's default-graph identifier, so one graph (the shipped
index) would be given what was read from another (the index with a user's ``--data``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class PerGraph(Generic[T]):
    """One value per graph object, made by ``make(graph)`` on first use and dropped when the
    graph is gone; a graph that cannot be weakly referenced is not remembered."""

    def __init__(self) -> None:
        self._found: dict[int, tuple[Any, T]] = {}

    def get(self, graph: object) -> T | None:
        """The value remembered for this very graph, or None."""
        found = self._found.get(id(graph))
        if found is not None and found[0]() is graph:
            return found[1]
        return None

    def put(self, graph: object, value: T) -> T:
        """Remember ``value`` for ``graph`` (while it lives); returns ``value``."""
        key = id(graph)
        try:
            ref = weakref.ref(graph, lambda _ref: self._found.pop(key, None))
        except TypeError:
            return value
        self._found[key] = (ref, value)
        return value

    def of(self, graph: object, make: Callable[[Any], T]) -> T:
        """The value for ``graph``, made by ``make(graph)`` the first time."""
        found = self.get(graph)
        return found if found is not None else self.put(graph, make(graph))
