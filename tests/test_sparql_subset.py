"""Every shipped query stays inside the SPARQL subset of docs/engines.md, which gives the same
rows on Oxigraph (substitutions), rdflib (initBindings) and a remote store such as Virtuoso (a
trailing VALUES block). Checked on rdflib's algebra of each query (its BINDs on the parse
tree); why each rule is there is in docs/engines.md."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyparsing import ParseResults
from rdflib.namespace import RDF
from rdflib.paths import MulPath, NegatedPath
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Identifier, URIRef, Variable

from tf_graph import resources
from tf_graph.build.rules import rules
from tf_graph.namespaces import TF
from tf_graph.questions.catalogue import find_query


def _children(node: object) -> Iterator[object]:
    if isinstance(node, CompValue):
        yield from node.values()
    elif isinstance(node, (list, tuple, set, ParseResults)):
        yield from node


def _walk(node: object, in_subselect: bool = False) -> Iterator[tuple[object, bool]]:
    """Every algebra node and path, with whether it lies inside a sub-select."""
    yield node, in_subselect
    inner = in_subselect or (isinstance(node, CompValue) and node.name == "ToMultiSet")
    for child in _children(node):
        yield from _walk(child, inner)
    if isinstance(node, PropertyPath):
        for attribute in ("args", "arg", "path"):
            value = getattr(node, attribute, None)
            if value is not None:
                yield from _walk(value, in_subselect)


def _required(node: object) -> set[str]:
    """Variables every solution of ``node`` binds through a triple pattern of its own group
    (not an OPTIONAL, MINUS, sub-select, VALUES or BIND)."""
    if not isinstance(node, CompValue):
        return set()
    if node.name == "BGP":
        return {
            str(term) for triple in node.triples for term in triple if isinstance(term, Variable)
        }
    if node.name == "Union":
        return _required(node.p1) & _required(node.p2)
    if node.name in ("Join",):
        return _required(node.p1) | _required(node.p2)
    if node.name in ("LeftJoin", "Minus", "Filter", "Extend", "Project", "OrderBy", "Distinct",
                     "Reduced", "Slice"):  # fmt: skip
        return _required(node.p if "p" in node else node.p1)
    return set()  # ToMultiSet (a sub-select or VALUES), Group, AggregateJoin


def _mentions(expr: object, name: str) -> bool:
    return expr == Variable(name) or any(_mentions(c, name) for c in _children(expr))


def violations(
    text: str, params: tuple[str, ...] = (), *, joined: bool = False, paths: bool = False
) -> list[str]:
    """What in ``text`` lies outside the subset (empty: nothing). ``joined``: the parameters
    are only ever joined by a trailing VALUES block (a lookup of many resources), never bound
    before evaluation, so every row must bind them (a sub-select may), not a pattern of the
    outer group. ``paths``: property paths allowed (a quality check, docs/engines.md)."""
    parsed = parseQuery(text)
    binds = list(_binds(parsed))  # (on the parse tree, which translating the query rewrites)
    query = translateQuery(parsed)
    found = []
    for node, in_subselect in _walk(query.algebra):
        if isinstance(node, (MulPath, NegatedPath)) and not paths:
            found.append(f"property path {node.n3()}: materialise it with a rule")
        if not isinstance(node, CompValue):
            continue
        if node.name == "Aggregate_GroupConcat":
            found.append("GROUP_CONCAT: the order of its values is the engine's")
        if in_subselect and node.name == "Slice":
            found.append("LIMIT or OFFSET in a sub-select")
        if in_subselect and node.name == "OrderBy":
            found.append("ORDER BY in a sub-select")
    found += _parameter_violations(query.algebra, params, joined)
    found += _unbound_reads(query.algebra)
    if any(not _computed_and_checked(query.algebra.p, name) for name in params):
        found += [f"BIND(... AS ?{var}) outside an OPTIONAL" for var in binds]
    return found


def _binds(node: object, in_optional: bool = False) -> Iterator[str]:
    """The variable of every BIND of the parsed query that lies outside an OPTIONAL."""
    if isinstance(node, CompValue) and node.name == "Bind" and not in_optional:
        yield str(node.var)
    inner = in_optional or (isinstance(node, CompValue) and node.name == "OptionalGraphPattern")
    for child in _children(node):
        yield from _binds(child, inner)


def _unbound_reads(algebra: CompValue) -> list[str]:
    """Triple patterns (of an OPTIONAL or of the group) that read a variable which a row before
    them may leave unbound, or binds by an inline VALUES only."""
    found = []
    for node, _ in _walk(algebra):
        if isinstance(node, CompValue) and node.name in ("LeftJoin", "Join"):
            unsure = _possible(node.p1) - _bound(node.p1)
            for name in sorted(_triple_variables(node.p2) & unsure):
                where = "an OPTIONAL" if node.name == "LeftJoin" else "a triple pattern"
                found.append(f"{where} reads ?{name}, which a row before it may leave unbound")
    return found


def _triple_variables(node: object) -> set[str]:
    """Variables of the triple patterns in ``node`` (not in its sub-selects)."""
    if isinstance(node, CompValue) and node.name == "ToMultiSet":
        return set()
    if isinstance(node, CompValue) and node.name == "BGP":
        return {str(t) for triple in node.triples for t in triple if isinstance(t, Variable)}
    return set().union(*(_triple_variables(child) for child in _children(node)))


def _possible(node: object) -> set[str]:
    """Variables a solution of ``node`` may bind."""
    if not isinstance(node, CompValue):
        return set()
    if node.name == "BGP":
        return _triple_variables(node)
    if node.name == "values":
        return {str(v) for row in node.res for v in row}
    if node.name == "Project":  # a sub-select
        return {str(v) for v in node.PV}
    found = {str(node.var)} if node.name == "Extend" else set()
    sides = ("p", "p1") if node.name == "Minus" else ("p", "p1", "p2")
    return found.union(*(_possible(node[side]) for side in sides if side in node))


def _bound(node: object) -> set[str]:
    """Variables every solution of ``node`` binds: by a triple pattern (as :func:`_required`),
    a sub-select's, or a BIND of a constant or of such a variable. Not by an inline VALUES:
    rdflib, checking that an OPTIONAL found nothing, evaluates it again without them."""
    if not isinstance(node, CompValue):
        return set()
    if node.name == "BGP":
        return _triple_variables(node)
    if node.name == "Union":
        return _bound(node.p1) & _bound(node.p2)
    if node.name == "Join":
        return _bound(node.p1) | _bound(node.p2)
    if node.name == "Project":
        return _bound(node.p) & {str(v) for v in node.PV}
    if node.name == "Extend":
        inner = _bound(node.p)
        expr = node.expr
        copy = isinstance(expr, Identifier) and (
            not isinstance(expr, Variable) or str(expr) in inner
        )
        return inner | {str(node.var)} if copy else inner
    if node.name in ("LeftJoin", "Minus"):
        return _bound(node.p1)
    return _bound(node.p) if "p" in node and node.name != "values" else set()


def _parameter_violations(
    algebra: CompValue, params: tuple[str, ...], joined: bool = False
) -> list[str]:
    found = []
    projected = {str(v) for v in algebra.get("PV", [])}
    required = _bound(algebra.p) if joined else _required(algebra.p)
    for name in params:
        if name not in projected:
            found.append(f"parameter ?{name} is not in the SELECT list")
        elif name not in required and not _computed_and_checked(algebra.p, name):
            found.append(f"parameter ?{name} is not bound by a triple pattern of the outer group")
    return found


def _computed_and_checked(pattern: CompValue, name: str) -> bool:
    """A computed parameter: assigned in a sub-select's SELECT list and compared again by a
    FILTER outside it (where a trailing VALUES has joined it)."""
    assigned = any(
        isinstance(node, CompValue) and node.name == "Extend" and str(node.var) == name and inner
        for node, inner in _walk(pattern)
    )
    checked = any(
        isinstance(node, CompValue) and node.name == "Filter" and not inner
        and _mentions(node.expr, name)
        for node, inner in _walk(pattern)
    )  # fmt: skip
    return assigned and checked


def shipped() -> list[Path]:
    """Every .rq the package ships, in every folder of queries/."""
    return sorted(resources.queries_dir().rglob("*.rq"))


def folder_of(path: Path) -> str:
    return path.parent.relative_to(resources.queries_dir()).as_posix()


def _name(path: Path) -> str:
    return path.relative_to(resources.queries_dir()).with_suffix("").as_posix()


#: the variable of the trailing ``VALUES`` block a lookup of many resources gets
#: (``queries.run_for_each``): a parameter like a named query's
EACH = "resource"


def joined_params(path: Path) -> tuple[str, ...] | None:
    """The parameters a trailing VALUES block may join in ``path`` (docs/engines.md): a named
    query's declared ones; a lookup's ?resource (run_for_each); none for a quality check
    (``validate`` runs it as written) or an exact-name lookup, which tests its parameters in
    FILTERs and so runs only where they are bound before evaluation. None: a rule."""
    folder = folder_of(path)
    if folder == ".":
        return tuple(p.name for p in find_query(path.stem).params)
    if folder == "lookup":
        projected = {str(v) for v in prepareQuery(path.read_text("utf-8")).algebra.get("PV", [])}
        return (EACH,) if EACH in projected else ()
    if folder == "qa":
        return ()
    return None


@pytest.mark.parametrize("path", [p for p in shipped() if folder_of(p) != "rules"], ids=_name)
def test_shipped_query_is_inside_the_subset(path):
    params = joined_params(path)
    assert params is not None
    folder = folder_of(path)
    text = path.read_text("utf-8")
    assert violations(text, params, joined=folder == "lookup", paths=folder == "qa") == []


def test_a_lookup_may_bind_its_resource_in_a_sub_select_but_every_row_must_bind_it():
    """A lookup only ever gets its ?resource from a trailing VALUES block: a sub-select that
    binds it in every row joins the same rows; an OPTIONAL that may leave it unbound does not."""
    head = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?resource ?label WHERE "
    inner = head + "{ { SELECT ?resource ?label WHERE { ?resource rdfs:label ?label } } }"
    optional = head + "{ ?x rdfs:comment ?c OPTIONAL { ?resource rdfs:label ?label } }"
    assert violations(inner, ("resource",), joined=True) == []
    assert violations(inner, ("resource",)) == [
        "parameter ?resource is not bound by a triple pattern of the outer group"
    ]
    assert "parameter ?resource is not bound by a triple pattern of the outer group" in (
        violations(optional, ("resource",), joined=True)
    )


def test_every_folder_of_queries_is_checked():
    """A new folder must be given its rules here first; the lookups of many resources (a
    trailing VALUES of ?resource) are checked with that parameter."""
    assert {folder_of(p) for p in shipped()} == {".", "lookup", "qa", "rules"}
    each = {p.stem for p in shipped() if folder_of(p) == "lookup" and joined_params(p) == (EACH,)}
    assert {"labels-of", "names-of", "statements-about"} <= each


def _iris(node: object) -> Iterator[str]:
    """Every IRI in an algebra node, including those in property paths."""
    for child, _ in _walk(node):
        if isinstance(child, URIRef):
            yield str(child)
        elif isinstance(child, PropertyPath):
            yield from (str(t) for t in getattr(child, "args", [getattr(child, "arg", None)])
                        if isinstance(t, URIRef))  # fmt: skip


def rule_violations(text: str, derived: set[str]) -> list[str]:
    """What in a rule breaks docs/engines.md's "each rule reads stated triples only" (the
    rules run together over the stated triples, so a derived one reads as absent), or is not
    a CONSTRUCT of the properties it declares with ``# derives:``."""
    query = prepareQuery(text)
    if query.algebra.name != "ConstructQuery":
        return ["not a CONSTRUCT"]
    declared = {
        str(TF[line.split("tf:", 1)[1].strip()])
        for line in text.splitlines()
        if line.startswith("#") and line[1:].strip().startswith("derives:")
    }
    found = [f"reads the derived {iri}" for iri in sorted(set(_iris(query.algebra.p)) & derived)]
    built = {str(p) for _, p, _ in query.algebra.template}
    if built != declared:
        found.append(f"constructs {sorted(built)} but declares {sorted(declared)}")
    return found + _class_checks_beside_a_path(query.algebra)


