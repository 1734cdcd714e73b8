"""The one way tf-graph writes an output file: whole or not at all, and never over what is not
a regular file.

- A regular file (or a new path) is written to a temporary file in the target's folder,
  flushed to disk (``fsync``) and renamed over the target, so a reader sees the old file or the
  whole new one, and a failure leaves the old file untouched and no temporary file behind. An
  existing file keeps its permissions (and its owner, where the process may set it); a new
  one gets the usual ``0666`` less the umask. As with every rename, a file's other hard links
  keep the old content.
- A symbolic link is written *through*: the link stays a link and its target is replaced, the
  same way, in the target's own folder.
- A FIFO, character or block device, socket or directory at the path is refused with one line
  naming the path and what it is; it is never opened (opening a FIFO would block) nor replaced.
- ``"-"`` (the string, as Unix tools read it) is standard output: the content is written
  there only once it is complete. ``Path("-")`` is a file named ``-``.

Errors are :class:`~tf_graph.errors.OutputError`, one line naming the path.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from tf_graph.errors import OutputError, one_line

#: the target that means standard output
STDOUT = "-"

#: what a path that is not a regular file is, for the refusal
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def is_stdout(target: Path | str) -> bool:
    """True when ``target`` is the string ``"-"`` (standard output)."""
    return isinstance(target, str) and target == STDOUT


def describe(target: Path | str) -> str:
    """How to name ``target`` in a message: its path, or "standard output"."""
    return "standard output" if is_stdout(target) else str(target)


def write_bytes(target: Path | str, content: bytes) -> Path | str:
    """Write ``content`` to ``target`` (a path, or ``"-"``) as :func:`atomic_output` does."""
    with atomic_output(target) as handle:
        handle.write(content)
    return target


def write_text(target: Path | str, text: str) -> Path | str:
    """Write ``text`` as UTF-8 to ``target`` (a path, or ``"-"``)."""
    return write_bytes(target, text.encode("utf-8"))


@contextlib.contextmanager
def as_text(handle: BinaryIO, newline: str | None = None) -> Iterator[TextIO]:
    """A UTF-8 text view of a binary handle (from :func:`atomic_output`); flushed and detached
    at the end, so that the handle stays open for its writer to finish."""
    text = io.TextIOWrapper(handle, encoding="utf-8", newline=newline)
    try:
        yield text
    finally:
        text.flush()
        text.detach()


@contextlib.contextmanager
def atomic_output(target: Path | str) -> Iterator[BinaryIO]:
    """A binary handle to write ``target``'s new content to; it takes the target's place when
    the block ends without error, and is thrown away otherwise (see the module's docstring).
    """
    sink: _Sink = _StdoutSink() if is_stdout(target) else _FileSink(Path(target))
    name = describe(target)
    try:
        handle = sink.open()
    except OSError as err:
        raise OutputError(f"{name}: cannot write: {err.strerror or err}") from None
    try:
        yield handle
        sink.commit()
    except OutputError:
        sink.discard()
        raise
    except OSError as err:
        sink.discard()
        raise OutputError(f"{name}: cannot write: {err.strerror or err}") from None
    except Exception as err:
        sink.discard()
        raise OutputError(f"{name}: cannot write: {one_line(err)}") from None
    except BaseException:
        sink.discard()
        raise


class _Sink:
    """Where :func:`atomic_output` writes: ``open`` a handle, then ``commit`` or ``discard``."""

    def open(self) -> BinaryIO:
        raise NotImplementedError

    def commit(self) -> None:
        raise NotImplementedError

    def discard(self) -> None:
        raise NotImplementedError


class _FileSink(_Sink):
    """A temporary file beside the (real) target, renamed over it on commit."""

    def __init__(self, path: Path):
        self.path = path
        self.real = _writable_target(path)
        self.temporary: Path | None = None
        self.handle: BinaryIO | None = None

    def open(self) -> BinaryIO:
        fd, name = tempfile.mkstemp(
            dir=self.real.parent, prefix=f".{self.real.name}.", suffix=".part"
        )
        self.temporary = Path(name)
        self.handle = os.fdopen(fd, "wb")
        return self.handle

    def commit(self) -> None:
        assert self.handle is not None and self.temporary is not None
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        _take_over(self.temporary, self.real)
        os.replace(self.temporary, self.real)
        _sync_folder(self.real.parent)

    def discard(self) -> None:
        if self.handle is not None:
            with contextlib.suppress(OSError):
                self.handle.close()
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)


class _StdoutSink(_Sink):
    """An anonymous temporary file, copied to standard output on commit: a failure part way
    writes nothing."""

    def __init__(self) -> None:
        self.spool: BinaryIO | None = None

    def open(self) -> BinaryIO:
        self.spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by commit or discard
        return self.spool

    def commit(self) -> None:
        assert self.spool is not None
        self.spool.seek(0)
        out = sys.stdout.buffer
        try:
            sys.stdout.flush()
            shutil.copyfileobj(self.spool, out)
            out.flush()
        except BrokenPipeError:
            _silence_stdout()
            raise OutputError("standard output: closed by the reader") from None
        finally:
            self.spool.close()

    def discard(self) -> None:
        if self.spool is not None:
            self.spool.close()


def _writable_target(path: Path) -> Path:
    """The file to replace for ``path``: itself, or the file its symbolic link(s) lead to.
    Refuses (OutputError) what is not a regular file and a folder that does not exist."""
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise OutputError(f"{path}: cannot write: {err.strerror or err}") from None
    if mode is not None and not stat.S_ISREG(mode):
        what = next((name for test, name in _KINDS if test(mode)), "not a file")
        shown = f"{path} (a link to {real})" if real != path else str(path)
        raise OutputError(f"{shown}: is {what}, not a regular file")
    folder = real.parent
    if not folder.is_dir():
        raise OutputError(f"{path}: cannot write: folder {folder} does not exist")
    return real


def _take_over(temporary: Path, real: Path) -> None:
    """Give the temporary file the mode (and, where allowed, the owner) the target has, or a
    new file's usual mode: not the 0600 of a temporary file."""
    try:
        old = os.stat(real)
    except FileNotFoundError:
        os.chmod(temporary, 0o666 & ~_umask())
        return
    os.chmod(temporary, stat.S_IMODE(old.st_mode))
    if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(OSError):  # only root may give a file away
            os.chown(temporary, old.st_uid, old.st_gid)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can open a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _silence_stdout() -> None:
    """After a reader closed the pipe, point standard output at /dev/null so that Python's own
    flush at exit does not fail a second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
