"""Cold ``tf-graph ask`` on the shipped graph: questions of several kinds, each in a new process,
against the minimal rdflib script (parse the shipped files, run one query) and the floor
(python + pyoxigraph alone).

    python benchmarks/ask_cold.py            # 5 runs of each (median)
    python benchmarks/ask_cold.py --runs 1   # a smoke test

Prints a Markdown table: the median wall time of each, its ratio to the rdflib script, and
whether the ask process imported rdflib (the target: 0.15 s or less, at most half the rdflib
script, no rdflib when the index is fresh).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import HERE, child_env, measure, median, shipped_baseline_script, tf_graph  # noqa: E402

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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (median)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where the index goes")
    args = parser.parse_args(argv)
    store = args.out / "store-ask-cold"
    shutil.rmtree(store, ignore_errors=True)
    env = child_env(store)
    measure(tf_graph(("ask", QUESTIONS[0]), None), env)  # builds the index
    floor = [measure([sys.executable, "-c", "import pyoxigraph"], env) for _ in range(args.runs)]
    script = shipped_baseline_script()
    plain = median([measure(script, child_env()).seconds for _ in range(args.runs)])
    print("| command | median s | × rdflib script | imports rdflib |")
    print("|---|---|---|---|")
    print(f"| python + pyoxigraph | {median([r.seconds for r in floor]):.3f} | | |")
    print(f"| minimal rdflib script (parse + agencies-by-topic) | {plain:.3f} | 1.00 | yes |")
    for question in QUESTIONS:
        runs = [measure(tf_graph(("ask", question), None), env) for _ in range(args.runs)]
        probe = measure([sys.executable, "-c", PROBE.format(question=question)], env)
        rdflib = "yes" if "RDFLIB True" in probe.stderr else "no"
        ok = "" if all(r.code == 0 for r in runs) else " [FAILED]"
        seconds = median([r.seconds for r in runs])
        print(f'| ask "{question}"{ok} | {seconds:.3f} | {seconds / plain:.2f} | {rdflib} |')


if __name__ == "__main__":
    main()
