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
    ax.legend(
        handles=class_handles(present, 9),
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=9,
        title="Classes",
    )
    return _saved(fig, fmt)


def class_handles(present: list, markersize: float) -> list:
    """Legend entries for the classes drawn: marker, colour and "Class (count)"."""
    from matplotlib.lines import Line2D

    return [
        Line2D(
            [],
            [],
            linestyle="",
            marker=style.marker,
            markersize=markersize,
            color=style.color,
            markeredgecolor="#333333",
            label=f"{cls} ({count})",
        )
        for cls, style, count in present
    ]


def _saved(fig, fmt: str) -> bytes:  # noqa: ANN001 - a matplotlib Figure
    """The figure's bytes, the same for the same picture (no date, fixed SVG ids)."""
    import matplotlib

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
    ax.add_collection(LineCollection(list(segments), colors="#9aa5b1", linewidths=0.6, zorder=1))
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
    if spec == ViewSpec():
        content = render_overview(view, page_title(spec) + ": overview", fmt.lower())
    else:
        content = render_picture(view, page_title(spec), fmt.lower())
    return write_bytes(path, content)


# --- the overview picture -------------------------------------------------------------------

#: longest overview label, in characters (an executive order's title is a sentence)
OVERVIEW_NAME_WIDTH = 34
#: rounds of pushing overlapping labels apart
LABEL_ROUNDS = 200


def overview_figure(net: nx.MultiDiGraph, title: str):  # noqa: ANN201 - matplotlib Figure
    """The overview (:mod:`.overview`) drawn legibly: nodes by class, direct links solid,
    links through folded initiatives dashed (wider with more), a legend, and labels pushed
    apart until none overlaps another. Returns the figure and its label texts."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from tf_graph.viz.overview import build_overview

    found = build_overview(net)
    shown = set(found.nodes)
    direct = sorted({(u, v) for u, v in net.edges() if u in shown and v in shown and u != v})
    through = [(link.source, link.target, len(link.via)) for link in found.links]
    layout = nx.Graph()
    layout.add_nodes_from(sorted(shown))
    layout.add_edges_from(direct)
    layout.add_edges_from((s, t) for s, t, _ in through)
    pos = nx.kamada_kawai_layout(layout) if len(layout) > 1 else {n: (0.0, 0.0) for n in layout}
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import ScaledTranslation

    fig = Figure(figsize=(22, 16), dpi=100)
    FigureCanvasAgg(fig)  # a renderer to measure the labels with
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.margins(0.08)
    ax.set_title(title, fontsize=16)
    _overview_edges(ax, pos, direct, through)
    counts = {n: len(found.initiatives.get(n, ())) for n in shown}
    present = _overview_nodes(ax, net, pos, counts)
    below = ax.transData + ScaledTranslation(0, -9 / 72, fig.dpi_scale_trans)
    texts = [
        ax.text(
            pos[n][0],
            pos[n][1],
            _overview_name(net, n, counts[n]),
            fontsize=9,
            ha="center",
            va="top",
            parse_math=False,
            zorder=4,
            transform=below,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )
        for n in sorted(shown)
    ]
    _overview_legend(ax, present)
    separate_labels(fig, ax, texts)
    return fig, texts


def _overview_nodes(ax, net: nx.MultiDiGraph, pos: dict, counts: dict[str, int]) -> list:  # noqa: ANN001
    """The overview's nodes by class, larger with more initiatives; the classes drawn."""
    present = []
    for cls, style in CLASS_STYLES.items():
        members = sorted(n for n in counts if net.nodes[n].get("cls", "Resource") == cls)
        if not members:
            continue
        present.append((cls, style, len(members)))
        ax.scatter(
            [pos[n][0] for n in members],
            [pos[n][1] for n in members],
            s=[120 + 40 * counts[n] for n in members],
            c=style.color,
            marker=style.marker,
            edgecolors="#333333",
            linewidths=0.6,
            zorder=3,
        )
    return present


def _overview_name(net: nx.MultiDiGraph, node: str, initiatives: int) -> str:
    name = clip(_name(net, node), OVERVIEW_NAME_WIDTH)
    if initiatives:
        name += f"\n{initiatives} initiative{'s' if initiatives > 1 else ''}"
    return name


def _overview_edges(ax, pos: dict, direct: list, through: list) -> None:  # noqa: ANN001
    from matplotlib.collections import LineCollection

    if direct:
        ax.add_collection(
            LineCollection(
                [(pos[u], pos[v]) for u, v in direct], colors="#7b8794", linewidths=1.0, zorder=1
            )
        )
    if through:
        ax.add_collection(
            LineCollection(
                [(pos[u], pos[v]) for u, v, _ in through],
                colors="#b8c0c8",
                linewidths=[min(4.0, 0.6 + 0.4 * n) for _, _, n in through],
                linestyles="dashed",
                zorder=0,
            )
        )


def _overview_legend(ax, present: list) -> None:  # noqa: ANN001
    from matplotlib.lines import Line2D

    handles = class_handles(present, 10) + [
        Line2D([], [], color="#7b8794", label="direct link"),
        Line2D(
            [], [], color="#b8c0c8", linestyle="dashed", linewidth=2, label="through initiatives"
        ),
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=11,
        title="Overview: components, sections and\ndocuments folded into their parent",
    )


def label_boxes(fig, texts: list) -> list:  # noqa: ANN001
    """The labels' boxes on the canvas (display units), after drawing."""
    renderer = fig.canvas.get_renderer()
    return [t.get_window_extent(renderer=renderer) for t in texts]


def separate_labels(fig, ax, texts: list) -> None:  # noqa: ANN001
    """Push overlapping labels apart (vertically, and sideways when side by side) until none
    overlaps another; the labels move, the nodes stay."""
    fig.canvas.draw()
    to_data = ax.transData.inverted()
    for _ in range(LABEL_ROUNDS):
        boxes = label_boxes(fig, texts)
        moved = False
        for i, a in enumerate(boxes):
            for j in range(i + 1, len(boxes)):
                b = boxes[j]
                if not a.overlaps(b):
                    continue
                moved = True
                dy = (min(a.y1, b.y1) - max(a.y0, b.y0)) / 2 + 1
                dx = (min(a.x1, b.x1) - max(a.x0, b.x0)) / 2 + 1
                up, side = (1 if a.y0 >= b.y0 else -1), (1 if a.x0 >= b.x0 else -1)
                step = (0, dy * up) if dy <= dx else (dx * side, 0)
                _nudge(texts[i], step, to_data, ax)
                _nudge(texts[j], (-step[0], -step[1]), to_data, ax)
        if not moved:
            return
        fig.canvas.draw()


def _nudge(text, step: tuple[float, float], to_data, ax) -> None:  # noqa: ANN001
    x, y = ax.transData.transform(text.get_position())
    text.set_position(to_data.transform((x + step[0], y + step[1])))


def render_overview(net: nx.MultiDiGraph, title: str, fmt: str) -> bytes:
    """The overview picture's bytes (the same every time, as :func:`render_picture`'s)."""
    if fmt not in PICTURE_FORMATS:
        known = ", ".join(PICTURE_FORMATS)
        raise TfGraphError(f"unknown picture format {fmt!r} (expected one of {known})")
    fig, _ = overview_figure(net, title)
    return _saved(fig, fmt)
