"""Waivers: valid ones move findings apart, expired ones turn back into violations, malformed ones are errors."""

import datetime as dt

import pytest
import yaml

from amsterdam_cloud.policies.checker import check_export
from tests.policies.rule_fixtures import city_tags, export_of, resource, urn_of
from amsterdam_cloud.policies.waivers import DEFAULT_WAIVERS_FILE, WaiverError, load_waivers, parse_waivers

NSG = "azure-native:network:NetworkSecurityGroup"
DIAGNOSTICS = "monitoring-diagnostic-settings"
TODAY = dt.date(2026, 11, 28)
OPEN_SSH = {"location": "westeurope", "tags": city_tags(), "securityRules": [
    {"name": "ssh", "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": "*",
     "destinationPortRange": "22"}]}


def waiver(**changes):
    """A valid waiver of a critical rule, approved on TODAY (or 20 days before an earlier expiry) unless given."""
    entry = {"rule": "network-nsg-no-admin-ports-from-internet", "resource": urn_of("prod", NSG, "bastion-nsg"),
             "stack": "prod", "reason": "Break-glass access during the migration weekend.",
             "owner": "cloud-platform@amsterdam.nl", "approver": "ciso@amsterdam.nl", "ticket": "CLOUD-1200",
             "expires": "2026-12-20", **changes}
    if "approved" not in changes:
        try:
            expires = dt.date.fromisoformat(entry["expires"])
            entry["approved"] = min(expires - dt.timedelta(days=20), TODAY).isoformat()
        except (TypeError, ValueError):
            entry["approved"] = TODAY.isoformat()
    return entry


def run(tmp_path, *waivers, stack="prod", today=TODAY, environment="prod"):
    path = tmp_path / "waivers.yaml"
    path.write_text(yaml.safe_dump({"waivers": list(waivers)}))
    nsg = resource(NSG, "bastion-nsg", {**OPEN_SSH, "tags": city_tags(environment)}, stack=stack)
    return check_export(export_of(nsg, stack=stack), environment=environment, waivers_path=path, today=today)


def admin_port(findings):
    return [f for f in findings if f.policy == "network-nsg-no-admin-ports-from-internet"]


def test_without_waiver_the_finding_is_a_violation(tmp_path):
    assert len(admin_port(run(tmp_path).findings)) == 1


def test_valid_waiver_moves_the_finding_to_waived(tmp_path):
    result = run(tmp_path, waiver())
    assert admin_port(result.findings) == [] and len(admin_port(result.waived)) == 1
    assert admin_port(result.waived)[0].waiver.ticket == "CLOUD-1200"


def test_waiver_by_urn_pattern_applies_to_a_rule_that_is_not_critical(tmp_path):
    result = run(tmp_path, waiver(rule=DIAGNOSTICS, resource="urn:pulumi:prod::*::*NetworkSecurityGroup::bastion-*"))
    assert [f.policy for f in result.waived] == [DIAGNOSTICS]


def test_waiver_for_another_stack_does_not_apply(tmp_path):
    assert len(admin_port(run(tmp_path, waiver(stack="acc")).findings)) == 1


def test_an_expired_waiver_of_another_projects_resource_does_not_concern_this_projects_stack(tmp_path):
    other = waiver(rule=DIAGNOSTICS, resource=urn_of("prod", NSG, "bastion-nsg", project="amsterdam-workplace"),
                   expires="2026-11-01")
    assert [w.rule for w in run(tmp_path, other).expired_waivers] == []
    mine = run(tmp_path, waiver(rule=DIAGNOSTICS, resource=urn_of("prod", NSG, "bastion-nsg"), expires="2026-11-01"))
    assert [w.rule for w in mine.expired_waivers] == [DIAGNOSTICS]


def test_waiver_is_valid_through_its_expiry_date(tmp_path):
    assert admin_port(run(tmp_path, waiver(expires="2026-11-28")).findings) == []


def test_expired_waiver_turns_back_into_a_violation_reported_as_expired(tmp_path):
    result = run(tmp_path, waiver(expires="2026-11-27"))
    found = admin_port(result.findings)
    assert len(found) == 1 and "waiver expired on 2026-11-27" in found[0].message
    assert [w.expires for w in result.expired_waivers] == [dt.date(2026, 11, 27)]


def test_expired_waiver_fails_the_check_even_where_rules_are_advisory(tmp_path):
    result = run(tmp_path, waiver(expires="2026-01-01", stack="dev"), stack="dev", environment="dev")
    assert result.failed and not result.mandatory


def test_waiver_of_one_rule_leaves_other_rules_on_the_resource(tmp_path):
    result = run(tmp_path, waiver())
    assert any(f.policy == "monitoring-diagnostic-settings" for f in result.findings)


@pytest.mark.parametrize("field", ["reason", "owner", "expires", "rule", "resource", "stack", "ticket", "approver",
                                   "approved"])
def test_waiver_without_a_required_field_is_a_config_error_naming_it(field):
    entry = waiver()
    del entry[field]
    with pytest.raises(WaiverError, match=rf"waivers\[0\]\.{field}: required"):
        parse_waivers({"waivers": [entry]}, "waivers.yaml", approval=True)


