"""TOML files the question path reads (``queries/ask/kinds.toml``), kept parsed, as JSON.

Why: importing tomllib and parsing kinds.toml took 6-7 ms of a cold ``tf-graph ask`` (0.15 s in
all); reading the same data as JSON takes a tenth of a millisecond. The copy lives beside the
index this process opened (its folder, which a rebuild replaces whole, as
:mod:`.names_cache` keeps the names), named by the SHA-256 of the TOML file's bytes, so an edited
file is parsed again and no old copy is ever read; the copy's first line is the SHA-256 of the
rest, so a damaged copy is read as missing (and written again). Without an index on disk
(``--no-cache``, an endpoint, rdflib's memory) or where its folder cannot be written, the file
is parsed each time.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from tf_graph.errors import QueryError
from tf_graph.questions.kept import read_kept, write_kept

PREFIX = "parsed-"


def read_toml(path: Path) -> dict[str, Any]:
    """The TOML file ``path``, parsed (from the copy kept in the cache folder when there is
    one); a file that cannot be read or parsed is a :class:`QueryError` naming it."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise QueryError(f"{path}: {err}") from None
    copy = _copy_of(path, raw)
    data = _load(copy) if copy is not None else None
    if data is None:
        data = _parse(path, raw)
        if copy is not None:
            _save(copy, data)
    return data


def _copy_of(path: Path, raw: bytes) -> Path | None:
    """Where the parsed copy of ``path`` is kept: in the folder of the index this process
    opened last; None without one."""
    store = sys.modules.get("tf_graph.engines.store")
    folders: list[Path] = getattr(store, "opened_folders", None) or []
    if not folders:
        return None
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return folders[-1] / f"{PREFIX}{path.stem}-{digest}.json"


def _parse(path: Path, raw: bytes) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise QueryError(f"{path}: {err}") from None


def _load(copy: Path) -> dict[str, Any] | None:
    data = read_kept(copy)
    return data if isinstance(data, dict) else None


def _save(copy: Path, data: dict[str, Any]) -> None:
    """Keep ``data`` in ``copy`` (atomically), if it is JSON as it is (TOML's dates are not) and
    the folder can be written; copies of older versions of the same file are removed."""
    try:
        text = json.dumps(data, ensure_ascii=False)
        if json.loads(text) != data:
            return
    except (TypeError, ValueError):
        return
    write_kept(copy, text, copy.name.rsplit("-", 1)[0] + "-*.json")
