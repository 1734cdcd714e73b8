"""Commands on the graph as a whole: ``validate``, ``stats`` and ``export``."""

from __future__ import annotations

from pathlib import Path

import click

from tf_graph.build.export import FORMATS as EXPORT_FORMATS
from tf_graph.cli.common import data_option, open_graph, output_target, reports_errors

OUTPUT_FORMATS = ("text", "json")


@click.command()
@data_option
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(OUTPUT_FORMATS),
    default="text",
    show_default=True,
    help="Report as text for people or JSON for programs.",
)
@reports_errors
def validate(data: tuple[Path, ...], output_format: str) -> None:
    """Check the graph: SHACL shapes, every quote against its source's text, no dangling
    links, exactly one label per resource.

    Exits 0 when there are no violations, 1 when there are (the report lists them grouped
    by resource). Files given with --data are checked together with the shipped graph; their
    sources' local copies are looked for in data/, beside the --data files and in the
    current folder.

    \b
    Examples:
      tf-graph validate
      tf-graph validate --data my-initiatives.ttl --format json
    """
    from tf_graph.build.validation import validate as run_validation

    graph = open_graph(data).rdf
    source_dirs = [*(Path(p).parent for p in data), Path.cwd()]
    report = run_validation(graph, source_dirs=source_dirs)
    click.echo(report.to_json() if output_format == "json" else report.to_text())
    raise SystemExit(0 if report.conforms else 1)


@click.command()
@data_option
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many agencies to rank.",
)
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(OUTPUT_FORMATS),
    default="text",
    show_default=True,
    help="Text for people or JSON for programs.",
)
@reports_errors
def stats(data: tuple[Path, ...], top: int, output_format: str) -> None:
    """Counts per class and per property, and the most connected agencies by degree and by
    betweenness centrality (over the network of resources that viz draws).

    \b
    Examples:
      tf-graph stats
      tf-graph stats --top 5 --format json
    """
    from tf_graph.build.analytics import graph_stats

    result = graph_stats(open_graph(data).rdf, top=top)
    click.echo(result.to_json() if output_format == "json" else result.to_text())


@click.command()
@data_option
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(list(EXPORT_FORMATS)),
    required=True,
    help="ttl, nt, jsonld, trig: every triple. graphml, gexf: the network of resources with "
    "labels and classes (Gephi, Cytoscape). csv: its edge list with labels.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    required=True,
    help="File to write (replaced only when the new one is complete); - for standard output.",
)
@reports_errors
def export(data: tuple[Path, ...], fmt: str, output: str) -> None:
    """Write the graph to a file, for triple stores, network tools or spreadsheets.

    \b
    Examples:
      tf-graph export --format ttl -o tf-graph.ttl
      tf-graph export -f gexf -o tf-graph.gexf            # open in Gephi
      tf-graph export -f csv -o edges.csv --data mine.ttl
      tf-graph export -f nt -o - | wc -l                  # - is standard output
    """
    from tf_graph.build.export import export_graph

    target = output_target(output)
    result = export_graph(open_graph(data).rdf, fmt, target)
    # with -o - the file is standard output: the summary goes to standard error
    click.echo(result.summary(), err=target == "-")
