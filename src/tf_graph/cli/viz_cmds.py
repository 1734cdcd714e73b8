"""``tf-graph viz``: the interactive network page, or a static picture for reports."""

from __future__ import annotations

from pathlib import Path

import click

from tf_graph.cli.common import data_option, open_graph, reports_errors
from tf_graph.viz.visualisation import STATIC_THRESHOLD

FORMATS = ("html", "png", "svg")


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="File to write (default: graph.html, graph.png or graph.svg).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS, case_sensitive=False),
    default=None,
    help="html (interactive page, default), or a static png/svg picture; "
    "taken from the -o suffix when not given.",
)
@click.option(
    "--focus",
    metavar="ENTITY",
    help="Show the neighbourhood of ENTITY (name, abbreviation, slug or IRI).",
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Links to follow from --focus.",
)
@click.option(
    "--topic",
    metavar="TOPIC",
    help="Show the agencies and initiatives that touch "
    "TOPIC (the answer of the agencies-by-topic query).",
)
@click.option(
    "--pillar", metavar="PILLAR", help="Show one pillar's initiatives and what they link to."
)
@click.option(
    "--class",
    "classes",
    metavar="CLASS",
    multiple=True,
    help="Show only resources of CLASS (Agency, Initiative, ...); repeatable.",
)
@click.option(
    "--layout",
    type=click.Choice(("auto", "physics", "static")),
    default="auto",
    show_default=True,
    help="physics: vis-network lays out in the browser; static: "
    f"positions computed here, physics off; auto: static above {STATIC_THRESHOLD} nodes.",
)
@data_option
@reports_errors
def viz(
    output: Path | None,
    fmt: str | None,
    focus: str | None,
    depth: int,
    topic: str | None,
    pillar: str | None,
    classes: tuple[str, ...],
    layout: str,
    data: tuple[Path, ...],
) -> None:
    """Write an interactive, offline HTML network of the graph (or a PNG/SVG picture).

    The page needs no network: search a node by name or abbreviation, filter by class,
    pillar and topic, click a node for its details and neighbours. Prints the path written.

    \b
    Examples:
      tf-graph viz                                   # graph.html, the whole graph
      tf-graph viz --focus DHS --depth 2 -o dhs.html
      tf-graph viz --topic "forced labor" -o forced-labor.html
      tf-graph viz --pillar prosecution --class Initiative --class Agency
      tf-graph viz --topic "forced labor" --format svg -o forced-labor.svg
      tf-graph viz --data more.ttl --layout static
    """
    from tf_graph.viz.visualisation import ViewSpec, write_page

    if depth != 1 and not focus:
        raise click.UsageError("--depth needs --focus")
    suffix_fmt = _format_from_suffix(output)
    named = output is not None and output.suffix.lower().lstrip(".") in FORMATS
    if fmt and named and suffix_fmt != fmt.lower():
        raise click.UsageError(f"-o {output} does not match --format {fmt}")
    fmt = (fmt or suffix_fmt).lower()
    output = output or Path(f"graph.{fmt}")
    spec = ViewSpec(focus=focus, depth=depth, topic=topic, pillar=pillar, classes=tuple(classes))
    graph = open_graph(data).rdf
    if fmt == "html":
        written = write_page(graph, output, spec, layout=layout)
    else:
        from tf_graph.viz.picture import write_picture

        written = write_picture(graph, output, spec, fmt=fmt)
    click.echo(str(written))


def _format_from_suffix(output: Path | None) -> str:
    if output is not None and output.suffix.lower().lstrip(".") in FORMATS:
        return output.suffix.lower().lstrip(".")
    return "html"
