"""Start-up discipline: ``--help`` and a question import only what they use (checked with
``python -X importtime`` in a new process, so nothing this test run imported counts)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

#: libraries that a question never needs: drawing, graph algorithms, SHACL, web serving
HEAVY = ("pyvis", "networkx", "pyshacl", "matplotlib", "starlette", "uvicorn", "httpx", "numpy")


def imported_modules(*args: str) -> tuple[set[str], subprocess.CompletedProcess]:
    """Top-level names of every module ``python -X importtime -m tf_graph ARGS`` imported."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tf_graph", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    modules = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                modules.add(name.split(".")[0])
    return modules, proc


def test_help_imports_click_and_nothing_of_rdf():
    modules, proc = imported_modules("--help")
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "ask" in proc.stdout
    assert "click" in modules
    assert not modules & {"rdflib", "pyoxigraph", "oxrdflib", *HEAVY}


@pytest.mark.parametrize(
    "args",
    [
        ("ask", "Which agencies touch forced labor?"),
        ("query", "agencies-by-topic", "--param", "topic=forced labor", "--format", "csv"),
    ],
    ids=["ask", "query"],
)
def test_a_question_imports_no_drawing_graph_algorithms_shacl_or_server(args):
    modules, proc = imported_modules(*args)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "Department of Homeland Security" in proc.stdout
    assert {"rdflib", "click"} <= modules
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
