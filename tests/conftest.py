"""Shared fixtures: the shipped graph (opened once per engine) and a CLI runner."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from rdflib import Graph

from tf_graph.cli import main
from tf_graph.engines import ENGINES as ENGINE_TABLE
from tf_graph.engines import Source


@pytest.fixture(scope="session", autouse=True)
def _private_store(tmp_path_factory):
    """The Oxigraph index is built in a temporary folder, never in the user's cache
    (TF_GRAPH_STORE is inherited by the commands the tests start). Under pytest-xdist
    (``-n 3``) the workers share one folder: the first builds the index, the others wait for
    it (the store's build lock)."""
    patch = pytest.MonkeyPatch()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.getbasetemp().parent / "tf-graph-store"
        folder.mkdir(exist_ok=True)
    else:
        folder = tmp_path_factory.mktemp("tf-graph-store")
    patch.setenv("TF_GRAPH_STORE", str(folder))
    yield
    patch.undo()


#: the variables that change what ``load_graph()`` accepts (build/loading.py, cli/common.py)
LOAD_LIMITS = ("TF_GRAPH_MAX_FILE_MB", "TF_GRAPH_MAX_LITERAL_MB", "TF_GRAPH_MEMORY_MB")


@pytest.fixture(scope="session", autouse=True)
def _shipped_graph_loaded_once():
    """The memory engine's graph of the shipped files alone (``load_graph()``: what each
    in-process ``export``, ``validate``, ``viz``... parses and applies the rules to, 2.5 s) is
    loaded once per run; each opening gets its own copy (0.15 s: triples and prefixes), so a
    command may change it. Loaded again when a shipped file, a rule or a size limit
    (:data:`LOAD_LIMITS`) changes; ``--data`` loads are never kept. (The engine's ``open`` is
    replaced, not ``load_graph``, which server tests hand to worker processes by name.)"""
    from tf_graph import resources
    from tf_graph.build import loading
    from tf_graph.engines import MemoryEngine

    real = MemoryEngine.open
    kept: dict[tuple, Graph] = {}

    def open_(self, source):
        if source.data:
            return real(self, source)
        files = resources.core_files() + sorted((resources.queries_dir() / "rules").glob("*"))
        key = (
            tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files),
            tuple(sorted((k, v) for k, v in os.environ.items() if k in LOAD_LIMITS)),
        )
        if key not in kept:
            if len(kept) > 3:
                kept.clear()
            kept[key] = real(self, source)
        graph = loading.new_graph()
        for prefix, namespace in kept[key].namespace_manager.namespaces():
            graph.bind(prefix, namespace, override=True, replace=True)
        graph.addN((s, p, o, graph) for s, p, o in kept[key])
        return graph

    patch = pytest.MonkeyPatch()
    patch.setattr(MemoryEngine, "open", open_)
    yield
    patch.undo()


#: the engines every expected-rows test runs on: a test module marked ``engines``
#: (``pytestmark = pytest.mark.engines``) gets its ``graph`` once per engine
ENGINES = ("oxigraph", "memory")
#: the engine ``graph`` is for unmarked tests: rdflib's memory graph, unless
#: ``TF_GRAPH_BACKEND=oxigraph`` (commands use the Oxigraph index, as for users)
DEFAULT_ENGINE = "oxigraph" if os.environ.get("TF_GRAPH_BACKEND", "") == "oxigraph" else "memory"

_OPENED: dict[str, Graph] = {}


def shipped_graph(engine: str) -> Graph:
    """The shipped ontology + data on ``engine``, opened once per run (do not modify it)."""
    if engine not in _OPENED:
        _OPENED[engine] = ENGINE_TABLE[engine].open(Source())
    return _OPENED[engine]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "graph" in metafunc.fixturenames and metafunc.definition.get_closest_marker("engines"):
        metafunc.parametrize("graph", ENGINES, indirect=True, scope="session")


@pytest.fixture(scope="session")
def graph(request, _private_store):
    """The shipped graph: on each of :data:`ENGINES` for tests marked ``engines``, else on
    :data:`DEFAULT_ENGINE`."""
    return shipped_graph(getattr(request, "param", DEFAULT_ENGINE))


@pytest.fixture(scope="session")
def memory_graph(_private_store):
    """The shipped graph in rdflib's memory, whatever the engine under test (a reference)."""
    return shipped_graph("memory")


@pytest.fixture(scope="session")
def shipped_validation(memory_graph):
    """``validate`` of the shipped graph (its SHACL shapes and quote checks), run once: several
    modules read the one report."""
    from tf_graph.build.validation import validate

    return validate(memory_graph)


@pytest.fixture
def run():
    """Run ``tf-graph ARGS...`` in-process; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke
