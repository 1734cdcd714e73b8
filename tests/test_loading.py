"""Loading: shipped files, the user's --data files, and clear errors for bad ones."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from tf_graph.build.loading import load_files, load_graph
from tf_graph.errors import InputFileError


def test_extra_turtle_file_is_merged(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text("<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n")
    graph = load_graph([extra], include_core=False)
    assert (URIRef("https://example.org/a"), None, None) in graph
    assert len(graph) == 1


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "bad.ttl",
            "@prefix a: <http://a/> .\na:b a:c a:d .\na:x a:y .\n",
            "bad.ttl:3: objectList expected",
        ),
        ("bad.nt", "<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n", "bad.nt:2:"),
        ("bad.jsonld", '{"@id": "x",\n "a": }', "bad.jsonld:2: Expecting value"),
        ("bad.trig", "<http://g> {\n <http://a> <http://b> }", "bad.trig:2:"),
    ],
)
def test_malformed_file_names_file_and_line(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InputFileError) as info:
        load_files([path])
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="nope.ttl: no such file"):
        load_files([tmp_path / "nope.ttl"])


def test_unknown_suffix(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n")
    with pytest.raises(InputFileError, match="unknown RDF file type '.csv'"):
        load_files([path])


def test_trig_named_graphs_are_merged(tmp_path):
    path = tmp_path / "g.trig"
    path.write_text(
        "<http://g> { <http://a> <http://b> <http://c> . }\n<http://d> <http://e> <http://f> .\n"
    )
    assert len(load_files([path])) == 2
