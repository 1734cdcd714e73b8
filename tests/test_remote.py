"""``tf_graph.engines.remote``: bindings in a trailing VALUES block give the answers of the
engine's own binding (Oxigraph's substitutions), hostile values stay values or are refused,
and the named queries run unchanged against a SPARQL endpoint (our own ``tf-graph serve``,
started here on 127.0.0.1)."""

from __future__ import annotations

import socket

import pytest
from conftest import shipped_graph
from rdflib import BNode, Literal, URIRef
from support import BINDING_SAMPLES, SAMPLE_PARAMS, binding_sample, opener_of, serving

from tf_graph.engines.remote import append_values, open_endpoint, term_to_sparql
from tf_graph.errors import QueryError, RemoteError
from tf_graph.questions.catalogue import find_query, list_queries
from tf_graph.questions.params import bind_params
from tf_graph.questions.run import run_query
from tf_graph.server.app import create_app

#: a plain IRI: pytest probes module globals, and rdflib's closed XSD namespace warns
XSD_TOKEN = URIRef("http://www.w3.org/2001/XMLSchema#token")

HOSTILE = [
    '"} . ?s ?p ?o . {"',
    "back\\slash and \\n, \\t",
    'triple """ quotes',
    "new\nline\r\nand\ttab",
    "’typographic’ – … 😀",
    "",
]


def _params(spec) -> dict[str, str]:
    return {
        p.name: SAMPLE_PARAMS[p.name] for p in spec.params if p.required and p.name in SAMPLE_PARAMS
    }


def _rows(result) -> list[tuple]:
    return sorted(tuple("" if t is None else t for t in row) for row in result)


#: the named queries that take parameters (the others have nothing to bind)
PARAMETERISED = [spec.name for spec in list_queries() if spec.params]
#: every named query, with its defaults; and the parameterised ones with sample values
REMOTE_CASES = [(spec.name, False) for spec in list_queries()] + [
    (name, True) for name in PARAMETERISED
]


def test_some_queries_take_parameters():
    assert len(PARAMETERISED) >= 8


@pytest.mark.parametrize("name", PARAMETERISED)
def test_bound_text_gives_the_engines_bound_rows(name):
    """On Oxigraph (rdflib's memory engine, which a served graph uses, answers the same:
    tests/test_rdflib_values.py and tests/test_backends.py)."""
    graph = shipped_graph("oxigraph")
    spec = find_query(name)
    missing = [p.name for p in spec.params if p.name not in BINDING_SAMPLES]
    assert not missing, f"add a sample value for {missing} to BINDING_SAMPLES"
    values = {p.name: binding_sample(spec.name, p.name) for p in spec.params}
    bindings = bind_params(graph, spec, values)
    expected = _rows(graph.query(spec.text, initBindings=bindings))
    assert expected, f"{name}: the sample parameters select nothing; nothing compared"
    assert _rows(graph.query(append_values(spec.text, [bindings]))) == expected


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_literal_stays_one_value(graph, value):
    for literal in (
        Literal(value),
        Literal(value, lang="en-GB"),
        Literal(value, datatype=XSD_TOKEN),
    ):
        text = append_values("SELECT ?v WHERE { }", [{"v": literal}])
        rows = list(graph.query(text))
        assert len(rows) == 1 and rows[0][0] == literal


def test_unsafe_terms_are_refused():
    with pytest.raises(QueryError, match="not a valid IRI"):
        term_to_sparql(URIRef("urn:a> } ?s ?p ?o { <urn:b"))
    with pytest.raises(QueryError, match="not a valid datatype IRI"):
        term_to_sparql(Literal("x", datatype=URIRef("urn:a> . <urn:b")))
    with pytest.raises(QueryError, match="not a variable name"):
        append_values("SELECT * { ?s ?p ?o }", [{"o) } ?s ?p ?o {(": URIRef("urn:x")}])
    with pytest.raises(QueryError, match="not a valid IRI"):
        append_values("SELECT * { ?s ?p ?o }", [{"s": URIRef("urn:a>} ?s ?p ?o {<urn:b")}])
    with pytest.raises(QueryError, match="u sequence"):
        term_to_sparql(Literal("\\u0022} ?s ?p ?o {"))
    with pytest.raises(QueryError, match="cannot bind BNode"):
        append_values("SELECT * { ?s ?p ?o }", [{"s": BNode()}])


