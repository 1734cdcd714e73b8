"""Against a real OpenLink Virtuoso (Debian ``virtuoso-opensource``): push the graph, run every
named query there and locally, compare the rows, push again to prove idempotence.

The fixture starts ``virtuoso-t`` in a temporary directory with its own ``virtuoso.ini``
(every path inside it, both ports on 127.0.0.1 and free, no VAD directory so it starts in
seconds; credentials dba/dba) and stops it by its PID. Without ``virtuoso-t`` the tests
skip with the reason; under ``CI=true`` they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import shipped_graph
from rdflib import Literal, URIRef
from support import SAMPLE_PARAMS, binding_sample, free_port

from tf_graph.build.push import push_graph
from tf_graph.engines.remote import open_endpoint
from tf_graph.errors import RemoteError

pytestmark = pytest.mark.virtuoso

GRAPH = "https://w3id.org/tf-graph/graph"
USER, PASSWORD = "dba", "dba"

#: Named queries Virtuoso 7.2 (Debian) answers differently from rdflib (none today: the
#: queries keep to the subset of docs/engines.md, which tests/test_sparql_subset.py enforces);
#: each would be marked xfail (strict: when Virtuoso or the query changes so that they agree,
#: the test says so). Seen with the shipped queries; the symptoms, not guesses at Virtuoso's
#: internals.
VIRTUOSO_DIFFERENCES: dict[str, str] = {}


def _virtuoso_binary() -> str | None:
    found = shutil.which("virtuoso-t")
    if found:
        return found
    return "/usr/bin/virtuoso-t" if Path("/usr/bin/virtuoso-t").exists() else None


INI = """\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {d}/virtuoso-temp.db
TransactionFile    = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
LiteMode             = 0
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
O_DIRECT             = 0
CaseMode             = 2
MaxStaticCursorRows  = 5000
AllowOSCalls         = 0
DirsAllowed          = {d}
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {d}/vsp
MaxClientConnections = 10
DavRoot              = DAV
EnabledDavVSP        = 0
HTTPProxyEnabled     = 0
ServerThreads        = 10
MaxKeepAlives        = 10
KeepAliveTimeout     = 10
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = 100000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """Base URL of a fresh Virtuoso, stopped (by its PID) after the module."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as base:
        yield base


@contextlib.contextmanager
def running_virtuoso(directory: Path) -> Iterator[str]:
    """A private ``virtuoso-t`` with its files in ``directory``; yields its base URL."""
    binary = _virtuoso_binary()
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("virtuoso-t not found, and CI=true: install virtuoso-opensource")
        pytest.skip("virtuoso-t not found (apt-get install virtuoso-opensource)")
    (directory / "vsp").mkdir()
    http_port, sql_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(INI.format(d=directory, sql_port=sql_port, http_port=http_port))
    log = (directory / "stdout.log").open("wb")
    process = subprocess.Popen(
        [binary, "-f", "-c", str(ini)], cwd=directory, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{http_port}"
    try:
        _wait_for_sparql(base, process, directory)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        log.close()


def _wait_for_sparql(base: str, process: subprocess.Popen, directory: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (directory / "stdout.log").read_text(errors="replace")[-2000:]
            pytest.fail(f"virtuoso-t exited with {process.returncode}:\n{log}")
        try:
            response = httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=2)
            if response.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail("virtuoso-t did not answer on /sparql within 90 s")


@pytest.fixture(scope="module")
def pushed(virtuoso, graph):
    """The shipped graph pushed by the Graph Store Protocol with Digest auth."""
    report = push_graph(
        graph,
        f"{virtuoso}/sparql-graph-crud-auth",
        GRAPH,
        user=USER,
        password=PASSWORD,
    )
    assert report.method == "gsp"
    return report


@pytest.fixture(scope="module")
def remote(virtuoso, pushed):
    return open_endpoint(f"{virtuoso}/sparql", graph_iri=GRAPH)


@pytest.fixture(scope="module")
def local(_private_store):
    """The rows Virtuoso's are compared with: the shipped graph on the engine users get by
    default, the Oxigraph index (tests/test_backends.py holds it to rdflib's rows; rdflib's own
    engine took 10 s of this module's 25 s of local answers)."""
    return shipped_graph("oxigraph")


def normalised(rows, vars_) -> list[tuple]:
    """Rows comparable across stores: lexical values and language tags (Virtuoso types
    computed strings as xsd:string, rdflib leaves them plain). Cells the queries build with
    GROUP_CONCAT (quotes joined by " … ", source URLs by " ") are compared as sets of parts:
    Virtuoso writes the non-Latin-1 separator "…" as "?" and does not keep the order of the
    ordered sub-select the queries concatenate from."""

    def cell(term):
        if term is None:
            return ("", "")
        parts = str(term).replace(" … ", " ? ").split(" ? ")
        if all(p.startswith(("http://", "https://")) for p in str(term).split()):
            parts = str(term).split()
        lang = term.language or "" if isinstance(term, Literal) else ""
        return (" | ".join(sorted(parts)), lang)

    return sorted(tuple(cell(row.get(v)) for v in vars_) for row in rows)


def test_push_puts_every_triple_and_pushing_twice_changes_nothing(virtuoso, graph, pushed, remote):
    assert pushed.triples == len(graph)
    assert len(remote) == len(graph)
    again = push_graph(
        graph, f"{virtuoso}/sparql-graph-crud-auth", GRAPH, user=USER, password=PASSWORD
    )
    assert again.triples == len(graph) and len(remote) == len(graph)
    # content, not only size: every IRI-only triple is there (blank nodes get new ids)
    mine = {t for t in graph if all(isinstance(x, URIRef) for x in t)}
    theirs = set(remote.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?o) && isIRI(?s)) }"))
    assert {tuple(r) for r in theirs} == mine


