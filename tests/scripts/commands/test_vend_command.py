"""`cityctl vend <team>`: the team file with the next free range of every environment, atomically; bad input
(an existing team, an exhausted block, a mailbox outside the city, a reused group, one principal as group and CI)
is one line and exit 2. `--app-dir` points an app's stacks at the team's subscriptions and landing zone."""

from __future__ import annotations

import ipaddress
import json
import shutil
from pathlib import Path

import pytest
import yaml

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.cli import main
from amsterdam_cloud.scripts.commands.vend import point_app
from amsterdam_cloud.stacks.config import load as load_platform
from amsterdam_cloud.stacks.landing_zones.team_files import TEAMS_DIR, load_teams

GROUP, CI = "2a3b4c5d-0000-4000-8000-0000000000c1", "2a3b4c5d-0000-4000-8000-0000000000c2"


def _vend(teams_dir: Path, team: str = "afval", *extra: str, owner: str = "afval@amsterdam.nl",
          group: str = GROUP, ci: str = CI) -> int:
    return main(["vend", team, "--owner", owner, "--cost-center", "CC-4711", "--group", group, "--ci", ci,
                 "--teams-dir", str(teams_dir), *extra])


@pytest.fixture
def teams_dir(tmp_path: Path) -> Path:
    """The committed teams, copied: a vend never touches the checkout."""
    directory = tmp_path / "teams"
    shutil.copytree(TEAMS_DIR, directory)
    return directory


def test_vending_writes_the_team_file_with_a_free_range_in_every_environment(teams_dir, capsys):
    assert _vend(teams_dir) == 0

    written = yaml.safe_load((teams_dir / "afval.yaml").read_text(encoding="utf-8"))
    teams = load_teams(teams_dir)  # reads back, and the address plan's checks pass with every team together
    assert written["owner"] == "afval@amsterdam.nl" and written["archetype"] == "corp"
    assert set(written["environments"]) == {"dev", "test", "acc", "prod"}
    for env in ("dev", "test", "acc", "prod"):
        network = load_platform(env).network
        mine = ipaddress.ip_network(written["environments"][env]["addressSpace"])
        others = [network.hub, *network.spokes.values(),
                  *(team.ranges[env] for team in teams if team.name != "afval" and env in team.ranges)]
        assert mine.subnet_of(ipaddress.ip_network(network.address_space))
        assert not any(mine.overlaps(ipaddress.ip_network(other)) for other in others)
    assert "spoke" in capsys.readouterr().err


def test_only_the_environments_asked_for_are_vended(teams_dir):
    assert _vend(teams_dir, "afval", "--environments", "dev,prod", "--prefix-length", "23") == 0

    environments = yaml.safe_load((teams_dir / "afval.yaml").read_text(encoding="utf-8"))["environments"]
    assert {env: ipaddress.ip_network(spec["addressSpace"]).prefixlen for env, spec in environments.items()} == {
        "dev": 23, "prod": 23}


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0]
    return err[0]


def test_an_existing_team_is_refused_and_its_file_kept(teams_dir, capsys):
    before = (teams_dir / "parkeren.yaml").read_bytes()

    assert _vend(teams_dir, "parkeren", owner="parkeren@amsterdam.nl") == 2
    assert "parkeren.yaml: team 'parkeren' already has its landing zones" in _one_error_line(capsys)
    assert (teams_dir / "parkeren.yaml").read_bytes() == before


def test_a_city_mailbox_and_object_ids_in_capitals_are_written_in_lower_case(teams_dir):
    assert _vend(teams_dir, owner="Afval@Amsterdam.NL", group=GROUP.upper()) == 0
    written = yaml.safe_load((teams_dir / "afval.yaml").read_text(encoding="utf-8"))
    assert (written["owner"], written["entraGroupId"]) == ("afval@amsterdam.nl", GROUP)


def test_a_mailbox_outside_the_city_is_refused(teams_dir, capsys):
    assert _vend(teams_dir, owner="afval@gmail.com") == 2
    assert "--owner: expected the team's @amsterdam.nl mailbox" in _one_error_line(capsys)
    assert not (teams_dir / "afval.yaml").exists()


