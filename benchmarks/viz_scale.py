"""How large a graph the viz page handles: seconds to build it and to first draw in Chromium.

For each size (total nodes), a synthetic --data file from benchmarks/synthetic.py grows the
shipped graph to about that many nodes; the page is written with physics in the browser and with a
static (Python) layout, opened from file:// in headless Chromium, and timed until vis-network's
first ``afterDrawing``. "frame" is one redraw after a zoom step (how the page feels to use).
The whole graph opens on its overview: "first drawn" is how many nodes that draw holds, and
"whole graph" the seconds from a click on "Whole graph" to the next drawing.

    /work/venv/bin/python benchmarks/viz_scale.py [--sizes 187,500,1000,2000,5000] [--timeout 120]

Needs /usr/bin/chromium and Playwright's Python package. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tf_graph.build.loading import load_graph
from tf_graph.build.projection import to_networkx
from tf_graph.viz.visualisation import ViewSpec, write_page

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
]
#: nodes of the shipped graph's projection, and synthetic triples per added node (measured)
SHIPPED_NODES = 187
TRIPLES_PER_NODE = 12.0
ALL_JS = """() => new Promise(resolve => {
  const n = window.tfGraph.network, t = performance.now();
  n.once("afterDrawing", () => resolve(performance.now() - t));
  window.tfGraph.showAll();
})"""
FRAME_JS = """() => new Promise(resolve => {
  const n = window.tfGraph.network, t = performance.now();
  n.once("afterDrawing", () => resolve(performance.now() - t));
  n.moveTo({scale: n.getScale() * 1.05});
})"""


def synthetic_data(folder: Path, total_nodes: int) -> Path | None:
    """A --data file from benchmarks/synthetic.py (the shipped graph's shape: agencies, bodies,
    initiatives with pillars, topics, sectors) sized so the page has about ``total_nodes``."""
    from synthetic import write_graph

    added = total_nodes - SHIPPED_NODES
    if added <= 0:
        return None
    path = folder / f"synthetic-{total_nodes}.ttl"
    write_graph(path, int(added * TRIPLES_PER_NODE))
    return path


Draw = tuple[float | None, float | None, int | None, float | None]


def first_draw(browser, page_path: Path, timeout_s: float) -> Draw:
    """Seconds from navigation to vis-network's first drawing, one frame's milliseconds, the
    nodes first drawn, and seconds to draw the whole graph from there."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(page_path.as_uri(), timeout=timeout_s * 1000)
        page.wait_for_function("window.tfGraphReady === true", timeout=timeout_s * 1000)
        drawn = page.evaluate("window.tfGraphDrawnAt") / 1000
        frame = page.evaluate(FRAME_JS)
        first = page.evaluate("window.tfGraph.nodes.length")
        whole = page.evaluate(ALL_JS) / 1000
        return drawn, frame, first, whole
    except Exception:  # noqa: BLE001 - a timeout is a result here
        return None, None, None, None
    finally:
        page.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="187,500,1000,2000,5000", help="total nodes")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per page")
    parser.add_argument("--repeat", type=int, default=2, help="draws per page (best is kept)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    from playwright.sync_api import sync_playwright

    rows = []
    gave_up = False
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for size in sizes:
            extra = synthetic_data(Path(tmp), size)
            graph = load_graph([extra] if extra else [])
            view = to_networkx(graph)
            for layout in ("physics", "static"):
                out = Path(tmp) / f"graph-{size}-{layout}.html"
                start = time.perf_counter()
                write_page(graph, out, ViewSpec(), layout=layout)
                build = time.perf_counter() - start
                if layout == "physics" and gave_up:
                    draws: list[Draw] = [(None, None, None, None)]  # a smaller one timed out
                else:
                    draws = [first_draw(browser, out, args.timeout) for _ in range(args.repeat)]
                done = [d for d in draws if d[0] is not None]
                best = min(done) if done else (None, None, None, None)
                nodes, edges = view.number_of_nodes(), view.number_of_edges()
                rows.append((nodes, edges, layout, build, best, out.stat().st_size))
                print(f"# {nodes} {layout}: build {build:.1f}s, draws {draws}", file=sys.stderr)
                gave_up = gave_up or (best[0] is None and layout == "physics")
        browser.close()
    print(
        "| nodes | edges | layout | build page (s) | first draw in Chromium (s) | first drawn "
        "| frame (ms) | whole graph (s) | page (MB) |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for nodes, edges, layout, build, (drawn, frame, first, whole), nbytes in rows:
        shown = f"{drawn:.1f}" if drawn is not None else f"> {args.timeout:.0f}"
        frame_ms = f"{frame:.0f}" if frame is not None else "-"
        whole_s = f"{whole:.1f}" if whole is not None else "-"
        print(
            f"| {nodes} | {edges} | {layout} | {build:.1f} | {shown} | {first or '-'} "
            f"| {frame_ms} | {whole_s} | {nbytes / 1e6:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
