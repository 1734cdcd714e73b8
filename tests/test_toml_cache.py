"""kinds.toml kept parsed beside the index (tf_graph.questions.toml_cache): the same data as
tomllib's, read from the copy while the file is unchanged, parsed again when it changes or the
copy is damaged, nothing written without an index on disk, and one clear error for a file
that is not TOML."""

from __future__ import annotations

import sys

import pytest

from tf_graph import resources
from tf_graph.engines import store
from tf_graph.errors import QueryError
from tf_graph.questions import toml_cache

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

TOML = '[lexicon]\nlead = ["leads", "^who heads"]\n\n[[kind]]\nname = "a"\nalone = true\nn = 1.5\n'


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """The folder of "the index this process opened"."""
    folder = tmp_path / "index"
    folder.mkdir()
    monkeypatch.setattr(store, "opened_folders", [folder])
    return folder


def copies(folder):
    return sorted(p.name for p in folder.glob(f"{toml_cache.PREFIX}*.json"))


def test_the_shipped_kinds_are_what_tomllib_reads_first_and_from_the_copy_after(cache):
    path = resources.queries_dir() / "ask" / "kinds.toml"
    expected = tomllib.loads(path.read_text("utf-8"))
    assert toml_cache.read_toml(path) == expected  # parsed, and kept
    (copy,) = cache.glob(f"{toml_cache.PREFIX}kinds-*.json")
    assert toml_cache.read_toml(path) == expected  # read from the copy


def test_the_copy_is_read_while_the_file_is_unchanged(cache, tmp_path, monkeypatch):
    path = tmp_path / "kinds.toml"
    path.write_text(TOML, encoding="utf-8")
    first = toml_cache.read_toml(path)
    assert first == {"lexicon": {"lead": ["leads", "^who heads"]}, "kind": [
        {"name": "a", "alone": True, "n": 1.5}
    ]}  # fmt: skip

    def no_parsing(*args):
        raise AssertionError("parsed again")

    monkeypatch.setattr(toml_cache, "_parse", no_parsing)
    assert toml_cache.read_toml(path) == first


def test_an_edited_file_is_parsed_again_and_its_old_copy_removed(cache, tmp_path):
    path = tmp_path / "kinds.toml"
    path.write_text(TOML, encoding="utf-8")
    toml_cache.read_toml(path)
    (old,) = copies(cache)
    path.write_text(TOML.replace('"a"', '"b"'), encoding="utf-8")
    assert toml_cache.read_toml(path)["kind"][0]["name"] == "b"
    (new,) = copies(cache)
    assert new != old


def test_a_damaged_copy_is_read_as_missing_and_written_again(cache, tmp_path):
    path = tmp_path / "kinds.toml"
    path.write_text(TOML, encoding="utf-8")
    toml_cache.read_toml(path)
    (copy,) = cache.glob(f"{toml_cache.PREFIX}*.json")
    good = copy.read_bytes()
    copy.write_bytes(good.replace(b'"leads"', b'"lead!"'))  # valid JSON, not what was written
    assert toml_cache.read_toml(path)["lexicon"]["lead"] == ["leads", "^who heads"]
    assert copy.read_bytes() == good


def test_a_file_that_is_not_toml_is_one_error_naming_it(cache, tmp_path):
    path = tmp_path / "kinds.toml"
    path.write_text('[lexicon]\nlead = ["leads"\n', encoding="utf-8")
    with pytest.raises(QueryError) as info:
        toml_cache.read_toml(path)
    assert str(info.value).startswith(f"{path}: ")
    assert "\n" not in str(info.value)
    assert copies(cache) == []
    with pytest.raises(QueryError, match="No such file"):
        toml_cache.read_toml(tmp_path / "missing.toml")


def test_an_index_folder_that_cannot_be_written_parses_each_time(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "opened_folders", [tmp_path / "gone"])  # (removed meanwhile)
    path = tmp_path / "kinds.toml"
    path.write_text(TOML, encoding="utf-8")
    assert toml_cache.read_toml(path)["kind"][0]["alone"] is True
    assert toml_cache.read_toml(path)["kind"][0]["alone"] is True
    assert not (tmp_path / "gone").exists()


def test_without_an_index_on_disk_nothing_is_written(tmp_path, monkeypatch):
    """--no-cache, an endpoint, rdflib's memory: the file is parsed, no copy kept anywhere."""
    monkeypatch.setattr(store, "opened_folders", [])
    monkeypatch.setenv("TF_GRAPH_STORE", str(tmp_path / "never"))
    path = tmp_path / "kinds.toml"
    path.write_text(TOML, encoding="utf-8")
    assert toml_cache.read_toml(path)["kind"][0]["name"] == "a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kinds.toml"]