def test_another_teams_group_is_refused(teams_dir, capsys):
    parkeren = yaml.safe_load((teams_dir / "parkeren.yaml").read_text(encoding="utf-8"))

    assert _vend(teams_dir, group=parkeren["entraGroupId"]) == 2
    assert "already team parkeren's" in _one_error_line(capsys)


def test_the_same_principal_as_group_and_ci_is_refused(teams_dir, capsys):
    assert _vend(teams_dir, group=GROUP, ci=GROUP) == 2
    assert "--ci: " + GROUP + " is also the team's Entra group" in _one_error_line(capsys)
    assert not (teams_dir / "afval.yaml").exists()


def test_an_exhausted_environment_block_is_refused_with_the_stack_file(teams_dir, capsys):
    network = load_platform("dev").network
    taken = [ipaddress.ip_network(cidr) for cidr in (network.hub, *network.spokes.values())]
    taken += [ipaddress.ip_network(team.ranges["dev"]) for team in load_teams(teams_dir) if "dev" in team.ranges]
    free = []
    for size in (22, 24):  # fill the dev block: /22 teams, then /24 teams in the gaps
        for cidr in ipaddress.ip_network(network.address_space).subnets(new_prefix=size):
            if not any(cidr.overlaps(other) for other in taken + free):
                free.append(cidr)
    for index, cidr in enumerate(free):
        name = f"vol{index}"
        (teams_dir / f"{name}.yaml").write_text(yaml.safe_dump({
            "team": name, "owner": f"{name}@amsterdam.nl", "costCenter": "CC-1000", "dataClassification": "BBN1",
            "archetype": "corp", "entraGroupId": f"3a3b4c5d-0000-4000-8000-{index:012d}",
            "ciPrincipalId": f"4a3b4c5d-0000-4000-8000-{index:012d}", "budgetMonthlyEur": 10,
            "environments": {"dev": {"addressSpace": str(cidr)}}}), encoding="utf-8")

    assert _vend(teams_dir, "afval", "--environments", "dev", "--prefix-length", "24") == 2
    line = _one_error_line(capsys)
    assert "stacks/Pulumi.dev.yaml: network.addressSpace: exhausted: no free /24 left in 10.10.0.0/16" in line
    assert not (teams_dir / "afval.yaml").exists()


def test_an_overlapping_range_in_a_team_file_names_that_file(teams_dir, capsys):
    parkeren = yaml.safe_load((teams_dir / "parkeren.yaml").read_text(encoding="utf-8"))
    parkeren["team"] = "kopie"
    parkeren["entraGroupId"], parkeren["ciPrincipalId"] = GROUP, CI
    (teams_dir / "kopie.yaml").write_text(yaml.safe_dump(parkeren), encoding="utf-8")

    assert _vend(teams_dir, "afval", group="2a3b4c5d-0000-4000-8000-0000000000d1",
                 ci="2a3b4c5d-0000-4000-8000-0000000000d2") == 2
    assert "parkeren" in (line := _one_error_line(capsys)) and "overlaps" in line


