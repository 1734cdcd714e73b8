"""The paraphrase suite (tests/data/paraphrases.txt): questions written by hand from the fact
sheet and the law texts, several phrasings per kind, each with its expected answer set and the
source paragraph it comes from. Every question runs through the library's ask; every failure
is printed; at least 95 % must pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tf_graph.errors import TfGraphError, UnansweredQuestionError

SUITE = Path(__file__).parent / "data" / "paraphrases.txt"
TFR = "https://w3id.org/tf-graph/id/"
PASS_RATE = 0.95


@dataclass(frozen=True)
class Case:
    group: str
    question: str
    mode: str  # "=", ">=", "profile", "yes", "no", "refuse"
    expected: frozenset[str]
    source: str


def read_suite(path: Path = SUITE) -> list[Case]:
    """The cases of the suite file (its header says the format)."""
    cases: list[Case] = []
    group, mode, expected, source = "", "", frozenset[str](), ""
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("== "):
            group, mode, expected, source = line[3:], "", frozenset(), ""
        elif line.startswith("expect:"):
            head, *slugs = line[len("expect:") :].split()
            mode, expected = head, frozenset(slugs)
        elif line.startswith("source:"):
            source = line[len("source:") :].strip()
        elif line.startswith("- "):
            assert mode, f"{path}:{number}: a question before its group's expect: line"
            cases.append(Case(group, line[2:], mode, expected, source))
        else:
            raise AssertionError(f"{path}:{number}: unexpected line {line!r}")
    return cases


def check(graph, case: Case) -> str:
    """'' if the case passes, else what went wrong (``graph``: the library's TfGraph)."""
    try:
        found = graph.ask(case.question)
    except UnansweredQuestionError as err:
        return "" if case.mode == "refuse" else f"refused: {str(err).splitlines()[0]}"
    except TfGraphError as err:
        return f"error: {err}"
    if case.mode == "refuse":
        return f"answered ({found.kind}) instead of refusing"
    if case.mode in ("yes", "no"):
        if found.boolean is None:
            return f"not a yes/no answer ({found.kind})"
        return "" if found.boolean == (case.mode == "yes") else f"answered {found.boolean}"
    subjects = {str(s)[len(TFR) :] if str(s).startswith(TFR) else str(s) for s, _ in found.subjects}
    if case.mode == "profile":
        if found.profile is None:
            return f"not a profile ({found.kind}: {sorted(subjects)[:5]})"
        return "" if subjects == case.expected else f"profile of {sorted(subjects)}"
    missing = case.expected - subjects
    extra = subjects - case.expected if case.mode == "=" else set()
    if not missing and not extra:
        return ""
    return f"{found.kind} ({found.query_name}): missing {sorted(missing)}, extra {sorted(extra)}"


def test_the_suite_reads():
    cases = read_suite()
    assert len(cases) >= 150
    assert len({c.group for c in cases}) >= 40
    assert all(c.source for c in cases)


@pytest.fixture(scope="module")
def shipped():
    """The shipped graph as users open it, through the library's face."""
    import tf_graph

    return tf_graph.open_graph()


def test_paraphrases(shipped, capsys):
    cases = read_suite()
    failures = [(case, problem) for case in cases if (problem := check(shipped, case))]
    with capsys.disabled():
        print(f"\nparaphrases: {len(cases) - len(failures)} of {len(cases)} pass")
        for case, problem in failures:
            print(f"  FAIL [{case.group}] {case.question!r}: {problem}")
    assert len(cases) - len(failures) >= PASS_RATE * len(cases), (
        f"{len(failures)} of {len(cases)} fail"
    )


@pytest.mark.parametrize(
    ("mode", "subjects", "expected", "ok"),
    [
        ("=", {"a", "b"}, {"a", "b"}, True),
        ("=", {"a", "b", "c"}, {"a", "b"}, False),
        (">=", {"a", "b", "c"}, {"a", "b"}, True),
        (">=", {"a"}, {"a", "b"}, False),
    ],
)
def test_the_comparison_can_fail(mode, subjects, expected, ok):
    """The set comparison the suite rests on: '=' is exact, '>=' a superset."""
    missing = set(expected) - subjects
    extra = subjects - set(expected) if mode == "=" else set()
    assert (not missing and not extra) is ok
