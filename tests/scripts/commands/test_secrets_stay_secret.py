"""Secrets planted in a `--show-secrets` export, a plan diff and a stack file never reach any output as text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amsterdam_cloud.scripts.cli import main

from ..delivery.exports import TAGS, export, resource_group, storage_account

SIG = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}
PLANTED = "S3cr3t-Planted-9f2c"


def shown_secret(value) -> dict:
    """A secret as `pulumi stack export --show-secrets` writes it: the JSON encoding of the value as plaintext."""
    return {**SIG, "plaintext": json.dumps(value)}


def _every_output(folder: Path, captured) -> str:
    files = "".join(p.read_text(encoding="utf-8") for p in folder.iterdir() if p.suffix != ".json" or
                    p.name.startswith("report"))
    return captured.out + captured.err + files


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_a_policy_report_never_prints_a_shown_secret(tmp_path: Path, capsys, fmt: str):
    # a violating value kept as a secret: the rule's message would quote it
    account = storage_account(minimumTlsVersion=shown_secret(f"TLS1_0-{PLANTED}"),
                              allowBlobPublicAccess=shown_secret(PLANTED))
    source = tmp_path / "prod-export.json"
    source.write_text(json.dumps(export(resource_group(), account)), encoding="utf-8")

    code = main(["policy", "check", str(source), "--format", fmt, "--output", str(tmp_path / f"report.{fmt}"),
                 "--evidence", str(tmp_path / "evidence.md"), "--today", "2026-11-28"])

    assert code == 1  # the violation is still found
    out = _every_output(tmp_path, capsys.readouterr())
    assert "minimumTlsVersion" in out or "TLS" in out
    assert PLANTED not in out


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_a_policy_report_never_prints_a_secret_in_a_normalized_or_derived_form(tmp_path: Path, capsys, fmt: str):
    # a secret location the residency rule normalizes ("East US 2" -> eastus2), a secret tag and a secret name
    tags = {**TAGS, "data-classification": shown_secret(f"Xqzv {PLANTED}")}
    account = storage_account(location=shown_secret("East US 2"), tags=tags,
                              accountName=shown_secret(f"St {PLANTED} Name"))
    source = tmp_path / "prod-export.json"
    source.write_text(json.dumps(export(resource_group(), account)), encoding="utf-8")

    code = main(["policy", "check", str(source), "--format", fmt, "--output", str(tmp_path / f"report.{fmt}"),
                 "--evidence", str(tmp_path / "evidence.md"), "--today", "2026-11-28"])

    assert code == 1  # the location and the tag are still judged: both violate
    out = _every_output(tmp_path, capsys.readouterr())
    assert "residency-allowed-location" in out and "[secret]" in out
    for form in ("East US 2", "eastus2", "EASTUS2", PLANTED, PLANTED.lower(), "xqzv", "Xqzv"):
        assert form not in out, form


def test_the_plan_diffs_auto_named_note_never_prints_a_secret_name(tmp_path: Path):
    from amsterdam_cloud.scripts.delivery.plan_diff import diff_exports, render_text

    before = export(resource_group(), storage_account(accountName=shown_secret(PLANTED)))
    planned = storage_account()
    del planned["inputs"]["accountName"]  # auto-named in the plan: Pulumi keeps the current name
    planned["inputs"]["minimumTlsVersion"] = "TLS1_3"
    diff = diff_exports(before, export(resource_group(), planned), before_source="a", after_source="b")

    text = render_text(diff) + json.dumps(diff.as_dict())
    assert "auto-named" in text
    assert PLANTED[:4] not in text


@pytest.mark.parametrize("value", ["", "null", "42", "[a, b]", "'with space'"])
def test_a_secure_value_must_be_ciphertext(tmp_path: Path, capsys, value: str):
    from amsterdam_cloud.stacks.config import read_stack_file
    from amsterdam_cloud.core.errors import UserError

    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text(f"config:\n  amsterdam-platform:alertWebhookUrl:\n    secure: {value}\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"alertWebhookUrl: secure: expected the ciphertext"):
        read_stack_file(path)


def test_a_nested_secure_value_makes_the_whole_key_secret_and_is_never_printed(tmp_path: Path):
    from amsterdam_cloud.components.app_hosting.config import parse
    from amsterdam_cloud.core.errors import UserError
    from amsterdam_cloud.stacks.config import SecretValue, read_stack_file

    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text("config:\n  app:platformStack: organization/amsterdam-platform/dev\n"
                    f"  app:app:\n    name: demo\n    image:\n      secure: v1:{PLANTED}\n", encoding="utf-8")
    config = read_stack_file(path)
    assert isinstance(config["app:app"], SecretValue)
    with pytest.raises(UserError) as raised:
        parse(config, "Pulumi.dev.yaml")
    assert PLANTED not in str(raised.value)
