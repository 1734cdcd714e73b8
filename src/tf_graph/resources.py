"""Where the shipped ontology, data and queries live, installed or in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def root() -> Path:
    """The folder holding ``ontology/``, ``data/`` and ``queries/``.

    A wheel carries them inside the package (``tf_graph/resources``); a checkout or an
    editable install finds them at the top of the repository.
    """
    packaged = Path(__file__).resolve().parent / "resources"
    if (packaged / "ontology").is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


def ontology_dir() -> Path:
    return root() / "ontology"


def data_dir() -> Path:
    return root() / "data"


def queries_dir() -> Path:
    return root() / "queries"


def source_document() -> Path:
    """The fact sheet the graph is built from, shipped under ``data/sources/``."""
    return data_dir() / "sources" / "pitf-fact-sheet-2022-01-25.md"


def shapes_file() -> Path:
    """The SHACL shapes: used by validation, never merged into the data graph."""
    return ontology_dir() / "shapes.ttl"


def ontology_files() -> list[Path]:
    """The vocabulary and its concept schemes (every ontology Turtle file but the shapes)."""
    return sorted(p for p in ontology_dir().glob("*.ttl") if p != shapes_file())


def law_dir() -> Path:
    """The data about the law texts: their sources and structure (generated) and the facts
    quoted from them."""
    return data_dir() / "law"


def core_files() -> list[Path]:
    """The shipped RDF that users query and export: the ontology, then the data (the fact
    sheet's in ``data/*.ttl``, the law's in ``data/law/*.ttl``)."""
    return ontology_files() + sorted(data_dir().glob("*.ttl")) + sorted(law_dir().glob("*.ttl"))
