"""The ``tf-graph`` command line: a thin layer over the library.

Commands live in one module per job (``cli/graph_cmds.py``, ``cli/query_cmds.py``, ...) and
are imported only when run, so that ``tf-graph --help`` and a query start fast.
"""

from __future__ import annotations

import gc
import importlib
import sys
from typing import TYPE_CHECKING, Any

import click

from tf_graph._version import __version__

if TYPE_CHECKING:
    import logging

#: the cyclic garbage collector's thresholds while a command runs (see :func:`main`)
GC_THRESHOLDS = (50_000, 20, 20)
#: command name -> "module:function" under tf_graph.cli; the one table of commands
COMMANDS = {
    "validate": "graph_cmds:validate",
    "stats": "graph_cmds:stats",
    "export": "graph_cmds:export",
    "queries": "query_cmds:queries",
    "query": "query_cmds:query",
    "ask": "query_cmds:ask",
    "show": "query_cmds:show",
    "viz": "viz_cmds:viz",
    "site": "site_cmds:site",
    "serve": "serve_cmds:serve",
    "push": "serve_cmds:push",
}
#: one-line help shown by ``tf-graph --help`` without importing the command modules
SUMMARIES = {
    "validate": "Check the graph: SHACL shapes, quotes against the source, links, labels.",
    "stats": "Counts per class and property; the most connected agencies.",
    "export": "Write the graph as Turtle, N-Triples, JSON-LD, TriG, GraphML, GEXF or CSV.",
    "queries": "List the named SPARQL queries with their parameters.",
    "query": "Run a named query or a .rq file.",
    "ask": "Answer a plain-English question, with evidence.",
    "show": "Profile one resource: names, links in and out, quotes.",
    "viz": "Write an interactive, offline HTML network (or a PNG/SVG/PDF picture).",
    "site": "Write the graph as a static website: entity pages, index, overview network.",
    "serve": "Serve a read-only SPARQL endpoint and query page on 127.0.0.1.",
    "push": "Load the graph into a SPARQL 1.1 triple store.",
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(f"{__name__}.{module_name}")
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{module_name}":
                raise
            return None
        return getattr(module, attr, None)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SUMMARIES.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tf-graph")
def main() -> None:
    """tf-graph: the US federal effort against human trafficking, as a knowledge graph.

    \b
    Example:
      tf-graph ask "Which agencies touch forced labor?"
    """
    # collect cycles less often: a command makes some 100,000s of objects (rows, terms, the
    # names of the graph) and few cycles; at the default (700) a 1M-triple ask spent 0.4-0.5 s
    # of ~3.7 s in 1,000 collections, six of them full, at this 0.1 s, its memory the same
    gc.set_threshold(*GC_THRESHOLDS)
    if "rdflib" in sys.modules:
        _quiet_ill_typed()
    elif not any(isinstance(finder, _WhenRdflibIsImported) for finder in sys.meta_path):
        sys.meta_path.insert(0, _WhenRdflibIsImported())


class _WhenRdflibIsImported:
    """Quiets rdflib's ill-typed literal warnings (:func:`_not_ill_typed`) just before rdflib
    is imported: a command that does not import rdflib (a question on a fresh index) does not
    import logging either (5 ms of its start). A finder first on ``sys.meta_path`` that finds
    nothing itself; it stays there, inert once done (removing it could make an import running
    in another thread skip the finder after it)."""

    done = False

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "rdflib" and not self.done:
            self.done = True
            _quiet_ill_typed()


def _quiet_ill_typed() -> None:
    import logging

    logging.getLogger("rdflib.term").addFilter(_not_ill_typed)


def _not_ill_typed(record: logging.LogRecord) -> bool:
    """rdflib logs a warning with a traceback for each ill-typed literal it reads
    ("abc"^^xsd:integer); ``validate`` reports them as findings with file and line, the other
    commands keep them as written (SPARQL treats them as unknown values): no warning."""
    return not record.getMessage().startswith("Failed to convert Literal lexical form")
