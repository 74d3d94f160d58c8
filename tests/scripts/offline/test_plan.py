"""Every reader of a plan or `pulumi stack export` file (`plan --against`, `deploy`, `policy check`) holds it to one
shape check, `check_export`: the same document is refused the same way whichever command reads it."""

from __future__ import annotations

import enum
import json
from pathlib import Path

import pytest

from amsterdam_cloud.scripts.cli import main
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.offline.export_shape import check_export
from amsterdam_cloud.scripts.offline.plan import read_export
from amsterdam_cloud.scripts.offline.plan_text import indented_json

from ..delivery.exports import export, resource_group, storage_account, with_inputs

ROOT = Path(__file__).resolve().parents[3]


class _TextEnum(str, enum.Enum):
    VALUE = "value"


class _Mapping(dict):
    pass


def _broken(**fields) -> dict:
    account = storage_account()
    account.update(fields)
    return export(resource_group(), account)


BROKEN = {
    "dependencies-text": (_broken(dependencies="abc"), r"resources\[3\]\.dependencies: must be a list, got str"),
    "custom-text": (_broken(custom="yes"), r"resources\[3\]\.custom: must be true or false, got str"),
    "parent-number": (_broken(parent=7), r"resources\[3\]\.parent: must be text, got int"),
    "provider-list": (_broken(provider=["x"]), r"resources\[3\]\.provider: must be text, got list"),
    "inputs-list": (_broken(inputs=[1]), r"resources\[3\]\.inputs: must be an object, got list"),
    "duplicate-urn": (export(resource_group(), storage_account(), with_inputs(storage_account(), kind="BlobStorage")),
                      r"resources\[4\]\.urn: urn:pulumi:prod::amsterdam-platform::azure-native:storage:StorageAccount"
                      r"::data is also deployment\.resources\[3\]; an export names each resource once"),
    "dependency-number": (_broken(dependencies=["urn:pulumi:a", 7]), r"resources\[3\]\.dependencies: must be a list of text"),
    "property-dependency-text": (_broken(propertyDependencies={"scope": "urn:pulumi:a"}),
                                 r"resources\[3\]\.propertyDependencies\.scope: must be a list of URNs"),
    "property-dependency-number": (_broken(propertyDependencies={"scope": [None]}),
                                   r"resources\[3\]\.propertyDependencies\.scope: must be a list of URNs"),
    "urn-empty": (_broken(urn=""), r"resources\[3\]\.urn: missing or not text"),
    "type-number": (_broken(type=3), r"resources\[3\]\.type: missing or not text"),
    "resource-list": (export(resource_group(), ["urn", "type"]), r"resources\[3\]: must be an object with a urn"),
}


@pytest.mark.parametrize("name", BROKEN)
def test_policy_check_and_the_against_reader_refuse_the_same_broken_export(tmp_path: Path, monkeypatch, capsys,
                                                                           name: str):
    document, problem = BROKEN[name]
    monkeypatch.chdir(tmp_path)
    Path("prod-export.json").write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(UserError, match=rf"^prod-export.json: deployment\.{problem}"):
        read_export(Path("prod-export.json"))  # what `plan --against` and `deploy` read
    code = main(["policy", "check", "prod-export.json", "--output", "report.txt"])

    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("cityctl: error: prod-export.json: deployment.resources[")
    assert not Path("report.txt").exists()


def test_a_well_formed_export_passes_the_shape_check(tmp_path: Path):
    path = tmp_path / "prod-export.json"
    path.write_text(json.dumps(export(resource_group(), storage_account())), encoding="utf-8")
    assert read_export(path)["version"] == 3


def test_the_shape_check_takes_subclasses_of_the_json_types_as_those_types():
    account = _Mapping(storage_account(), urn=_TextEnum.VALUE, dependencies=[_TextEnum.VALUE])
    document = export(resource_group(), account)

    assert check_export(document, "prod-export.json") is document


@pytest.mark.parametrize("document", [
    {}, [], "plain", None, True, 0, -7, 10 ** 30, 1.5, -0.0, 1e300,
    {"b": 1, "a": [1, 2.0, None, False, "s", [], {}]},
    {"é": "ü\n\"\\\u2028\x00\t", "nested": {"z": {"y": [[[]], {"w": []}]}}},
    {"nan": float("nan")}, {"infinite": float("inf")}, {1: "a number as a key"},
    {"enum": _TextEnum.VALUE}, {"subclass": _Mapping(a=1)},
], ids=repr)
def test_a_plan_files_text_is_what_json_dumps_writes(document):
    assert indented_json(document) == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)


def test_a_real_plans_text_is_what_json_dumps_writes(tmp_path: Path):
    from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack

    export = plan_stack(PulumiProject.load(ROOT), "dev", plans_dir=tmp_path).to_export()
    assert len(export["deployment"]["resources"]) > 100
    assert indented_json(export) == json.dumps(export, indent=2, sort_keys=True, ensure_ascii=False)