@pytest.mark.parametrize("field,value,problem", [
    ("owner", "y", r"waivers\[0\]\.owner: 'y' is not an e-mail address"),
    ("approver", "the CISO", r"waivers\[0\]\.approver: 'the CISO' is not an e-mail address"),
    ("approver", "Cloud-Platform@amsterdam.nl", r"waivers\[0\]\.approver: the owner cannot approve their own waiver"),
    ("ticket", "see mail", r"waivers\[0\]\.ticket: 'see mail' is not a ticket id"),
])
def test_a_waiver_needs_a_real_owner_approver_and_ticket(field, value, problem):
    with pytest.raises(WaiverError, match=problem):
        parse_waivers({"waivers": [waiver(**{field: value})]}, "waivers.yaml", approval=True)


@pytest.mark.parametrize("changes", [{"resource": "*"}, {"stack": "*"}, {"resource": "*", "stack": "*", "scope": "all"},
                                     {"resource": "urn:pulumi:prod::*::*NetworkSecurityGroup::bastion-?"}])
def test_a_critical_rule_cannot_be_waived_by_pattern(changes):
    for rule in ("network-nsg-no-admin-ports-from-internet", "residency-allowed-location"):
        with pytest.raises(WaiverError, match=rf"waivers\[0\]: {rule} is a critical rule, so its waiver names one "
                                              "stack and one resource URN"):
            parse_waivers({"waivers": [waiver(rule=rule, **changes)]}, "waivers.yaml")


def test_a_far_off_expiry_fails_the_check_by_the_environments_maximum_for_the_severity(tmp_path):
    result = run(tmp_path, waiver(expires="2999-12-31"))
    assert result.failed and admin_port(result.waived)  # the finding stays waived, the waiver is refused
    ((_, message),) = result.too_long_waivers
    assert message == (
        f"{tmp_path / 'waivers.yaml'}: waivers[0] (network-nsg-no-admin-ports-from-internet) runs 355414 days from "
        "2026-11-28 to 2999-12-31; a critical rule's waiver may run at most 30 days in prod (pack config "
        "waivers-expired.maxWaiverDays); set an earlier expiry and have it approved again then")


def test_the_maximum_is_the_environments_and_the_severitys(tmp_path):
    far = "2027-05-01"  # 154 days ahead: too long for a critical rule in prod (30) or dev (90)
    assert run(tmp_path, waiver(expires=far)).too_long_waivers
    assert run(tmp_path, waiver(expires=far, stack="dev"), stack="dev", environment="dev").too_long_waivers
    assert not run(tmp_path, waiver(rule=DIAGNOSTICS, expires=far)).too_long_waivers  # medium: 180 in prod


def test_the_maximum_runs_from_the_approval_so_a_long_waiver_does_not_grow_valid_by_waiting(tmp_path):
    """Approved for 202 days, with 22 left today: still too long for a critical rule (30 in prod)."""
    result = run(tmp_path, waiver(approved="2026-06-01"))
    ((_, message),) = result.too_long_waivers
    assert "runs 202 days from 2026-06-01 to 2026-12-20" in message and result.failed


def test_a_waiver_approved_after_the_day_of_the_check_is_not_in_force_and_fails_the_check(tmp_path):
    """The check's own day (`--today`) judges the approval, as it judges the expiry: one clock per run."""
    result = run(tmp_path, waiver(approved="2026-12-01", expires="2026-12-20"))  # TODAY is 2026-11-28
    assert len(admin_port(result.findings)) == 1 and result.failed
    ((_, message),) = result.too_long_waivers
    assert "is approved on 2026-12-01, after the day of the check (2026-11-28), so it is not in force" in message
    assert run(tmp_path, waiver(approved="2026-12-01", expires="2026-12-20"), today=dt.date(2026, 12, 2)).waived


def test_an_approval_after_the_expiry_is_a_config_error():
    with pytest.raises(WaiverError, match=r"approved: 2026-11-20 is after expires 2026-11-10"):
        parse_waivers({"waivers": [waiver(approved="2026-11-20", expires="2026-11-10")]}, "waivers.yaml")


def test_a_bracket_glob_for_a_critical_rule_is_refused_naming_the_bracket_class():
    resource = urn_of("prod", NSG, "bastion-[ab]")
    with pytest.raises(WaiverError, match=r"its resource holds the glob bracket class '\[ab\]' \(it matches any one"):
        parse_waivers({"waivers": [waiver(resource=resource)]}, "waivers.yaml")


def test_blank_reason_is_a_config_error():
    with pytest.raises(WaiverError, match="reason"):
        parse_waivers({"waivers": [waiver(reason="  ")]}, "waivers.yaml")


def test_expiry_that_is_not_a_date_is_a_config_error():
    with pytest.raises(WaiverError, match="not a date"):
        parse_waivers({"waivers": [waiver(expires="end of Q1")]}, "waivers.yaml")


def test_waiver_of_an_unknown_rule_is_a_config_error(tmp_path):
    with pytest.raises(WaiverError, match="not a rule of the pack"):
        run(tmp_path, waiver(rule="no-such-rule"))


