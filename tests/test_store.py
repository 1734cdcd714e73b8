"""The persistent Oxigraph index: built once, reused, rebuilt on change or damage, never trusted
blindly; the same rows as the in-memory rdflib graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef

from tf_graph.build.loading import load_files
from tf_graph.engines import store
from tf_graph.errors import InputFileError

EX = "http://example.org/"
TURTLE = """@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:name "Alpha" ; ex:label "Alpha"@en ; ex:count 3 ; ex:when "2022-01-25"^^xsd:date ;
    ex:knows ex:b , _:anon .
ex:b ex:name "Beta" ; ex:amount 87000000.0 .
_:anon ex:name "Anonymous" .
"""
HOUR_NS = 3600 * 10**9
DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


@pytest.fixture
def data(tmp_path) -> Path:
    """A small Turtle file whose mtime lies well before any build (outside the racy window)."""
    path = tmp_path / "data.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    old = time.time_ns() - HOUR_NS
    os.utime(path, ns=(old, old))
    return path


@pytest.fixture
def root(tmp_path) -> Path:
    return tmp_path / "cache"


def folder_of(root: Path, files: list[Path]) -> Path:
    return root / store.store_key([f.resolve() for f in files])


def manifest(root: Path, files: list[Path]) -> dict:
    return json.loads((folder_of(root, files) / store.MANIFEST).read_text())


def test_first_open_builds_later_opens_reuse(root, data):
    builds = store.build_count
    first = store.open_store([data], root)
    assert first.rebuilt and first.triples == 9
    built_ns = manifest(root, [data])["built_ns"]
    del first
    second = store.open_store([data], root)
    assert not second.rebuilt
    assert store.build_count == builds + 1
    assert manifest(root, [data])["built_ns"] == built_ns
    assert second.triples == 9


def test_manifest_records_each_input(root, data):
    store.open_store([data], root)
    entry = manifest(root, [data])["files"][0]
    assert entry["path"] == str(data.resolve())
    assert entry["size"] == data.stat().st_size
    assert entry["mtime_ns"] == data.stat().st_mtime_ns
    assert entry["sha256"] == store.file_sha256(data)


def test_changed_content_rebuilds(root, data):
    store.open_store([data], root)
    data.write_text(TURTLE + "ex:c ex:name 'Gamma' .\n", encoding="utf-8")
    reopened = store.open_store([data], root)
    assert reopened.rebuilt and reopened.triples == 10


def test_same_size_change_with_old_mtime_is_still_caught(root, tmp_path):
    """A rewrite that keeps size and mtime_ns (a coarse clock, a restored mtime) is caught by
    the hash because the file changed too close to the build to trust its mtime."""
    path = tmp_path / "racy.ttl"
    path.write_text('<http://e/a> <http://e/p> "one" .\n', encoding="utf-8")
    assert store.open_store([path], root).rebuilt
    stat = path.stat()
    path.write_text('<http://e/a> <http://e/p> "two" .\n', encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    reopened = store.open_store([path], root)
    assert reopened.rebuilt
    assert next(iter(reopened.store)).object.value == "two"


def test_new_mtime_same_content_refreshes_manifest_without_rebuild(root, data):
    store.open_store([data], root)
    touched = time.time_ns() - HOUR_NS // 2
    os.utime(data, ns=(touched, touched))
    builds = store.build_count
    assert not store.open_store([data], root).rebuilt
    assert store.build_count == builds
    assert manifest(root, [data])["files"][0]["mtime_ns"] == touched
    # the refreshed manifest carries a checksum of its new content: trusted next time
    assert not store.open_store([data], root).rebuilt
    assert store.build_count == builds


def test_different_data_sets_get_different_stores(root, data, tmp_path):
    extra = tmp_path / "extra.nt"
    extra.write_text(f"<{EX}x> <{EX}p> <{EX}y> .\n", encoding="utf-8")
    one = store.open_store([data], root)
    two = store.open_store([data, extra], root)
    assert (one.triples, two.triples) == (9, 10)
    assert folder_of(root, [data]) != folder_of(root, [data, extra])
    assert not store.open_store([data], root).rebuilt
    assert not store.open_store([data, extra], root).rebuilt


def garble(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    middle = len(raw) // 2
    for i in range(middle, min(middle + 64, len(raw))):
        raw[i] ^= 0x5A
    path.write_bytes(bytes(raw))


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / store.MANIFEST).read_text())


def largest_table(folder: Path) -> Path:
    return max((folder / store.DATA_DIR).glob("*.sst"), key=lambda p: p.stat().st_size)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda f: (f / store.MANIFEST).unlink(), id="manifest-missing"),
        pytest.param(lambda f: (f / store.MANIFEST).write_text("{not json"), id="manifest-garbled"),
        pytest.param(lambda f: (f / store.MANIFEST).write_text(""), id="manifest-empty"),
        pytest.param(
            lambda f: (f / store.MANIFEST).write_text(
                (f / store.MANIFEST).read_text().replace('"triples": 9', '"triples": 8')
            ),
            id="manifest-count-wrong",
        ),
        pytest.param(
            lambda f: (f / store.MANIFEST).write_text(
                json.dumps({k: v for k, v in manifest_of(f).items() if k != "digest"})
            ),
            id="manifest-without-checksum",
        ),
        pytest.param(
            lambda f: (f / store.MANIFEST).write_text(
                json.dumps({**manifest_of(f), "store_files": {}})
            ),
            id="manifest-listing-edited",
        ),
        pytest.param(lambda f: (f / store.DATA_DIR / "CURRENT").unlink(), id="current-missing"),
        pytest.param(lambda f: largest_table(f).unlink(), id="table-missing"),
        pytest.param(
            lambda f: os.truncate(largest_table(f), largest_table(f).stat().st_size // 2),
            id="table-truncated",
        ),
        pytest.param(lambda f: garble(largest_table(f)), id="table-garbled"),
        pytest.param(
            lambda f: __import__("shutil").rmtree(f / store.DATA_DIR), id="database-missing"
        ),
    ],
)
def test_damaged_cache_is_rebuilt_not_trusted(root, data, damage):
    store.open_store([data], root)
    damage(folder_of(root, [data]))
    reopened = store.open_store([data], root)
    assert reopened.rebuilt
    assert reopened.triples == 9
    assert not store.open_store([data], root).rebuilt


def test_no_cache_writes_nothing(tmp_path, data, monkeypatch):
    cache = tmp_path / "never"
    monkeypatch.setenv(store.STORE_ENV, str(cache))
    opened = store.open_store([data], use_cache=False)
    assert opened.path is None and opened.triples == 9
    graph = store.open_store_graph([data], use_cache=False)
    assert (URIRef(EX + "a"), URIRef(EX + "name"), Literal("Alpha")) in graph
    assert not cache.exists()


def test_cache_root_from_env_then_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv(store.STORE_ENV, str(tmp_path / "env"))
    assert store.default_cache_root() == tmp_path / "env"
    monkeypatch.delenv(store.STORE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert store.default_cache_root() == tmp_path / "xdg" / "tf-graph"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert store.default_cache_root() == Path.home() / ".cache" / "tf-graph"


def test_env_store_is_used_when_no_dir_given(tmp_path, data, monkeypatch):
    monkeypatch.setenv(store.STORE_ENV, str(tmp_path / "env"))
    store.open_store([data])
    assert (folder_of(tmp_path / "env", [data]) / store.MANIFEST).is_file()


CONCURRENT = """
import sys
from tf_graph.engines import store
opened = store.open_store([sys.argv[1]], sys.argv[2])
print(opened.rebuilt, opened.triples)
"""


def test_concurrent_commands_build_once_and_all_succeed(root, data):
    env = {**os.environ, "PYTHONPATH": str(Path(store.__file__).parents[1])}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT, str(data), str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(4)
    ]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert all(proc.returncode == 0 for proc in procs), outputs
    lines = sorted(out.strip() for out, _ in outputs)
    assert lines == ["False 9", "False 9", "False 9", "True 9"]
    leftovers = [p.name for p in root.iterdir() if p.name.startswith(".") and p.is_dir()]
    assert leftovers == []


def test_replacing_a_store_is_a_rename(root, data):
    """The old folder is moved aside and the new one renamed into place: no half state."""
    store.open_store([data], root)
    folder = folder_of(root, [data])
    old_inode = folder.stat().st_ino
    data.write_text(TURTLE + "ex:c ex:name 'Gamma' .\n", encoding="utf-8")
    assert store.open_store([data], root).triples == 10
    assert folder.stat().st_ino != old_inode
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == [folder.name]


def test_failed_build_leaves_no_store_and_no_temp(root, tmp_path, data):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix a: <http://a/> .\na:b a:c a:d .\na:x a:y .\n", encoding="utf-8")
    with pytest.raises(InputFileError):
        store.open_store([data, bad], root)
    assert [p for p in root.iterdir() if p.is_dir()] == []


def test_interrupted_build_leftovers_are_ignored_then_cleaned(root, data):
    key = store.store_key([data.resolve()])
    root.mkdir()
    leftover = root / f".{key}.build-1-1"
    (leftover / store.DATA_DIR).mkdir(parents=True)
    (leftover / store.MANIFEST).write_text("{}")
    old = time.time() - 2 * store.STALE_LEFTOVER_S
    os.utime(leftover, (old, old))
    assert store.open_store([data], root).triples == 9
    assert not leftover.exists()


def dead_pid() -> int:
    """The id of a process that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_leftovers_of_a_killed_build_are_removed_at_once(root, data, tmp_path):
    """A build killed half-way (its process gone) leaves folders the next run removes at
    once, whatever their age and whichever data set they were for; a build still running
    (its process alive) keeps its folder."""
    key = store.store_key([data.resolve()])
    root.mkdir()
    now = time.time_ns()
    killed = [root / f".{key}.build-{dead_pid()}-{now}", root / f".0123abcd.old-{dead_pid()}-{now}"]
    running = root / f".0123abcd.build-{os.getppid()}-{now}"
    for folder in [*killed, running]:
        (folder / store.DATA_DIR).mkdir(parents=True)
    assert store.open_store([data], root).triples == 9
    assert [p.exists() for p in killed] == [False, False]
    assert running.exists()


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "bad.ttl",
            "@prefix a: <http://a/> .\na:b a:c a:d .\na:x a:y .\n",
            "bad.ttl:3: . is not a valid RDF object (column 9)",
        ),
        ("bad.nt", "<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n", "bad.nt:2: "),
        ("bad.jsonld", '{"@id": "x",\n "a": }', "bad.jsonld:2: "),
        ("bad.trig", "<http://g> {\n <http://a> <http://b> }", "bad.trig:2: "),
        ("bad.nq", "<http://a> <http://b> <http://c> <http://g> .\n<http://a> .\n", "bad.nq:2: "),
    ],
)
@pytest.mark.parametrize("use_cache", [True, False], ids=["cached", "no-cache"])
def test_bad_data_file_names_file_and_line(root, tmp_path, data, name, text, expected, use_cache):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        store.open_store([data, path], root, use_cache=use_cache)
    message = str(info.value)
    assert message.startswith(str(path.resolve())), message
    assert expected in message
    assert "\n" not in message


