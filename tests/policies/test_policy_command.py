"""`cityctl policy check` and `cityctl policy rules`: exit codes, formats, output files, errors."""

import json

import pytest

from tests.policies.rule_fixtures import city_tags, export_of, resource
from amsterdam_cloud.scripts.cli import main

STORAGE = "azure-native:storage:StorageAccount"


def write_export(tmp_path, stack, **inputs):
    path = tmp_path / f"{stack}.json"
    props = {"location": "westeurope", "tags": city_tags(stack if stack in ("dev", "prod") else "dev"), **inputs}
    path.write_text(json.dumps(export_of(resource(STORAGE, "data", props, stack=stack), stack=stack)))
    return path


def test_mandatory_violation_exits_1(tmp_path):
    assert main(["policy", "check", str(write_export(tmp_path, "prod", minimumTlsVersion="TLS1_0"))]) == 1


def test_advisory_violation_exits_0(tmp_path):
    assert main(["policy", "check", str(write_export(tmp_path, "dev", minimumTlsVersion="TLS1_0"))]) == 0


def test_environment_option_overrides_the_stack_name(tmp_path):
    path = write_export(tmp_path, "dev", minimumTlsVersion="TLS1_0")
    assert main(["policy", "check", str(path), "--environment", "prod"]) == 1


def test_stack_name_without_environment_needs_the_option(tmp_path, capsys):
    assert main(["policy", "check", str(write_export(tmp_path, "sandbox"))]) == 2
    assert "--environment" in capsys.readouterr().err