def _class_checks_beside_a_path(algebra: CompValue) -> list[str]:
    """Groups with a property path and more than one ``?x a <Class>`` triple pattern: rdflib
    evaluates those first, as a cross product, then the path for each combination
    (docs/engines.md, on the rules)."""
    found = []
    for node, _ in _walk(algebra):
        if not (isinstance(node, CompValue) and node.name == "BGP"):
            continue
        if not any(isinstance(p, PropertyPath) for _, p, _ in node.triples):
            continue
        checked = sorted(
            f"?{s}" for s, p, o in node.triples
            if isinstance(s, Variable) and p == RDF.type and isinstance(o, URIRef)
        )  # fmt: skip
        if len(checked) > 1:
            found.append(f"classes of {', '.join(checked)} checked beside a path: FILTER EXISTS")
    return found


def derived_iris() -> set[str]:
    return {str(prop) for rule in rules() for prop in rule.derives}


@pytest.mark.parametrize(
    "path", [p for p in shipped() if folder_of(p) == "rules"], ids=lambda p: p.stem
)
def test_rule_reads_stated_triples_only(path):
    assert rule_violations(path.read_text("utf-8"), derived_iris()) == []


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("?a tf:partOfAgency ?b", "reads the derived https://w3id.org/tf-graph/ontology#partOf"),
        ("?a tf:memberOf/tf:underTopic ?b", "reads the derived"),
    ],
)
def test_a_rule_reading_a_derived_triple_is_named(where, message):
    rule = (
        "# derives: tf:partOfAgency\nPREFIX tf: <https://w3id.org/tf-graph/ontology#>\n"
        f"CONSTRUCT {{ ?a tf:partOfAgency ?b }} WHERE {{ {where} }}"
    )
    found = rule_violations(rule, derived_iris())
    assert len(found) == 1 and found[0].startswith(message), found


