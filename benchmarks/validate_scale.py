"""How ``tf-graph validate`` scales with the size of a ``--data`` file.

    python benchmarks/validate_scale.py                  # 10 MB and 100 MB of N-Triples
    python benchmarks/validate_scale.py --sizes 1,10     # chosen sizes, in MB
    python benchmarks/validate_scale.py --quick          # 1 MB only: a smoke test

For each size it writes a synthetic graph of the project's shape (benchmarks/synthetic.py) as
N-Triples to ``benchmarks/out/`` (one triple a line), plus one file holding a single 1 MB
literal on one line (rdflib's N-Triples reader was quadratic there), and runs
``tf-graph validate --data FILE`` in a new process: wall time, seconds per 1,000 lines and peak
resident memory (``wait4``'s ru_maxrss). Validation was about 3.5 ms a line before issue 17
(100,000 lines did not finish in 60 s); it should now grow in step with the input.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import write_graph  # noqa: E402

OUT = HERE / "out"
#: N-Triples bytes per synthetic triple (measured: 14.7 MB for 100,000 triples)
BYTES_PER_TRIPLE = 147


def ntriples_of_size(megabytes: float) -> Path:
    """A synthetic N-Triples file of about ``megabytes`` MB (written once, then reused)."""
    target = OUT / f"validate-{megabytes:g}MB.nt"
    if not target.is_file():
        triples = int(megabytes * 1_000_000 / BYTES_PER_TRIPLE)
        turtle = OUT / f"validate-{megabytes:g}MB.ttl"
        write_graph(turtle, triples)
        tmp = target.with_suffix(".tmp")
        ox.serialize(
            ox.parse(path=turtle, format=ox.RdfFormat.TURTLE),
            output=str(tmp),
            format=ox.RdfFormat.N_TRIPLES,
        )
        tmp.replace(target)
        turtle.unlink()
    return target


def one_long_line(megabytes: float = 1.0) -> Path:
    """One triple whose literal is ``megabytes`` MB long, on one line."""
    target = OUT / f"validate-long-line-{megabytes:g}MB.nt"
    if not target.is_file():
        OUT.mkdir(parents=True, exist_ok=True)
        literal = "z" * int(megabytes * 1_000_000)
        target.write_text(f'<http://example.org/a> <http://example.org/p> "{literal}" .\n', "utf-8")
    return target


def run_validate(path: Path) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak MiB, exit code) of ``tf-graph validate --data path`` in
    a new process (CPU time is the steadier figure on a shared machine)."""
    env = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tf_graph", "validate", "--data", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    error = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):  # 1: violations found (synthetic data has some)
        print(f"  ({path.name}: exit {proc.returncode}: {error.strip()[:200]})", file=sys.stderr)
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100", help="comma-separated sizes in MB")
    parser.add_argument("--quick", action="store_true", help="1 MB only")
    args = parser.parse_args()
    sizes = [1.0] if args.quick else [float(s) for s in args.sizes.split(",")]
    files = [("one 1 MB literal on one line", one_long_line())]
    files += [(f"{size:g} MB of N-Triples", ntriples_of_size(size)) for size in sizes]
    print(
        f"{'input':<32} {'lines':>9} {'MB':>7} {'wall s':>8} {'CPU s':>8} "
        f"{'CPU ms/line':>11} {'peak MiB':>9}"
    )
    for name, path in files:
        lines = sum(1 for _ in path.open("rb"))
        seconds, cpu, peak, code = run_validate(path)
        mark = "" if code in (0, 1) else f"  exit {code}"
        print(
            f"{name:<32} {lines:>9,} {path.stat().st_size / 1e6:>7.1f} {seconds:>8.1f} "
            f"{cpu:>8.1f} {cpu / lines * 1000:>11.3f} {peak:>9.0f}{mark}"
        )


if __name__ == "__main__":
    main()
