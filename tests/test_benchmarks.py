"""The benchmark script runs end to end (its quick mode, one run of each command, on 1k triples:
the size is not what is tested, and rdflib's queries at 10k took 10 of the 20 s). It measures;
this test only proves that it works and prints its table — no time is asserted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_quick_benchmark_prints_its_table(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--quick",
            "--sizes",
            "1k",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert any(line.startswith("Machine: ") for line in lines)
    rows = [line for line in lines if line.startswith("| ") and not line.startswith("| triples")]
    assert [row.split(" | ")[1] for row in rows] == [
        "query agencies-by-topic -p topic=forced labor",
        "query initiatives-by-agency -p agency=DHS",
        "query agency-partners -p agency=DHS",
        'ask "Which agencies touch forced labor?"',
    ]
    assert all("exit" not in line for line in lines if line.startswith("- "))
    assert any(line.startswith("Shipped graph") and "[FAILED]" not in line for line in lines)
    assert (tmp_path / "synthetic-1k.ttl").is_file()
