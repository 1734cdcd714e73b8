"""How fast tf-graph answers, from the shipped graph to a million triples, against plain rdflib.

    python benchmarks/run.py                      # 10k, 100k and 1M triples (a few minutes)
    python benchmarks/run.py --sizes 10k,100k     # chosen sizes
    python benchmarks/run.py --quick              # 10k only, one run each: a smoke test
    python benchmarks/run.py --quick --sizes 1k   # the same smoke test on 1k (the test suite's)

For each size it writes a synthetic graph of the project's shape (benchmarks/synthetic.py) to
``benchmarks/out/`` and measures, every command in a new process:

- tf-graph with its cached Oxigraph index: the first command (which builds the index), then for
  three named queries and ``ask`` the cold run (first after the build) and the warm runs (the
  median of later runs); peak resident memory of each process (``wait4``'s ru_maxrss);
- the rdflib baseline (benchmarks/rdflib_baseline.py): parse the same files into an rdflib
  Graph, derive what the rules derive and run the same SPARQL with the same bindings; its
  per-command time is interpreter start + import + parse + rules + the query; "warm" is the
  query run again in the same process.
  At sizes of a million triples and more it runs once (parsing alone takes about a minute).

The speed-up is the rdflib command's time over tf-graph's warm command, both measured here.
Last, ``tf-graph ask "Which agencies touch forced labor?"`` on the shipped graph against the
minimal rdflib script that parses the shipped files and runs the same query.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

TFR = "https://w3id.org/tf-graph/id/"
ASK = "Which agencies touch forced labor?"


@dataclass(frozen=True)
class Command:
    """One measured command: tf-graph's arguments and the rdflib baseline's equivalent."""

    label: str
    argv: tuple[str, ...]
    query: str  # the .rq the baseline runs
    bindings: tuple[tuple[str, str], ...] = ()


COMMANDS = (
    Command(
        "query agencies-by-topic -p topic=forced labor",
        ("query", "agencies-by-topic", "--param", "topic=forced labor", "--format", "csv"),
        "agencies-by-topic",
        (("topic", f"{TFR}topic/forced-labor"),),
    ),
    Command(
        "query initiatives-by-agency -p agency=DHS",
        ("query", "initiatives-by-agency", "--param", "agency=DHS", "--format", "csv"),
        "initiatives-by-agency",
        (("agency", f"{TFR}agency/dhs"),),
    ),
    Command(
        "query agency-partners -p agency=DHS",
        ("query", "agency-partners", "--param", "agency=DHS", "--format", "csv"),
        "agency-partners",
        (("agency", f"{TFR}agency/dhs"),),
    ),
    Command(
        f'ask "{ASK}"',
        ("ask", ASK),
        "agencies-by-topic",
        (("topic", f"{TFR}topic/forced-labor"),),
    ),
)


@dataclass
class Run:
    seconds: float
    peak_mib: float
    code: int
    lines: int
    stderr: str = ""
    cpu: float = 0.0  # user + system seconds (less disturbed than wall time by a busy host)


@dataclass
class Row:
    size: str
    triples: int
    command: str
    rows: int | str = ""
    build: str = ""
    ox_cold: float | None = None
    ox_warm: float | None = None
    ox_peak: float | None = None
    rdf_parse: str = ""
    rdf_cmd: float | None = None
    rdf_warm: float | None = None
    rdf_peak: float | None = None
    notes: list[str] = field(default_factory=list)


def child_env(store: Path | None = None) -> dict[str, str]:
    """The environment of a measured process: a private store, bytecode cached as usual."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its .pyc files
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    env["TF_GRAPH_BACKEND"] = "oxigraph"
    if store is not None:
        env["TF_GRAPH_STORE"] = str(store)
    return env


