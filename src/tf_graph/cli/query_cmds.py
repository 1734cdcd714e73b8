"""Commands that answer questions: ``queries``, ``query``, ``ask``, ``show``."""

from __future__ import annotations

import importlib
import json
import textwrap
from pathlib import Path

import click

from tf_graph.cli.common import data_option, endpoint_option, open_graph, reports_errors


def _params(values: tuple[str, ...]) -> dict[str, str]:
    """``--param k=v`` options as a dict; a malformed or repeated one is a usage error."""
    params: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        name = name.strip()
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint="--param")
        if name in params:
            raise click.BadParameter(f"{name!r} given twice", param_hint="--param")
        params[name] = text
    return params


@click.command()
@reports_errors
def queries() -> None:
    """List the named SPARQL queries with their title, description and parameters.

    \b
    Example:
      tf-graph queries
      tf-graph query agencies-by-topic --param topic="sex trafficking"
    """
    from tf_graph.questions.catalogue import list_queries

    for spec in list_queries():
        click.echo(f"{spec.name}  —  {spec.title}")
        for line in textwrap.wrap(spec.description, 92):
            click.echo(f"    {line}")
        for param in spec.params:
            default = "required" if param.required else f"default: {param.default}"
            click.echo(f"    --param {param.name}=…  [{param.kind}] {param.meaning} ({default})")
        click.echo()


@click.command()
@click.argument("name_or_file")
@click.option(
    "--param", "-p", "param", multiple=True, metavar="NAME=VALUE",
    help="A parameter: a label, abbreviation, slug or IRI, or a year, month or number "
    "(its kind is in 'tf-graph queries'); repeatable.",
)  # fmt: skip
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["table", "csv", "json", "md", "tsv", "xml"]),
    default="table", show_default=True,
    help="table: labels for people; csv/tsv/json/xml: W3C SPARQL 1.1 results; md: Markdown.",
)  # fmt: skip
@data_option
@endpoint_option
@reports_errors
def query(name_or_file: str, param: tuple[str, ...], fmt: str, data: tuple[Path, ...]) -> None:
    """Run a named query (see 'tf-graph queries') or your own .rq file.

    Parameter values are resolved to resources (DHS, "Homeland Security", agency/dhs or a
    full IRI all work) and bound as SPARQL variables, never pasted into the query text.

    \b
    Examples:
      tf-graph query agencies-by-topic
      tf-graph query agencies-by-topic --param topic="forced labour" --format csv
      tf-graph query initiatives-by-agency -p agency=DHS -f md
      tf-graph query planned-actions -p year=2022 -f json
      tf-graph query my-question.rq --data my-additions.ttl
      tf-graph query funding --endpoint http://127.0.0.1:8000/sparql
    """
    params = _params(param)
    graph = open_graph(data, meanwhile=lambda: importlib.import_module("tf_graph.questions.run"))
    from tf_graph.questions.results import render
    from tf_graph.questions.run import run_query

    # what questions read (on the index: light terms, no rdflib), not graph.query's rdflib
    # terms: the rows are only written out (1M triples, 25,788 rows: 0.3 s less)
    result = run_query(graph.reader, name_or_file, params)
    click.echo(render(result, fmt), nl=False)


@click.command()
@click.argument("question")
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
    show_default=True, help="text for people; json with the result, evidence and query.",
)  # fmt: skip
@click.option("--show-sparql", is_flag=True, help="Also print the SPARQL query and bindings.")
@data_option
@endpoint_option
@reports_errors
def ask(question: str, fmt: str, show_sparql: bool, data: tuple[Path, ...]) -> None:
    """Answer a question in your own words, with the evidence behind each answer.

    The question is read for what the graph names (agencies, bodies, laws and their
    sections, topics, countries, sectors, pillars, statuses, years and months, by any of
    their names, abbreviations or citations) and for what is asked (who leads, members,
    what an agency does, partners, what carries out a law, plans, timeline, money, ...).
    A question it cannot answer is refused, saying what was recognised and offering
    questions that work (exit 1). --format json adds what was recognised and which query
    ran with which bindings.

    \b
    Examples:
      tf-graph ask "Which agencies touch forced labor?"
      tf-graph ask "What is DOJ doing about forced labor?"
      tf-graph ask "Who is in charge of the PITF?"
      tf-graph ask "Is DOL a member of the PITF?"
      tf-graph ask "What does section 307 of the Tariff Act prohibit?"
      tf-graph ask "What was completed in 2021?" --format json
      tf-graph ask "Which executive orders are cited?" --show-sparql
    """
    from tf_graph.errors import UnansweredQuestionError

    graph = open_graph(data, meanwhile=lambda: importlib.import_module("tf_graph.questions.ask"))
    from tf_graph.questions.ask import format_answer

    try:
        result = graph.ask(question)
    except UnansweredQuestionError as err:
        if fmt != "json":
            raise
        click.echo(
            json.dumps({"question": question, **err.to_json()}, indent=2, ensure_ascii=False)
        )
        raise SystemExit(err.exit_code) from None
    if fmt == "json":
        document = result.to_json()
        if not show_sparql:
            document.pop("sparql", None)
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(format_answer(result, show_sparql=show_sparql), nl=False)


@click.command()
@click.argument("entity")
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
    show_default=True, help="text for people; json for programs.",
)  # fmt: skip
@data_option
@endpoint_option
@reports_errors
def show(entity: str, fmt: str, data: tuple[Path, ...]) -> None:
    """Profile one resource: type, names, description, links in and out, quotes.

    ENTITY is a label, abbreviation, alias, slug or IRI.

    \b
    Examples:
      tf-graph show DHS
      tf-graph show "Forced Labor Enforcement Task Force"
      tf-graph show initiative/fletf-uflpa-enforcement-strategy
      tf-graph show "section 307" --format json
    """
    from tf_graph.questions.profile import format_profile

    found = open_graph(data).show(entity)
    if fmt == "json":
        click.echo(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_profile(found), nl=False)