def test_the_app_is_pointed_at_the_teams_subscription_and_landing_zone_from_the_landing_zones_plan(teams_dir,
                                                                                                   tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    (app / "Pulumi.dev.yaml").write_text("# the app's dev stack\nconfig:\n  azure-native:location: westeurope\n",
                                         encoding="utf-8")
    plans = tmp_path / "plans"
    plans.mkdir()
    subscription = "5eb84889-54bb-5d14-90e9-b35b8009745a"
    (plans / "amsterdam-landing-zones.dev.json").write_text(json.dumps({"version": 3, "deployment": {"resources": [
        {"type": "pulumi:pulumi:Stack", "urn": "urn:pulumi:dev::amsterdam-landing-zones::pulumi:pulumi:Stack::x",
         "outputs": {"landingZones": {"parkeren": {"subscriptionId": subscription}}}}]}}), encoding="utf-8")

    assert main(["vend", "parkeren", "--teams-dir", str(teams_dir), "--app-dir", str(app),
                 "--plans-dir", str(plans)]) == 0
    assert (app / "Pulumi.dev.yaml").read_text(encoding="utf-8") == (
        f"# the app's dev stack\nconfig:\n  app:landingZone: parkeren\n  azure-native:subscriptionId: {subscription}\n"
        "  azure-native:location: westeurope\n")
    point_app("parkeren", app, plans, teams_dir)  # again: the lines are replaced, not added twice
    text = (app / "Pulumi.dev.yaml").read_text(encoding="utf-8")
    assert text.count("subscriptionId") == 1 and text.count("landingZone") == 1


def test_pointing_an_app_before_the_landing_zones_ran_names_the_missing_plan(teams_dir, tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    (app / "Pulumi.dev.yaml").write_text("config: {}\n", encoding="utf-8")

    with pytest.raises(UserError, match="amsterdam-landing-zones.dev.json"):
        point_app("parkeren", app, tmp_path / "none", teams_dir)


def test_pointing_an_app_writes_no_stack_file_when_one_environments_plan_is_missing(teams_dir, tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    stack = "config:\n  azure-native:location: westeurope\n"
    for env in ("dev", "test"):
        (app / f"Pulumi.{env}.yaml").write_text(stack, encoding="utf-8")
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "amsterdam-landing-zones.dev.json").write_text(json.dumps({"version": 3, "deployment": {"resources": [
        {"type": "pulumi:pulumi:Stack", "urn": "urn:pulumi:dev::amsterdam-landing-zones::pulumi:pulumi:Stack::x",
         "outputs": {"landingZones": {"parkeren": {"subscriptionId": "5eb84889-54bb-5d14-90e9-b35b8009745a"}}}}]}}),
        encoding="utf-8")

    with pytest.raises(UserError, match="amsterdam-landing-zones.test.json"):
        point_app("parkeren", app, plans, teams_dir)
    assert [(app / f"Pulumi.{env}.yaml").read_text(encoding="utf-8") for env in ("dev", "test")] == [stack, stack]


def test_an_offline_plans_made_up_subscription_is_refused_without_offline_ids(teams_dir, tmp_path, capsys):
    app = tmp_path / "app"
    app.mkdir()
    stack = "config:\n  azure-native:location: westeurope\n"
    (app / "Pulumi.dev.yaml").write_text(stack, encoding="utf-8")
    (app / "Pulumi.prod.yaml").write_text(stack, encoding="utf-8")
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "amsterdam-landing-zones.dev.json").write_text(json.dumps({"version": 3, "deployment": {
        "manifest": {"version": "cityctl-offline-plan/1"}, "resources": [
            {"type": "pulumi:pulumi:Stack", "urn": "urn:pulumi:dev::amsterdam-landing-zones::pulumi:pulumi:Stack::x",
             "outputs": {"landingZones": {"parkeren": {"subscriptionId": "5eb84889-54bb-5d14-90e9-b35b8009745a"}}}}]}}),
        encoding="utf-8")
    (teams_dir / "parkeren.yaml").write_text((teams_dir / "parkeren.yaml").read_text(encoding="utf-8").replace(
        "  prod:\n    addressSpace: 10.40.4.0/24\n    subscriptionId: da3a833a-c920-5496-a71b-b069e5b69b78\n", ""),
        encoding="utf-8")

    assert main(["vend", "parkeren", "--teams-dir", str(teams_dir), "--app-dir", str(app),
                 "--plans-dir", str(plans)]) == 2
    assert "an offline plan" in _one_error_line(capsys)
    assert (app / "Pulumi.dev.yaml").read_text(encoding="utf-8") == stack
    assert main(["vend", "parkeren", "--teams-dir", str(teams_dir), "--app-dir", str(app),
                 "--plans-dir", str(plans), "--offline-ids"]) == 0
    assert "has no prod landing zone; this stack stays on the platform" in capsys.readouterr().err
