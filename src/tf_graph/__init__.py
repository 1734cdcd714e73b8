"""tf-graph: a knowledge graph of the US federal effort against human trafficking.

In Python::

    import tf_graph

    graph = tf_graph.open_graph()
    for row in graph.query("agencies-by-topic", topic="forced labor").rows:
        print(row["agencyLabel"], row["role"], row["evidence"])

``open_graph`` and ``TfGraph`` are imported on first use, so that ``import tf_graph`` (and
every command's start) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tf_graph._version import __version__

if TYPE_CHECKING:
    from tf_graph.graph import TfGraph, open_graph

__all__ = ["TfGraph", "__version__", "open_graph"]


def __getattr__(name: str) -> Any:
    if name in ("open_graph", "TfGraph"):
        from tf_graph import graph

        return getattr(graph, name)
    raise AttributeError(f"module 'tf_graph' has no attribute {name!r}")
