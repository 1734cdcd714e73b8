"""The library face: ``tf_graph.open_graph()`` and the one object every command works through;
the engine behind it is chosen by tf_graph.engines, never by its caller."""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import URIRef

import tf_graph
from tf_graph.engines import Source, choose, open_source
from tf_graph.errors import QueryError, TfGraphError, UnknownEntityError

ROOT = Path(__file__).resolve().parents[1]
TFR = "https://w3id.org/tf-graph/id/"


@pytest.fixture(scope="module")
def shipped():
    return tf_graph.open_graph()


def short(term) -> str | None:
    return None if term is None else str(term).removeprefix(TFR)


def test_the_readme_example_runs_as_written():
    """The five lines README.md shows, run exactly as written."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("### In Python") :]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    assert len([line for line in code.splitlines() if line.strip()]) == 5
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README
    lines = out.getvalue().splitlines()
    # sheet: Prevention, DOC "launched a new coordination group ... forced labor in the seafood
    # industry" (the first row of agencies-by-topic, as tests/test_queries.py checks in full)
    assert lines[0] == (
        f"Department of Commerce lead {TFR}initiative/doc-seafood-coordination-group"
    )
    # ref: the PITF is chaired by the Secretary of State
    assert lines[-1] == f"[(IRI('{TFR}agency/state'), 'Department of State (DOS)')]"


def test_open_graph_query_answers_agencies_by_topic(shipped):
    result = shipped.query("agencies-by-topic", topic="forced labor")
    assert result.bindings == {"topic": URIRef(TFR + "topic/forced-labor")}
    agencies = {short(row["agency"]) for row in result.rows}
    # sheet and ref: the FLETF members and the agencies leading forced-labor initiatives
    assert agencies == {
        "agency/doc", "agency/hhs", "agency/dhs", "agency/doj", "agency/dol", "agency/state",
        "agency/treasury", "agency/ustr",
    }  # fmt: skip
    assert ("agency/dhs", "chair", "body/fletf") in {
        (short(r["agency"]), str(r["role"]), short(r["evidence"])) for r in result.rows
    }


def test_query_takes_sparql_text_and_files_with_bound_parameters(shipped, tmp_path):
    text = (
        "PREFIX tf: <https://w3id.org/tf-graph/ontology#>\n"
        "SELECT ?body WHERE { ?body tf:chairedBy ?agency } ORDER BY ?body"
    )
    chaired = [short(row["body"]) for row in shipped.query(text, agency="DHS").rows]
    # sheet: Prevention, "The Forced Labor Enforcement Task Force, chaired by ... (DHS)"
    assert "body/fletf" in chaired
    path = tmp_path / "chairs.rq"
    path.write_text(text, encoding="utf-8")
    assert [short(r["body"]) for r in shipped.query(str(path), agency="DHS").rows] == chaired
    with pytest.raises(QueryError, match=r"^<query>:1:\d+: SPARQL syntax error"):
        shipped.query("SELECT WHERE {")
    with pytest.raises(QueryError, match=r"unknown query 'agencies by topic'; did you mean: agen"):
        shipped.query("agencies by topic")
    described = shipped.query("DESCRIBE <https://w3id.org/tf-graph/id/body/fletf>")
    assert described.vars == ["subject", "predicate", "object"] and described.rows
    with pytest.raises(UnknownEntityError, match="unknown agency 'Ministry of Magic'"):
        shipped.query("initiatives-by-agency", agency="Ministry of Magic")


def test_ask_and_show(shipped):
    answer = shipped.ask("Who chairs the PITF?")
    assert answer.query_name == "coordination-bodies"
    assert [short(s) for s, _ in answer.subjects] == ["agency/state"]
    profile = shipped.show("FLETF")
    assert profile.label == "Forced Labor Enforcement Task Force"
    assert len(shipped) == len(shipped.rdf) > 2000


def test_the_engine_is_chosen_inside(monkeypatch, tmp_path):
    monkeypatch.delenv("TF_GRAPH_BACKEND", raising=False)
    assert choose(Source()).name == "oxigraph"
    assert choose(Source(exact=True)).name == "memory"
    assert choose(Source(endpoint="http://127.0.0.1:9/sparql")).name == "remote"
    monkeypatch.setenv("TF_GRAPH_BACKEND", "memory")
    assert choose(Source()).name == "memory"
    assert tf_graph.open_graph(exact=False).engine == "memory"
    monkeypatch.setenv("TF_GRAPH_BACKEND", "sqlite")
    with pytest.raises(TfGraphError, match="TF_GRAPH_BACKEND='sqlite': expected"):
        choose(Source())
    with pytest.raises(TfGraphError, match="cannot be added to an endpoint"):
        tf_graph.open_graph(data=[tmp_path / "x.ttl"], endpoint="http://127.0.0.1:9/sparql")
    with pytest.raises(TfGraphError, match="a named graph needs an endpoint"):
        tf_graph.open_graph(graph="https://example.org/g")


def test_a_source_reopens_in_another_process(tmp_path):
    """What the server hands its worker processes: plain data they open themselves."""
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "<https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> 'X' .\n",
        encoding="utf-8",
    )
    graph = tf_graph.open_graph(data=[extra], store=tmp_path / "store")
    opener = pickle.loads(pickle.dumps(graph.source))
    assert opener == graph.source
    assert len(open_source(opener)) == len(graph) == len(tf_graph.open_graph()) + 1


def test_import_tf_graph_is_cheap():
    code = (
        "import sys, tf_graph; print(sorted(m for m in sys.modules"
        " if m.startswith(('rdflib', 'pyoxigraph', 'click', 'tf_graph'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert out.stdout.strip() == "['tf_graph', 'tf_graph._version']"


def test_the_library_modules_example_runs():
    import doctest

    import tf_graph.graph

    outcome = doctest.testmod(tf_graph.graph)
    assert outcome.attempted == 5 and outcome.failed == 0