def test_not_utf8_missing_and_unknown_files(root, tmp_path):
    binary = tmp_path / "binary.ttl"
    binary.write_bytes(b"<http://a> <http://b> \xff\xfe .\n")
    with pytest.raises(InputFileError, match=r"binary\.ttl:1: .*UTF-8"):
        store.open_store([binary], root)
    with pytest.raises(InputFileError, match="nope.ttl: no such file"):
        store.open_store([tmp_path / "nope.ttl"], root)
    csv = tmp_path / "data.csv"
    csv.write_text("a,b\n")
    with pytest.raises(InputFileError, match="unknown RDF file type '.csv'"):
        store.open_store([csv], root)


def test_quad_files_are_merged_into_the_default_graph(root, tmp_path):
    path = tmp_path / "g.trig"
    path.write_text(
        "<http://g> { <http://a> <http://b> <http://c> . }\n<http://d> <http://e> <http://f> .\n"
    )
    graph = store.open_store_graph([path], root)
    assert len(graph) == 2
    assert (URIRef("http://a"), URIRef("http://b"), URIRef("http://c")) in graph


QUERY = """SELECT ?s ?p ?o WHERE { ?s ?p ?o . FILTER(!isBlank(?s) && !isBlank(?o)) }"""


@pytest.mark.parametrize("use_cache", [True, False], ids=["cached", "no-cache"])
def test_same_rows_as_the_memory_backend(root, data, use_cache):
    memory = load_files([data])
    oxigraph = store.open_store_graph([data], root, use_cache=use_cache)
    assert len(oxigraph) == len(memory) == 9

    def rows(graph, query, **bindings):
        result = graph.query(query, initBindings=bindings)
        return {tuple(store.comparable(term) for term in row) for row in result}

    assert rows(oxigraph, QUERY) == rows(memory, QUERY)
    bound = "SELECT ?o WHERE { ?s ?p ?o }"
    alpha = {"s": URIRef(EX + "a"), "p": URIRef(EX + "name")}
    assert rows(oxigraph, bound, **alpha) == rows(memory, bound, **alpha) == {(Literal("Alpha"),)}
    by_literal = "SELECT ?s WHERE { ?s ?p ?o }"
    name = {"o": Literal("Beta")}
    assert rows(oxigraph, by_literal, **name) == rows(memory, by_literal, **name)

    def about_a(graph):
        triples = graph.triples((URIRef(EX + "a"), None, None))
        return {t for t in triples if not isinstance(t[2], BNode)}

    assert about_a(oxigraph) == about_a(memory)
    assert len(about_a(memory)) == 5


