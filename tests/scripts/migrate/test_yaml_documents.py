"""The migration's files: atomic writes and versioned schemas."""

from __future__ import annotations

import pytest

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.migrate import inventory, yaml_documents


class Unserializable:
    pass


def test_a_document_that_cannot_be_dumped_never_reaches_the_disk(tmp_path):
    target = tmp_path / "out.yaml"
    with pytest.raises(Exception):  # noqa: B017 - whatever yaml raises, nothing may be written
        yaml_documents.write_yaml(target, {"x": Unserializable()})
    assert not target.exists()


def test_a_newer_schema_version_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "inventory.yaml"
    path.write_text("schema: amsterdam.migrate.inventory/v2\n")
    with pytest.raises(UserError, match="inventory/v2 is not supported by this cityctl"):
        inventory.load(path)


def test_another_kind_of_document_is_refused(tmp_path):
    path = tmp_path / "inventory.yaml"
    path.write_text("schema: amsterdam.migrate.mapping/v1\n")
    with pytest.raises(UserError, match="is this the inventory"):
        inventory.load(path)


def test_a_structurally_broken_inventory_names_the_key(tmp_path):
    document = inventory.build([])
    document["resources"] = [{"id": "x"}]
    path = tmp_path / "inventory.yaml"
    inventory.save(path, document)
    with pytest.raises(UserError, match=r"resources\[0\]: 'type' is a required property"):
        inventory.load(path)
