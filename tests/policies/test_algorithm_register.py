"""The algorithm register snapshot and its loader."""

import pytest

from amsterdam_cloud.core.algorithm_register import REQUIRED_FIELDS, load_register
from amsterdam_cloud.core.errors import UserError


def test_snapshot_has_a_handful_of_complete_entries_keyed_by_id():
    register = load_register()
    assert 3 <= len(register) <= 5
    for lars, entry in register.items():
        assert entry["lars"] == lars and all(str(entry[field]).strip() for field in REQUIRED_FIELDS)


def test_entry_without_a_required_field_is_an_error_naming_it(tmp_path):
    path = tmp_path / "register.yaml"
    path.write_text("algorithms:\n  - lars: '1'\n    name: x\n")
    with pytest.raises(UserError, match=r"algorithms\[0\]\.description_short"):
        load_register(path)


def test_duplicate_ids_are_an_error(tmp_path):
    entry = {field: "x" for field in REQUIRED_FIELDS}
    import yaml
    path = tmp_path / "register.yaml"
    path.write_text(yaml.safe_dump({"algorithms": [entry, entry]}))
    with pytest.raises(UserError, match="appears twice"):
        load_register(path)
