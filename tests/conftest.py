"""Shared fixtures: the shipped graph (loaded once) and a CLI runner."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tf_graph.cli import main
from tf_graph.loading import load_graph


@pytest.fixture(scope="session", autouse=True)
def _private_store(tmp_path_factory):
    """The Oxigraph index is built in a temporary folder, never in the user's cache
    (TF_GRAPH_STORE is inherited by the commands the tests start)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("TF_GRAPH_STORE", str(tmp_path_factory.mktemp("tf-graph-store")))
    yield
    patch.undo()


@pytest.fixture(scope="session")
def graph():
    """The shipped ontology + data, loaded once for the whole run (do not modify it)."""
    return load_graph()


@pytest.fixture
def run():
    """Run ``tf-graph ARGS...`` in-process; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke
