"""Shared fixtures: the shipped graph (loaded once) and a CLI runner."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from tf_graph.build.loading import load_graph
from tf_graph.cli import main


@pytest.fixture(scope="session", autouse=True)
def _private_store(tmp_path_factory):
    """The Oxigraph index is built in a temporary folder, never in the user's cache
    (TF_GRAPH_STORE is inherited by the commands the tests start)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("TF_GRAPH_STORE", str(tmp_path_factory.mktemp("tf-graph-store")))
    yield
    patch.undo()


#: the backend under test. Unset (the default, as in CI): ``graph`` is rdflib's memory graph and
#: commands use the cached Oxigraph index, as for users. ``TF_GRAPH_BACKEND=oxigraph``: ``graph``
#: is the Oxigraph index too; ``=memory``: commands parse into rdflib's memory as well.
#: (tests/test_backends.py runs the query tests both ways.)
BACKEND = os.environ.get("TF_GRAPH_BACKEND", "")


@pytest.fixture(scope="session")
def graph(_private_store):
    """The shipped ontology + data, loaded once for the whole run (do not modify it)."""
    if BACKEND == "oxigraph":
        from tf_graph.engines.store import open_store_graph
        from tf_graph.resources import core_files

        return open_store_graph(core_files())
    return load_graph()


@pytest.fixture
def run():
    """Run ``tf-graph ARGS...`` in-process; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke
