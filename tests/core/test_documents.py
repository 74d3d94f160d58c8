"""Every document is read strictly: UTF-8 only, no duplicate keys, no alias bombs, bounded nesting, one-line errors."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def _depth(value) -> int:
    """The nesting of a parsed JSON value, as the reader counts it (a top-level object or list is level 1)."""
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


@pytest.mark.parametrize("text, nesting", [
    ("[" * 100 + "]" * 100, 100),
    ('{"a": ' * 99 + '{"b": "]]]]"}' + "}" * 99, 100),
    ('[' + '[{"a": [' * 33 + "[]" + "]}]" * 33 + "]", 101),
    # strings whose brackets would hide levels if counted: 150 levels, a string "closing" 50 and one reopening them
    ("[" * 100 + '"' + "]" * 50 + '", ' + "[" * 50 + "]" * 50 + ', "' + "[" * 50 + '"' + "]" * 100, 150),
    ('["a\\"[", "]\\\\", [["\\\\\\"{"]]]', 3),
])
def test_json_nesting_is_counted_by_structure_not_by_brackets_inside_strings(tmp_path: Path, text: str,
                                                                             nesting: int):
    import json

    assert _depth(json.loads(text)) == nesting  # the case says what it means to
    if nesting <= documents.MAX_DEPTH:
        read(tmp_path, text, "doc.json")
    else:
        with pytest.raises(UserError, match=f"doc.json: nested deeper than {documents.MAX_DEPTH} levels"):
            read(tmp_path, text, "doc.json")


_TEXT = st.text(alphabet='ab[]{}"\\:, \u00e9\n', max_size=6)
_JSON = st.recursive(st.none() | st.booleans() | st.integers() | _TEXT,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
                     max_leaves=30)


@settings(deadline=None, database=None,  # one patched limit for every example; no timing on a shared machine
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(document=_JSON, indent=st.sampled_from([None, 1]), file_bytes=st.sampled_from(["none", "utf-8", "bom"]))
def test_json_nesting_limit_agrees_with_a_walk_of_the_parsed_document(monkeypatch, document, indent, file_bytes):
    import json

    monkeypatch.setattr(documents, "MAX_DEPTH", 3)  # small, so generated documents fall on both sides
    text = json.dumps(document, indent=indent, ensure_ascii=False)
    # the nesting is told from the file's bytes when the reader has them (with or without a byte-order mark)
    data = {"none": None, "utf-8": text.encode(), "bom": ("\ufeff" + text).encode()}[file_bytes]
    if _depth(document) <= 3:
        assert documents.load_json(text, "doc.json", "test document", data=data) == document
    else:
        with pytest.raises(UserError, match="nested deeper than 3 levels"):
            documents.load_json(text, "doc.json", "test document", data=data)