def test_update_fallback_loads_the_same_triples_twice(virtuoso, graph):
    target = "urn:tf-graph:test:update"
    for _ in range(2):
        report = push_graph(
            graph,
            f"{virtuoso}/sparql-auth",
            target,
            user=USER,
            password=PASSWORD,
            method="update",
        )
        assert report.method == "update" and report.requests > 1
        assert len(open_endpoint(f"{virtuoso}/sparql", graph_iri=target)) == len(graph)


def test_wrong_password_is_one_line_with_the_status(virtuoso, graph):
    with pytest.raises(RemoteError) as err:
        push_graph(graph, f"{virtuoso}/sparql-graph-crud-auth", GRAPH, user=USER, password="no")
    assert "HTTP 401" in str(err.value) and "\n" not in str(err.value)


def _query_cases() -> list:
    """Every named query with its defaults, and those with parameters with sample values too."""
    from tf_graph.questions.catalogue import list_queries

    cases = []
    for spec in list_queries():
        reason = VIRTUOSO_DIFFERENCES.get(spec.name)
        mark = [pytest.mark.xfail(reason=f"Virtuoso: {reason}", strict=True)] if reason else []
        # (samples that are the defaults, as agencies-by-topic's forced labor, ask nothing new)
        samples_differ = any(binding_sample(spec.name, p.name) != p.default for p in spec.params)
        for with_samples in (False, True) if samples_differ else (False,):
            case_id = f"{spec.name}-{'samples' if with_samples else 'defaults'}"
            cases.append(pytest.param(spec.name, with_samples, marks=mark, id=case_id))
    return cases


@pytest.mark.parametrize(("name", "with_samples"), _query_cases())
def test_named_query_gives_the_same_rows_in_virtuoso(name, with_samples, local, remote):
    from tf_graph.questions.catalogue import find_query
    from tf_graph.questions.run import run_query

    spec = find_query(name)
    params = {}
    for param in spec.params:
        if param.default in (None, "") and param.name in SAMPLE_PARAMS:
            params[param.name] = SAMPLE_PARAMS[param.name]
    if with_samples:
        params = {p.name: binding_sample(spec.name, p.name) for p in spec.params}
    mine = run_query(local, name, params)
    there = run_query(remote, name, params)
    assert there.vars == mine.vars
    assert mine.rows, f"{name} has no rows on the shipped graph: nothing compared"
    assert normalised(there.rows, mine.vars) == normalised(mine.rows, mine.vars)


def test_first_question_has_the_same_answer_in_virtuoso(local, remote):
    ask = pytest.importorskip("tf_graph.questions.ask")
    question = "Which agencies touch forced labor?"
    mine = ask.answer(local, question).result
    there = ask.answer(remote, question).result
    assert mine.rows
    assert normalised(there.rows, mine.vars) == normalised(mine.rows, mine.vars)