def measure(argv: list[str], env: dict[str, str], timeout: float = 300) -> Run:
    """Run ``argv`` in a new process: wall time, peak RSS, exit code, lines of output.
    A process still running after ``timeout`` seconds is killed (exit code -9)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=REPO)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        lines = sum(1 for _ in out)
        stderr = err.read().decode("utf-8", "replace").strip()
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, usage.ru_maxrss / 1024, proc.returncode, lines, stderr[-300:], cpu)


def tf_graph(args: tuple[str, ...], data: Path | None) -> list[str]:
    extra = ["--data", str(data)] if data else []
    return [sys.executable, "-m", "tf_graph", *args, *extra]


def core_files() -> list[str]:
    return [str(p) for p in sorted((REPO / "ontology").glob("*.ttl"))] + [
        str(p) for p in sorted((REPO / "data").glob("*.ttl"))
    ]


def baseline(files: list[str], commands: tuple[Command, ...], budget: int) -> tuple[dict, Run]:
    argv = [sys.executable, str(HERE / "rdflib_baseline.py"), "--budget", str(budget), *files]
    for command in commands:
        argv += ["--", str(REPO / "queries" / f"{command.query}.rq")]
        argv += [f"{name}={iri}" for name, iri in command.bindings]
    env = child_env()
    with tempfile.NamedTemporaryFile("w+", suffix=".json") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        text = out.read()
        stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"rdflib baseline failed: {stderr[-500:]}")
    report = json.loads(text)
    report["wall"] = seconds
    return report, Run(seconds, usage.ru_maxrss / 1024, 0, 0)


def median(values: list[float]) -> float:
    return statistics.median(values)


def bench_size(size: str, out_dir: Path, runs: int, rdflib_runs: int, budget: int) -> list[Row]:
    """All measurements for one synthetic size."""
    n = synthetic.parse_size(size)
    data = out_dir / f"synthetic-{size}.ttl"
    if not data.is_file():
        synthetic.write_graph(data, n)
    store = out_dir / f"store-{size}"
    shutil.rmtree(store, ignore_errors=True)
    env = child_env(store)

    first = measure(tf_graph(COMMANDS[0].argv, data), env)
    if first.code != 0:
        raise SystemExit(f"tf-graph failed at {size}: {first.stderr}")
    manifests = list(store.glob("*/manifest.json"))
    manifest = json.loads(manifests[0].read_text()) if manifests else {}
    triples = manifest.get("triples", 0)
    build = f"{first.seconds:.2f} s / {first.peak_mib:.0f} MiB"
    if "build_seconds" in manifest:
        build += f" (index {manifest['build_seconds']:.2f} s)"

    reports = []
    for _ in range(rdflib_runs):
        reports.append(baseline(core_files() + [str(data)], COMMANDS, budget))
    rows = []
    for index, command in enumerate(COMMANDS):
        cold = measure(tf_graph(command.argv, data), env, timeout=budget)
        # a slow command is repeated less: the median of two runs still shows its time
        repeat = 0 if cold.code != 0 else (runs if cold.seconds < 5 else min(runs, 2))
        warm = [measure(tf_graph(command.argv, data), env, timeout=budget) for _ in range(repeat)]
        row = Row(size, triples, command.label, rows=cold.lines)
        if cold.code == -9:
            row.notes.append(f"tf-graph over the {budget} s budget")
        elif cold.code != 0:
            row.notes.append(f"exit {cold.code}: {cold.stderr[:120]}")
        row.ox_cold = cold.seconds if cold.code == 0 else None
        row.ox_warm = median([w.seconds for w in warm]) if warm else None
        row.ox_peak = max([cold.peak_mib] + [w.peak_mib for w in warm])
        if index == 0:
            row.build = build
        cmd_times, warm_times = [], []
        for report, proc in reports:
            entry = report["queries"][index]
            if entry.get("first") is None:
                row.notes.append(f"rdflib query over the {budget} s budget")
                continue
            # the process's wall time less the other queries' runs and every second run:
            # interpreter start-up + import + parse + this query, as a one-off script pays
            others = sum(
                (q.get("first") or budget) + (q.get("second") or 0)
                for j, q in enumerate(report["queries"])
                if j != index
            )
            cmd_times.append(report["wall"] - others - (entry.get("second") or 0))
            if entry.get("second") is not None:
                warm_times.append(entry["second"])
            row.rdf_peak = max(row.rdf_peak or 0, proc.peak_mib)
        if index == 0:
            parses = [r["parsed"] for r, _ in reports]
            row.rdf_parse = f"{median(parses):.2f} s"
        row.rdf_cmd = median(cmd_times) if cmd_times else None
        row.rdf_warm = median(warm_times) if warm_times else None
        rows.append(row)
    return rows


def shipped_baseline_script() -> list[str]:
    """The minimal rdflib script on the shipped graph: parse it, run agencies-by-topic for
    forced labor, print the rows (what `ask`'s first question is compared with)."""
    return [
        sys.executable,
        str(HERE / "rdflib_baseline.py"),
        "--print",
        *core_files(),
        "--",
        str(REPO / "queries" / "agencies-by-topic.rq"),
        f"topic={TFR}topic/forced-labor",
    ]


def bench_shipped(out_dir: Path, runs: int) -> dict:
    """``tf-graph ask`` on the shipped graph vs the minimal rdflib script, cold processes."""
    store = out_dir / "store-shipped"
    shutil.rmtree(store, ignore_errors=True)
    env = child_env(store)
    build = measure(tf_graph(("ask", ASK), None), env)
    ask = [measure(tf_graph(("ask", ASK), None), env) for _ in range(runs)]
    script = shipped_baseline_script()
    plain = [measure(script, child_env()) for _ in range(runs)]
    return {
        "first": build.seconds,
        "ask": median([r.seconds for r in ask]),
        "ask_peak": max(r.peak_mib for r in ask),
        "ask_ok": all(r.code == 0 for r in ask),
        "rdflib": median([r.seconds for r in plain]),
        "rdflib_peak": max(r.peak_mib for r in plain),
    }


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:.2f}{unit}" if value < 100 else f"{value:.0f}{unit}"


