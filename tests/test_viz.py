"""tf-graph viz: the structure of the generated page and pictures, on the shipped graph and on
crafted --data files (hostile labels, a large synthetic graph), and errors on bad input."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from conftest import shipped_graph

from tf_graph.build.projection import to_networkx
from tf_graph.questions.run import run_query
from tf_graph.viz import visualisation
from tf_graph.viz.visualisation import (
    CLASS_STYLES,
    STATIC_THRESHOLD,
    topic_members,
    topic_nodes,
    uses_physics,
)

TFR = "https://w3id.org/tf-graph/id/"
DHS = f"{TFR}agency/dhs"
FORCED_LABOR = f"{TFR}topic/forced-labor"
EVIL_LABEL = "<img src=x onerror=alert(1)>"
EVIL_QUOTE = "</script><script>alert(2)</script><!-- ’quoted’ "
HOSTILE_TTL = f"""
@prefix tf: <https://w3id.org/tf-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
<https://example.org/evil> a tf:Initiative ;
    rdfs:label "{EVIL_LABEL}"@en ;
    rdfs:comment "a <b>bold</b> & risky description" ;
    tf:quote "{EVIL_QUOTE}" ;
    schema:url <javascript:alert(3)> ;
    tf:ledBy <{DHS}> .
"""


def embedded_data(html: str) -> dict:
    """The JSON the page's script reads (the one place node data lives in the page)."""
    match = re.search(r'<script id="tf-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "no embedded data"
    return json.loads(match.group(1))


def make_page(run, tmp_path: Path, *args: str) -> tuple[Path, str, dict]:
    out = tmp_path / "page.html"
    result = run("viz", "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    html = out.read_bytes().decode("utf-8")
    return out, html, embedded_data(html)


def node_ids(data: dict) -> set[str]:
    return {n["id"] for n in data["nodes"]}


def synthetic_turtle(nodes: int) -> str:
    """A connected graph of ``nodes`` extra agencies and initiatives (two links each)."""
    lines = [
        "@prefix tf: <https://w3id.org/tf-graph/ontology#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
    ]
    agencies = max(1, nodes // 10)
    for i in range(agencies):
        lines.append(f'<https://example.org/a{i}> a tf:Agency ; rdfs:label "Agency {i}" .')
    for i in range(nodes - agencies):
        lead, partner = i % agencies, (i * 7 + 3) % agencies
        lines.append(
            f'<https://example.org/i{i}> a tf:Initiative ; rdfs:label "Initiative {i}" ; '
            f"tf:ledBy <https://example.org/a{lead}> ; "
            f"tf:partner <https://example.org/a{partner}> ."
        )
    return "\n".join(lines) + "\n"


#: the sources the law texts are read from (data/sources/law/): nothing links to them but
#: provenance (the law's parts prov:wasDerivedFrom them), so the network leaves them out
LAW_SOURCES = {
    f"https://w3id.org/tf-graph/id/source/{name}"
    for name in (
        "19-usc-1307",
        "19-usc-4681",
        "22-usc-7101",
        "22-usc-7102",
        "22-usc-7103",
        "22-usc-7103a",
        "22-usc-7103b",
        "eo-13985",
        "eo-14020",
        "eo-14053",
    )
}


@pytest.fixture(scope="module")
def projection(graph):
    """The network the page draws (the projection without provenance-only sources)."""
    return visualisation.network_of(graph)


def test_the_network_is_the_projection_without_what_only_provenance_reaches(graph, projection):
    whole = to_networkx(graph)
    assert visualisation.provenance_only(graph, whole) == LAW_SOURCES
    assert set(whole) - set(projection) == LAW_SOURCES
    assert projection.number_of_edges() == whole.number_of_edges()
    # the fact sheet is a source too, but it references documents: it stays
    assert "https://w3id.org/tf-graph/id/source/pitf-fact-sheet-2022-01-25" in projection


@pytest.fixture(scope="module")
def whole_page(tmp_path_factory):
    from click.testing import CliRunner

    from tf_graph.cli import main

    out = tmp_path_factory.mktemp("whole") / "graph.html"
    result = CliRunner().invoke(main, ["viz", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    html = out.read_bytes().decode("utf-8")
    return html, embedded_data(html)


# --- the whole graph ----------------------------------------------------------------------


def test_page_has_every_node_and_edge_of_the_projection(whole_page, projection):
    _, data = whole_page
    assert node_ids(data) == set(projection.nodes)
    assert len(data["nodes"]) == projection.number_of_nodes()
    assert len(data["edges"]) == projection.number_of_edges()
    page_edges = sorted((e["from"], e["to"], e["label"]) for e in data["edges"])
    assert page_edges == sorted((s, t, a["label"]) for s, t, a in projection.edges(data=True))
    assert all(e["arrows"] == "to" for e in data["edges"])


def test_nodes_are_coloured_shaped_sized_and_labelled_by_class(whole_page, projection):
    _, data = whole_page
    for node in data["nodes"]:
        attrs = projection.nodes[node["id"]]
        style = CLASS_STYLES[attrs["cls"]]
        assert (node["cls"], node["color"], node["shape"]) == (
            attrs["cls"],
            style.color,
            style.shape,
        )
        # on the overview, a node's label also counts the initiatives folded into it
        assert node["label"].split("\n")[0] == attrs["short"]
        assert node["short"] == attrs["short"]
        assert node["name"] == attrs["label"]
        assert node["size"] == visualisation.node_size(projection.degree(node["id"]))
    dhs = next(n for n in data["nodes"] if n["id"] == DHS)
    assert dhs["label"] == "DHS\n8 initiatives"
    assert dhs["name"] == "Department of Homeland Security"
    legend = {c["name"]: (c["color"], c["count"]) for c in data["classes"]}
    counts: dict[str, int] = {}
    for _, attrs in projection.nodes(data=True):
        counts[attrs["cls"]] = counts.get(attrs["cls"], 0) + 1
    assert legend == {cls: (CLASS_STYLES[cls].color, n) for cls, n in counts.items()}
    assert len(set(s.color for s in CLASS_STYLES.values())) == len(CLASS_STYLES)


def test_details_are_carried_for_the_tooltip_and_panel(whole_page, projection):
    _, data = whole_page
    with_quote = [n for n in data["nodes"] if projection.nodes[n["id"]].get("quote")]
    assert with_quote
    for node in with_quote:
        attrs = projection.nodes[node["id"]]
        for key in ("description", "pillar", "status", "date", "quote"):
            assert node.get(key) == attrs.get(key)
    with_url = {n["id"]: n["url"] for n in data["nodes"] if "url" in n}
    expected = {n: a["url"] for n, a in projection.nodes(data=True) if a.get("url")}
    assert with_url == expected and with_url
    assert all(url.startswith("https://") for url in with_url.values())


def test_page_is_utf8_with_one_heading_and_typographic_characters_kept(whole_page):
    html, data = whole_page
    assert '<meta charset="utf-8">' in html
    assert html.count("<h1") == 1
    names = {n["name"] for n in data["nodes"]}
    assert any("’" in name for name in names)
    assert "’" in html  # written as UTF-8 characters, not lost


class _References(HTMLParser):
    """Every URL the page would load: script/img/iframe src, link href, and CSS url()s."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.tags: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if (
            tag in {"script", "img", "iframe", "embed", "source", "audio", "video"}
            and "src" in attrs
        ):
            self.loaded.append(attrs["src"])
        if tag == "link":
            self.loaded.append(attrs.get("href", ""))
        if tag == "object":
            self.loaded.append(attrs.get("data", ""))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def test_page_loads_nothing_from_the_network(whole_page):
    html, _ = whole_page
    refs = _References()
    refs.feed(html)
    assert refs.loaded == []
    css = "\n".join(refs.styles)
    assert css  # vis-network's and our styles are inlined
    assert "@import" not in css and "@font-face" not in css
    assert all(
        u.startswith(("data:", '"data:', "'data:")) for u in re.findall(r"url\(([^)]*)", css)
    )
    assert "vis.Network" in html and "tfGraphReady" in html
    for host in ("cdnjs", "jsdelivr", "unpkg", "bootstrap", "googleapis"):
        assert host not in html.lower()
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?https?:", html, re.I)


# --- hostile data -------------------------------------------------------------------------


def test_hostile_label_quote_and_url_stay_text(run, tmp_path):
    extra = tmp_path / "hostile.ttl"
    extra.write_text(HOSTILE_TTL, encoding="utf-8")
    _, html, data = make_page(run, tmp_path, "--data", str(extra))
    assert EVIL_LABEL not in html
    assert "<img" not in html
    assert "<b>bold" not in html
    assert "<!--" not in html
    refs = _References()
    refs.feed(html)
    assert refs.tags.count("script") == 3  # data, vis-network, ours: none injected
    evil = next(n for n in data["nodes"] if n["id"] == "https://example.org/evil")
    assert evil["label"] == EVIL_LABEL  # the exact text, shown as text by the page
    assert evil["quote"] == EVIL_QUOTE
    assert "url" not in evil  # javascript: is no link
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert "<" not in title


def test_script_json_escapes_markup_and_round_trips():
    value = {"s": "</script><!-- & > \u2028 ’"}
    text = visualisation.script_json(value)
    assert not set("<>&") & set(text)
    assert "\u2028" not in text
    assert json.loads(text) == value


def test_only_http_urls_become_links():
    assert visualisation.safe_url("https://www.dhs.gov/") == "https://www.dhs.gov/"
    assert visualisation.safe_url(" HTTP://x.org ") == "HTTP://x.org"
    for bad in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "", None):
        assert visualisation.safe_url(bad) is None


# --- views --------------------------------------------------------------------------------


def test_focus_view_is_the_ego_graph(run, tmp_path, projection):
    _, _, data = make_page(run, tmp_path, "--focus", "DHS", "--depth", "2")
    ego = nx.ego_graph(projection, DHS, radius=2, undirected=True)
    assert node_ids(data) == set(ego.nodes)
    assert len(data["edges"]) == ego.number_of_edges()
    assert 1 < len(data["nodes"]) < projection.number_of_nodes()


def test_focus_depth_zero_is_the_entity_alone(run, tmp_path):
    _, _, data = make_page(
        run, tmp_path, "--focus", "Department of Homeland Security", "--depth", "0"
    )
    assert node_ids(data) == {DHS}


def test_topic_view_is_the_first_questions_answer(run, tmp_path, graph):
    _, _, data = make_page(run, tmp_path, "--topic", "forced labor")
    result = run_query(graph, "agencies-by-topic", {"topic": "forced labor"})
    answer_agencies = {str(row["agency"]) for row in result.rows}
    page_agencies = {n["id"] for n in data["nodes"] if n["cls"] == "Agency"}
    assert page_agencies == answer_agencies
    assert {DHS, f"{TFR}agency/dol"} <= page_agencies
    evidence = {str(row["evidence"]) for row in result.rows}
    vias = {str(row["via"]) for row in result.rows if row.get("via") is not None}
    assert node_ids(data) == answer_agencies | evidence | vias | {FORCED_LABOR}


def test_in_page_topic_filter_equals_the_query_for_every_topic(projection):
    """The query asked of the Oxigraph index, as ``tf-graph query`` asks it (rdflib's memory
    takes 0.2-0.4 s a topic; both engines' rows are compared in tests/test_backends.py)."""
    index = shipped_graph("oxigraph")
    topics = [n for n, a in projection.nodes(data=True) if a["cls"] == "Topic"]
    assert len(topics) > 10
    for topic in topics:
        assert topic_members(projection, topic) == topic_nodes(index, projection, topic), topic


def test_in_page_topic_and_pillar_filters_are_embedded(whole_page, graph, projection):
    _, data = whole_page
    ids = [n["id"] for n in data["nodes"]]
    forced_labor = {ids[i] for i in data["topics"]["forced labor"]}
    assert forced_labor == topic_nodes(graph, projection, FORCED_LABOR)
    assert set(data["pillars"]) == {"Prevention", "Protection", "Prosecution", "Partnerships"}
    prosecution = {ids[i] for i in data["pillars"]["Prosecution"]}
    initiatives = {n for n, a in projection.nodes(data=True) if a["cls"] == "Initiative"}
    in_pillar = {n for n in initiatives if projection.nodes[n].get("pillar") == "Prosecution"}
    assert in_pillar and prosecution & initiatives == in_pillar


def test_pillar_and_class_views(run, tmp_path, projection):
    _, _, data = make_page(
        run, tmp_path, "--pillar", "prosecution", "--class", "Initiative", "--class", "agency"
    )
    assert {n["cls"] for n in data["nodes"]} == {"Initiative", "Agency"}
    initiatives = {n["id"] for n in data["nodes"] if n["cls"] == "Initiative"}
    expected = {
        n
        for n, a in projection.nodes(data=True)
        if a["cls"] == "Initiative" and a.get("pillar") == "Prosecution"
    }
    assert initiatives == expected


# --- layout -------------------------------------------------------------------------------


def test_small_graph_uses_physics_and_static_layout_gives_positions(whole_page, run, tmp_path):
    _, data = whole_page
    assert data["physics"] is True and data["options"]["physics"]["enabled"] is True
    assert all("x" not in n for n in data["nodes"])
    _, _, static = make_page(run, tmp_path, "--layout", "static", "--focus", "DHS")
    assert static["physics"] is False and static["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in static["nodes"])
    assert len({(n["x"], n["y"]) for n in static["nodes"]}) == len(static["nodes"])


def test_threshold_decides_the_layout():
    assert uses_physics(STATIC_THRESHOLD, "auto") is True
    assert uses_physics(STATIC_THRESHOLD + 1, "auto") is False
    assert uses_physics(10_000, "physics") is True
    assert uses_physics(3, "static") is False


def test_large_graph_gets_positions_and_no_physics(run, tmp_path, projection):
    extra = tmp_path / "large.ttl"
    extra.write_text(synthetic_turtle(STATIC_THRESHOLD + 100), encoding="utf-8")
    _, _, data = make_page(run, tmp_path, "--data", str(extra))
    assert len(data["nodes"]) == projection.number_of_nodes() + STATIC_THRESHOLD + 100
    assert data["physics"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])


# --- pictures -----------------------------------------------------------------------------


def test_png_picture(run, tmp_path):
    out = tmp_path / "graph.png"
    result = run("viz", "--topic", "forced labor", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 10_000


def test_svg_picture_has_legend_colours(run, tmp_path):
    out = tmp_path / "fl.svg"
    result = run("viz", "--format", "svg", "--focus", "FLETF", "-o", str(out))
    assert result.exit_code == 0, result.output
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = out.read_text(encoding="utf-8")
    assert CLASS_STYLES["Agency"].color in text
    assert CLASS_STYLES["CoordinationBody"].color in text


def test_picture_handles_hostile_and_dollar_labels(run, tmp_path):
    extra = tmp_path / "hostile.ttl"
    extra.write_text(
        HOSTILE_TTL + "<https://example.org/m> a <https://w3id.org/tf-graph/ontology#Agency> ; "
        '<http://www.w3.org/2000/01/rdf-schema#label> "$87 million $x^2$" .\n',
        encoding="utf-8",
    )
    out = tmp_path / "h.svg"
    result = run("viz", "--data", str(extra), "--focus", "DHS", "-o", str(out))
    assert result.exit_code == 0, result.output
    ET.parse(out)


# --- bad input ----------------------------------------------------------------------------


def test_unknown_focus_entity_suggests_and_writes_nothing(run, tmp_path):
    out = tmp_path / "x.html"
    result = run("viz", "--focus", "Departmnt of Homland Securty Agencyy Zzz", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown entity")
    assert "\n" not in result.stderr.strip()
    assert not out.exists()
    result = run("viz", "--focus", "DSH", "-o", str(out))
    assert result.exit_code == 2
    assert "did you mean" in result.stderr and "Department of Homeland Security" in result.stderr
    assert not out.exists()


def test_unknown_class_is_named(run, tmp_path):
    result = run("viz", "--class", "Agencyy", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert "unknown class 'Agencyy'; did you mean: Agency?" in result.stderr


def test_unwritable_path_is_one_line_error(run, tmp_path):
    out = tmp_path / "no-such-dir" / "graph.html"
    result = run("viz", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {out}: cannot write: folder {out.parent} does not exist"
    )
    result = run("viz", "--format", "png", "-o", str(out))
    assert result.exit_code == 2 and str(out) in result.stderr


def test_help_has_examples(run):
    result = run("viz", "--help")
    assert result.exit_code == 0
    assert "tf-graph viz --focus DHS --depth 2" in result.output
    assert 'tf-graph viz --topic "forced labor"' in result.output


def test_grid_force_layout_spreads_nodes_and_keeps_links_short():
    graph = nx.connected_watts_strogatz_graph(800, 4, 0.05, seed=3)
    pos = visualisation.grid_force_layout(graph, seed=1)
    assert set(pos) == set(graph)
    coords = list(pos.values())
    assert all(-1.0001 <= c <= 1.0001 for xy in coords for c in xy)
    assert len({(round(x, 4), round(y, 4)) for x, y in coords}) == len(coords)

    def dist(u, v):
        return ((pos[u][0] - pos[v][0]) ** 2 + (pos[u][1] - pos[v][1]) ** 2) ** 0.5

    linked = sum(dist(u, v) for u, v in graph.edges()) / graph.number_of_edges()
    nodes = list(graph)
    unlinked = sum(dist(nodes[i], nodes[(i * 37 + 11) % 800]) for i in range(800)) / 800
    assert linked < unlinked / 4


def test_layout_sets_parts_apart_without_overlap():
    graph = nx.MultiDiGraph()
    graph.add_edges_from([("a", "b"), ("b", "c"), ("x", "y")])
    graph.add_node("alone")
    pos = visualisation.layout_positions(graph)
    assert set(pos) == {"a", "b", "c", "x", "y", "alone"}
    assert len(set(pos.values())) == 6


def test_option_mistakes_are_usage_errors(run, tmp_path):
    result = run("viz", "--format", "png", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2 and "does not match --format png" in result.stderr
    result = run("viz", "--depth", "3", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2 and "--depth needs --focus" in result.stderr
    result = run("viz", "--topic", "DHS", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert result.stderr == (
        "error: 'DHS' names the agency Department of Homeland Security, not a topic\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_format_follows_the_output_suffix(run, tmp_path):
    out = tmp_path / "dhs.svg"
    result = run("viz", "--focus", "DHS", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert ET.parse(out).getroot().tag.endswith("svg")


def test_same_view_gives_the_same_page(run, tmp_path):
    pages = []
    for name in ("a.html", "b.html"):
        out = tmp_path / name
        assert run("viz", "--layout", "static", "--focus", "FLETF", "-o", str(out)).exit_code == 0
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


def test_unknown_pillar_and_empty_view(run, tmp_path):
    result = run("viz", "--pillar", "DHS", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert result.stderr == (
        "error: 'DHS' names the agency Department of Homeland Security, not a pillar\n"
    )
    result = run("viz", "--pillar", "diplomacy", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2 and result.stderr.startswith("error: unknown pillar 'diplomacy'")
    result = run("viz", "--focus", "DHS", "--class", "Topic", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: nothing to show: no resource is around DHS (depth 1); classes Topic"
    )
    assert list(tmp_path.iterdir()) == []
