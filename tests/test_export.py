"""Export: RDF round trips, GraphML/GEXF/CSV carry the projection, atomic writes."""

from __future__ import annotations

import csv
import os
import stat

import networkx as nx
import pytest
from rdflib import Literal, Namespace
from rdflib.compare import isomorphic

from tf_graph import outputs
from tf_graph.build.export import (
    CSV_COLUMNS,
    FORMATS,
    ExportFormat,
    export_graph,
    keeps_lexical_form,
)
from tf_graph.build.loading import load_files, new_graph
from tf_graph.build.projection import to_networkx
from tf_graph.errors import OutputError

#: a plain namespace: pytest probes module globals, and rdflib's closed XSD namespace warns
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

SMALL = """
@prefix tf: <https://w3id.org/tf-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix agency: <https://w3id.org/tf-graph/id/agency/> .
@prefix initiative: <https://w3id.org/tf-graph/id/initiative/> .

agency:dhs a tf:Agency ; rdfs:label "Department of Homeland Security"@en ; skos:altLabel "DHS" .
agency:doj a tf:Agency ; rdfs:label "Department of Justice"@en .
initiative:x a tf:Initiative ; rdfs:label "A “quoted” initiative & more"@en ;
  tf:ledBy agency:dhs ; tf:partner agency:doj, agency:dhs ;
  tf:date "2021-12"^^xsd:gYearMonth ; tf:amountUSD 87000000.0 ;
  tf:quote "the President’s Task Force" ; tf:note [ rdfs:comment "a blank node" ] .
# spellings that rdflib's Turtle shorthand would change (87000000 -> 87000000.0; a double,
# read as "40.0", -> 4.000000e+01): other RDF terms, so the round trip would fail
initiative:x tf:odd "87000000"^^xsd:decimal, 4.0e1, true, 12, 3.25, "-.5"^^xsd:decimal .
"""
RDF_FORMATS = ["ttl", "nt", "jsonld", "trig"]


@pytest.fixture(scope="module")
def small():
    return new_graph().parse(data=SMALL, format="turtle")


def test_turtle_keeps_lexical_forms_and_uses_shorthand_where_safe(small, tmp_path):
    export_graph(small, "ttl", tmp_path / "out.ttl")
    text = (tmp_path / "out.ttl").read_text()
    assert '"87000000"^^xsd:decimal' in text
    assert '"40.0"^^xsd:double' in text
    for shorthand in ("true", "12", "3.25", "-0.5"):  # rdflib reads "-.5" as -0.5
        assert f" {shorthand}" in text, shorthand


@pytest.mark.parametrize(
    ("lexical", "datatype", "shorthand", "keeps"),
    [
        ("87000000", XSD.decimal, "87000000.0", False),  # another lexical form
        ("1", XSD.boolean, "1", False),  # 1 in Turtle is an xsd:integer
        ("1.5E3", XSD.double, "1.500000e+03", False),
        ("007", XSD.integer, "007", True),
        ("2.50", XSD.decimal, "2.50", True),
        ("true", XSD.boolean, "true", True),
    ],
)
def test_keeps_lexical_form(lexical, datatype, shorthand, keeps):
    literal = Literal(lexical, datatype=datatype, normalize=False)
    assert keeps_lexical_form(literal, shorthand) is keeps