def fmt_mib(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def speedup(row: Row, budget: int) -> str:
    if not row.ox_warm:
        return "—"
    if row.rdf_cmd is None:
        over = any("rdflib query over" in n for n in row.notes)
        return f"> {budget / row.ox_warm:.0f}×" if over else "—"
    return f"{row.rdf_cmd / row.ox_warm:.0f}×"


def print_table(rows: list[Row], shipped: dict | None, machine: str, budget: int) -> None:
    head = (
        "| triples | command | rows out | tf-graph first run (builds index) | tf-graph cold s | "
        "tf-graph warm s | tf-graph peak MiB | rdflib parse | rdflib command s | "
        "rdflib warm query s | rdflib peak MiB | speed-up |"
    )
    print(f"Machine: {machine}\n")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for row in rows:
        cells = [
            f"{row.triples:,}",
            row.command,
            str(row.rows),
            row.build,
            fmt(row.ox_cold),
            fmt(row.ox_warm),
            fmt_mib(row.ox_peak),
            row.rdf_parse,
            fmt(row.rdf_cmd),
            fmt(row.rdf_warm),
            fmt_mib(row.rdf_peak),
            speedup(row, budget),
        ]
        print("| " + " | ".join(cells) + " |")
    notes = [f"{r.size} {r.command}: {n}" for r in rows for n in r.notes]
    if shipped:
        print(
            f'\nShipped graph, `tf-graph ask "{ASK}"`: first run (builds index) '
            f"{shipped['first']:.2f} s; later runs {shipped['ask']:.2f} s (median, new process, "
            f"{shipped['ask_peak']:.0f} MiB){'' if shipped['ask_ok'] else ' [FAILED]'}; "
            f"minimal rdflib script (parse + same query + print) {shipped['rdflib']:.2f} s "
            f"({shipped['rdflib_peak']:.0f} MiB); ratio {shipped['rdflib'] / shipped['ask']:.1f}×"
        )
    for note in notes:
        print(f"- {note}")


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} CPUs ({cpu}){mem}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", help="comma-separated triple counts (default 10k,100k,1M; 10k with --quick)"
    )
    parser.add_argument("--runs", type=int, default=5, help="warm runs per command (median)")
    parser.add_argument(
        "--budget", type=int, default=30, help="seconds per rdflib query / tf-graph command"
    )
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where graphs and stores go")
    parser.add_argument(
        "--quick", action="store_true", help="one run, 5 s budget, 10k unless --sizes: a smoke test"
    )
    parser.add_argument("--no-shipped", action="store_true", help="skip the shipped-graph line")
    args = parser.parse_args(argv)
    chosen = args.sizes or ("10k" if args.quick else "10k,100k,1M")
    sizes = [s.strip() for s in chosen.split(",") if s.strip()]
    runs = 1 if args.quick else args.runs
    budget = min(args.budget, 5) if args.quick else args.budget
    args.out.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    for size in sizes:
        big = synthetic.parse_size(size) >= 1_000_000
        n = synthetic.parse_size(size)
        rdflib_runs = 1 if (big or args.quick) else (3 if n <= 10_000 else 2)
        print(f"measuring {size} ...", file=sys.stderr, flush=True)
        rows += bench_size(size, args.out, runs, rdflib_runs, budget)
    shipped = None
    if not args.no_shipped:
        print("measuring the shipped graph ...", file=sys.stderr, flush=True)
        shipped = bench_shipped(args.out, runs)
    print_table(rows, shipped, machine(), budget)


if __name__ == "__main__":
    main()
