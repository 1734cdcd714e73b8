"""A static picture of a view (PNG, SVG or PDF) for reports: same classes, colours and legend as the
interactive page, drawn with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
from rdflib import Graph

from tf_graph.errors import TfGraphError
from tf_graph.outputs import write_bytes
from tf_graph.sourcetext import clip
from tf_graph.viz.visualisation import (
    CLASS_STYLES,
    ViewSpec,
    build_view,
    layout_positions,
    page_title,
)

#: picture format -> what makes the file the same every time (no creation date)
PICTURE_FORMATS: dict[str, dict[str, None]] = {
    "png": {},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None},
}
#: label every node up to this many; above it only the best-connected ones
LABEL_ALL_UP_TO = 120
#: views this small get every name, however long
SMALL_VIEW = 60

#: longest name drawn beside a node, in characters
NAME_WIDTH = 48


def render_picture(view: nx.MultiDiGraph, title: str, fmt: str) -> bytes:
    """The picture's bytes: nodes by class (colour and marker), arrows, short names, legend."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    if fmt not in PICTURE_FORMATS:
        known = ", ".join(PICTURE_FORMATS)
        raise TfGraphError(f"unknown picture format {fmt!r} (expected one of {known})")
    n = view.number_of_nodes()
    side = min(40.0, max(10.0, n**0.5 * 1.6))
    fig = Figure(figsize=(side * 1.25, side), dpi=100)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.margins(0.12)
    ax.set_title(title, fontsize=14)
    pos = layout_positions(view)
    degree = dict(view.degree())
    _draw_edges(ax, view, pos)
    present = []
    for cls, style in CLASS_STYLES.items():
        members = [v for v, a in view.nodes(data=True) if a.get("cls", "Resource") == cls]
        if not members:
            continue
        present.append((cls, style, len(members)))
        nx.draw_networkx_nodes(
            view,
            pos,
            nodelist=members,
            ax=ax,
            node_color=style.color,
            node_shape=style.marker,
            node_size=[_marker_area(degree[v]) for v in members],
            edgecolors="#333333",
            linewidths=0.5,
        )
    for v in _labelled(view, degree):
        x, y = pos[v]
        ax.text(
            x,
            y,
            clip(_name(view, v), NAME_WIDTH),
            fontsize=7,
            ha="center",
            va="bottom",
            parse_math=False,
            clip_on=False,
        )
    handles = [
        Line2D(
            [],
            [],
            linestyle="",
            marker=style.marker,
            markersize=9,
            color=style.color,
            markeredgecolor="#333333",
            label=f"{cls} ({count})",
        )
        for cls, style, count in present
    ]
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9, title="Classes"
    )
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "tf-graph"}):  # the same ids in every SVG
        fig.savefig(buffer, format=fmt, bbox_inches="tight", metadata=PICTURE_FORMATS[fmt])
    return buffer.getvalue()


def _draw_edges(ax, view: nx.MultiDiGraph, pos: dict) -> None:
    """Edges as one line collection with a small arrowhead two thirds along each (drawing an
    arrow patch per edge, as networkx does for directed graphs, takes seconds)."""
    import numpy as np
    from matplotlib.collections import LineCollection

    pairs = [(pos[s], pos[t]) for s, t in view.edges() if s != t]
    if not pairs:
        return
    segments = np.array(pairs, dtype=float)
    ax.add_collection(LineCollection(segments, colors="#9aa5b1", linewidths=0.6, zorder=1))
    start, end = segments[:, 0], segments[:, 1]
    direction = end - start
    length = np.hypot(direction[:, 0], direction[:, 1])
    length[length == 0] = 1.0
    span = float(np.ptp(segments.reshape(-1, 2), axis=0).max() or 1.0)
    step = direction / length[:, None] * span * 0.012
    tip = start + direction * 0.66 - step
    ax.quiver(
        tip[:, 0],
        tip[:, 1],
        step[:, 0],
        step[:, 1],
        angles="xy",
        scale_units="xy",
        scale=1,
        color="#7b8794",
        width=0.002,
        headwidth=4,
        headlength=5,
        headaxislength=4.5,
        zorder=1,
    )


def _marker_area(degree: int) -> float:
    return 40 + 25 * degree**0.5


def _labelled(view: nx.MultiDiGraph, degree: dict) -> list:
    """Which nodes get a name: all in a small view; else the best connected ones with a short
    name (initiatives' names are sentences and would cover the picture)."""
    nodes = sorted(view, key=lambda v: (-degree[v], v))
    if len(nodes) <= SMALL_VIEW:
        return nodes
    short = [v for v in nodes if len(_name(view, v)) <= 30]
    return short[:LABEL_ALL_UP_TO]


def _name(view: nx.MultiDiGraph, node: str) -> str:
    return view.nodes[node].get("short") or view.nodes[node].get("label") or node


def write_picture(
    graph: Graph, path: Path | str, spec: ViewSpec | None = None, fmt: str = "png"
) -> Path | str:
    """Write a PNG, SVG or PDF picture of the view ``spec`` selects to ``path`` (with
    :func:`tf_graph.outputs.write_bytes`; ``"-"``: standard output)."""
    spec = spec or ViewSpec()
    _, view = build_view(graph, spec)
    return write_bytes(path, render_picture(view, page_title(spec), fmt.lower()))
