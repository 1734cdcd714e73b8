"""JSON kept beside the index (:mod:`.names_cache`, :mod:`.toml_cache`): a file whose first
line is the SHA-256 of the rest, so a damaged or edited file is read as missing (and written
again), written atomically, best effort (a read-only folder keeps none)."""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any

from tf_graph.errors import TfGraphError


def read_kept(path: Path) -> Any | None:
    """The JSON kept in ``path``, or None if there is none (or it is not what was written)."""
    try:
        digest, _, text = path.read_bytes().partition(b"\n")
        if digest.decode("ascii") != hashlib.sha256(text).hexdigest():
            return None
        return json.loads(text)
    except (OSError, ValueError):
        return None


def write_kept(path: Path, text: str, older: str) -> None:
    """Keep the JSON ``text`` in ``path`` and remove the other files of its folder matching
    the glob ``older`` (what older code or versions kept)."""
    from tf_graph.outputs import write_text

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with contextlib.suppress(TfGraphError, OSError):
        write_text(path, f"{digest}\n{text}")
        for old in path.parent.glob(older):
            if old != path:
                old.unlink(missing_ok=True)
