"""The one output writer (tf_graph.outputs) and the commands that write files through it:
atomic replace of regular files, writing through symbolic links, refusing FIFOs, devices,
sockets and folders, standard output for ``-o -``."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tf_graph import outputs
from tf_graph.errors import OutputError
from tf_graph.outputs import atomic_output, write_bytes


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_without_blocking(target: Path, content: bytes = b"new") -> BaseException | None:
    """``write_bytes(target)`` in a thread; the exception it raised (None: none). Should the
    writer ever open a FIFO for writing, it would block: the FIFO is then opened for reading
    (which never blocks with O_NONBLOCK) to free it, and the test fails."""
    raised: list[BaseException] = []

    def write() -> None:
        try:
            write_bytes(target, content)
        except BaseException as err:  # noqa: BLE001 - handed to the test
            raised.append(err)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    thread.join(30)
    if thread.is_alive():
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK)
        thread.join(5)
        os.close(fd)
        pytest.fail(f"writing {target} blocked: the writer opened it")
    return raised[0] if raised else None


# --- regular files ------------------------------------------------------------------------


def test_new_file_is_written_with_usual_permissions(tmp_path):
    out = write_bytes(tmp_path / "new.txt", b"hello")
    assert Path(out).read_bytes() == b"hello"
    assert stat.S_IMODE(Path(out).stat().st_mode) == 0o666 & ~_umask()
    assert os.listdir(tmp_path) == ["new.txt"]


def test_existing_file_is_replaced_keeping_its_mode(tmp_path):
    out = tmp_path / "old.txt"
    out.write_text("old")
    os.chmod(out, 0o640)
    write_bytes(out, b"new")
    assert out.read_bytes() == b"new"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["old.txt"]


def test_failure_in_the_block_keeps_old_file_and_leaves_no_temporary(tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("old")
    broke = r"out.txt: cannot write: the writer broke$"
    with pytest.raises(OutputError, match=broke), atomic_output(out) as handle:
        handle.write(b"half a fi")
        raise ValueError("the writer\nbroke")
    assert out.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_failed_rename_keeps_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    out = tmp_path / "graph.html"
    out.write_text("old", encoding="utf-8")

    def no_space(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.os, "replace", no_space)
    with pytest.raises(OutputError, match=r"graph.html: cannot write: No space left on device$"):
        write_bytes(out, b"new")
    assert out.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["graph.html"]


def test_interrupt_leaves_no_temporary(tmp_path):
    with pytest.raises(KeyboardInterrupt), atomic_output(tmp_path / "out.txt") as handle:
        handle.write(b"half")
        raise KeyboardInterrupt
    assert os.listdir(tmp_path) == []


def test_missing_folder_is_one_line(tmp_path):
    out = tmp_path / "no" / "out.txt"
    with pytest.raises(OutputError) as caught:
        write_bytes(out, b"x")
    assert str(caught.value) == f"{out}: cannot write: folder {out.parent} does not exist"


def test_a_path_named_dash_is_a_file_and_the_string_is_standard_output(
    tmp_path, monkeypatch, capsysbinary
):
    monkeypatch.chdir(tmp_path)
    write_bytes(Path("-"), b"a file named dash")
    assert (tmp_path / "-").read_bytes() == b"a file named dash"
    assert capsysbinary.readouterr().out == b""
    write_bytes("-", b"to standard output")
    assert capsysbinary.readouterr().out == b"to standard output"
    assert (tmp_path / "-").read_bytes() == b"a file named dash"


def test_standard_output_gets_nothing_when_the_writer_fails(capsysbinary):
    broke = "^standard output: cannot write: broke$"
    with pytest.raises(OutputError, match=broke), atomic_output("-") as handle:
        handle.write(b"half")
        raise RuntimeError("broke")
    assert capsysbinary.readouterr().out == b""


# --- symbolic links -------------------------------------------------------------------------


def test_symlink_is_written_through_and_stays_a_link(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "real.ttl"
    target.write_text("old")
    os.chmod(target, 0o600)
    here = tmp_path / "here"
    here.mkdir()
    link = here / "link.ttl"
    link.symlink_to(os.path.relpath(target, here))
    write_bytes(link, b"new")
    assert link.is_symlink()
    assert os.readlink(link) == os.path.relpath(target, here)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    # the temporary file was made (and renamed) in the target's folder, none is left
    assert os.listdir(elsewhere) == ["real.ttl"]
    assert os.listdir(here) == ["link.ttl"]


def test_chain_of_links_and_dangling_link(tmp_path):
    target = tmp_path / "target.txt"
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("target.txt")
    write_bytes(tmp_path / "a", b"made through two links")  # target does not exist yet
    assert target.read_bytes() == b"made through two links"
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()
    assert sorted(os.listdir(tmp_path)) == ["a", "b", "target.txt"]


def test_link_loop_is_one_line(tmp_path):
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OutputError, match="a: cannot write: Too many levels of symbolic links"):
        write_bytes(tmp_path / "a", b"x")
    assert sorted(os.listdir(tmp_path)) == ["a", "b"]


# --- what is not a regular file ---------------------------------------------------------------


def test_fifo_is_refused_without_blocking_and_kept(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    err = _write_without_blocking(fifo)
    assert isinstance(err, OutputError)
    assert str(err) == f"{fifo}: is a FIFO, not a regular file"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert os.listdir(tmp_path) == ["pipe"]


def test_link_to_a_fifo_is_refused_naming_both(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.html"
    link.symlink_to("pipe")
    err = _write_without_blocking(link)
    assert str(err) == f"{link} (a link to {fifo}): is a FIFO, not a regular file"
    assert link.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_character_device_is_refused_and_kept(tmp_path):
    """A node like /dev/null and /dev/full (character devices), made in a temporary folder."""
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("making a device node needs root (CAP_MKNOD)")
    err = _write_without_blocking(device)
    assert str(err) == f"{device}: is a character device, not a regular file"
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert os.lstat(device).st_rdev == os.makedev(1, 3)
    assert os.listdir(tmp_path) == ["null"]


def test_socket_is_refused(tmp_path):
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(OutputError, match=r"/s: is a socket, not a regular file$"):
            write_bytes(path, b"x")
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        server.close()


def test_directory_is_refused(tmp_path):
    with pytest.raises(OutputError) as caught:
        write_bytes(tmp_path, b"x")
    assert str(caught.value) == f"{tmp_path}: is a directory, not a regular file"
    assert os.listdir(tmp_path) == []


# --- the commands that write files ------------------------------------------------------------


def test_export_through_a_symlink_keeps_the_link(run, tmp_path):
    target = tmp_path / "real.ttl"
    target.write_text("stale")
    link = tmp_path / "latest.ttl"
    link.symlink_to("real.ttl")
    result = run("export", "--format", "ttl", "-o", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("@prefix ")
    assert sorted(os.listdir(tmp_path)) == ["latest.ttl", "real.ttl"]


@pytest.mark.parametrize(
    "command", [["export", "--format", "nt"], ["viz"], ["viz", "--format", "png"]], ids=" ".join
)
def test_commands_refuse_a_fifo(run, tmp_path, command):
    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    result = run(*command, "-o", str(fifo))
    assert result.exit_code == 2
    assert result.stderr == f"error: {fifo}: is a FIFO, not a regular file\n"
    assert result.stdout == ""
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("fmt", ["ttl", "graphml", "csv"])
def test_export_to_standard_output_equals_the_file(run, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    to_file = run("export", "--format", fmt, "-o", str(out))
    assert to_file.exit_code == 0, to_file.stderr
    to_stdout = run("export", "--format", fmt, "-o", "-")
    assert to_stdout.exit_code == 0, to_stdout.stderr
    assert to_stdout.stdout_bytes == out.read_bytes()
    # the summary goes to standard error, naming where the output went
    summary = to_stdout.stderr.strip()
    assert summary.startswith("wrote standard output (") and summary.endswith(
        f"; {out.stat().st_size:,} bytes)"
    )
    assert not (tmp_path / "-").exists() and not Path("-").exists()


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_viz_to_standard_output_equals_the_file(run, tmp_path, fmt):
    out = tmp_path / f"fletf.{fmt}"
    to_file = run("viz", "--focus", "FLETF", "-o", str(out))
    assert to_file.exit_code == 0, to_file.stderr
    assert to_file.stdout == f"{out}\n"
    to_stdout = run("viz", "--focus", "FLETF", "--format", fmt, "-o", "-")
    assert to_stdout.exit_code == 0, to_stdout.stderr
    assert to_stdout.stdout_bytes == out.read_bytes()
    assert not Path("-").exists()


def test_viz_writes_a_real_pdf(run, tmp_path):
    out = tmp_path / "picture.pdf"
    result = run("viz", "--topic", "forced labor", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    content = out.read_bytes()
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    assert b"<html" not in content.lower()


def test_viz_refuses_an_unknown_extension_naming_the_supported_ones(run, tmp_path):
    out = tmp_path / "picture.jpg"
    result = run("viz", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: -o {out}: unknown extension '.jpg' (supported: .html, .htm, .png, .svg, "
        ".pdf; or name the format with --format)\n"
    )
    assert os.listdir(tmp_path) == []


def test_viz_format_names_what_an_unknown_extension_holds(run, tmp_path):
    out = tmp_path / "page.xhtml"
    result = run("viz", "--focus", "FLETF", "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_index_manifest_refresh_that_fails_leaves_the_old_one_and_no_temporary(
    tmp_path, monkeypatch
):
    """The index's manifest is written by the same writer: a refresh that cannot be written
    (a full disk) keeps the old manifest, leaves no temporary file, and the index opens."""
    from tf_graph.engines import store

    data = tmp_path / "data.nt"
    data.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(data, ns=(hour_ago, hour_ago))
    root = tmp_path / "cache"
    store.open_store([data], root)
    folder = root / store.store_key([data.resolve()])
    before = (folder / store.MANIFEST).read_bytes()
    listing = sorted(os.listdir(folder))
    touched = hour_ago + 10**9  # a new mtime, the same content: the manifest is refreshed

    def no_space(src, dst):
        raise OSError(28, "No space left on device")

    os.utime(data, ns=(touched, touched))
    monkeypatch.setattr(outputs.os, "replace", no_space)
    opened = store.open_store([data], root)
    assert not opened.rebuilt and opened.triples == 1
    assert (folder / store.MANIFEST).read_bytes() == before
    assert sorted(os.listdir(folder)) == listing


def test_a_reader_that_stops_early_gets_one_line_not_a_traceback(tmp_path):
    """``tf-graph export -f nt -o - | head -c 10``: the output (about 390 kB) outgrows the pipe,
    the reader closes it; the command ends with one line on standard error."""
    env = {**os.environ, "PYTHONPATH": str(Path(outputs.__file__).parents[1])}
    command = [sys.executable, "-m", "tf_graph", "export", "-f", "nt", "-o", "-"]
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert len(proc.stdout.read(10)) == 10
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 2
    assert stderr == "error: standard output: closed by the reader\n"
    assert os.listdir(tmp_path) == []
