"""Every document is read strictly: UTF-8 only, no duplicate keys, no alias bombs, bounded nesting, one-line errors."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from amsterdam_cloud.core import documents
from amsterdam_cloud.core.errors import UserError

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi"))


def read(tmp_path: Path, content: bytes | str, name: str = "doc.yaml"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    reader = documents.read_json if name.endswith(".json") else documents.read_yaml
    return reader(path, "test document")


def test_utf8_with_or_without_a_byte_order_mark_is_read(tmp_path: Path):
    assert read(tmp_path, "name: Zuidas\n") == {"name": "Zuidas"}
    assert read(tmp_path, "\ufeffname: Zuidas\n") == {"name": "Zuidas"}
    assert read(tmp_path, "\ufeff{\"a\": 1}", "doc.json") == {"a": 1}


def test_a_cp1252_file_is_told_to_be_saved_as_utf8(tmp_path: Path):
    with pytest.raises(UserError, match=r"doc.yaml: byte 10 is not UTF-8; save the file as UTF-8"):
        read(tmp_path, "owner: Jos\xe9\n".encode("cp1252"))


def test_a_duplicate_key_is_refused_instead_of_the_last_one_winning(tmp_path: Path):
    with pytest.raises(UserError, match=r"line 3: duplicate key 'exposure'"):
        read(tmp_path, "app:\n  exposure: internal\n  exposure: public\n")


def test_a_duplicate_json_key_is_refused_at_any_depth(tmp_path: Path):
    with pytest.raises(UserError, match=r"doc.json: not valid JSON \(duplicate key 'all'; keep one"):
        read(tmp_path, '{"all": "mandatory", "all": "disabled"}', "doc.json")
    with pytest.raises(UserError, match=r"duplicate key 'inputs'"):
        read(tmp_path, '{"resources": [{"inputs": {}, "inputs": {"location": "eastus"}}]}', "doc.json")


def test_the_same_key_in_different_json_objects_is_fine(tmp_path: Path):
    assert read(tmp_path, '[{"a": 1}, {"a": 2}]', "doc.json") == [{"a": 1}, {"a": 2}]


def test_an_alias_bomb_is_refused_before_it_is_built(tmp_path: Path):
    with pytest.raises(UserError, match="aliases expand the document more than 10 times"):
        read(tmp_path, BOMB)


def test_a_small_alias_is_still_read(tmp_path: Path):
    assert read(tmp_path, "a: &tags {owner: x}\nb: *tags\n") == {"a": {"owner": "x"}, "b": {"owner": "x"}}


@pytest.mark.parametrize("name, text", [("doc.yaml", "[" * 150 + "]" * 150), ("doc.json", "[" * 150 + "]" * 150),
                                        ("doc.json", "[" * 100_000 + "]" * 100_000)])
def test_deep_nesting_is_refused(tmp_path: Path, name: str, text: str):
    with pytest.raises(UserError, match=f"nested deeper than {documents.MAX_DEPTH} levels"):
        read(tmp_path, text, name)


@pytest.mark.parametrize("name, text", [("doc.yaml", "n: " + "9" * 5000), ("doc.json", "[" + "9" * 5000 + "]"),
                                        ("doc.json", '{"memory": NaN}'), ("doc.yaml", "x: !!binary aGk=\n"),
                                        ("doc.yaml", "x: !!python/object:os.system {}\n")])
def test_values_no_document_of_ours_holds_are_refused(tmp_path: Path, name: str, text: str):
    with pytest.raises(UserError, match=r"doc\.(yaml|json): "):
        read(tmp_path, text, name)


def test_a_folder_or_a_missing_file_is_named(tmp_path: Path):
    with pytest.raises(UserError, match="is a folder; expected the test document"):
        documents.read_yaml(tmp_path, "test document")
    with pytest.raises(UserError, match="no such file; expected the test document"):
        documents.read_yaml(tmp_path / "nope.yaml", "test document")


def test_an_unreadable_file_says_permission_denied(tmp_path: Path, monkeypatch):
    path = tmp_path / "doc.yaml"
    path.write_text("a: 1\n")

    def denied(self):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(UserError, match="cannot read the test document: permission denied"):
        documents.read_yaml(path, "test document")


@pytest.mark.parametrize("key", ["null", "1", "yes", "[a]"])
def test_a_key_that_is_not_text_is_refused(tmp_path: Path, key: str):
    with pytest.raises(UserError, match="is not text; quote it or name it"):
        read(tmp_path, f"spokes:\n  {key}:\n    addressSpace: 10.10.16.0/20\n")