def test_blank_nodes_of_two_files_stay_apart(root, tmp_path):
    files = []
    for name in ("one", "two"):
        path = tmp_path / f"{name}.ttl"
        path.write_text(f'_:x <http://e/name> "{name}" .\n', encoding="utf-8")
        files.append(path)
    graph = store.open_store_graph(files, root)
    assert len(set(graph.subjects())) == len(set(load_files(files).subjects())) == 2


def test_numbers_come_back_in_canonical_form(root, data):
    """Oxigraph keeps values, not spellings: 87000000.0 comes back as "87000000"; equal value,
    so rows compare equal with :func:`store.comparable`."""
    graph = store.open_store_graph([data], root)
    amount = graph.value(URIRef(EX + "b"), URIRef(EX + "amount"))
    assert str(amount) == "87000000"
    assert store.comparable(amount) == store.comparable(Literal("87000000.0", datatype=DECIMAL))
    assert store.comparable(Literal("1")) != store.comparable(Literal(1))


def test_relative_iris_resolve_against_the_file(root, tmp_path):
    path = tmp_path / "rel.ttl"
    path.write_text('<thing> <http://e/p> "x" .\n')
    graph = store.open_store_graph([path], root)
    assert set(graph.subjects()) == set(load_files([path]).subjects())


def named_rows(result) -> tuple[list[str], set]:
    """Variables and rows of a result, by name (column order may differ for SELECT *)."""
    names = [str(v) for v in result.vars]
    rows = {
        frozenset((n, store.comparable(t)) for n, t in zip(names, row, strict=True))
        for row in result
    }
    return sorted(names), rows


