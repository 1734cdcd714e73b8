"""Commands on a synthetic graph (default 1M triples), this checkout against another one
(``--old DIR``): each command in a new process, old and new run alternately (so both see the
same spells of host load), on an index each builds first; medians of wall and CPU time (user +
system, less disturbed by other work on a shared host) and the lines each wrote.

    python benchmarks/compare.py --old /path/to/main                 # 1M, 5 runs of each
    python benchmarks/compare.py --old /path/to/main --only ask --runs 3

Prints a Markdown table, then the host's load before and after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402
from run import HERE, Run, child_env, measure, median, tf_graph  # noqa: E402

COMMANDS = {
    "agencies-by-topic": ("query", "agencies-by-topic", "-p", "topic=forced labor", "-f", "csv"),
    "ask": ("ask", "Which agencies touch forced labor?"),
    "initiatives-by-topic": (
        "query",
        "initiatives-by-topic",
        "-p",
        "topic=forced labor",
        "-f",
        "csv",
    ),
    "initiatives-by-agency": ("query", "initiatives-by-agency", "-p", "agency=DHS", "-f", "csv"),
}


def code_env(store: Path, checkout: Path | None) -> dict[str, str]:
    """The environment of a measured command: this checkout's code, or ``checkout``'s."""
    env = child_env(store)
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout / "src")
    return env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", type=Path, required=True, help="the checkout to compare with")
    parser.add_argument("--size", default="1M", help="triples of the synthetic graph")
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (median)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where the indexes go")
    parser.add_argument("--only", action="append", choices=sorted(COMMANDS), help="repeatable")
    args = parser.parse_args(argv)
    data = args.out / f"synthetic-{args.size}.ttl"
    if not data.is_file():
        synthetic.write_graph(data, synthetic.parse_size(args.size))
    codes: dict[str, Path | None] = {"old": args.old.resolve(), "new": None}
    envs = {}
    load_before = os.getloadavg()
    for name, checkout in codes.items():
        store = args.out / f"store-compare-{name}"
        shutil.rmtree(store, ignore_errors=True)
        envs[name] = code_env(store, checkout)
        first = measure(tf_graph(COMMANDS["ask"], data), envs[name])  # index and names
        print(f"{name}: first ask (builds the index and the names) {first.seconds:.1f} s")
    print("\n| command | old s | old cpu s | new s | new cpu s | lines old / new |")
    print("|---|---|---|---|---|---|")
    for key in args.only or list(COMMANDS):
        runs: dict[str, list[Run]] = {name: [] for name in codes}
        for turn in range(args.runs):
            order = list(codes) if turn % 2 == 0 else list(reversed(codes))
            for name in order:
                runs[name].append(measure(tf_graph(COMMANDS[key], data), envs[name]))
        cells = []
        for name in codes:
            ok = "" if all(r.code == 0 for r in runs[name]) else " [FAILED]"
            cells += [f"{median([r.seconds for r in runs[name]]):.2f}{ok}"]
            cells += [f"{median([r.cpu for r in runs[name]]):.2f}"]
        lines = f"{runs['old'][-1].lines} / {runs['new'][-1].lines}"
        print(f"| {' '.join(COMMANDS[key])} | {' | '.join(cells)} | {lines} |")
    after = os.getloadavg()
    print(f"\nhost load (1 min) before {load_before[0]:.2f}, after {after[0]:.2f}")


if __name__ == "__main__":
    main()
