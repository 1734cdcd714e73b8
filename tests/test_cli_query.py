"""The commands queries, query, ask and show: output, formats, exit codes, help."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tf_graph.questions.catalogue import list_queries

#: parameters that make each named query return rows on the shipped graph
PARAMS = {
    "entity-profile": ["--param", "entity=DHS"],
    "law-text": ["--param", "law=22 U.S.C. 7103(c)"],
    "statements": ["--param", "entity=PITF"],
}


def test_queries_lists_every_named_query(run):
    result = run("queries")
    assert result.exit_code == 0
    for spec in list_queries():
        assert f"{spec.name}  —  {spec.title}" in result.stdout
    assert "--param topic=…  [tf:Topic] the topic" in result.stdout
    assert "--param pillars=…  [xsd:integer 1-4] only agencies" in result.stdout
    assert "(default: forced labor)" in result.stdout
    assert "--param entity=…" in result.stdout and "(required)" in result.stdout


@pytest.mark.parametrize("name", [spec.name for spec in list_queries()])
@pytest.mark.parametrize("fmt", ["table", "csv", "json", "md"])
def test_every_named_query_in_every_format(run, name, fmt):
    result = run("query", name, "--format", fmt, *PARAMS.get(name, []))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    if fmt == "json":
        document = json.loads(out)
        assert document["results"]["bindings"], name
        assert set(document["head"]["vars"]) >= set(document["results"]["bindings"][0])
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        # click's test runner shows "\r\n" as "\n" in .stdout; the bytes keep CRLF
        assert len(rows) > 1 and result.stdout_bytes.endswith(b"\r\n")
    elif fmt == "md":
        assert out.startswith("| ") and out.splitlines()[1].startswith("|---")
    else:
        assert out.rstrip().endswith("rows)") or out.rstrip().endswith("row)")
        assert "https://w3id.org/tf-graph/id/" not in out  # labels, not IRIs


def test_table_shows_labels_for_iris(run):
    result = run("query", "agencies-by-topic")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["agency", "role", "via", "evidence", "quote", "source", "topic"]
    assert lines[2].startswith("Department of Commerce  ")
    assert "https://" not in "\n".join(line[:120] for line in lines)
    # 18 rows on forced labor, 2 of DOJ's on labor trafficking, which the law relates to it
    assert lines[-1] == "(20 rows)"


def test_query_with_param_label_and_csv(run):
    result = run("query", "initiatives-by-agency", "-p", "agency=Homeland Security", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["agency"] for r in rows} == {"https://w3id.org/tf-graph/id/agency/dhs"}
    # DHS's seven bullets, and the Blue Lightning Initiative its CBP leads (ref: DOT and CBP)
    assert len(rows) == 8


def test_missing_parameter_is_named(run):
    result = run("query", "entity-profile")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: query entity-profile needs parameter 'entity'")
    assert "Traceback" not in result.output


def test_unknown_parameter_value_suggests(run):
    result = run("query", "agencies-by-topic", "--param", "topic=forced labr")
    assert result.exit_code == 0  # a small misspelling still resolves
    result = run("query", "agencies-by-topic", "--param", "topic=unicorn husbandry")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown topic 'unicorn husbandry'")


def test_bad_param_syntax_is_a_usage_error(run):
    result = run("query", "agencies-by-topic", "--param", "topic")
    assert result.exit_code == 2
    assert "expected NAME=VALUE" in result.stderr
    result = run("query", "timeline", "-p", "year=2021", "-p", "year=2022")
    assert result.exit_code == 2 and "given twice" in result.stderr


def test_unknown_query(run):
    result = run("query", "agency-partner")
    assert result.exit_code == 2
    assert "did you mean: agency-partners" in result.stderr


def test_user_query_file_with_extra_data(run, tmp_path):
    extra = tmp_path / "mine.ttl"
    extra.write_text(
        "@prefix tf: <https://w3id.org/tf-graph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://example.org/x> a tf:Initiative ; rdfs:label "My initiative"@en ;\n'
        "  tf:ledBy <https://w3id.org/tf-graph/id/agency/dhs> .\n",
        encoding="utf-8",
    )
    query = tmp_path / "mine.rq"
    query.write_text(
        "# title: Mine\n# description: what an agency leads\n# param: agency - who\n"
        "PREFIX tf: <https://w3id.org/tf-graph/ontology#>\n"
        "SELECT ?i WHERE { ?i tf:ledBy ?agency } ORDER BY ?i\n",
        encoding="utf-8",
    )
    result = run("query", str(query), "-p", "agency=DHS", "--data", str(extra), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert b"https://example.org/x\r\n" in result.stdout_bytes
    assert len(result.stdout.splitlines()) == 1 + 4 + 1  # header, DHS's four, the new one


def test_user_query_syntax_error(run, tmp_path):
    query = tmp_path / "bad.rq"
    query.write_text("SELECT ?s WHERE {\n  ?s ?p \n}\n", encoding="utf-8")
    result = run("query", str(query))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {query}:2:3: SPARQL syntax error")


def test_readme_first_command(run):
    result = run("ask", "Which agencies touch forced labor?")
    assert result.exit_code == 0
    out = result.stdout
    assert out.splitlines()[1] == "Understood: Agency (class), forced labor (topic)"
    answer = out[out.index("Answer (8):") : out.index("Evidence:")].split("\n")[1:-2]
    # the agencies and their roles in words (the evidence below gives each initiative or body)
    assert answer == [
        "  - Department of Commerce (DOC): leads, is a member of",
        "  - Department of Health and Human Services (HHS): through its part, leads",
        "  - Department of Homeland Security (DHS): leads, chairs",
        # sheet: DOJ's funding for research into "labor and sex trafficking" and its strategy
        # against "emerging labor trafficking threats": labor trafficking is related to forced
        # labor, as the law relates them
        "  - Department of Justice (DOJ): leads, is a member of",
        "  - Department of Labor (DOL): partners in, leads, is a member of",
        "  - Department of State (DOS): partners in, is a member of",
        "  - Department of the Treasury: is a member of, leads",
        "  - Office of the U.S. Trade Representative (USTR): is a member of, leads",
    ]
    evidence = out[out.index("Evidence:") :]
    assert "    - chairs: Forced Labor Enforcement Task Force" in evidence
    # a member of the FLETF is not shown with the quote about its chair: the law is named
    doj = evidence[evidence.index("  Department of Justice (DOJ)") :].split("\n  Department")[0]
    assert "      (no quoted words; source: " in doj


def test_ask_json_and_sparql(run):
    result = run("ask", "Who chairs FLETF?", "--format", "json")
    document = json.loads(result.stdout)
    assert document["answer"][0]["label"] == "Department of Homeland Security (DHS)"
    assert "sparql" not in document
    result = run("ask", "Who chairs FLETF?", "--format", "json", "--show-sparql")
    assert "SELECT ?body" in json.loads(result.stdout)["sparql"]
    result = run("ask", "Who chairs FLETF?", "--show-sparql")
    assert "SPARQL:" in result.stdout and "?body = <https://w3id.org/tf-graph/id/body/fletf>" in (
        result.stdout
    )


def test_ask_unmappable_exits_1_with_examples(run):
    result = run("ask", "What is the airspeed of an unladen swallow?")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: nothing I can answer was recognised in 'What is the airspeed of an unladen "
        "swallow'. Questions I can answer:\n"
    )
    assert len(result.stderr.splitlines()) == 4  # the line, then three questions that work
    assert result.stdout == ""
    result = run("ask", "What did DHS do in 2023?", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert [m["label"] for m in document["recognised"]] == [
        "Department of Homeland Security",
        "2023",
    ]
    assert len(document["suggestions"]) == 3


def test_show(run):
    result = run("show", "FinCEN")
    assert result.exit_code == 0
    assert result.stdout.startswith("Financial Crimes Enforcement Network")
    assert "Department of the Treasury" in result.stdout
    result = run("show", "FinCEN", "-f", "json")
    assert json.loads(result.stdout)["iri"].endswith("/agency/fincen")
    result = run("show", "Ministry of Silly Walks")
    assert result.exit_code == 2 and result.stderr.startswith("error: unknown entity")


def test_bad_data_file_is_reported(run, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    for args in (("query", "funding"), ("ask", "How much money?"), ("show", "DHS")):
        result = run(*args, "--data", str(bad))
        assert result.exit_code == 2, args
        assert result.stderr.startswith(f"error: {bad}"), args


@pytest.mark.parametrize("command", ["queries", "query", "ask", "show"])
def test_help_has_examples(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout and f"tf-graph {command}" in result.stdout


def test_ask_path_imports_no_heavy_libraries():
    """ask/query/show start fast: no networkx, pyvis or pyshacl on their path."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from tf_graph.cli import main\n"
        "r = CliRunner().invoke(main, ['ask', 'Who chairs FLETF?'])\n"
        "assert r.exit_code == 0, r.output\n"
        "r = CliRunner().invoke(main, ['query', 'funding', '-f', 'md'])\n"
        "r = CliRunner().invoke(main, ['show', 'DHS'])\n"
        "heavy = {'networkx', 'pyvis', 'pyshacl', 'matplotlib'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