def test_every_format_has_suffix_and_media_type():
    assert list(FORMATS) == ["ttl", "nt", "jsonld", "trig", "graphml", "gexf", "csv"]
    for name, spec in FORMATS.items():
        assert spec.suffix == "." + name
        assert "/" in spec.media_type


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_round_trip_is_isomorphic_small(small, tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    result = export_graph(small, fmt, path)
    assert result.counts == {"triples": len(small)}
    assert result.size == path.stat().st_size > 0
    assert isomorphic(small, load_files([path]))


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_round_trip_is_isomorphic_shipped(graph, tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    export_graph(graph, fmt, path)
    again = load_files([path])
    assert len(again) == len(graph) > 1000
    assert isomorphic(graph, again)


@pytest.mark.parametrize(("fmt", "read"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
@pytest.mark.parametrize("which", ["small", "graph"])
def test_network_files_carry_labels_and_classes(request, tmp_path, fmt, read, which):
    source = request.getfixturevalue(which)
    projection = to_networkx(source)
    path = tmp_path / f"out.{fmt}"
    result = export_graph(source, fmt, path)
    net = read(path)
    assert result.counts == {
        "nodes": projection.number_of_nodes(),
        "edges": projection.number_of_edges(),
    }
    assert (net.number_of_nodes(), net.number_of_edges()) == (
        projection.number_of_nodes(),
        projection.number_of_edges(),
    )
    for node, attrs in projection.nodes(data=True):
        assert net.nodes[node]["label"] == attrs["label"]
        assert net.nodes[node]["cls"] == attrs["cls"]
        assert net.nodes[node]["short"] == attrs["short"]
        assert all(isinstance(v, str) for v in net.nodes[node].values())
    edges = {(u, d["predicate"], v, d["label"]) for u, v, d in net.edges(data=True)}
    expected = {(u, d["predicate"], v, d["label"]) for u, v, d in projection.edges(data=True)}
    assert edges == expected


def test_network_node_attributes_small(small, tmp_path):
    export_graph(small, "graphml", tmp_path / "g.graphml")
    net = nx.read_graphml(tmp_path / "g.graphml")
    node = net.nodes["https://w3id.org/tf-graph/id/initiative/x"]
    assert node["label"] == "A “quoted” initiative & more"
    assert node["cls"] == "Initiative"
    assert node["date"] == "2021-12"
    assert node["amount_usd"] == "87000000.0"
    assert node["quote"] == "the President’s Task Force"
    assert net.nodes["https://w3id.org/tf-graph/id/agency/dhs"]["short"] == "DHS"
    # two links from x to dhs (ledBy, partner) survive as two edges with unique ids
    assert (
        net.number_of_edges(
            "https://w3id.org/tf-graph/id/initiative/x", "https://w3id.org/tf-graph/id/agency/dhs"
        )
        == 2
    )


@pytest.mark.parametrize("which", ["small", "graph"])
def test_csv_rows_are_projection_edges_with_labels(request, tmp_path, which):
    source = request.getfixturevalue(which)
    projection = to_networkx(source)
    path = tmp_path / "edges.csv"
    result = export_graph(source, "csv", path)
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == CSV_COLUMNS
        rows = list(reader)
    assert result.counts == {"edges": len(rows)} == {"edges": projection.number_of_edges()}
    got = sorted(tuple(r.values()) for r in rows)
    expected = sorted(
        (
            u,
            projection.nodes[u]["label"],
            d["predicate"],
            d["label"],
            v,
            projection.nodes[v]["label"],
        )
        for u, v, d in projection.edges(data=True)
    )
    assert got == expected


# --- atomic writes and errors -----------------------------------------------------------------


def test_missing_folder_gives_output_error_naming_path(small, tmp_path):
    target = tmp_path / "no" / "such" / "out.ttl"
    with pytest.raises(OutputError, match=f"{target}: cannot write: folder .* does not exist"):
        export_graph(small, "ttl", target)
    assert not (tmp_path / "no").exists()


def test_parent_is_a_file(small, tmp_path):
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(OutputError, match="file.txt/out.ttl: cannot write"):
        export_graph(small, "ttl", tmp_path / "file.txt" / "out.ttl")


def test_target_is_a_folder(small, tmp_path):
    with pytest.raises(OutputError, match="is a directory"):
        export_graph(small, "ttl", tmp_path)


def test_unwritable_folder(small, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(outputs.tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError, match="out.ttl: cannot write: Permission denied"):
        export_graph(small, "ttl", tmp_path / "out.ttl")
    assert list(tmp_path.iterdir()) == []


def test_unknown_format(small, tmp_path):
    with pytest.raises(OutputError, match="unknown export format 'xls'"):
        export_graph(small, "xls", tmp_path / "out.xls")


def test_failing_writer_leaves_nothing_and_keeps_old_file(small, tmp_path, monkeypatch):
    def half_then_fail(graph, handle):
        handle.write(b"half a file")
        raise ValueError("serializer broke\nbadly")

    monkeypatch.setitem(
        FORMATS, "ttl", ExportFormat("Turtle", ".ttl", "text/turtle", half_then_fail)
    )
    old = tmp_path / "out.ttl"
    old.write_text("old content")
    with pytest.raises(OutputError, match="out.ttl: cannot write: serializer broke badly$"):
        export_graph(small, "ttl", old)
    assert old.read_text() == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]  # no temporary file left


def test_interrupt_leaves_no_temporary_file(small, tmp_path, monkeypatch):
    def interrupted(graph, handle):
        handle.write(b"half")
        raise KeyboardInterrupt

    monkeypatch.setitem(FORMATS, "nt", ExportFormat("N-Triples", ".nt", "x/y", interrupted))
    with pytest.raises(KeyboardInterrupt):
        export_graph(small, "nt", tmp_path / "out.nt")
    assert list(tmp_path.iterdir()) == []


def test_existing_file_replaced_on_success_keeping_its_mode(small, tmp_path):
    target = tmp_path / "out.nt"
    target.write_text("old")
    os.chmod(target, 0o640)
    export_graph(small, "nt", target)
    assert "agency/dhs" in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.nt"]


def test_new_file_gets_usual_permissions_not_temp_files(small, tmp_path):
    umask = os.umask(0o022)
    try:
        export_graph(small, "csv", tmp_path / "e.csv")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "e.csv").stat().st_mode) == 0o644


def test_summary_names_path_and_counts(small, tmp_path):
    result = export_graph(small, "gexf", tmp_path / "n.gexf")
    assert result.summary().startswith(f"wrote {tmp_path / 'n.gexf'} (GEXF: 3 nodes, 3 edges; ")