@pytest.mark.parametrize(
    ("query", "oxigraph_answers"),
    [
        # a bound variable the SELECT list leaves out: Oxigraph binds only projected ones
        ("SELECT ?o WHERE { ?s ?p ?o }", False),
        ("PREFIX ex: <http://example.org/> # comment\nSELECT DISTINCT ?o { ?s ?p ?o }", False),
        ("SELECT ?o WHERE { { SELECT ?s ?o WHERE { ?s ?p ?o } } }", False),
        ("SELECT (COUNT(?o) AS ?n) WHERE { ?s ?p ?o }", False),
        ("SELECT ?o WHERE { ?s ?p ?o } VALUES ?s { <http://example.org/b> }", False),
        ("SELECT ?s ?o WHERE { ?s ?p ?o }", True),
        ("SELECT ?s ?o WHERE { { SELECT DISTINCT ?s ?o WHERE { ?s ?p ?o } } } ORDER BY ?o", True),
        ("SELECT ?s ?o WHERE { ?s ?p ?o } VALUES ?o { 'Beta' 'Alpha' }", True),
        ("SELECT * WHERE { ?s ?p ?o }", True),
    ],
)
def test_bindings_give_the_memory_rows(root, data, query, oxigraph_answers):
    """rdflib pre-binds a variable; the Oxigraph backend passes the binding to Oxigraph as a
    substitution, or, for a variable the SELECT list leaves out, answers in rdflib's engine
    over the store: the rows are the memory backend's, never all unfiltered."""
    bindings = {"s": URIRef(EX + "b")}
    fallbacks = store.NormalisingOxigraphStore.fallbacks
    got, want = (
        named_rows(graph.query(query, initBindings=bindings))
        for graph in (store.open_store_graph([data], root), load_files([data]))
    )
    assert got == want
    assert len(want[1]) == (1 if "COUNT" in query or "VALUES ?o" in query else 2)
    assert store.NormalisingOxigraphStore.fallbacks == fallbacks + (not oxigraph_answers)


