"""The glue to the Automation API, fed the SDK's own event and result types (no Pulumi CLI on this machine)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi import automation as auto
from pulumi.automation import events
from pulumi.automation._stack import PreviewResult

from amsterdam_cloud.core.backend import city_backend_url, city_secrets_provider
from amsterdam_cloud.scripts.delivery import pulumi_cli

URN = "urn:pulumi:prod::amsterdam-platform::azure-native:dbforpostgresql:Database::permits-db"
TARGET = pulumi_cli.Target(project_dir=Path("."), stack="prod", policy_pack=Path("pack"),
                           policy_pack_config=Path("pack/config/prod.json"),
                           secrets_provider=city_secrets_provider("prod"), backend_url=city_backend_url("prod"))


def _step(op: events.OpType, **fields) -> events.EngineEvent:
    metadata = events.StepEventMetadata(op=op, urn=URN, type="azure-native:dbforpostgresql:Database",
                                        provider="", **fields)
    return events.EngineEvent(sequence=1, timestamp=0, resource_pre_event=events.ResourcePreEvent(metadata))


class _Stack:
    """Answers like `auto.Stack`: preview streams engine events to on_event and returns a PreviewResult."""

    name = "prod"

    def __init__(self, *stream: events.EngineEvent) -> None:
        self.stream = stream
        self.kwargs: dict = {}

    def preview(self, **kwargs):
        self.kwargs = kwargs
        for event in self.stream:
            kwargs["on_event"](event)
        return PreviewResult(stdout="", stderr="", change_summary={events.OpType.REPLACE: 1})

    def export_stack(self):
        return auto.Deployment(version=3, deployment={"manifest": {"version": "v3.200.0"}})


def test_preview_passes_the_pack_and_its_config_and_records_the_steps():
    old = events.StepEventStateMetadata(type="azure-native:dbforpostgresql:Database", urn=URN, id="x", parent="",
                                        provider="", retain_on_delete=False)
    stack = _Stack(events.EngineEvent(sequence=0, timestamp=0),
                   _step(events.OpType.CREATE_REPLACEMENT, keys=["charset"], diffs=["charset"]),
                   _step(events.OpType.REPLACE, keys=["charset"], diffs=["charset"], old=old))

    counts, steps = pulumi_cli.preview(stack, TARGET, on_output=lambda line: None)

    assert counts == {"replace": 1}
    assert stack.kwargs["policy_packs"] == ["pack"]
    assert stack.kwargs["policy_pack_configs"] == ["pack/config/prod.json"]
    assert [(s.op, s.replace_keys) for s in steps] == [("create-replacement", ("charset",)),
                                                       ("replace", ("charset",))]


def test_the_state_of_a_stack_without_resources_is_an_empty_export():
    assert pulumi_cli.export_state(_Stack()) == {"version": 3, "deployment": {"manifest": {"version": "v3.200.0"},
                                                                              "resources": []}}


def test_the_cli_on_path_is_found(tmp_path, monkeypatch):
    fake = tmp_path / "pulumi"
    fake.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))

    assert pulumi_cli.require_cli() == str(fake)


def test_no_cli_on_path_is_a_user_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(pulumi_cli.CliMissing, match="not installed or not on PATH"):
        pulumi_cli.require_cli()


def test_the_automation_workspace_points_the_cli_at_the_targets_backend_and_key():
    options = pulumi_cli.Target(project_dir=Path("."), stack="dev", policy_pack=Path("pack"),
                                policy_pack_config=Path("pack/config/dev.json"),
                                secrets_provider=city_secrets_provider("dev"),
                                backend_url=city_backend_url("dev")).local_workspace_options()

    assert isinstance(options, auto.LocalWorkspaceOptions)
    assert options.env_vars == {"PULUMI_BACKEND_URL": "azblob://pulumi-state-dev?storage_account=stamsterdampulumistate"}
    assert options.secrets_provider == "azurekeyvault://kv-ams-pulumi-state.vault.azure.net/keys/pulumi-state-dev"


def test_a_project_on_another_backend_gets_no_backend_override():
    options = pulumi_cli.Target(project_dir=Path("."), stack="dev", policy_pack=Path("pack"),
                                policy_pack_config=Path("pack/config/dev.json"),
                                secrets_provider="passphrase").local_workspace_options()

    assert not options.env_vars
