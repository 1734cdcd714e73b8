"""Every named query on the shipped graph, as each engine runs it, slowest first.

    python benchmarks/named_queries.py [--runs 3] [--only NAME] [--endpoint URL --graph IRI]

Columns: Oxigraph (the index, parameters substituted), rdflib with ``initBindings``, rdflib
given the query with a trailing VALUES block (the whole query first, then the join: what a
``tf-graph serve`` endpoint evaluated for a remote client before the block was bound first),
and ``tf-graph serve``'s worker given that text (:mod:`tf_graph.engines.rdflib_values`, in
this process, no HTTP). With ``--endpoint``, the same text sent to that store too (e.g. a
Virtuoso holding the pushed graph, or a ``tf-graph serve``).
Each query runs with its defaults and, if it takes parameters, with the test samples
(tests/support.py). Median of ``--runs`` runs after one warm-up; times in seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from support import SAMPLE_PARAMS, binding_sample  # noqa: E402

from tf_graph.engines import ENGINES, Source  # noqa: E402
from tf_graph.engines.remote import append_values, open_endpoint  # noqa: E402
from tf_graph.questions.catalogue import QuerySpec, list_queries  # noqa: E402
from tf_graph.questions.params import bind_params  # noqa: E402
from tf_graph.server import protocol, worker  # noqa: E402


def served(graph, text: str) -> int:  # noqa: ANN001
    """Rows of ``text`` as the endpoint's worker evaluates it (parsed, then evaluated)."""
    query = protocol.parse_query(text, dict(graph.namespaces()))
    return len(worker.evaluate(graph, query, protocol.SOLUTIONS, 10**7).rows)


def timed(call: Callable[[], int], runs: int) -> tuple[float, int]:
    """Median seconds of ``runs`` calls after a warm-up, and the rows of the last."""
    rows = call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        rows = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), rows


def measure(text: str, bindings: dict, engines: tuple, runs: int) -> list:
    """Rows, then seconds: Oxigraph and rdflib bound, rdflib and the endpoint given VALUES."""
    oxigraph, memory, remote = engines
    trailing = append_values(text, [bindings]) if bindings else text
    seconds, rows = timed(lambda: len(oxigraph.query(text, initBindings=bindings)), runs)
    found = [rows, seconds]
    found.append(timed(lambda: len(memory.query(text, initBindings=bindings)), runs)[0])
    found.append(timed(lambda: len(memory.query(trailing)), runs)[0])
    found.append(timed(lambda: served(memory, trailing), runs)[0])
    if remote is not None:
        found.append(timed(lambda: len(remote.query(trailing)), runs)[0])
    return found


def cases() -> list[tuple[QuerySpec, dict[str, str]]]:
    """(query, parameters): its defaults, and the samples of a query with any."""
    found = []
    for spec in list_queries():
        defaults = {
            p.name: SAMPLE_PARAMS[p.name]
            for p in spec.params
            if p.required and p.name in SAMPLE_PARAMS
        }
        found.append((spec, defaults))
        if spec.params:
            samples = {p.name: binding_sample(spec.name, p.name) for p in spec.params}
            if samples != defaults:
                found.append((spec, samples))
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--endpoint", help="a SPARQL endpoint holding the shipped graph")
    parser.add_argument("--graph", help="its named graph (with --endpoint)")
    parser.add_argument("--only", action="append", help="this named query only (repeatable)")
    args = parser.parse_args(argv)
    memory = ENGINES["memory"].open(Source())
    oxigraph = ENGINES["oxigraph"].open(Source())
    remote = open_endpoint(args.endpoint, graph_iri=args.graph) if args.endpoint else None
    table = []
    for spec, values in cases():
        if args.only and spec.name not in args.only:
            continue
        text = spec.text
        bindings = bind_params(memory, spec, values)
        row = [spec.name, ", ".join(f"{k}={v}" for k, v in values.items()) or "(defaults)"]
        row += measure(text, bindings, (oxigraph, memory, remote), args.runs)
        table.append(row)
    head = [
        "query",
        "parameters",
        "rows",
        "Oxigraph",
        "rdflib bound",
        "rdflib + VALUES",
        "serve + VALUES",
    ]
    head += ["endpoint + VALUES"] if remote is not None else []
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in sorted(table, key=lambda r: -max(r[3:])):
        cells = [str(c) if not isinstance(c, float) else f"{c:.3f}" for c in row]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