def test_syntax_errors_are_rdflibs_on_both_backends(root, data):
    from pyparsing import ParseException

    bad = "SELECT ?a WHERE {\n ?a ?b ?c . FILTER(?a = ) }"
    for graph in (load_files([data]), store.open_store_graph([data], root)):
        with pytest.raises(ParseException) as info:
            graph.query(bad)
        assert info.value.lineno == 2


def test_bindings_travel_as_substitutions_the_text_unchanged(root, data, monkeypatch):
    """The query text goes to Oxigraph as written; the binding goes as a substitution, so
    quotes, braces and newlines in a value are never query text."""
    sent = []
    original = store.ox.Store.query

    def spy(self, query, **options):
        sent.append((query, options["substitutions"]))
        return original(self, query, **options)

    graph = store.open_store_graph([data], root)
    monkeypatch.setattr(store.ox.Store, "query", spy)
    hostile = Literal('Beta" } . ?s ?p ?o . #\n\\')
    query = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    assert list(graph.query(query, initBindings={"o": hostile})) == []
    assert sent[-1] == (query, {store.ox.Variable("o"): store.ox.Literal(str(hostile))})
    rows = list(graph.query(query, initBindings={"o": Literal("Beta")}))
    assert rows == [(URIRef(EX + "b"), Literal("Beta"))]


# --- through the commands --------------------------------------------------------------------


def test_commands_build_the_index_in_the_store_dir_then_reuse_it(run, tmp_path, data):
    folder = tmp_path / "idx"
    first = run("query", "agencies", "--format", "csv", "--data", str(data), "--store", str(folder))
    assert first.exit_code == 0, first.output
    manifests = list(folder.glob("*/manifest.json"))
    assert len(manifests) == 1
    built = json.loads(manifests[0].read_text())["built_ns"]
    again = run("query", "agencies", "--format", "csv", "--data", str(data), "--store", str(folder))
    assert again.stdout == first.stdout
    assert json.loads(manifests[0].read_text())["built_ns"] == built


def test_no_cache_command_writes_no_index(run, tmp_path, monkeypatch):
    monkeypatch.setenv(store.STORE_ENV, str(tmp_path / "never"))
    result = run("ask", "Which agencies touch forced labor?", "--no-cache")
    assert result.exit_code == 0
    assert "Department of Homeland Security" in result.stdout
    assert not (tmp_path / "never").exists()


@pytest.mark.parametrize("extra", [(), ("--no-cache",)], ids=["cached", "no-cache"])
def test_bad_data_file_is_one_line_with_file_and_line(run, tmp_path, extra):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix a: <http://a/> .\na:b a:c a:d .\na:x a:y .\n", encoding="utf-8")
    result = run("ask", "Which agencies touch forced labor?", "--data", str(bad), *extra)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {bad}:3: . is not a valid RDF object (column 9)\n"


def test_unknown_backend_is_named(run, monkeypatch):
    monkeypatch.setenv("TF_GRAPH_BACKEND", "sqlite")
    result = run("query", "agencies")
    assert result.exit_code == 2
    assert "TF_GRAPH_BACKEND='sqlite'" in result.stderr


def test_term_converter_gives_rdflib_terms_once_per_distinct_term():
    import pyoxigraph as ox
    from rdflib.namespace import XSD

    convert = store.term_converter()
    plain_ = convert(ox.Literal("DHS"))
    assert plain_ == Literal("DHS") and plain_.datatype is None  # not xsd:string
    assert convert(ox.Literal("DHS")) is plain_  # converted once
    assert convert(ox.Literal("Seguridad", language="es")) == Literal("Seguridad", lang="es")
    number = convert(ox.Literal("87000000", datatype=ox.NamedNode(str(XSD.integer))))
    assert number == Literal("87000000", datatype=XSD.integer)
    assert convert(ox.NamedNode(EX + "b")) == URIRef(EX + "b")
    assert convert(None) is None
