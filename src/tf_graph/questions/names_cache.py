"""The names questions are linked with (:class:`.linking.Names`), kept beside the index.

Why: reading every name of the graph (``queries/entities.rq``) and keying them took a third of
a cold ``tf-graph ask`` on the shipped graph; they change only when the index is rebuilt. The
first question on a new index writes them into the index's folder (which a rebuild replaces
whole), in a file named by the index's build (:class:`tf_graph.engines.store.OpenedStore`'s
``build_id``) and by the code and query that make them, so a new tf-graph, an edited
``entities.rq`` or another way of keying names never reads an old file. The file carries a
SHA-256 of its content (its first line): a damaged or edited file is read as missing (and
written again).
Only the index on disk has such a file; other graphs read their names once per process.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from tf_graph.questions import linking
from tf_graph.questions.kept import read_kept, write_kept
from tf_graph.questions.linking import Names

PREFIX = "names-"


def cache_file(graph: Any, query: str) -> Path | None:
    """Where the names of ``graph`` (read with ``query``) are kept; None: not an index on
    disk."""
    folder, build = getattr(graph, "folder", None), getattr(graph, "build_id", None)
    if not isinstance(folder, Path) or not build:
        return None
    code = hashlib.sha256(Path(linking.__file__).read_bytes() + query.encode()).hexdigest()
    return folder / f"{PREFIX}{build}-{code[:16]}.json"


def load(path: Path | None) -> Names | None:
    """The names kept in ``path``, or None if there are none (or they are not what was
    written)."""
    data = read_kept(path) if path is not None else None
    if data is None:
        return None
    try:
        return Names.from_json(data)
    except (ValueError, KeyError, TypeError):
        return None


def save(path: Path | None, names: Names) -> None:
    """Keep ``names`` in ``path`` (atomically; best effort: a read-only folder keeps none) and
    remove the files of older code."""
    if path is not None:
        write_kept(path, json.dumps(names.to_json(), ensure_ascii=False), f"{PREFIX}*.json")
