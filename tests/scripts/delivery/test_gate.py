"""The deploy gate's decisions on crafted plans: refuse, allow, allow with waiver."""

from __future__ import annotations

import datetime as dt

import pytest

from amsterdam_cloud.policies.waivers import Waiver, WaiverError
from amsterdam_cloud.scripts.delivery.gate import (ALLOW, ALLOW_WITH_WAIVER, DATA_LOSS_RULE, REFUSE,
                                                   GATE_OVERRIDE_RULE, decide_preview, evaluate,
                                                   load_gate_waivers, refused_overrides, waivers_file_for)
from amsterdam_cloud.scripts.delivery.plan_diff import PreviewStep, diff_from_preview
from amsterdam_cloud.core.errors import UserError

from .exports import export, postgres_database, resource_group, storage_account, urn

TODAY = dt.date(2026, 11, 28)
DATABASE_URN = urn("azure-native:dbforpostgresql:Database", "permits-db")


def _waiver(rule: str = DATA_LOSS_RULE, resource: str = DATABASE_URN, stack: str = "prod",
            expires: dt.date = dt.date(2026, 12, 20)) -> Waiver:
    return Waiver(rule=rule, resource=resource, stack=stack, reason="permits move to the new server (CLOUD-1510)",
                  owner="data-platform@amsterdam.nl", ticket="CLOUD-1510", expires=expires)


def _decide(current: dict, planned: dict, environment: str = "prod", waivers=()):
    decision, _, _ = evaluate(planned, current, environment=environment, stack=environment, waivers=waivers,
                              today=TODAY)
    return decision


def test_a_compliant_plan_without_data_loss_is_allowed_in_prod():
    decision = _decide(export(resource_group()), export(resource_group()))

    assert decision.verdict == ALLOW
    assert decision.reasons == ()


def test_a_mandatory_policy_violation_is_refused_in_prod():
    public = storage_account(allowBlobPublicAccess=True)

    decision = _decide(export(resource_group()), export(resource_group(), public))

    assert decision.verdict == REFUSE
    assert any("storage-no-public-blob-access" in reason for reason in decision.reasons)


def test_an_expired_waiver_is_refused_in_prod():
    stale = _waiver(rule="storage-no-public-blob-access", resource="urn:pulumi:prod::*",
                    expires=dt.date(2026, 10, 31))

    decision = _decide(export(resource_group()), export(resource_group()), waivers=[stale])

    assert decision.verdict == REFUSE
    assert any("expired on 2026-10-31" in reason for reason in decision.reasons)


def test_deleting_a_database_without_a_waiver_is_refused_in_prod():
    decision = _decide(export(resource_group(), postgres_database()), export(resource_group()))

    assert decision.verdict == REFUSE
    assert decision.reasons[0].startswith("data loss: delete of azure-native:dbforpostgresql:Database permits-db")
    assert f"`{DATA_LOSS_RULE}` waiver for {DATABASE_URN}" in decision.reasons[0]


def test_deleting_a_database_is_refused_in_acc_too():
    current = export(resource_group(), postgres_database(stack="acc"), stack="acc")

    decision = _decide(current, export(resource_group(), stack="acc"), environment="acc")

    assert decision.verdict == REFUSE


def test_deleting_a_waived_database_is_allowed_with_waiver():
    decision = _decide(export(resource_group(), postgres_database()), export(resource_group()),
                       waivers=[_waiver()])

    assert decision.verdict == ALLOW_WITH_WAIVER
    assert decision.reasons == ()
    assert "owner data-platform@amsterdam.nl, CLOUD-1510, until 2026-12-20" in decision.waivers[0]


def test_a_data_loss_waiver_by_urn_pattern_applies():
    pattern = _waiver(resource="urn:pulumi:prod::amsterdam-platform::azure-native:dbforpostgresql:Database::*")

    decision = _decide(export(resource_group(), postgres_database()), export(resource_group()), waivers=[pattern])

    assert decision.verdict == ALLOW_WITH_WAIVER


def test_an_expired_data_loss_waiver_is_refused():
    expired = _waiver(expires=dt.date(2026, 11, 27))

    decision = _decide(export(resource_group(), postgres_database()), export(resource_group()), waivers=[expired])

    assert decision.verdict == REFUSE
    assert any("waiver expired on 2026-11-27" in reason for reason in decision.reasons)


def test_a_data_loss_waiver_for_another_stack_does_not_apply():
    decision = _decide(export(resource_group(), postgres_database()), export(resource_group()),
                       waivers=[_waiver(stack="acc")])

    assert decision.verdict == REFUSE


def test_data_loss_in_dev_is_allowed_with_a_warning():
    current = export(resource_group(), postgres_database(stack="dev"), stack="dev")

    decision = _decide(current, export(resource_group(), stack="dev"), environment="dev")

    assert decision.verdict == ALLOW
    assert decision.warnings[0].startswith("data loss: delete of")


def test_the_rendered_refusal_names_the_stack_and_each_reason():
    decision = _decide(export(resource_group(), postgres_database()), export(resource_group()))

    text = decision.render()

    assert text.startswith("deploy gate REFUSED: not deploying stack prod to prod")
    assert "  ✗ data loss: delete of" in text