def test_the_query_text_is_kept_and_the_block_follows_it(graph):
    """The query is not edited (a ``?v`` in a string or comment stays as it is); the block
    comes after it, one row per binding, UNDEF where a row leaves a variable out."""
    query = (
        "PREFIX ex: <urn:ex:x#> # a comment with ?v and {\n"
        'SELECT ?v ?w ?s WHERE { BIND("{ ?v }" AS ?s) }'
    )
    text = append_values(
        query, [{"v": Literal("one")}, {"v": Literal("two"), "w": URIRef("urn:w")}]
    )
    assert text == query + '\nVALUES (?v ?w) {\n  ("one" UNDEF)\n  ("two" <urn:w>)\n}\n'
    rows = sorted(
        tuple(str(t) if t is not None else None for t in row) for row in graph.query(text)
    )
    assert rows == [("one", None, "{ ?v }"), ("two", "urn:w", "{ ?v }")]
    assert append_values(query, []) == query


@pytest.fixture(scope="module")
def endpoint():
    """``tf-graph serve``'s app on a free port: a SPARQL 1.1 endpoint to query remotely (on
    the Oxigraph index, as `tf-graph serve` opens it; the server answers the same on rdflib's
    memory graph: tests/test_server.py, tests/test_rdflib_values.py); one worker process: the
    clients here ask one query at a time."""
    app = create_app(opener_of("oxigraph"), workers=1, timeout=30, reserve=0, spares=0)
    with serving(app) as url:
        yield f"{url}/sparql"


@pytest.fixture(scope="module")
def index():
    """The local answers, from the Oxigraph index: quicker than rdflib's, and the same rows
    (tests/test_backends.py)."""
    return shipped_graph("oxigraph")


@pytest.mark.parametrize(("name", "with_samples"), REMOTE_CASES)
def test_every_named_query_gives_the_same_rows_remotely(index, endpoint, name, with_samples):
    remote = open_endpoint(endpoint)
    spec = find_query(name)
    params = _params(spec)
    if with_samples:
        params = {p.name: binding_sample(spec.name, p.name) for p in spec.params}
    local, there = run_query(index, name, params), run_query(remote, name, params)
    assert there.vars == local.vars
    assert sorted(tuple(map(_cell, (r.get(v) for v in local.vars))) for r in there.rows) == sorted(
        tuple(map(_cell, (r.get(v) for v in local.vars))) for r in local.rows
    )


def _cell(term) -> str:
    return "" if term is None else term.n3()


def test_remote_errors_are_one_line(endpoint):
    remote = open_endpoint(endpoint)
    with pytest.raises(RemoteError) as err:
        remote.query("SELECT ?s WHERE { ?s ?p }")
    assert "HTTP 400" in str(err.value) and "\n" not in str(err.value)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(RemoteError, match="cannot query"):
        len(open_endpoint(f"http://127.0.0.1:{port}/sparql"))
    with pytest.raises(RemoteError, match="not an http"):
        open_endpoint("file:///etc/passwd")


# --- the commands with --endpoint -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("query", "agencies-by-topic", "--format", "csv"),
        ("query", "initiatives-by-agency", "-p", "agency=Homeland Security", "--format", "json"),
        ("query", "timeline", "-p", "year=2021", "--format", "table"),
        ("ask", "Which agencies touch forced labor?"),
        ("ask", "Who chairs the PITF?", "--format", "json"),
        ("ask", "What is DHS doing about forced labor?", "--format", "json"),
        ("ask", "Is DOI on the PITF?"),
        ("ask", "What is JTFA?"),
        ("ask", "Which executive orders are cited?"),
        ("show", "DHS"),
    ],
    ids=lambda args: " ".join(args[:2])[:40],
)
def test_commands_print_the_same_with_endpoint(run, endpoint, args):
    local = run(*args)
    remote = run(*args, "--endpoint", endpoint)
    assert local.exit_code == 0, local.stderr
    assert remote.exit_code == 0, remote.stderr
    assert remote.stdout == local.stdout


def test_endpoint_option_mistakes(run, endpoint, tmp_path):
    extra = tmp_path / "x.ttl"
    extra.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    mixed = run("query", "topics", "--endpoint", endpoint, "--data", str(extra))
    assert mixed.exit_code == 2 and "--data cannot be combined with --endpoint" in mixed.stderr
    alone = run("query", "topics", "--graph", "urn:g")
    assert alone.exit_code == 2 and alone.stderr == "error: --graph needs --endpoint\n"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = run(
        "ask", "Which agencies touch forced labor?", "--endpoint", f"http://127.0.0.1:{port}/sparql"
    )
    assert down.exit_code == 2 and down.stderr.count("\n") == 1 and "cannot query" in down.stderr
