"""Cold ``tf-graph ask`` on the shipped graph: questions of several kinds, each in a new process,
against the minimal rdflib script (parse the shipped files, run one query) and the floor
(python + pyoxigraph alone); with ``--old DIR``, against another checkout's code too (its
``src`` first on the path), old and new run alternately so that both see the same host load.

    python benchmarks/ask_cold.py                       # 5 runs of each (median)
    python benchmarks/ask_cold.py --old /work/main      # before / after, alternating
    python benchmarks/ask_cold.py --runs 1              # a smoke test

Prints a Markdown table: the median wall time and CPU time (user + system, less disturbed by
other work on a shared host) of each, the wall time's ratio to the rdflib script, and whether
the ask process imported rdflib (the target: 0.15 s or less, at most half the rdflib script,
no rdflib when the index is fresh); then the host's load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import HERE, Run, child_env, measure, median, shipped_baseline_script, tf_graph  # noqa: E402

QUESTIONS = (
    "Which agencies touch forced labor?",
    "Who chairs the PITF?",
    "What is DHS doing about forced labor?",
    "What was completed in 2021?",
    "What is the TVPA?",
)
#: prints whether rdflib was imported by the time ask answered
PROBE = (
    "import sys\n"
    "from tf_graph.cli import main\n"
    "sys.argv = ['tf-graph', 'ask', {question!r}]\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print('RDFLIB', 'rdflib' in sys.modules, file=sys.stderr)\n"
)


def code_env(store: Path, checkout: Path | None) -> dict[str, str]:
    """The environment of a measured ask: this repository's code, or ``checkout``'s."""
    env = child_env(store)
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout / "src")
    return env


def cells(runs: list[Run], plain: float) -> list[str]:
    """Wall s, CPU s and × rdflib of some runs (medians); [FAILED] if one failed."""
    ok = "" if all(r.code == 0 for r in runs) else " [FAILED]"
    wall = median([r.seconds for r in runs])
    cpu = median([r.cpu for r in runs])
    return [f"{wall:.3f}{ok}", f"{cpu:.3f}", f"{wall / plain:.2f}"]


def imports_rdflib(question: str, env: dict[str, str]) -> str:
    probe = measure([sys.executable, "-c", PROBE.format(question=question)], env)
    return "yes" if "RDFLIB True" in probe.stderr else "no"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (median)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where the indexes go")
    parser.add_argument("--old", type=Path, help="another checkout to compare with (alternating)")
    args = parser.parse_args(argv)
    codes: dict[str, Path | None] = {"new": None}
    if args.old is not None:
        codes = {"old": args.old.resolve(), "new": None}
    envs = {}
    for name, checkout in codes.items():
        store = args.out / f"store-ask-cold-{name}"
        shutil.rmtree(store, ignore_errors=True)
        envs[name] = code_env(store, checkout)
        measure(tf_graph(("ask", QUESTIONS[0]), None), envs[name])  # builds the index
    floor = [measure([sys.executable, "-c", "import pyoxigraph"], envs["new"]) for _ in range(3)]
    script = shipped_baseline_script()
    baseline = [measure(script, child_env()) for _ in range(args.runs)]
    plain = median([r.seconds for r in baseline])
    width = 1 + 4 * len(codes)

    def row(*cells: str) -> None:
        print("| " + " | ".join(list(cells) + [""] * (width - len(cells))) + " |")

    row("command", *(f"{n} {c}" for n in codes for c in ("s", "cpu s", "× rdflib", "rdflib?")))
    print("|" + "---|" * width)
    row("python + pyoxigraph", f"{median([r.seconds for r in floor]):.3f}")
    cpu = median([r.cpu for r in baseline])
    row("minimal rdflib script (parse + agencies-by-topic)", f"{plain:.3f}", f"{cpu:.3f}", "1.00")
    for question in QUESTIONS:
        runs: dict[str, list[Run]] = {name: [] for name in codes}
        for _ in range(args.runs):
            for name in codes:  # alternating: each sees the same spell of host load
                runs[name].append(measure(tf_graph(("ask", question), None), envs[name]))
        found = [
            c for n in codes for c in [*cells(runs[n], plain), imports_rdflib(question, envs[n])]
        ]
        row(f'ask "{question}"', *found)
    print(f"\nhost load (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
