"""``tf-graph site``: the entity pages, an index by kind and the overview network as plain
files with relative links, so that the graph can be read from disk or any static host.

Layout: ``index.html``, ``network.html``, ``id/<kind>/<slug>.html`` (the IRI's path under
``https://w3id.org/tf-graph/id/``). The site is built in a new folder beside the target and
moved into place when complete: a failure leaves the old site (or nothing), never half of one.
A folder that is not empty and holds no earlier site is not overwritten.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote as url_quote

from rdflib import RDF, Graph, URIRef

from tf_graph.errors import OutputError
from tf_graph.namespaces import TF, TFR
from tf_graph.outputs import write_text
from tf_graph.viz.entity_page import Links, entity_page, entity_tail, render_index
from tf_graph.viz.visualisation import PageLinks, page_html

#: the file that marks a folder as a site of ours (so that writing again may replace it)
MARKER = ".tf-graph-site"
INDEX_TITLE = "tf-graph: every entity"


@dataclass
class SiteReport:
    folder: Path
    pages: int

    def summary(self) -> str:
        return f"{self.folder}: {self.pages} entity pages, index.html, network.html"


def site_links(depth: int) -> Links:
    """Links from a page ``depth`` folders below the site's root."""
    up = "../" * depth

    def page(iri: str) -> str | None:
        tail = entity_tail(iri)
        return None if tail is None else f"{up}id/{url_quote(tail, safe='/')}.html"

    return Links(page=page, index=f"{up}index.html", network=f"{up}network.html")


def entity_iris(graph: Graph) -> list[URIRef]:
    """The entities that get a page: every subject of ours (statements aside)."""
    found = {
        s for s in graph.subjects() if isinstance(s, URIRef) and entity_tail(str(s)) is not None
    }
    return sorted(s for s in found if (s, RDF.type, TF.Statement) not in graph)


def _write(path: Path, text: str) -> None:
    """One file of the site, written whole (the project's one writer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, text)


def build_site(graph: Graph, folder: Path) -> int:
    """Write every file of the site into ``folder`` (which exists and is empty)."""
    count = 0
    for iri in entity_iris(graph):
        tail = entity_tail(str(iri))
        assert tail is not None
        html = entity_page(graph, iri, site_links(tail.count("/") + 1))
        if html is not None:
            _write(folder / "id" / f"{tail}.html", html)
            count += 1
    _write(folder / "index.html", render_index(graph, site_links(0), INDEX_TITLE))
    network = page_html(graph, pages=PageLinks(str(TFR), "id/", ".html"))
    _write(folder / "network.html", network)
    _write(folder / MARKER, "written by tf-graph site; the folder is replaced when run again\n")
    return count


def write_site(graph: Graph, target: Path) -> SiteReport:
    """Build the site in a folder beside ``target`` and move it into place."""
    target = Path(target)
    _check_target(target)
    parent = target.parent if str(target.parent) else Path(".")
    try:
        building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    except OSError as err:
        raise OutputError(f"{target}: cannot write ({err.strerror or err})") from None
    try:
        pages = build_site(graph, building)
        os.chmod(building, 0o777 & ~_umask())
        _replace(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return SiteReport(target, pages)


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        raise OutputError(
            f"{target}: folder is not empty and holds no earlier tf-graph site; "
            "choose a new or empty folder"
        )


def _replace(built: Path, target: Path) -> None:
    """Move ``built`` to ``target``; an earlier site there is moved aside first, then removed."""
    old = None
    try:
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            os.replace(target, old)
        os.replace(built, target)
    except OSError as err:
        if old is not None and not target.exists():
            os.replace(old, target)
        raise OutputError(f"{target}: cannot write ({err.strerror or err})") from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