def test_malformed_file_exits_2_with_one_line_naming_the_file(tmp_path, capsys):
    path = tmp_path / "plan.json"
    path.write_text("{not json")
    assert main(["policy", "check", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(path) in err[0] and "not valid JSON" in err[0]


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["policy", "check", str(tmp_path / "nope.json")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_json_format_goes_to_stdout_and_people_output_to_stderr(tmp_path, capsys):
    main(["policy", "check", str(write_export(tmp_path, "prod", minimumTlsVersion="TLS1_0")), "--format", "json"])
    captured = capsys.readouterr()
    assert any(item["policy"] == "storage-min-tls12" for item in json.loads(captured.out))
    assert "policy check FAILED" in captured.err


@pytest.mark.parametrize("fmt,check", [("sarif", lambda t: json.loads(t)["version"] == "2.1.0"),
                                       ("junit", lambda t: t.startswith("<?xml")),
                                       ("json", lambda t: isinstance(json.loads(t), list))])
def test_output_file_holds_the_report(tmp_path, fmt, check):
    out = tmp_path / "reports" / f"policy.{fmt}"
    main(["policy", "check", str(write_export(tmp_path, "prod")), "--format", fmt, "--output", str(out)])
    assert check(out.read_text()) and [p.name for p in out.parent.iterdir()] == [out.name]


@pytest.mark.parametrize("suffix,marker", [(".md", "# Policy evidence"), (".html", "<!DOCTYPE html>")])
def test_evidence_option_writes_the_report_in_the_format_of_its_suffix(tmp_path, suffix, marker):
    out = tmp_path / f"evidence{suffix}"
    main(["policy", "check", str(write_export(tmp_path, "prod")), "--evidence", str(out)])
    assert out.read_text().startswith(marker)


def test_rules_lists_every_rule_with_its_level(capsys):
    from amsterdam_cloud.policies.rules import ALL_RULES

    assert main(["policy", "rules", "--environment", "acc"]) == 0
    out = capsys.readouterr().out
    assert all(f"{rule.id} [mandatory]" in out for rule in ALL_RULES)


def _waivers_file(tmp_path, *entries):
    import yaml

    path = tmp_path / "waivers.yaml"
    base = {"stack": "prod", "reason": "migration", "owner": "data@amsterdam.nl", "approver": "ciso@amsterdam.nl",
            "approved": "2026-10-25", "ticket": "CLOUD-9", "expires": "2026-12-20"}
    path.write_text(yaml.safe_dump({"waivers": [{**base, **entry} for entry in entries]}))
    return path


def test_waivers_lists_days_left_and_which_waivers_are_in_use_or_stale(tmp_path, capsys):
    plan = write_export(tmp_path, "prod", minimumTlsVersion="TLS1_0")
    urn = json.loads(plan.read_text())["deployment"]["resources"][1]["urn"]
    waivers = _waivers_file(tmp_path, {"rule": "storage-min-tls12", "resource": urn},
                            {"rule": "storage-secure-transfer", "resource": urn},
                            {"rule": "tags-required", "resource": "*", "stack": "dev"})
    code = main(["policy", "waivers", str(plan), "--waivers", str(waivers), "--today", "2026-11-28",
                 "--format", "json"])
    listed = json.loads(capsys.readouterr().out)
    assert code == 1  # a stale waiver
    assert [(w["rule"], w["status"], w["daysLeft"], w["waived"]) for w in listed] == [
        ("storage-min-tls12", "in use", 22, 1), ("storage-secure-transfer", "stale", 22, 0),
        ("tags-required", "not checked", 22, 0)]


def test_waivers_without_plans_lists_them_all_as_not_checked_and_exits_0(tmp_path, capsys):
    waivers = _waivers_file(tmp_path, {"rule": "storage-min-tls12", "resource": "urn:pulumi:prod::p::t::n"})
    assert main(["policy", "waivers", "--waivers", str(waivers), "--today", "2026-11-28"]) == 0
    err = capsys.readouterr().err
    assert "NOT CHECKED" in err and "22 day(s) left (until 2026-12-20)" in err and "approver ciso@amsterdam.nl" in err


def test_waivers_flags_an_expired_one(tmp_path, capsys):
    waivers = _waivers_file(tmp_path, {"rule": "storage-min-tls12", "resource": "urn:pulumi:prod::p::t::n",
                                       "expires": "2026-11-01"})
    assert main(["policy", "waivers", "--waivers", str(waivers), "--today", "2026-11-28"]) == 1
    assert "EXPIRED" in capsys.readouterr().err


def test_sarif_from_the_command_locates_results_in_the_plans_project(tmp_path, capsys, monkeypatch):
    from tests.conftest import PLATFORM_DIR

    plan = write_export(tmp_path, "prod", minimumTlsVersion="TLS1_0")  # an export without source positions
    monkeypatch.chdir(PLATFORM_DIR)
    assert main(["policy", "check", str(plan), "--format", "sarif"]) == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == \
        {"stacks/Pulumi.prod.yaml"}


def test_sarif_with_the_project_dir_of_another_project_is_refused_naming_both(tmp_path, capsys):
    from tests.conftest import PLATFORM_DIR

    plan = write_export(tmp_path, "prod")
    workplace = PLATFORM_DIR / "stacks" / "workplace"
    assert main(["policy", "check", str(plan), "--format", "sarif", "--project-dir", str(workplace)]) == 2
    assert "holds project amsterdam-workplace, but the plan is of project amsterdam-platform" in \
        capsys.readouterr().err


def test_sarif_paths_are_relative_to_the_repository_root_from_any_folder(tmp_path, capsys, monkeypatch):
    from tests.conftest import PLATFORM_DIR

    plan = write_export(tmp_path, "prod", minimumTlsVersion="TLS1_0")
    monkeypatch.chdir(PLATFORM_DIR / "stacks")  # CI running from a folder of the repository
    assert main(["policy", "check", str(plan), "--format", "sarif", "--project-dir", ".."]) == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == \
        {"stacks/Pulumi.prod.yaml"}



def test_waivers_without_a_plan_are_held_to_the_maximum_of_the_environment_their_stack_names(tmp_path, capsys):
    waivers = _waivers_file(tmp_path, {"rule": "plan-data-loss", "resource": "urn:pulumi:prod::p::t::n",
                                       "expires": "2999-02-20"})
    assert main(["policy", "waivers", "--waivers", str(waivers), "--today", "2026-11-28", "--format", "json"]) == 1
    assert [w["status"] for w in json.loads(capsys.readouterr().out)] == ["too long"]


def test_policy_check_loads_neither_the_pulumi_sdk_nor_the_other_commands(tmp_path):
    import subprocess
    import sys

    path = write_export(tmp_path, "prod")
    code = ("import json, sys\n"
            "from amsterdam_cloud.scripts.cli import main\n"
            f"main(['policy', 'check', {str(path)!r}, '--format', 'json', '--output', {str(tmp_path / 'r.json')!r}])\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('pulumi', 'pulumi_policy', 'grpc')"
            " or m.startswith(('amsterdam_cloud.scripts.commands.', 'amsterdam_cloud.scripts.offline.engine')))))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == ["amsterdam_cloud.scripts.commands.policy"]


@pytest.mark.parametrize("argv", [["--help"], ["--help", "policy"], ["-h", "plan"]])
def test_help_and_version_still_name_every_command(capsys, argv):
    with pytest.raises(SystemExit):
        main(argv)
    shown = capsys.readouterr().out
    assert all(f"    {name} " in shown for name in ("deploy", "migrate", "plan", "policy", "vend"))
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("cityctl ")
