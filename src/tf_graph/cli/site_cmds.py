"""``tf-graph site``: the graph as a static website (entity pages, index, overview network)."""

from __future__ import annotations

from pathlib import Path

import click

from tf_graph.cli.common import data_option, open_graph, reports_errors


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("site"),
    show_default=True,
    help="Folder to write (new, empty, or an earlier site, which is replaced).",
)
@data_option
@reports_errors
def site(output: Path, data: tuple[Path, ...]) -> None:
    """Write the graph as a static website that works from disk or any static host.

    One page per entity (what it is, its names, every link with the quote and source behind
    it, its neighbourhood), an index by kind (index.html) and the overview network
    (network.html); relative links, no script or file from the network. Prints what it wrote.

    \b
    Examples:
      tf-graph site -o site && xdg-open site/index.html
      tf-graph site -o public --data more.ttl
    """
    from tf_graph.viz.site import write_site

    report = write_site(open_graph(data).rdf, output)
    click.echo(report.summary())