def test_hostile_parameter_is_bound_not_pasted(remote):
    """A label with SPARQL syntax in it resolves to nothing: no extra rows, one-line error."""
    from tf_graph.errors import TfGraphError
    from tf_graph.questions.run import run_query

    with pytest.raises(TfGraphError) as err:
        run_query(remote, "agencies-by-topic", {"topic": '"} . ?s ?p ?o . {'})
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "md"])
def test_query_command_with_endpoint_and_graph_prints_the_same(run, virtuoso, pushed, fmt):
    """A query without GROUP_CONCAT (whose order and separator Virtuoso changes)."""
    args = ("query", "agencies", "--format", fmt)
    local = run(*args)
    there = run(*args, "--endpoint", f"{virtuoso}/sparql", "--graph", GRAPH)
    assert there.exit_code == 0, there.stderr
    assert there.stdout == local.stdout


def test_push_command_reports_triples_and_time(run, virtuoso, graph, monkeypatch):
    monkeypatch.setenv("TF_TEST_VIRTUOSO_PW", PASSWORD)
    result = run(
        "push", "--endpoint", f"{virtuoso}/sparql-graph-crud-auth", "--graph", GRAPH,
        "--user", USER, "--password-env", "TF_TEST_VIRTUOSO_PW",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        f"pushed {len(graph)} triples to <{GRAPH}> at {virtuoso}/sparql-graph-crud-auth "
        "(Graph Store PUT) in "
    )
    assert result.stdout.rstrip().endswith(" s")


#: topics with narrower topics (skos:broader* walks more than one level) and one without
TOPICS = ("human trafficking", "victim services", "forced labor")


#: (forced labor is both queries' sample: test_named_query_gives_the_same_rows_in_virtuoso)
@pytest.mark.parametrize("topic", TOPICS[:2])
@pytest.mark.parametrize("name", ["agencies-by-topic", "initiatives-by-topic"])
def test_topic_queries_give_the_same_rows_in_virtuoso(name, topic, local, remote):
    from tf_graph.questions.run import run_query

    mine = run_query(local, name, {"topic": topic})
    there = run_query(remote, name, {"topic": topic})
    assert mine.rows
    assert normalised(there.rows, mine.vars) == normalised(mine.rows, mine.vars)


def test_statements_about_gives_the_same_rows_in_virtuoso(graph, local, remote):
    # ask's evidence lookup: a sub-select joined to run_for_each's trailing VALUES block
    from tf_graph.questions.queries import run_for_each

    iris = {str(s) for s in graph.subjects() if str(s).startswith("https://w3id.org/tf-graph/id/")}
    mine = run_for_each(local, "lookup/statements-about", iris)
    there = run_for_each(remote, "lookup/statements-about", iris)
    assert mine
    columns = list(mine[0])
    assert normalised(there, columns) == normalised(mine, columns)


#: queries whose answer in Virtuoso 7.2 depended on its plan, which differs on a freshly loaded
#: store (no statistics yet) from the plan after other queries: agencies-by-topic lost rows and
#: quotes there (18 -> 17 rows for forced labor, 69 -> 61 for human trafficking) until its
#: property paths were kept out of reach of the outer variables
FRESH_CASES = [
    ("agencies-by-topic", "topic", TOPICS),
    ("initiatives-by-topic", "topic", TOPICS),
    ("agency-partners", "agency", ("DOJ", "DHS")),
]


@pytest.mark.parametrize(("name", "param", "values"), FRESH_CASES)
def test_queries_asked_first_on_a_fresh_virtuoso(name, param, values, graph, local, tmp_path):
    from tf_graph.questions.run import run_query

    with running_virtuoso(tmp_path) as base:
        push_graph(graph, f"{base}/sparql-graph-crud-auth", GRAPH, user=USER, password=PASSWORD)
        remote = open_endpoint(f"{base}/sparql", graph_iri=GRAPH)
        for value in values:
            mine = run_query(local, name, {param: value})
            there = run_query(remote, name, {param: value})
            assert mine.rows, f"{name} {param}={value} should find something"
            assert normalised(there.rows, mine.vars) == normalised(mine.rows, mine.vars), value
