"""A persistent Oxigraph index of the graph, so that a command does not re-parse every file.

The first command builds an on-disk pyoxigraph store from the ontology, the shipped data and the
user's ``--data`` files; later commands open it read-only while those files are unchanged, and
rebuild it when one changes. The index lives in a cache folder (``--store DIR``, else
``$TF_GRAPH_STORE``, else ``$XDG_CACHE_HOME/tf-graph`` or ``~/.cache/tf-graph``), one
sub-folder per set of input files, so that different ``--data`` sets do not evict each other.

Why each step is there:

- A manifest (path, size, mtime_ns, SHA-256 per file; versions; triple count; size, mtime
  and SHA-256 of each database file; a SHA-256 of itself) is written last and the whole
  folder is built under a temporary name and renamed into place, so a reader either sees a
  complete store or none. A missing or edited manifest, a database file added, missing,
  resized or rewritten, or a store that fails to open means "rebuild", never "trust".
- Opening does not count the triples again: that scans the whole store (0.11 s at a million
  triples, growing with it) on every command, and what it would catch, a manifest that
  disagrees with the store, the manifest's own checksum and the file listing catch.
- Size and mtime are the fast check; when they differ (or the file changed too close to the
  build for its mtime to be trusted) the content hash decides, so ``touch`` costs a hash, not
  a rebuild.
- Bytes garbled in place (same size and mtime) in a small database file are caught on open
  (their hashes are checked, a few kB); in a table, by RocksDB's block checksum when a query
  reads it: the CLI then removes the store (:func:`discard_damaged`, which hashes the tables)
  and runs the command again. Hashing every table on every open would cost 0.1-0.2 s at a
  million triples (143 MB); the build hashes them once.
- A lock file serialises builders of the same store, so two commands started together build it
  once; readers never lock (RocksDB read-only instances can be opened by many processes).
  Temporary folders of builds whose process is gone are removed by the next build at once.
- Syntax errors are reported as ``FILE:LINE: message``, as the in-memory loader does.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from tf_graph._version import __version__
from tf_graph.build.loading import check_input_file, ox_quads, rdf_format
from tf_graph.build.rules import apply_rules, rules_digest
from tf_graph.engines.index import IndexGraph
from tf_graph.errors import InputFileError, OutputError, one_line

if TYPE_CHECKING:  # the rdflib view (.oxigraph_view) is imported where it is wanted
    from rdflib import Graph

#: environment variable naming the cache folder (``--store DIR`` wins over it)
STORE_ENV = "TF_GRAPH_STORE"
#: bump when the layout or the loading rules change, so that old stores are rebuilt
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
DATA_DIR = "oxigraph"
#: a file modified less than this before the build may change again within the same mtime tick
RACY_NS = 2_000_000_000
#: quads handed to the bulk loader at a time (bounds the build's memory)
BATCH = 200_000
#: leftovers of builds whose process is gone are removed at once; those whose process id is in
#: use again (by another process) once they are older than this
STALE_LEFTOVER_S = 3600

#: an index of at most this many triples is read in memory, from a snapshot (:func:`open_readable`)
SNAPSHOT_MAX = 25_000
SNAPSHOT_PREFIX = "snapshot-"

#: how many stores this process has built (tests use it to prove a cache was reused)
build_count = 0
#: the store folders this process opened (where to look when the engine reports damage)
opened_folders: list[Path] = []
#: words of RocksDB's errors that mean a damaged database file
_DAMAGE = ("Corruption:", "checksum mismatch", "Bad table magic number")


@dataclass
class OpenedStore:
    """An opened Oxigraph store and where it came from."""

    store: ox.Store
    path: Path | None  # None for an in-memory store
    rebuilt: bool
    triples: int
    #: what identifies the build on disk (its time and its files' digests), for caches of
    #: what is read from it (the names questions are linked with); None in memory
    build_id: str | None = None


def default_cache_root() -> Path:
    """``$TF_GRAPH_STORE``, else the XDG cache folder for tf-graph."""
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "tf-graph"


def pyoxigraph_version() -> str:
    """The version that wrote a store (its on-disk format may change between versions)."""
    return str(getattr(ox, "__version__", "unknown"))


def store_key(files: Sequence[Path]) -> str:
    """A folder name for this set of input files (not their contents: those go in the
    manifest, so that an edited file replaces its store instead of adding another)."""
    ident = [FORMAT_VERSION, __version__, pyoxigraph_version(), [str(p) for p in files]]
    ident.append(rules_digest())  # a store holds what the rules derived: new rules, new store
    return hashlib.sha256(json.dumps(ident).encode()).hexdigest()[:16]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_inputs(files: Sequence[Path]) -> list[Path]:
    """Absolute paths of ``files``; the loader's errors for unknown types, missing files, what
    is not a regular file and files over the size limit."""
    checked = []
    for path in files:
        path = Path(path)
        rdf_format(path)
        checked.append(check_input_file(path).resolve())
    return checked


# --- the manifest -------------------------------------------------------------------------


def describe_files(files: Sequence[Path]) -> list[dict[str, Any]]:
    """What the manifest records about each input file."""
    described = []
    for path in files:
        stat = path.stat()
        described.append(
            {
                "path": str(path),
                "size": stat.st_size,
                "mtime_ns": stat.st_mtime_ns,
                "sha256": file_sha256(path),
            }
        )
    return described


def store_files(folder: Path) -> dict[str, list[int]]:
    """Size and mtime of the database files (RocksDB's own logs excluded: they may change).

    RocksDB notices a truncated or missing table on open, but not bytes garbled inside an index
    that a query does not read; recording each file's size and mtime catches those too.
    """
    listing = {}
    for path in sorted((folder / DATA_DIR).iterdir()):
        if path.name.startswith("LOG") or path.name == "LOCK":
            continue
        stat = path.stat()
        listing[path.name] = [stat.st_size, stat.st_mtime_ns]
    return listing


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a store folder, or None if it is missing or not what we write."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        return None
    if not all(isinstance(manifest.get(name), dict) for name in ("store_files", "digests")):
        return None
    if not all(isinstance(manifest.get(name), int) for name in ("triples", "built_ns")):
        return None
    if manifest.get("digest") != manifest_digest(manifest):
        return None  # edited or damaged since we wrote it
    return manifest


def manifest_digest(manifest: dict[str, Any]) -> str:
    """SHA-256 of the manifest's content, its own ``digest`` field left out."""
    content = {key: value for key, value in manifest.items() if key != "digest"}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest, with its checksum, atomically (a reader never sees half of it)."""
    from tf_graph.outputs import write_text  # (tempfile and more: only where one is written)

    manifest["digest"] = manifest_digest(manifest)
    write_text(folder / MANIFEST, json.dumps(manifest, indent=1))


def manifest_matches(manifest: dict[str, Any], files: Sequence[Path]) -> tuple[bool, bool]:
    """(inputs unchanged, manifest needs refreshing) for ``files`` against ``manifest``.

    Size and mtime decide when they are equal and the mtime is older than the build by more
    than the racy window; otherwise the content hash decides. A file that only got a new mtime
    is unchanged, and its new stat is recorded so the next run skips the hash.
    """
    expected = (FORMAT_VERSION, __version__, pyoxigraph_version())
    found = (manifest.get("format"), manifest.get("tf_graph"), manifest.get("pyoxigraph"))
    recorded = manifest["files"]
    if found != expected or [e.get("path") for e in recorded] != [str(p) for p in files]:
        return False, False
    refresh = False
    for entry, path in zip(recorded, files, strict=True):
        try:
            stat = path.stat()
        except OSError:
            return False, False
        if stat.st_size != entry.get("size"):
            return False, False
        racy = stat.st_mtime_ns >= manifest["built_ns"] - RACY_NS
        if stat.st_mtime_ns == entry.get("mtime_ns") and not racy:
            continue
        if file_sha256(path) != entry.get("sha256"):
            return False, False
        if stat.st_mtime_ns != entry.get("mtime_ns"):
            entry["mtime_ns"] = stat.st_mtime_ns
            refresh = True
    return True, refresh


# --- loading files into a store ----------------------------------------------------------


def load_file(store: ox.Store, path: Path, *, bulk: bool) -> None:
    """Load one file into the default graph of ``store``; errors name the file and line.

    The parser streams the file; its quads go to the store in batches of ``BATCH`` through the
    bulk loader, which keeps the peak memory flat however big the file (one ``bulk_load`` of a
    million triples peaks near 900 MiB; batches of 200k stay under 400 MiB, at the same speed).
    Named graphs of TriG / N-Quads files are merged into the default graph, as
    :func:`tf_graph.build.loading.parse_file` merges them.
    """
    add = store.bulk_extend if bulk else store.extend
    for batch in ox_quads(path, rdf_format(path), BATCH):
        add(batch)


def load_into(store: ox.Store, files: Sequence[Path], *, bulk: bool) -> None:
    for path in files:
        load_file(store, path, bulk=bulk)


def memory_store(files: Sequence[Path]) -> OpenedStore:
    """An in-memory Oxigraph store of ``files`` (``--no-cache``): nothing written to disk."""
    files = check_inputs(files)
    store = ox.Store()
    load_into(store, files, bulk=False)
    apply_rules(store)
    return OpenedStore(store, None, rebuilt=True, triples=len(store))


# --- the cache ---------------------------------------------------------------------------


def open_valid(folder: Path, files: Sequence[Path]) -> OpenedStore | None:
    """The store in ``folder`` opened read-only if it is complete and its inputs unchanged."""
    manifest = read_manifest(folder)
    if manifest is None:
        return None
    unchanged, refresh = manifest_matches(manifest, files)
    if not unchanged:
        return None
    build_id = hashlib.sha256(
        json.dumps([manifest["built_ns"], manifest["digests"]], sort_keys=True).encode()
    ).hexdigest()[:16]
    try:
        if store_files(folder) != manifest["store_files"]:
            return None
        if damaged_files(folder, manifest, small_only=True):
            return None
        store = open_readable(folder, manifest["triples"], build_id)
    except (OSError, ValueError, RuntimeError):
        return None
    if refresh:
        with contextlib.suppress(OutputError):
            write_manifest(folder, manifest)
    if folder not in opened_folders:
        opened_folders.append(folder)
    return OpenedStore(store, folder, rebuilt=False, triples=manifest["triples"], build_id=build_id)


# --- a small index in memory ----------------------------------------------------------------


def open_readable(folder: Path, triples: int, build_id: str) -> ox.Store:
    """The store of ``folder`` to read: for a small one (:data:`SNAPSHOT_MAX` triples or
    fewer) an in-memory copy loaded from its snapshot, else the database opened read-only.

    Why: on the shipped graph (7,300 triples) opening the database read-only takes 20-40 ms
    and a query reading it 3-5 times as long as the same query in memory (agencies-by-topic
    0.1 s against 0.02-0.04 s); loading the snapshot takes 12 ms. The snapshot (N-Quads, the
    SHA-256 of the rest on its first line) is written from the database at its first opening,
    named by the build, in the folder a rebuild replaces; one that fails its checksum is not
    read (the database is, and the snapshot written again)."""
    data = str(folder / DATA_DIR)
    if triples > SNAPSHOT_MAX:
        return ox.Store.read_only(data)
    path = folder / f"{SNAPSHOT_PREFIX}{build_id}.nq"
    loaded = load_snapshot(path)
    if loaded is not None:
        return loaded
    store = ox.Store.read_only(data)
    write_snapshot(store, path)
    return store


def load_snapshot(path: Path) -> ox.Store | None:
    """The in-memory store of a snapshot, or None when it is missing or not what was written."""
    try:
        head, _, body = path.read_bytes().partition(b"\n")
    except OSError:
        return None
    if head != b"# sha256 " + hashlib.sha256(body).hexdigest().encode():
        return None
    store = ox.Store()
    # lenient: the IRIs and literals are not checked again (12 ms instead of 17 on the shipped
    # graph): Oxigraph wrote them from the database, and the checksum says they are unchanged
    store.load(input=body, format=ox.RdfFormat.N_QUADS, lenient=True)
    return store


def write_snapshot(store: ox.Store, path: Path) -> None:
    """Write the snapshot of ``store`` (best effort: a read-only folder keeps none; a damaged
    table, which the dump reads, leaves none, and the query that reads it reports it)."""
    from tf_graph.outputs import write_bytes

    try:
        body = store.dump(format=ox.RdfFormat.N_QUADS)
        assert body is not None  # (no output given: the bytes are returned)
        digest = hashlib.sha256(body).hexdigest().encode()
        write_bytes(path, b"# sha256 " + digest + b"\n" + body)
        for old in path.parent.glob(f"{SNAPSHOT_PREFIX}*.nq"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, OutputError, RuntimeError, ValueError):
        return


def damaged_files(folder: Path, manifest: dict[str, Any], *, small_only: bool = False) -> list[str]:
    """The database files of ``folder`` whose content is not what the build wrote.

    Size and mtime say nothing of bytes garbled in place; the SHA-256 of every file recorded
    at the build does. On every open only the small files (RocksDB's CURRENT, MANIFEST and
    OPTIONS, a few kB) are hashed; the tables (``.sst``, most of the store) are hashed when
    the engine reports damage or a command outgrows its memory (:func:`discard_damaged`):
    RocksDB checks each block it reads against its own checksum, so what a query reads
    without error is what was written.
    """
    damaged = []
    for name, digest in manifest["digests"].items():
        if small_only and name.endswith(".sst"):
            continue
        path = folder / DATA_DIR / name
        try:
            same = file_sha256(path) == digest
        except OSError:
            same = False
        if not same:
            damaged.append(name)
    return damaged


def is_damage(err: BaseException) -> bool:
    """Whether an error of the engine (or one of ours quoting it) says a database file is
    damaged (RocksDB: "Corruption: block checksum mismatch ...")."""
    return any(word in str(err) for word in _DAMAGE)


def discard_damaged() -> list[Path]:
    """Remove every store this process opened whose files are not what its build wrote (the
    next command rebuilds it); the folders removed."""
    removed = []
    for folder in list(opened_folders):
        manifest = read_manifest(folder)
        if manifest is not None and not damaged_files(folder, manifest):
            continue
        with contextlib.suppress(OSError):
            discard(folder)
        opened_folders.remove(folder)
        removed.append(folder)
    return removed


def remove_tree(folder: Path) -> None:
    """Remove ``folder`` and what it holds, as far as possible. (shutil, 3 ms to import, only
    when a folder is removed: not on the way of a command that opens a valid index.)"""
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def discard(folder: Path) -> None:
    """Move ``folder`` aside (a rename: readers keep their open files) and remove it."""
    old = folder.parent / f".{folder.name}.old-{os.getpid()}-{time.time_ns()}"
    os.rename(folder, old)
    remove_tree(old)


def build(folder: Path, files: Sequence[Path]) -> None:
    """Build the store for ``files`` under a temporary name, then rename it to ``folder``."""
    global build_count
    root = folder.parent
    tmp = root / f".{folder.name}.build-{os.getpid()}-{time.time_ns()}"
    started = time.perf_counter()
    try:
        tmp.mkdir()
        described = describe_files(files)
        store = ox.Store(str(tmp / DATA_DIR))
        load_into(store, files, bulk=True)
        apply_rules(store)  # the derived facts (build/rules.py), once per build
        store.flush()
        store.optimize()  # compacts the bulk-loaded files: queries run ~15% faster
        triples = len(store)
        del store  # closes RocksDB before the folder moves
        manifest = {
            "format": FORMAT_VERSION,
            "tf_graph": __version__,
            "pyoxigraph": pyoxigraph_version(),
            "files": described,
            "triples": triples,
            "store_files": store_files(tmp),
            "digests": {name: file_sha256(tmp / DATA_DIR / name) for name in store_files(tmp)},
            "built_ns": time.time_ns(),
            "build_seconds": round(time.perf_counter() - started, 3),
        }
        write_manifest(tmp, manifest)
        replace_folder(tmp, folder)
        build_count += 1
    finally:
        remove_tree(tmp)


def replace_folder(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``: a rename, after moving any old store out of the way."""
    old = target.parent / f".{target.name}.old-{os.getpid()}-{time.time_ns()}"
    with contextlib.suppress(FileNotFoundError):
        os.rename(target, old)
    try:
        os.rename(new, target)
    finally:
        remove_tree(old)


@contextlib.contextmanager
def build_lock(root: Path, key: str) -> Iterator[None]:
    """Hold an exclusive lock on this store's lock file (where the platform has flock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the atomic rename alone keeps it safe
        yield
        return
    with (root / f".{key}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_LEFTOVER = re.compile(r"^\.[0-9a-f]+\.(?:build|old)-(\d+)-\d+$")


def remove_leftovers(root: Path) -> None:
    """Remove the temporary folders of builds whose process is gone (killed half-way), at once;
    a folder whose process id is alive again (reused) goes after ``STALE_LEFTOVER_S``."""
    now = time.time()
    for leftover in root.glob(".*-*"):
        match = _LEFTOVER.match(leftover.name)
        if match is None or int(match.group(1)) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            dead = not pid_alive(int(match.group(1)))
            if leftover.is_dir() and (dead or now - leftover.stat().st_mtime > STALE_LEFTOVER_S):
                remove_tree(leftover)


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (signal 0 checks without sending anything)."""
    if os.name == "nt":  # pragma: no cover - there os.kill ends the process: age decides
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process, or not a pid we can ask about: keep its folder
    return True


def cached_store(files: Sequence[Path], store_dir: Path | None = None) -> OpenedStore:
    """The on-disk store for ``files``: reused if valid, else (re)built atomically."""
    files = check_inputs(files)
    root = Path(store_dir).expanduser() if store_dir else default_cache_root()
    key = store_key(files)
    folder = root / key
    opened = open_valid(folder, files)
    if opened is not None:
        return opened
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{root}: cannot create the store folder ({err.strerror})") from None
    with build_lock(root, key):
        opened = open_valid(folder, files)  # another process may have built it meanwhile
        if opened is not None:
            return opened
        remove_leftovers(root)
        try:
            build(folder, files)
        except OSError as err:
            raise OutputError(f"{root}: cannot build the store ({one_line(err)})") from None
    opened = open_valid(folder, files)
    if opened is None:  # pragma: no cover - the inputs changed while we were building
        raise InputFileError(f"{folder}: the store changed while it was being built; run again")
    opened.rebuilt = True
    return opened


def open_store(
    files: Sequence[Path], store_dir: Path | None = None, use_cache: bool = True
) -> OpenedStore:
    """The Oxigraph store of ``files``: cached on disk, or in memory with ``use_cache=False``."""
    if not use_cache:
        return memory_store(files)
    return cached_store(files, store_dir)


def open_store_graph(
    files: Sequence[Path], store_dir: Path | None = None, use_cache: bool = True
) -> Graph:
    """An rdflib Graph over the Oxigraph store of ``files`` (ontology + data + extras).

    Queries through ``graph.query(text, initBindings=...)`` run inside Oxigraph; results come
    back as the same rdflib terms the in-memory backend gives.
    """
    from tf_graph.engines.oxigraph_view import wrap_graph

    return wrap_graph(open_store(files, store_dir, use_cache).store)


def open_index_graph(
    files: Sequence[Path], store_dir: Path | None = None, use_cache: bool = True
) -> IndexGraph:
    """The Oxigraph store of ``files`` as the question path reads it (light terms, no rdflib;
    its ``rdf`` is the rdflib view)."""
    opened = open_store(files, store_dir, use_cache)
    return IndexGraph(opened.store, opened.path, opened.build_id, opened.triples)


#: what moved to :mod:`.oxigraph_view` (rdflib's side), still read from here
_VIEW_NAMES = frozenset(
    {"NormalisingOxigraphStore", "wrap_graph", "comparable", "CANONICALISED", "term_converter"}
)


def __getattr__(name: str) -> Any:
    """The rdflib view's names, imported (with rdflib) when first asked for."""
    if name not in _VIEW_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from tf_graph.engines import oxigraph_view

    return getattr(oxigraph_view, name)
