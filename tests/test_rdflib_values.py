"""``tf_graph.engines.rdflib_values``: rdflib's engine (the endpoint on rdflib's memory, the
question path's parses) evaluates a trailing VALUES first, binding each row before the
pattern (as a local engine binds parameters), and only where that gives the rows of the join
as written."""

from __future__ import annotations

import pytest
from conftest import shipped_graph
from rdflib import Graph, URIRef
from support import binding_sample

from tf_graph.engines.rdflib_values import values_first
from tf_graph.engines.values import append_values
from tf_graph.questions.catalogue import find_query, list_queries
from tf_graph.questions.params import bind_params
from tf_graph.questions.run import run_query
from tf_graph.server import protocol, worker

PARAMETERISED = [spec.name for spec in list_queries() if spec.params]
#: the named queries whose parameters are not bound first: a FILTER or OPTIONAL reads them
#: where no pattern binds them (they stay a join, and are fast as a join)
KEPT_AS_JOIN = {"agency-partners", "initiatives-by-status", "planned-actions", "timeline"}

SMALL = """
@prefix : <urn:t:> .
:a :p :b , :c ; :q :d .
:e :p :b ; a :T .
:f a :T ; :p :c .
:g :r :h .
"""


def _parse(graph: Graph, text: str):
    return protocol.parse_query(text, dict(graph.namespaces()))


def _key(rows) -> list[list[tuple[str, str]]]:
    return sorted(sorted((str(k), v.n3()) for k, v in row.items()) for row in rows)


def _as_joined(graph: Graph, query) -> list:
    """The rows of the query as written: rdflib's own join with the trailing VALUES."""
    return _key(
        worker._answer(worker.dataset_of(graph).query(query), protocol.SOLUTIONS, 10**6).rows
    )


def _served(graph: Graph, query) -> list:
    return _key(worker.evaluate(graph, query, protocol.SOLUTIONS, 10**6).rows)


def _bound(graph: Graph, name: str):
    spec = find_query(name)
    values = {p.name: binding_sample(name, p.name) for p in spec.params}
    return spec, bind_params(graph, spec, values)


@pytest.mark.parametrize("name", PARAMETERISED)
def test_named_queries_served_with_values_give_the_bound_rows(memory_graph, name):
    """The endpoint's rows for the query with its parameters in a trailing VALUES are the
    rows of the query bound locally (on the Oxigraph index: quicker than rdflib's bound
    query, and the same rows, tests/test_backends.py)."""
    spec, bindings = _bound(memory_graph, name)
    query = _parse(memory_graph, append_values(spec.text, [bindings]))
    assert (values_first(query) is None) == (name in KEPT_AS_JOIN)
    values = {p.name: binding_sample(name, p.name) for p in spec.params}
    local = run_query(shipped_graph("oxigraph"), name, values)
    expected = _key({v: row[v] for v in local.vars if row.get(v) is not None} for row in local.rows)
    assert expected, f"{name}: the sample parameters select nothing; nothing compared"
    assert _served(memory_graph, query) == expected


@pytest.fixture
def read(memory_graph, monkeypatch) -> list[int]:
    """One item per triple rdflib's engine reads from the shipped memory graph's store."""
    store = memory_graph.store
    found: list[int] = []
    triples = store.triples

    def counted(*args, **kwargs):
        for triple in triples(*args, **kwargs):
            found.append(1)
            yield triple

    monkeypatch.setattr(store, "triples", counted)
    return found


def test_entity_profile_reads_what_the_bound_query_reads(memory_graph, read):
    """The endpoint looks up one resource's statements, as the local bound query does, not
    every statement of the graph (which rdflib's join with the VALUES block would read)."""
    spec, bindings = _bound(memory_graph, "entity-profile")
    list(worker.dataset_of(memory_graph).query(spec.text, initBindings=bindings))
    local, read[:] = len(read), []
    _served(memory_graph, _parse(memory_graph, append_values(spec.text, [bindings])))
    assert local < len(memory_graph) / 10
    assert len(read) == local


SAME_EITHER_WAY = [
    # bound by the pattern, read by a FILTER and an OPTIONAL of the same group
    "SELECT * WHERE { ?s :p ?o OPTIONAL { ?s :q ?d } FILTER(?s != :e) } VALUES ?s { :a }",
    # bound in one branch of a UNION, not mentioned in the other (that one's rows get it)
    "SELECT * WHERE { { ?s :p ?x } UNION { ?s a :T } } VALUES ?x { :b }",
    # not mentioned at all: every row gets it
    "SELECT ?s ?x WHERE { ?s a :T } VALUES ?x { :b }",
    # bound in every branch, read under NOT EXISTS, two variables
    "SELECT * WHERE { { ?s :p ?o } UNION { ?o :p ?s } FILTER NOT EXISTS { ?s :q ?o } }"
    " VALUES (?s ?o) { (:a :b) }",
    # a group key
    "SELECT ?o (COUNT(?s) AS ?n) WHERE { ?s :p ?o } GROUP BY ?o HAVING (COUNT(?s) > 0)"
    " VALUES ?x { :z }",
    # projected by a sub-select (DISTINCT, ordered) that binds it in every row
    "SELECT * WHERE { { SELECT DISTINCT ?s ?o WHERE { { ?s :p ?o } UNION { ?o :p ?s } }"
    " ORDER BY ?o } } VALUES ?s { :a }",
]


