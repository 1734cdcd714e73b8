"""The same answers on both local backends: rdflib's memory graph and the cached Oxigraph index
(tf_graph.engines.store), for every named query; and the query test files run on the other backend
than the default run gives them, so that CI checks both."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tf_graph.build.loading import load_graph
from tf_graph.engines import store
from tf_graph.questions.queries import list_queries, run_query
from tf_graph.resources import core_files

ROOT = Path(__file__).resolve().parents[1]
#: parameters beside the defaults, one case per kind of parameter
EXTRA_CASES = [
    ("agencies-by-topic", {"topic": "sex trafficking"}),
    ("agencies-by-topic", {"topic": "supply chains"}),
    ("initiatives-by-agency", {"agency": "DHS"}),
    ("initiatives-by-agency", {"agency": "Justice Department"}),
    ("agencies-across-pillars", {"pillars": "4"}),
    ("planned-actions", {"year": "2022"}),
    ("timeline", {"month": "2021-12"}),
    ("entity-profile", {"entity": "FLETF"}),
    ("law-text", {"law": "22 U.S.C. 7103"}),
    ("statements", {"entity": "PITF"}),
]


@pytest.fixture(scope="module")
def memory():
    return load_graph()


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    return store.open_store_graph(core_files(), tmp_path_factory.mktemp("backends"))


def cases() -> list[tuple[str, dict[str, str]]]:
    named = []
    for spec in list_queries():
        required = [p for p in spec.params if p.required]
        if not required:
            named.append((spec.name, {}))
    return named + EXTRA_CASES


def rows(result) -> list[tuple]:
    return [tuple(store.comparable(row.get(v)) for v in result.vars) for row in result.rows]


@pytest.mark.parametrize(("name", "params"), cases(), ids=lambda v: str(v) if v else "defaults")
def test_every_named_query_gives_the_same_rows_in_the_same_order(memory, oxigraph, name, params):
    fallbacks = store.NormalisingOxigraphStore.fallbacks
    reference = run_query(memory, name, params)
    answer = run_query(oxigraph, name, params)
    assert answer.vars == reference.vars
    assert rows(answer) == rows(reference)
    assert answer.bindings == reference.bindings
    # every named query runs inside Oxigraph, not in rdflib's engine over the store
    assert store.NormalisingOxigraphStore.fallbacks == fallbacks


def test_every_named_query_is_covered():
    covered = {name for name, _ in cases()}
    assert covered == {spec.name for spec in list_queries()}


def run_tests(files: list[str], backend: str) -> subprocess.CompletedProcess:
    present = [f"tests/{f}" for f in files if (ROOT / "tests" / f).is_file()]
    env = {**os.environ, "TF_GRAPH_BACKEND": backend}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *present],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )


def test_library_query_tests_pass_on_oxigraph():
    """The tests of queries, ask, show and hostile input, with ``graph`` the Oxigraph index."""
    files = [
        "test_queries.py",
        "test_ask.py",
        "test_show.py",
        "test_resolve.py",
        "test_hostile_input.py",
    ]
    proc = run_tests(files, "oxigraph")
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert " passed" in proc.stdout


def test_command_tests_pass_on_memory():
    """The command tests (Oxigraph by default) with ``TF_GRAPH_BACKEND=memory``."""
    proc = run_tests(["test_cli_query.py", "test_cli_graph.py", "test_viz.py"], "memory")
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert " passed" in proc.stdout