def test_the_waivers_file_accepts_the_data_loss_pseudo_rule(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text(f"""waivers:
  - rule: {DATA_LOSS_RULE}
    resource: "{DATABASE_URN}"
    stack: prod
    reason: permits move to the new server
    owner: data-platform@amsterdam.nl
    approver: ciso@amsterdam.nl
    approved: 2026-11-30
    ticket: CLOUD-1510
    expires: 2026-12-20
""", encoding="utf-8")

    (waiver,) = load_gate_waivers(path)

    assert (waiver.rule, waiver.expires) == (DATA_LOSS_RULE, dt.date(2026, 12, 20))


def test_the_waivers_file_still_rejects_an_unknown_rule(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text("""waivers:
  - {rule: no-such-rule, resource: "*", stack: prod, reason: r, owner: o@amsterdam.nl, approver: ciso@amsterdam.nl,
     approved: 2026-11-30, ticket: CLOUD-1, expires: 2026-12-20}
""", encoding="utf-8")

    with pytest.raises(WaiverError, match="no-such-rule"):
        load_gate_waivers(path)


def _previewed_replacement_of_the_database():
    return diff_from_preview([PreviewStep(op, DATABASE_URN, "azure-native:dbforpostgresql:Database",
                                          replace_keys=("charset",))
                              for op in ("create-replacement", "replace", "delete-replaced")])


def test_a_data_loss_the_real_preview_shows_is_refused_in_prod():
    decision = decide_preview(environment="prod", stack="prod", diff=_previewed_replacement_of_the_database(),
                              waivers=(), today=TODAY)

    assert decision.verdict == REFUSE
    assert decision.reasons[0].startswith("data loss: replace of azure-native:dbforpostgresql:Database permits-db")


def test_a_waived_data_loss_in_the_real_preview_is_allowed_with_waiver():
    decision = decide_preview(environment="prod", stack="prod", diff=_previewed_replacement_of_the_database(),
                              waivers=[_waiver()], today=TODAY)

    assert decision.verdict == ALLOW_WITH_WAIVER


def _app_repository(tmp_path, waivers: str):
    """An app repository outside the toolkit: a Pulumi.yaml and its own waivers.yaml beside it."""
    (tmp_path / "Pulumi.yaml").write_text("name: permits\nruntime: python\n", encoding="utf-8")
    (tmp_path / "waivers.yaml").write_text("waivers:\n" + waivers, encoding="utf-8")
    return tmp_path


APP_DATA_LOSS_WAIVER = f"""  - rule: {DATA_LOSS_RULE}
    resource: "{DATABASE_URN}"
    stack: prod
    reason: permits move to the new server
    owner: permits@amsterdam.nl
    approver: ciso@amsterdam.nl
    approved: 2026-11-30
    ticket: CLOUD-1510
    expires: 2026-12-20
"""


def test_an_app_repositorys_own_waivers_file_adds_a_data_loss_waiver_to_the_toolkits(tmp_path):
    root = _app_repository(tmp_path, APP_DATA_LOSS_WAIVER)

    waivers = load_gate_waivers(project_root=root)
    decision = _decide(export(resource_group(), postgres_database()), export(resource_group()), waivers=waivers)

    assert waivers[:-1] == load_gate_waivers() and waivers[-1].owner == "permits@amsterdam.nl"
    assert decision.verdict == ALLOW_WITH_WAIVER


def test_without_the_app_waiver_the_refusal_names_the_app_repositorys_waivers_file(tmp_path):
    root = tmp_path  # an app repository without a waivers file yet
    (root / "Pulumi.yaml").write_text("name: permits\nruntime: python\n", encoding="utf-8")

    decision, _, _ = evaluate(export(resource_group()), export(resource_group(), postgres_database()),
                              environment="prod", stack="prod", waivers=load_gate_waivers(project_root=root),
                              today=TODAY, waivers_file=waivers_file_for(root))

    assert decision.verdict == REFUSE
    assert decision.reasons[0].endswith(f"to {root / 'waivers.yaml'}")


def test_the_toolkits_own_projects_keep_the_toolkits_waivers_file():
    from amsterdam_cloud.policies.waivers import DEFAULT_WAIVERS_FILE

    assert waivers_file_for(DEFAULT_WAIVERS_FILE.parents[1] / "stacks" / "workplace") == "policies/waivers.yaml"


def test_an_app_waiver_of_a_residency_rule_is_refused_naming_the_file_and_why(tmp_path):
    root = _app_repository(tmp_path, f"""  - rule: residency-allowed-location
    resource: "{DATABASE_URN}"
    stack: prod
    reason: the vendor hosts in the US
    owner: permits@amsterdam.nl
    approver: ciso@amsterdam.nl
    approved: 2026-11-30
    ticket: CLOUD-1510
    expires: 2026-12-20
""")

    with pytest.raises(UserError, match=r"waivers.yaml: waivers\[0\]\.rule: 'residency-allowed-location' is an EU "
                                        r"residency rule, which an app repository cannot waive \(where data lives"):
        load_gate_waivers(project_root=root)


def test_in_prod_an_override_still_needs_a_deploy_override_waiver_and_the_message_names_the_app_file(tmp_path):
    root = _app_repository(tmp_path, APP_DATA_LOSS_WAIVER)
    waivers = load_gate_waivers(project_root=root)

    refused = refused_overrides(environment="prod", stack="prod", options=["--today"], waivers=waivers,
                                today=TODAY, waivers_file=waivers_file_for(root))
    allowed = refused_overrides(environment="prod", stack="prod", options=["--today"], today=TODAY,
                                waivers=[*waivers, _waiver(rule=GATE_OVERRIDE_RULE, resource="--today")],
                                waivers_file=waivers_file_for(root))

    assert len(refused) == 1 and refused[0].endswith(f"for stack prod to {root / 'waivers.yaml'}")
    assert allowed == []