def test_a_rule_checks_one_class_beside_a_path():
    """The rule counts-for-topic was written so once (2.3 s to derive in rdflib; 0.1 s now)."""
    rule = (
        "# derives: tf:underTopic\nPREFIX tf: <https://w3id.org/tf-graph/ontology#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "CONSTRUCT {{ ?a tf:underTopic ?b }} WHERE {{ ?a a tf:Topic ; skos:broader* ?b . {} }}"
    )
    assert rule_violations(rule.format("?b a tf:Topic ."), set()) == [
        "classes of ?a, ?b checked beside a path: FILTER EXISTS"
    ]
    assert rule_violations(rule.format("FILTER EXISTS { ?b a tf:Topic . }"), set()) == []


def test_a_rule_must_construct_what_it_declares():
    rule = (
        "PREFIX tf: <https://w3id.org/tf-graph/ontology#>\n"
        "CONSTRUCT { ?a tf:x ?b } WHERE { ?a tf:y ?b }"
    )
    assert rule_violations(rule, set()) == [
        "constructs ['https://w3id.org/tf-graph/ontology#x'] but declares []"
    ]
    assert rule_violations("SELECT * { ?s ?p ?o }", set()) == ["not a CONSTRUCT"]


PREFIX = "PREFIX ex: <http://example.org/>\n"


