"""Hostile input: quotes, braces, SPARQL fragments, backslashes and newlines in parameters and
questions never add rows or crash; huge, binary and update query files are refused."""

from __future__ import annotations

import pytest
from rdflib import Graph

from tf_graph.errors import TfGraphError
from tf_graph.questions.ask import answer
from tf_graph.questions.results import render
from tf_graph.questions.run import run_query

#: every test on the shipped graph runs on each engine (tests/conftest.py)
pytestmark = pytest.mark.engines

INJECTIONS = [
    'forced labor" } . ?s ?p ?o . { "',
    "forced labor> } UNION { ?s ?p ?o } #",
    "} . ?s ?p ?o",
    "forced labor' ; DROP ALL ; '",
    "forced\\labor",
    "forced labor\\",
    "forced\nlabor",
    "forced labor\n} . ?agency ?p ?o",
    "<https://w3id.org/tf-graph/id/topic/forced-labor> } . ?s ?p ?o",
    "\x00forced labor",
    "{{{{",
    '"""',
    "?topic",
    "*",
]


@pytest.fixture(scope="module")
def baseline(graph):
    return run_query(graph, "agencies-by-topic", {"topic": "forced labor"}).rows


@pytest.fixture(scope="module")
def unbound_text(graph):
    """The query text run without parameters (run once: the text is compared, not the rows)."""
    return run_query(graph, "agencies-by-topic").sparql


@pytest.fixture(scope="module")
def clean_answer(graph):
    """The answer to a clean question, each asked once on the module's engine (several
    hostile questions share their clean form)."""
    asked: dict = {}

    def of(question):
        if question not in asked:
            asked[question] = answer(graph, question)
        return asked[question]

    return of


@pytest.mark.parametrize("value", INJECTIONS)
def test_parameter_values_never_add_rows(graph, baseline, unbound_text, value):
    try:
        result = run_query(graph, "agencies-by-topic", {"topic": value})
    except TfGraphError as err:
        assert "\n" not in str(err)  # one line for the terminal
        return
    # a value close enough to a name resolves to it: exactly that topic's rows, nothing more
    topic = str(result.bindings["topic"])
    assert topic == "https://w3id.org/tf-graph/id/topic/forced-labor"
    assert result.rows == baseline
    assert result.sparql == unbound_text  # text never changes


@pytest.mark.parametrize(
    "value",
    ['2022" } UNION { ?s ?p ?o } #', "2022\n", "20 22", "2022}", "\\2022", "'2022'"],
)
def test_literal_parameters_are_validated(graph, value):
    if value.strip() == "2022":
        assert run_query(graph, "planned-actions", {"year": value}).bindings["year"].eq("2022")
        return
    with pytest.raises(TfGraphError, match="expected a year such as 2022"):
        run_query(graph, "planned-actions", {"year": value})


@pytest.mark.parametrize(
    ("question", "clean"),
    [
        (
            'Which agencies touch forced labor" } . ?s ?p ?o . { "?',
            "Which agencies touch forced labor?",
        ),
        ("Which agencies touch } . ?s ?p ?o", None),
        ("Which agencies touch forced labor\\?", "Which agencies touch forced labor?"),
        ("Which agencies touch\nforced labor?\n} . ?s ?p ?o", "Which agencies touch forced labor?"),
        ('What does DHS" } UNION { ?s ?p ?o } # do?', "What does DHS do?"),
        ('What happened in 2021" } . ?s ?p ?o {?', "What happened in 2021?"),
        ("\x00\x01\x02", None),
        ("{" * 400, None),
    ],
)
def test_questions_never_add_rows(graph, clean_answer, question, clean):
    """SPARQL in a question is never run: the question is answered as if it were not there
    (the words around it are understood), or refused; never a traceback."""
    try:
        result = answer(graph, question)
    except TfGraphError as err:
        assert "Traceback" not in str(err)
        assert clean is None or not clean_answer(clean).subjects
        return
    assert clean is not None, f"{question!r} was answered"
    assert result.result.rows == clean_answer(clean).result.rows
    for row in result.result.rows:
        assert set(row) == set(result.result.vars)


def test_update_in_a_query_file_is_refused_and_changes_nothing(graph, tmp_path):
    before = len(graph)
    for text in (
        "DROP ALL",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "SELECT * WHERE { ?s ?p ?o } ; DELETE WHERE { ?s ?p ?o }",
    ):
        path = tmp_path / "update.rq"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(TfGraphError, match="SPARQL syntax error"):
            run_query(graph, str(path))
    assert len(graph) == before


def test_query_files_refused_cleanly(run, tmp_path):
    huge = tmp_path / "huge.rq"
    with huge.open("w", encoding="utf-8") as out:
        out.write("SELECT * WHERE { ?s ?p ?o }\n")
        out.write(("# padding\n") * 120_000)
    binary = tmp_path / "binary.rq"
    binary.write_bytes(bytes(range(256)) * 10)
    utf16 = tmp_path / "utf16.rq"
    utf16.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-16")
    folder = tmp_path / "folder.rq"
    folder.mkdir()
    for path, message in (
        (huge, "too large for a query"),
        (binary, "binary file"),
        (utf16, "binary file"),
        (folder, "not a file"),
        (tmp_path / "missing.rq", "no such file"),
    ):
        result = run("query", str(path))
        assert result.exit_code == 2, path
        assert result.stderr == f"error: {path}: {message}" + result.stderr.split(message, 1)[1]
        assert len(result.stderr.splitlines()) == 1
        assert "Traceback" not in result.output


def test_cli_hostile_questions_are_refused_cleanly(run):
    """A question with nothing answerable in it is refused: exit 1, what was recognised,
    questions that work; never a traceback."""
    for question in ("Which agencies touch } . ?s ?p ?o", 'What does " } UNION { ?s ?p ?o } do?'):
        result = run("ask", question)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("error: ")
        assert "Questions I can answer:" in result.stderr
        assert "Traceback" not in result.output and result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ("query", "agencies-by-topic", "--param", "topic=} . ?s ?p ?o"),
        ("query", "agencies-by-topic", "--param", 'topic=forced labor" } UNION { ?s ?p ?o }'),
        ("query", "agencies-by-topic", "--param", "topic=\\\\\n\n"),
        ("query", "agencies-by-topic", "--param", "x y=1"),
        ("query", "planned-actions", "--param", "year=2022 } . ?s ?p ?o"),
        ("query", "../../etc/passwd"),
        ("show", "} . ?s ?p ?o"),
        ("show", "\n\n\n"),
    ],
)
def test_cli_hostile_arguments_fail_cleanly(run, args):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ")
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_rendering_hostile_labels():
    graph = Graph()
    graph.parse(
        data="@prefix tf: <https://w3id.org/tf-graph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/tf-graph/id/initiative/x> a tf:Initiative ; tf:amountUSD 1 ;\n"
        '  rdfs:label "line one\\nline two | [x](y) \\"q\\", <b>"@en .\n',
        format="turtle",
    )
    result = run_query(graph, "funding")
    table_text = render(result, "table")
    assert "line one line two" in table_text  # one line per row
    assert len(table_text.splitlines()) == 4
    md = render(result, "md")
    assert "line one line two \\| \\[x\\](y)" in md and md.count("\n") == 3
    csv_text = render(result, "csv")
    assert '"line one\nline two | [x](y) ""q"", <b>"' in csv_text
