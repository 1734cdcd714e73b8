"""Every ``?quote`` (and ``?source``) cell of every named query is exactly the quotes (sources)
of the row's evidence, sorted and joined: with and without each parameter, on the shipped
graph and on a graph where a component leads an initiative (the case a restricted quote
sub-select once missed: ``tf:ledBy|tf:partner/org:subOrganizationOf`` reads as
``tf:ledBy|(tf:partner/...)``)."""

from __future__ import annotations

import pytest
from conftest import shipped_graph
from rdflib import RDF, Graph
from rdflib.namespace import DCTERMS
from support import BINDING_SAMPLES, SAMPLE_PARAMS
from test_queries import CRAFTED

from tf_graph.build.rules import apply_rules
from tf_graph.errors import UnknownEntityError
from tf_graph.namespaces import TF
from tf_graph.questions.catalogue import list_queries
from tf_graph.questions.run import run_query

#: parameters that name a resource, and the class of the resources to try for each
RESOURCE_PARAMS = {
    "agency": TF.Agency,
    "topic": TF.Topic,
    "sector": TF.Sector,
    "country": TF.Country,
    "pillar": TF.Pillar,
    "body": TF.CoordinationBody,
    "law": TF.Statute,
    "entity": TF.CoordinationBody,  # (statements: the bodies have statements from the law)
    "event": TF.Event,
}
ITEM_COLUMNS = ("evidence", "initiative", "item", "group", "entity")


def quoted_queries() -> list:
    return [spec for spec in list_queries() if "?quote" in spec.text]


def parameter_sets(graph: Graph, spec) -> list[dict[str, str]]:
    """Defaults, then each parameter alone with every resource of its class (or the sample)."""
    base = {
        p.name: SAMPLE_PARAMS[p.name] for p in spec.params if p.required and p.name in SAMPLE_PARAMS
    }
    sets = [base]
    for param in spec.params:
        cls = RESOURCE_PARAMS.get(param.name)
        if cls is not None:
            values = sorted(str(s) for s in graph.subjects(RDF.type, cls))
        else:
            values = [BINDING_SAMPLES[param.name]]
        sets += [{**base, param.name: value} for value in values]
    return sets


def joined(graph: Graph, item, prop, separator: str) -> str | None:
    values = sorted(str(v) for v in graph.objects(item, prop))
    return separator.join(values) if values else None


def check_quotes(graph: Graph, spec, params: dict[str, str]) -> int:
    result = run_query(graph, spec.name, params)
    column = next(c for c in ITEM_COLUMNS if c in result.vars)
    for row in result.rows:
        item = row[column]
        got = row.get("quote")
        want = joined(graph, item, TF.quote, " … ")
        if "count" in result.vars:  # stated-counts: the sentence with the number, else all
            stating = {str(q) for q in graph.objects(item, TF.quote) if str(row["count"]) in q}
            want = str(got) if str(got) in stating else (None if stating else want)
        assert (str(got) if got is not None else None) == want, (spec.name, params, str(item))
        if "source" in result.vars:
            got = row.get("source")
            want = joined(graph, item, DCTERMS.source, " ")
            assert (str(got) if got is not None else None) == want, (spec.name, params, item)
    return len(result.rows)


@pytest.fixture(scope="module")
def crafted() -> Graph:
    graph = Graph().parse(data=CRAFTED, format="turtle")
    apply_rules(graph)  # the derived facts, as load_graph adds them
    return graph


@pytest.fixture(scope="module")
def index(_private_store) -> Graph:
    """The shipped graph in the Oxigraph index: the hundreds of runs below (each parameter with
    every resource of its kind) take seconds there, many minutes in rdflib. That rdflib gives
    the same rows is tests/test_backends.py's, and the same tf:joinedQuote tests/test_rules.py's."""
    return shipped_graph("oxigraph")


@pytest.mark.parametrize("spec", quoted_queries(), ids=lambda s: s.name)
def test_quote_cells_are_the_evidence_quotes_on_the_shipped_graph(index, spec):
    graph = index
    checked = sum(check_quotes(graph, spec, params) for params in parameter_sets(graph, spec))
    assert checked > 0, f"{spec.name}: no rows to check"


#: the crafted graph has no countries, sectors, amounts, affected groups, statements, events or
#: stated counts; ask's agency-topic, shared-work and instances default to resources of the
#: shipped graph (DHS, DOT, tf:Country)
CRAFTED_EMPTY = {
    "by-country", "by-sector", "funding", "affected-groups", "statements", "agency-topic",
    "shared-work", "instances", "announced-at", "stated-counts",
}  # fmt: skip


@pytest.mark.parametrize(
    "spec", [s for s in quoted_queries() if s.name not in CRAFTED_EMPTY], ids=lambda s: s.name
)
def test_quote_cells_are_the_evidence_quotes_where_a_component_leads(crafted, spec):
    checked = 0
    for params in parameter_sets(crafted, spec):
        try:
            checked += check_quotes(crafted, spec, params)
        except UnknownEntityError:  # a default of the shipped graph ("forced labor")
            continue
    assert checked > 0, f"{spec.name}: no rows to check"


def test_the_crafted_graph_has_a_component_led_initiative_with_two_quotes(crafted):
    result = run_query(crafted, "initiatives-by-agency", {"agency": "DOE"})
    rows = [(str(r["via"]).rsplit("/", 1)[-1], str(r["quote"])) for r in result.rows]
    assert ("unit", "quote A … quote B") in rows