@pytest.mark.parametrize(
    ("query", "params", "message"),
    [
        ("SELECT ?a ?b { ?a ex:broader* ?b }", (), "property path"),
        ("SELECT ?a ?b { ?a ex:partOf+ ?b }", (), "property path"),
        ("SELECT ?a ?b { ?a !ex:p ?b }", (), "property path"),
        ("SELECT ?a { { SELECT ?a { ?a ex:p ?b } LIMIT 1000000000 } }", (), "LIMIT or OFFSET"),
        ("SELECT ?a { { SELECT ?a { ?a ex:p ?b } ORDER BY ?b } }", (), "ORDER BY in a sub-select"),
        (
            "SELECT ?a (GROUP_CONCAT(?b) AS ?c) { ?a ex:p ?b } GROUP BY ?a",
            (),
            "GROUP_CONCAT",
        ),
        ("SELECT ?a { ?a ex:p ?b }", ("b",), "not in the SELECT list"),
        ("SELECT ?a ?b { ?a ex:p ?c OPTIONAL { ?a ex:q ?b } }", ("b",), "not bound by a triple"),
        ("SELECT ?a ?b { ?a ex:p ?c FILTER(CONTAINS(?c, ?b)) }", ("b",), "not bound by a triple"),
        ("SELECT ?a ?b { { ?a ex:p ?b } UNION { ?a ex:q ?c } }", ("b",), "not bound by a triple"),
        # agency-topic gave every label of the graph for the agency's own work (?via unbound)
        (
            "SELECT ?a ?v ?l { ?a ex:p ?b BIND(IF(?a = ?b, ?none, ?b) AS ?v) "
            "OPTIONAL { ?v ex:label ?l } }",
            (),
            "an OPTIONAL reads ?v, which a row before it may leave unbound",
        ),
        (
            "SELECT ?a ?c { OPTIONAL { ?a ex:p ?b } ?b ex:q ?c }",
            (),
            "a triple pattern reads ?b, which a row before it may leave unbound",
        ),
        (
            "SELECT ?a ?d { { ?a ex:p ?b } UNION { ?a ex:q ?c } OPTIONAL { ?b ex:r ?d } }",
            (),
            "an OPTIONAL reads ?b",
        ),
        (
            "SELECT ?a ?q { ?a ex:p ?b VALUES ?p { ex:q } OPTIONAL { ?a ?p ?q } }",
            (),
            "an OPTIONAL reads ?p",
        ),
        # law-text and statements: Virtuoso joined no trailing VALUES after these
        ("SELECT ?a ?b { ?a ex:p ?c BIND(?a AS ?b) }", ("a",), "BIND(... AS ?b) outside"),
        (
            'SELECT ?a ?r { { ?a ex:p ?c BIND("x" AS ?r) } UNION { ?a ex:q ?c } }',
            ("a",),
            "BIND(... AS ?r) outside an OPTIONAL",
        ),
    ],
)
def test_what_lies_outside_the_subset_is_named(query, params, message):
    found = violations(PREFIX + query, params)
    assert len(found) == 1 and message in found[0], found


