"""README's examples work as they are written: every ``tf-graph`` command line in its code
blocks is run (those that need a server, a triple store or the reader's own file are skipped,
each for a reason listed here), and every option its command table and text name is one the
command takes, with the values they name."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tf_graph.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"

#: why a README command line is not run here: a word of the line -> the reason
NOT_RUN_OFFLINE = {
    "serve": "starts a server that runs until stopped (tests/test_server.py runs it)",
    "push": "needs a SPARQL 1.1 triple store (tests/test_virtuoso.py, where one is installed)",
    "--endpoint": "asks a remote SPARQL endpoint (tests/test_virtuoso.py)",
    "my-question.rq": "names the reader's own query file",
    "mine.ttl": "names the reader's own data file",
}
#: what separates commands on one shell line
_SEPARATORS = {"&&", "||", "|", ";"}


def readme_lines() -> list[str]:
    return README.read_text(encoding="utf-8").splitlines()


def command_lines() -> list[tuple[int, list[str]]]:
    """``(line number, arguments after tf-graph)`` of each ``tf-graph`` command in README's
    code blocks: lines with a ``$`` prompt, and every line of a ``bash`` block."""
    found = []
    block = None
    for number, line in enumerate(readme_lines(), 1):
        if line.startswith("```"):
            block = None if block is not None else line[3:].strip()
            continue
        if block is None:
            continue
        if line.startswith("$ "):
            line = line[2:]
        elif block not in ("bash", "sh", "shell"):
            continue  # a command's output
        for command in _commands(shlex.split(line, comments=True)):
            found.append((number, command))
    return found


def _commands(words: list[str]) -> list[list[str]]:
    """The ``tf-graph`` commands among the shell words of one line (``VAR=value`` prefixes
    dropped), each as the arguments after the program's name."""
    commands, current = [], []
    for word in [*words, ";"]:
        if word not in _SEPARATORS:
            current.append(word)
            continue
        while current and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", current[0]):
            current.pop(0)
        if current and Path(current[0]).name == "tf-graph":
            commands.append(current[1:])
        current = []
    return commands


COMMANDS = command_lines()


def test_readme_has_the_commands_this_test_runs():
    commands = [c[0] for _, c in COMMANDS]
    assert {"ask", "query", "show", "validate", "stats", "export", "viz"} <= set(commands)
    assert ["export", "-f", "nt", "-o", "-"] in [c for _, c in COMMANDS]


@pytest.mark.parametrize(
    "args", [c for _, c in COMMANDS], ids=[f"README.md:{n}" for n, _ in COMMANDS]
)
def test_readme_command_runs_as_written(args, tmp_path, monkeypatch):
    reasons = [why for word, why in NOT_RUN_OFFLINE.items() if word in args]
    if reasons:
        pytest.skip("; ".join(reasons))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    shown = " ".join(shlex.quote(a) for a in args)
    assert result.exit_code == 0, f"tf-graph {shown}: {result.stderr or result.stdout}"
    assert result.stdout.strip(), f"tf-graph {shown} printed nothing"
    written = [args[i + 1] for i, a in enumerate(args[:-1]) if a in ("-o", "--output")]
    for name in written:
        if name != "-":
            assert (tmp_path / name).stat().st_size > 0, name
    if args[0] == "viz" and not written:
        assert (tmp_path / "graph.html").stat().st_size > 0
    assert not (tmp_path / "-").exists()


# --- the options README names -----------------------------------------------------------------


def _command(name: str) -> click.Command:
    command = main.get_command(click.Context(main), name)
    assert command is not None, f"README names a command tf-graph does not have: {name}"
    return command


def _option(command: click.Command, flag: str) -> click.Parameter | None:
    return next((p for p in command.params if flag in (*p.opts, *p.secondary_opts)), None)


def table_rows() -> list[tuple[str, list[list[str]]]]:
    """``(command, the words of each code span)`` for each row of the command table."""
    rows = []
    for line in readme_lines():
        if not line.startswith("| `tf-graph "):
            continue
        spans = [s.replace("\\|", "|").split() for s in re.findall(r"`([^`]*)`", line)]
        rows.append((spans[0][1], spans))
    return rows


def test_the_command_table_lists_every_command():
    commands = main.list_commands(click.Context(main))
    assert sorted(name for name, _ in table_rows()) == sorted(commands)


@pytest.mark.parametrize("name, spans", table_rows(), ids=[name for name, _ in table_rows()])
def test_the_command_table_names_options_the_command_takes(name, spans):
    command = _command(name)
    for words in spans:
        for i, word in enumerate(words):
            if not re.match(r"--?[A-Za-z]", word):
                continue  # a value ("-" is standard output)
            option = _option(command, word)
            assert option is not None, f"README: tf-graph {name} has no option {word}"
            value = words[i + 1] if i + 1 < len(words) else None
            if isinstance(option.type, click.Choice) and value and not value.startswith("-"):
                for choice in value.split("|"):
                    assert choice in option.type.choices, f"README: {name} {word} {choice}"


def test_options_the_text_says_commands_share():
    text = " ".join(readme_lines())
    shared = re.search(r"((?:`\w+`(?:, | and ))+`\w+`) also take `([^`]*)`", text)
    assert shared is not None
    for name in re.findall(r"`(\w+)`", shared.group(1)):
        for flag in re.findall(r"--[\w-]+", shared.group(2)):
            assert _option(_command(name), flag) is not None, f"README: {name} {flag}"
    every = re.search(r"Every command but `(\w+)` takes `(--\w+)", text)
    assert every is not None
    for name in main.list_commands(click.Context(main)):
        has = _option(_command(name), every.group(2)) is not None
        assert has == (name != every.group(1)), f"README: {name} {every.group(2)}"


def test_f_is_short_for_format_wherever_there_is_one():
    for name in main.list_commands(click.Context(main)):
        option = _option(_command(name), "--format")
        if option is not None:
            assert "-f" in option.opts, f"tf-graph {name} --format has no -f"
