"""``tf-graph viz``: the interactive network page, or a static picture for reports."""

from __future__ import annotations

from pathlib import Path

import click

from tf_graph.cli.common import data_option, open_graph, output_target, reports_errors
from tf_graph.errors import OutputError
from tf_graph.viz.visualisation import STATIC_THRESHOLD

FORMATS = ("html", "png", "svg", "pdf")
#: file name extension -> the format it means
SUFFIXES = {".html": "html", ".htm": "html", ".png": "png", ".svg": "svg", ".pdf": "pdf"}


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="File to write, - for standard output (default: graph.html, graph.png, ...).",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS, case_sensitive=False),
    default=None,
    help="html (interactive page, default), or a static png/svg/pdf picture; "
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
    output: str | None,
    fmt: str | None,
    focus: str | None,
    depth: int,
    topic: str | None,
    pillar: str | None,
    classes: tuple[str, ...],
    layout: str,
    data: tuple[Path, ...],
) -> None:
    """Write an interactive, offline HTML network of the graph (or a PNG/SVG/PDF picture).

    The whole graph opens on an overview (departments with their components, bodies,
    pillars, laws; initiatives as counts), and the picture draws that overview. The page
    needs no network: click a node to expand it and see its details, search a node by name
    or abbreviation, filter by class, pillar and topic, or show the whole graph. Prints the
    path written.

    \b
    Examples:
      tf-graph viz                                   # graph.html, the whole graph
      tf-graph viz --focus DHS --depth 2 -o dhs.html
      tf-graph viz --topic "forced labor" -o forced-labor.html
      tf-graph viz --pillar prosecution --class Initiative --class Agency
      tf-graph viz --topic "forced labor" --format svg -o forced-labor.svg
      tf-graph viz --focus FLETF -o fletf.pdf
      tf-graph viz --data more.ttl --layout static
    """
    from tf_graph.viz.visualisation import ViewSpec, write_page

    if depth != 1 and not focus:
        raise click.UsageError("--depth needs --focus")
    fmt = choose_format(output, fmt)
    target = output_target(output) if output is not None else Path(f"graph.{fmt}")
    spec = ViewSpec(focus=focus, depth=depth, topic=topic, pillar=pillar, classes=tuple(classes))
    graph = open_graph(data).rdf
    if fmt == "html":
        written = write_page(graph, target, spec, layout=layout)
    else:
        from tf_graph.viz.picture import write_picture

        written = write_picture(graph, target, spec, fmt=fmt)
    if written != "-":
        click.echo(str(written))


def choose_format(output: str | None, fmt: str | None) -> str:
    """The format to write: ``--format``, else the extension of ``-o`` (none: html). An
    extension that names another format, or none we know without ``--format``, is refused."""
    suffix = Path(output).suffix.lower() if output not in (None, "-") else ""
    by_suffix = SUFFIXES.get(suffix)
    if fmt:
        if by_suffix and by_suffix != fmt.lower():
            raise OutputError(f"-o {output} does not match --format {fmt}")
        return fmt.lower()
    if suffix and not by_suffix:
        known = ", ".join(SUFFIXES)
        raise OutputError(
            f"-o {output}: unknown extension {suffix!r} (supported: {known}; "
            "or name the format with --format)"
        )
    return by_suffix or "html"