@pytest.mark.parametrize("text", SAME_EITHER_WAY)
def test_a_safe_one_row_values_is_bound_first(text):
    graph = _small()
    query = _parse(graph, "PREFIX : <urn:t:> " + text)
    assert values_first(query) is not None
    assert _served(graph, query) == _as_joined(graph, query)
    assert _as_joined(graph, query)


#: (query, variable, value of the one-row VALUES): where binding first would give other rows
#: than the join (each checked below)
KEPT = [
    # a FILTER reads it where nothing binds it
    ("SELECT * WHERE { ?s :p ?o FILTER(!BOUND(?x)) }", "x", "b"),
    # only an OPTIONAL binds it
    ("SELECT ?s ?x WHERE { ?s a :T OPTIONAL { ?s :p ?x } }", "x", "c"),
    # MINUS with no shared variable removes nothing; bound first, every row would share it
    ("SELECT ?s ?x WHERE { ?s :p ?o MINUS { ?z :r ?w } }", "x", "b"),
    # BIND assigns it
    ("SELECT ?s ?x WHERE { ?s :p ?o BIND(?o AS ?x) }", "x", "c"),
    # a sub-query uses it without projecting it
    ("SELECT ?s ?x WHERE { { SELECT ?s WHERE { ?s :p ?x } } }", "x", "c"),
    # grouped away: after GROUP BY ?s the variable is not in scope
    ("SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s :p ?o } GROUP BY ?s", "o", "b"),
    # a sub-select that projects it but keeps only its first row (LIMIT)
    ("SELECT ?s ?o WHERE { { SELECT ?s ?o WHERE { ?s :p ?o } ORDER BY ?s ?o LIMIT 1 } }", "s", "e"),
    # a sub-select that projects it but may leave it unbound (only an OPTIONAL binds it)
    ("SELECT ?s ?x WHERE { { SELECT ?s ?x WHERE { ?s a :T OPTIONAL { ?s :p ?x } } } }", "x", "c"),
]


def _small() -> Graph:
    return Graph().parse(data=SMALL, format="turtle")


@pytest.mark.parametrize(("head", "var", "value"), KEPT)
def test_an_unsafe_one_row_values_stays_a_join(head, var, value):
    graph = _small()
    query = _parse(graph, f"PREFIX : <urn:t:> {head} VALUES ?{var} {{ :{value} }}")
    assert values_first(query) is None
    assert _served(graph, query) == _as_joined(graph, query)
    # why it is kept: rdflib with the block's row as initBindings gives other rows
    forced = worker.dataset_of(graph).query(
        f"PREFIX : <urn:t:> {head}", initBindings={var: URIRef(f"urn:t:{value}")}
    )
    rows = _key({str(v): r[v] for v in forced.vars or [] if r[v] is not None} for r in forced)
    assert rows != _as_joined(graph, query)


def test_a_row_with_undef_stays_a_join():
    graph = _small()
    text = "PREFIX : <urn:t:> SELECT * WHERE { ?s :p ?o } VALUES (?s ?o) { (:a UNDEF) }"
    query = _parse(graph, text)
    assert values_first(query) is None
    assert _served(graph, query) == _as_joined(graph, query)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s :p ?o } VALUES ?s { :a :e :zz }",
        "SELECT ?s ?o WHERE { ?s :p ?o OPTIONAL { ?s a ?t } } ORDER BY DESC(?s) ?o"
        " VALUES (?s ?o) { (:a :b) (:a :c) (:f :c) (:f :b) }",
        "SELECT DISTINCT ?o WHERE { ?s :p ?o } ORDER BY ?o LIMIT 1 VALUES ?s { :a :e }",
        # a lookup of many resources through a sub-select (lookup/statements-about's shape)
        "SELECT ?s ?o ?d WHERE { { SELECT ?s ?o ?d WHERE { ?s :p ?o OPTIONAL { ?s :q ?d } } } }"
        " VALUES ?s { :a :f :zz }",
    ],
)
def test_several_rows_are_bound_first_one_by_one(text):
    """Each row bound in turn, the operators above the block (ORDER BY, DISTINCT, LIMIT) over
    all of them: the join's rows (in its order where the query orders them)."""
    graph = _small()
    query = _parse(graph, "PREFIX : <urn:t:> " + text)
    first = values_first(query)
    assert first is not None and first.algebra != query.algebra
    joined = worker._answer(worker.dataset_of(graph).query(query), protocol.SOLUTIONS, 99).rows
    assert joined
    served = worker.evaluate(graph, query, protocol.SOLUTIONS, 99).rows
    assert _key(served) == _key(joined)
    if "ORDER BY" in text:
        assert served == joined


def test_the_question_paths_lookup_of_many_resources_reads_each_one(memory_graph, read):
    """labels-of for several resources (queries.run_for_each's block) on rdflib's memory:
    each resource's labels looked up, not every label of the graph joined with the block."""
    from tf_graph.engines import rdflib_parse
    from tf_graph.questions.queries import run_for_each

    iris = [f"https://w3id.org/tf-graph/id/agency/{a}" for a in ("dhs", "dol", "doj")]
    rdflib_parse.forget()
    rows = run_for_each(memory_graph, "lookup/labels-of", iris)
    assert sorted((str(r["resource"]), str(r["label"])) for r in rows) == [
        (iris[0], "Department of Homeland Security"),
        (iris[2], "Department of Justice"),
        (iris[1], "Department of Labor"),
    ]
    assert len(read) == 3
