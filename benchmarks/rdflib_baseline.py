"""The baseline: what a user would write with rdflib alone — parse the files, run the query.

    python benchmarks/rdflib_baseline.py --budget 60 FILE... -- QUERY.rq VAR=IRI ... [-- ...]

Parses every FILE into one in-memory ``rdflib.Graph``, derives what the rules in
``queries/rules/`` derive (the CONSTRUCTs run by rdflib, as tf-graph's memory backend runs them:
the named queries read those triples) and runs each query (the same ``.rq`` text
tf-graph runs, with the same parameters bound through ``initBindings``) twice: the first run is
what a one-off script pays, the second what an interactive session pays once parsed. Prints one
JSON object with the times (seconds since this script started), the row counts and queries that
ran out of the time budget. ``--print`` prints the rows of the first query instead (the minimal
script a user would write for "which agencies touch forced labor?").
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402 - the clock starts before the imports, as a user's script pays them
import signal  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from rdflib import Graph, URIRef  # noqa: E402

from tf_graph.build.rules import apply_rules  # noqa: E402


def since_start() -> float:
    return round(time.perf_counter() - STARTED, 4)


class OutOfBudget(Exception):
    pass


def on_alarm(signum, frame):
    raise OutOfBudget


def parse_args(argv: list[str]) -> tuple[int, bool, list[str], list[tuple[str, dict[str, str]]]]:
    budget, show = 60, False
    while argv and argv[0].startswith("--") and argv[0] != "--":
        option = argv.pop(0)
        if option == "--budget":
            budget = int(argv.pop(0))
        elif option == "--print":
            show = True
    groups: list[list[str]] = [[]]
    for arg in argv:
        if arg == "--":
            groups.append([])
        else:
            groups[-1].append(arg)
    files, queries = groups[0], []
    for group in groups[1:]:
        bindings = dict(item.split("=", 1) for item in group[1:])
        queries.append((group[0], bindings))
    return budget, show, files, queries


def main(argv: list[str]) -> None:
    budget, show, files, queries = parse_args(argv)
    report: dict = {"imported": since_start()}
    graph = Graph()
    for path in files:
        graph.parse(path)
    apply_rules(graph)  # part of loading: the queries read the derived triples
    report["parsed"] = since_start()
    report["triples"] = len(graph)
    report["queries"] = []
    signal.signal(signal.SIGALRM, on_alarm)
    for rq, bindings in queries:
        text = Path(rq).read_text(encoding="utf-8")
        init = {name: URIRef(iri) for name, iri in bindings.items()}
        entry: dict = {"query": Path(rq).stem}
        for run in ("first", "second"):
            signal.alarm(budget)
            started = time.perf_counter()
            try:
                rows = list(graph.query(text, initBindings=init))
            except OutOfBudget:
                entry[run] = None
                break
            finally:
                signal.alarm(0)
            entry[run] = round(time.perf_counter() - started, 4)
            entry["rows"] = len(rows)
            if run == "first":
                entry["done"] = since_start()
            if show:
                for row in rows:
                    print(" | ".join("" if term is None else str(term) for term in row))
                return
        report["queries"].append(entry)
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1:])