def test_unknown_waiver_field_is_a_config_error():
    with pytest.raises(WaiverError, match="unknown field"):
        parse_waivers({"waivers": [waiver(approved_by="ciso")]}, "waivers.yaml")


def test_waivers_that_are_not_a_list_are_a_config_error():
    with pytest.raises(WaiverError, match="must be a list"):
        parse_waivers({"waivers": {"rule": "x"}}, "waivers.yaml")


@pytest.mark.parametrize("text, problem", [
    ("- rule: storage-min-tls12\n", "is a list, not a mapping"),
    ("just some text\n", "is a text, not a mapping"),
    ("waiver:\n  - rule: storage-min-tls12\n", "waiver: unknown key"),
    ("waivers: yes\n", "must be a list of waivers"),
])
def test_a_malformed_waivers_file_fails_closed_instead_of_reading_as_no_waivers(tmp_path, text, problem):
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WaiverError, match=problem):
        load_waivers(path)


@pytest.mark.parametrize("text, problem", [
    ("# none yet\n", r"waivers.yaml: is empty; .*`waivers: \[\]` when there are none"),
    ("waivers:\n", r"waivers.yaml: waivers: empty \(null\); .*`waivers: \[\]` when there are none"),
    ("{}\n", r"waivers.yaml: waivers: missing"),
])
def test_an_empty_waivers_file_or_null_waivers_is_an_error_not_no_waivers(tmp_path, text, problem):
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WaiverError, match=problem):
        load_waivers(path)


def test_no_waivers_is_written_as_an_empty_list(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text("# none yet\nwaivers: []\n", encoding="utf-8")
    assert load_waivers(path) == ()


def test_an_impossible_expiry_date_names_the_key_and_says_it_is_not_a_valid_date(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text(yaml.safe_dump({"waivers": [waiver()]}).replace("'2026-12-20'", "2099-02-30"), encoding="utf-8")
    with pytest.raises(WaiverError, match=r"line \d+: expires: 2099-02-30 is not a valid date \(day is out of range "
                                          r"for month\); write a date of the calendar as YYYY-MM-DD"):
        load_waivers(path)


@pytest.mark.parametrize("resource", ["*", "**"])
def test_a_waiver_for_every_resource_in_every_stack_needs_scope_all(tmp_path, resource):
    with pytest.raises(WaiverError, match=r"waivers\[0\]: resource and stack are both '\*'.*add `scope: all`"):
        parse_waivers({"waivers": [waiver(rule=DIAGNOSTICS, resource=resource, stack="*")]}, "waivers.yaml")
    (everywhere,) = parse_waivers({"waivers": [waiver(rule=DIAGNOSTICS, resource=resource, stack="*", scope="all")]},
                                  "waivers.yaml")
    assert everywhere.matches(everywhere.rule, urn_of("dev", NSG, "any-nsg"), "dev")


def test_a_wildcard_on_one_side_only_needs_no_scope():
    assert parse_waivers({"waivers": [waiver(rule=DIAGNOSTICS, resource="*", stack="prod")]}, "waivers.yaml")
    assert parse_waivers({"waivers": [waiver(rule=DIAGNOSTICS, stack="*")]}, "waivers.yaml")


def test_scope_other_than_all_is_an_error():
    with pytest.raises(WaiverError, match=r"waivers\[0\]\.scope: 'prod'; the only scope is `all`"):
        parse_waivers({"waivers": [waiver(scope="prod")]}, "waivers.yaml")


def test_missing_waivers_file_is_a_user_error(tmp_path):
    with pytest.raises(WaiverError, match="not found"):
        load_waivers(tmp_path / "nope.yaml")


def test_committed_waivers_file_is_valid():
    assert isinstance(load_waivers(DEFAULT_WAIVERS_FILE), tuple)


def test_a_deploy_gate_data_loss_waiver_in_the_same_file_does_not_break_the_check(tmp_path):
    result = run(tmp_path, waiver(), waiver(rule="plan-data-loss", resource=urn_of("prod", NSG, "old-vault")))
    assert admin_port(result.waived) and not admin_port(result.findings)


def test_a_waiver_for_a_rule_that_does_not_exist_is_still_a_config_error(tmp_path):
    with pytest.raises(WaiverError, match="no-such-rule"):
        run(tmp_path, waiver(rule="no-such-rule"))


@pytest.mark.parametrize("rule,resource", [("plan-data-loss", "*"), ("deploy-override", "*")])
def test_the_gates_own_rules_are_critical_no_pattern(rule, resource):
    with pytest.raises(WaiverError, match=rf"waivers\[0\]: {rule} is a critical rule"):
        parse_waivers({"waivers": [waiver(rule=rule, resource=resource, stack="prod")]}, "waivers.yaml")


def test_a_data_loss_waiver_is_bounded_by_the_critical_maximum(tmp_path):
    gone = urn_of("prod", NSG, "old-vault")
    result = run(tmp_path, waiver(), waiver(rule="plan-data-loss", resource=gone, expires="2999-02-20"))
    assert [w.rule for w, _ in result.too_long_waivers] == ["plan-data-loss"] and result.failed