def test_inside_the_subset():
    assert violations(PREFIX + "SELECT ?a ?b { ?a ex:p/ex:q|ex:r ?b }", ("b",)) == []
    computed = (
        "SELECT ?a ?y { { SELECT ?a (STR(?d) AS ?y) "
        "{ ?a ex:p ?d FILTER(!BOUND(?y) || STR(?d) = ?y) } } FILTER(?y = ?y) }"
    )
    assert violations(PREFIX + computed, ("y",)) == []
    # a BIND in an OPTIONAL, or in a query with no parameter; constants from VALUES; an
    # OPTIONAL reading what a triple pattern, a sub-select or a copying BIND binds
    inside = (
        'SELECT ?a ?r ?l ?t { ?a ex:p ?c { ?c ex:q ?d VALUES ?r { "x" } } UNION { ?c ex:s ?d } '
        "OPTIONAL { ?d ex:label ?l BIND(STR(?l) AS ?t) } }"
    )
    assert violations(PREFIX + inside, ("a",)) == []
    assert violations(PREFIX + 'SELECT ?a ?r { ?a ex:p ?c BIND("x" AS ?r) }') == []
    reads = (
        "SELECT ?a ?b ?l ?m { { SELECT ?a { ?a ex:p ?c } } ?a ex:q ?d BIND(?d AS ?b) "
        "OPTIONAL { ?b ex:label ?l } OPTIONAL { ?a ex:label ?m } }"
    )
    assert violations(PREFIX + reads) == []
