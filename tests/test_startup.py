"""Start-up discipline: ``--help`` and a question import only what they use (checked with
``python -X importtime`` in a new process, so nothing this test run imported counts)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

#: libraries that a question never needs: drawing, graph algorithms, SHACL, web serving
HEAVY = ("pyvis", "networkx", "pyshacl", "matplotlib", "starlette", "uvicorn", "httpx", "numpy")
#: what a question on a fresh index does without, each a few ms of its start: logging (only
#: rdflib's warnings need it), shutil (removing folders), xml (writing XML results), tomllib
#: (kinds.toml is kept parsed: tf_graph.questions.toml_cache)
NOT_ON_THE_ASK_PATH = ("logging", "shutil", "xml", "tomllib")


def imported_modules(
    *args: str, env: dict[str, str] | None = None, dotted: bool = False
) -> tuple[set[str], subprocess.CompletedProcess]:
    """Top-level names (or, ``dotted``, full names) of every module
    ``python -X importtime -m tf_graph ARGS`` imported."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tf_graph", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    modules = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                modules.add(name if dotted else name.split(".")[0])
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
    assert "click" in modules
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


@pytest.fixture(scope="module")
def fresh_index(tmp_path_factory):
    """A store of its own with the index just built (by a command: the build uses rdflib)."""
    store = tmp_path_factory.mktemp("fresh-index")
    env = {"TF_GRAPH_BACKEND": "oxigraph", "TF_GRAPH_STORE": str(store)}
    _, build = imported_modules("query", "agencies", "--format", "csv", env=env)
    assert build.returncode == 0, build.stderr[-500:]
    assert "rdflib" in build.stderr  # (it built the index: imported rdflib, -X importtime)
    return store


@pytest.mark.parametrize(
    "question",
    [
        "Which agencies touch forced labor?",  # a query, labels, abbreviations, statements
        "What is the TVPA?",  # a profile with a law's text
        "Is DOL a member of the PITF?",  # a yes/no answer
        "What was completed in 2021?",  # a year bound as a literal
    ],
)
def test_ask_on_a_fresh_index_imports_no_rdflib(question, fresh_index):
    """The index answers in light terms (tf_graph.engines.terms): a question on a fresh index
    imports no rdflib (0.07-0.12 s of a command), here with --format json (every term of the
    answer written) in a new process on a new store (built for this module), the second time
    the question is asked there (whatever the first may have kept)."""
    env = {"TF_GRAPH_BACKEND": "oxigraph", "TF_GRAPH_STORE": str(fresh_index)}
    args = ("ask", question, "--format", "json")
    _, first = imported_modules(*args, env=env)
    assert first.returncode == 0, first.stderr[-500:]
    modules, proc = imported_modules(*args, env=env)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout == first.stdout
    assert "pyoxigraph" in modules
    assert "rdflib" not in modules
    assert not modules & set(NOT_ON_THE_ASK_PATH), sorted(modules & set(NOT_ON_THE_ASK_PATH))


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_query_on_a_fresh_index_imports_no_rdflib(fmt, fresh_index):
    """``tf-graph query`` reads the index as questions do, in light terms: no rdflib (its
    rows are only written out), and the same output as the memory backend's rdflib terms."""
    env = {"TF_GRAPH_BACKEND": "oxigraph", "TF_GRAPH_STORE": str(fresh_index)}
    args = ("query", "agencies-by-topic", "-p", "topic=forced labor", "--format", fmt)
    modules, proc = imported_modules(*args, env=env)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "pyoxigraph" in modules
    assert "rdflib" not in modules
    memory, by_rdflib = imported_modules(*args, env={"TF_GRAPH_BACKEND": "memory"})
    assert by_rdflib.returncode == 0, by_rdflib.stderr[-500:]
    assert "rdflib" in memory
    assert proc.stdout == by_rdflib.stdout


ILL_TYPED = '<http://e/a> <http://e/count> "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_rdflib_imported_after_the_start_still_keeps_quiet_on_ill_typed_literals(tmp_path, backend):
    """The command line imports no logging at its start; the filter on rdflib's warning for an
    ill-typed literal is added when rdflib is imported (here by the query's rdflib terms)."""
    data, query = tmp_path / "ill.nt", tmp_path / "count.rq"
    data.write_text(ILL_TYPED, encoding="utf-8")
    query.write_text("SELECT ?o WHERE { <http://e/a> <http://e/count> ?o }\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "tf_graph", "query", str(query), "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TF_GRAPH_BACKEND": backend, "TF_GRAPH_STORE": str(tmp_path / "idx")},
    )
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout == "o\n---\nabc\n(1 row)\n"
    assert proc.stderr == ""


@pytest.mark.parametrize(
    "args",
    [
        ("ask", "Which agencies touch forced labor?"),
        ("query", "agencies-by-topic", "--param", "topic=forced labor", "--format", "csv"),
        ("show", "DHS"),
    ],
    ids=["ask", "query", "show"],
)
def test_a_question_on_the_index_imports_no_sparql_parser_of_rdflib(args):
    """Oxigraph parses the query: rdflib's SPARQL parser and pyparsing (50 ms together) are
    not imported, nor oxrdflib, which would import them."""
    names, proc = imported_modules(*args, env={"TF_GRAPH_BACKEND": "oxigraph"}, dotted=True)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "Homeland Security" in proc.stdout
    assert "pyoxigraph" in names
    assert not names & {"rdflib.plugins.sparql", "pyparsing", "oxrdflib"}


def test_ask_opens_the_graph_in_a_thread_while_it_imports_the_question_modules():
    """``open_graph(meanwhile=...)`` (what ``ask`` uses): the graph opens in another thread
    (Oxigraph loads the snapshot without the GIL) while the command's imports run in its own;
    an error of the opening is raised in the command's thread, as it was."""
    import threading

    from tf_graph.cli import common
    from tf_graph.errors import InputFileError

    where: dict[str, str] = {}

    def opener():
        where["open"] = threading.current_thread().name
        return "graph"

    def meanwhile():
        where["meanwhile"] = threading.current_thread().name

    assert common._overlapped(opener, meanwhile) == "graph"
    assert where == {"open": "tf-graph-open", "meanwhile": threading.current_thread().name}

    error = InputFileError("x.ttl:3: bad")

    def failing():
        raise error

    with pytest.raises(InputFileError) as info:
        common._overlapped(failing, meanwhile)
    assert info.value is error


def test_the_ask_command_overlaps_opening_and_importing(monkeypatch):
    from click.testing import CliRunner

    from tf_graph.cli import common, main

    calls = []
    real = common._overlapped

    def spy(opener, meanwhile):
        calls.append(meanwhile)
        return real(opener, meanwhile)

    monkeypatch.setattr(common, "_overlapped", spy)
    result = CliRunner().invoke(main, ["ask", "Who chairs the PITF?"])
    assert result.exit_code == 0, result.output
    assert "Department of State (DOS): chairs" in result.output
    assert len(calls) == 1
