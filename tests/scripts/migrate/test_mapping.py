"""Mapping one workload: its blockers, its targets and the app facts, on small explicit inputs."""

from __future__ import annotations

import pytest

from amsterdam_cloud.scripts.migrate import mapping, strategy
from amsterdam_cloud.scripts.migrate.inventory import build, resource
from amsterdam_cloud.scripts.migrate.overrides import NONE, Overrides

from .helpers import with_database_admins

OWNER = {"application": "permits", "environment": "prod", "owner": "permits@amsterdam.nl", "cost-center": "CC-4120",
         "data-classification": "BBN2"}


def mapped(*records, tags=None, overrides=NONE, admins=True):
    """The first workload of `records`, mapped; its owner has a database admin group unless `admins` is False."""
    inventory = build(records)
    given = with_database_admins(inventory, overrides) if admins else overrides
    return mapping.map_inventory(inventory, strategy.load(), overrides=given)["workloads"][0]


def service(tags=OWNER, **properties):
    return resource(id="arn:svc", type="aws:ecs:service", name="api", source="aws", account="1", region="eu-west-1",
                    tags=tags, properties={"image": "nginx:1.27", "desiredCount": 1, **properties})


def database(engine="postgres", region="eu-west-1", tags=OWNER, **properties):
    return resource(id=f"arn:db:{engine}", type="aws:rds:instance", name="db", source="aws", account="1",
                    region=region, tags=tags, properties={"engine": engine, "engineVersion": "15.4",
                                                          "instanceClass": "db.m5.large", "allocatedStorageGiB": 50,
                                                          **properties})


def test_a_complete_workload_is_ready():
    assert mapped(service(), database())["status"] == "ready"


@pytest.mark.parametrize(("tags", "code", "status"), [
    ({**OWNER, "owner": ""}, "no-owner", "needs"),
    ({**OWNER, "owner": "Team Permits"}, "no-owner", "needs"),
    ({**OWNER, "cost-center": "finance"}, "no-cost-center", "needs"),
    ({**OWNER, "data-classification": "streng"}, "invalid-classification", "needs"),
    ({**OWNER, "data-classification": "", "personal-data": "yes"}, "personal-data-unclassified", "blocked"),
    ({**OWNER, "data-classification": "streng", "personal-data": "yes"}, "personal-data-unclassified", "blocked"),
    ({**OWNER, "data-classification": "geheim"}, "classification-beyond-bio", "blocked"),
    ({**OWNER, "environment": "qa-2"}, "unknown-environment", "blocked"),
])
def test_a_metadata_problem_blocks_planning_or_only_generation(tags, code, status):
    workload = mapped(service(tags=tags))
    assert (workload["status"], [b["code"] for b in workload["blockers"]]) == (status, [code])
    assert workload["blockers"][0]["needs"]["file"] == "migration/overrides.yaml"


def test_a_database_without_an_admin_group_needs_the_exact_override_line():
    workload = mapped(service(), database(), admins=False)
    assert (workload["status"], workload["blockers"]) == ("needs", [{
        "code": "no-database-admin-group", "tier": "generate",
        "message": "the database needs the team's Entra group as its administrator",
        "needs": {"file": "migration/overrides.yaml", "under": "databaseAdminGroups",
                  "line": "permits@amsterdam.nl: {displayName: <the team's Entra group>, objectId: <its object id>}"}}])
    assert mapped(service(), admins=False)["status"] == "ready"


def test_data_outside_the_eu_blocks_until_the_transfer_is_approved():
    assert [b["code"] for b in mapped(service(), database(region="eu-west-2"))["blockers"]] == ["data-outside-eu"]
    approved = {**OWNER, "data-transfer-approved": "true"}
    assert mapped(service(tags=approved), database(region="eu-west-2", tags=approved))["status"] == "ready"


def test_an_unsupported_engine_blocks_a_moving_workload():
    workload = mapped(service(), database(engine="sqlserver-se"))
    assert [b["code"] for b in workload["blockers"]] == ["unsupported-engine"]


def test_a_retained_workload_is_not_moving_and_has_no_blockers():
    workload = mapped(database(engine="oracle-ee", tags={**OWNER, "owner": ""}))
    assert (workload["strategy"], workload["status"], workload["blockers"]) == ("retain", "not-moving", [])


def test_a_missing_classification_without_personal_data_assumes_bbn2_with_a_note():
    workload = mapped(service(tags={**OWNER, "data-classification": ""}))
    assert workload["dataClassification"] == "BBN2"
    assert any("BBN2 assumed" in note for note in workload["notes"])


def test_a_digits_only_cost_center_is_normalized():
    assert mapped(service(tags={**OWNER, "cost-center": "4120"}))["costCenter"] == "CC-4120"


def test_mariadb_maps_to_mysql_flexible_server():
    target = mapped(service(), database(engine="mariadb", engineVersion="10.6"))["resources"][0]["target"]
    assert (target["component"], target["version"]) == ("mysql-flexible-server", "8.0.21")


def test_an_aurora_cluster_is_sized_from_its_largest_member():
    cluster = resource(id="arn:cluster", type="aws:rds:cluster", name="c", source="aws", account="1",
                       region="eu-west-1", tags=OWNER, properties={"engine": "aurora-postgresql", "engineVersion": "15.4",
                                                                   "members": ["arn:m1", "arn:m2"]})
    members = [resource(id=f"arn:m{i}", type="aws:rds:instance", name=f"m{i}", source="aws", account="1",
                        region="eu-west-1", tags={}, properties={"engine": "aurora-postgresql", "cluster": "arn:cluster",
                                                                 "instanceClass": cls})
               for i, cls in ((1, "db.r5.large"), (2, "db.r5.2xlarge"))]
    workload = mapped(service(), cluster, *members)
    targets = {r["id"]: r["target"] for r in workload["resources"]}
    assert targets["arn:cluster"]["sku"] == "Standard_E8ds_v5"
    assert targets["arn:m1"]["component"] == "part-of-cluster"


def test_a_public_load_balancer_makes_the_app_public():
    balancer = resource(id="arn:lb", type="aws:elbv2:load-balancer", name="lb", source="aws", account="1",
                        region="eu-west-1", tags=OWNER, properties={"type": "application", "scheme": "internet-facing"})
    assert mapped(service(), balancer)["app"]["exposure"] == "public"


def test_prod_container_apps_keep_at_least_two_replicas():
    assert mapped(service(desiredCount=1))["app"]["scale"] == {"minReplicas": 2, "maxReplicas": 4}


def test_an_unsupported_lambda_runtime_blocks_with_the_fix():
    function = resource(id="arn:fn", type="aws:lambda:function", name="fn", source="aws", account="1",
                        region="eu-west-1", tags=OWNER, properties={"runtime": "go1.x", "packageType": "Zip"})
    blockers = mapped(function)["blockers"]
    assert [b["code"] for b in blockers] == ["unsupported-runtime"] and "container image" in blockers[0]["message"]


def test_a_burstable_database_in_prod_is_raised_to_general_purpose():
    app = mapped(service(), database(instanceClass="db.t3.medium"))["app"]
    assert app["data"]["postgres"]["sku"] == "Standard_D2ds_v5"


def test_a_burstable_database_outside_prod_stays_burstable():
    tags = {**OWNER, "environment": "dev"}
    app = mapped(service(tags=tags), database(tags=tags, instanceClass="db.t3.medium"))["app"]
    assert app["data"]["postgres"]["sku"] == "Standard_B2s"


TEAM_TAGS = {"application": "permits", "environment": "Productie", "owner": "Team Vergunningen",
             "data-classification": "vertrouwelijk"}


def test_a_team_name_owner_and_a_missing_cost_center_say_which_override_lines_to_add():
    workload = mapped(service(tags=TEAM_TAGS))
    assert workload["status"] == "needs"
    assert [(b["code"], b["tier"], b["needs"]["under"], b["needs"]["line"]) for b in workload["blockers"]] == [
        ("no-owner", "generate", "owners", "Team Vergunningen: <team mailbox>@amsterdam.nl"),
        ("no-cost-center", "generate", "workloads: permits/prod", "costCenter: CC-<4 to 6 digits>")]


def test_the_override_lines_make_the_workload_ready():
    given = Overrides(source="o.yaml", owners={"team vergunningen": "vergunningen@amsterdam.nl"},
                      workloads={"permits/prod": {"costCenter": "CC-5120"}})
    workload = mapped(service(tags=TEAM_TAGS), overrides=given)
    assert (workload["status"], workload["owner"], workload["costCenter"]) == ("ready", "vergunningen@amsterdam.nl", "CC-5120")
    assert workload["dataClassification"] == "BBN3"


@pytest.mark.parametrize(("word", "level"), [("openbaar", "BBN1"), ("Public", "BBN1"), ("intern", "BBN2"),
                                             ("internal", "BBN2"), ("Vertrouwelijk", "BBN3"), ("confidential", "BBN3")])
def test_dutch_and_english_classification_words_map_to_bio_levels(word, level):
    assert mapped(service(tags={**OWNER, "data-classification": word}))["dataClassification"] == level


def test_geheim_is_never_shown_as_a_bio_level():
    workload = mapped(service(tags={**OWNER, "data-classification": "geheim"}))
    assert workload["dataClassification"] != "BBN2" and workload["status"] == "blocked"


def test_a_classification_table_in_the_overrides_adds_words():
    given = Overrides(source="o.yaml", classifications={"streng": "BBN3"})
    assert mapped(service(tags={**OWNER, "data-classification": "streng"}), overrides=given)["dataClassification"] == "BBN3"


def test_an_environment_alias_in_the_overrides_maps_an_unknown_environment():
    given = Overrides(source="o.yaml", environments={"qa-2": "test"})
    workload = mapped(service(tags={**OWNER, "environment": "qa-2"}), overrides=given)
    assert (workload["id"], workload["status"]) == ("permits/test", "ready")


def test_aws_prod_and_cmdb_productie_of_one_application_are_one_workload():
    server = resource(id="cmdb://cmdb/srv-1", type="onprem:server", name="srv", source="cmdb", account="cmdb",
                      region="onprem", tags={**OWNER, "environment": "Productie"}, properties={"vcpu": 2, "memoryGiB": 8})
    document = mapping.map_inventory(build([service(), server]), strategy.load())
    assert [(w["id"], len(w["resources"])) for w in document["workloads"]] == [("permits/prod", 2)]


def test_a_strategy_override_beats_the_rules():
    workload = mapped(service(), overrides=Overrides(source="o.yaml", workloads={"permits/prod": {"strategy": "retain"}}))
    assert (workload["strategy"], workload["strategyRule"], workload["status"]) == ("retain", "overrides", "not-moving")


def stopped_server(tags=OWNER):
    return resource(id="arn:i-1", type="aws:ec2:instance", name="old", source="aws", account="1", region="eu-west-1",
                    tags=tags, properties={"instanceType": "m5.large", "vcpu": 2, "memoryGiB": 8, "state": "stopped"})


def test_retiring_a_stopped_server_with_a_live_database_is_blocked():
    workload = mapped(stopped_server(), database(status="available"))
    assert (workload["strategy"], workload["status"]) == ("retire", "blocked")
    assert [(b["code"], b["needs"]["line"]) for b in workload["blockers"]] == [("retire-live-data", "retireApproved: true")]


def test_retiring_a_stopped_server_with_an_archive_bucket_is_blocked():
    bucket = resource(id="arn:aws:s3:::archive", type="aws:s3:bucket", name="archive", source="aws", account="1",
                      region="eu-west-1", tags=OWNER, properties={})
    assert mapped(stopped_server(), bucket)["status"] == "blocked"


def test_retiring_only_stopped_servers_needs_no_approval():
    assert mapped(stopped_server())["status"] == "not-moving"


def test_an_approved_retire_of_live_data_is_not_moving():
    given = Overrides(source="o.yaml", workloads={"permits/prod": {"retireApproved": True}})
    assert mapped(stopped_server(), database(), overrides=given)["status"] == "not-moving"


def test_a_container_keeps_its_port_and_its_secrets_become_key_vault_references():
    app = mapped(service(containerPorts=[80, 9090], environmentKeys=["DB_PASSWORD", "LOG_LEVEL"],
                         secretNames=["STRIPE_API_KEY"], usesSecrets=True))["app"]
    assert app["port"] == 80
    assert app["secrets"] == {"DB_PASSWORD": "db-password", "STRIPE_API_KEY": "stripe-api-key"}
    assert app["data"]["keyVault"] is True


def test_a_workload_moved_by_an_environment_override_keeps_its_other_overrides():
    given = Overrides(source="o.yaml", workloads={"permits/qa-2": {"environment": "test", "costCenter": "CC-7777"}})
    workload = mapped(service(tags={**OWNER, "environment": "qa-2", "cost-center": ""}), overrides=given)
    assert (workload["id"], workload["costCenter"], workload["status"]) == ("permits/test", "CC-7777", "ready")


def volume(volume_type: str, *, root: bool) -> dict:
    return resource(id=f"arn:vol:{root}", type="aws:ec2:volume", name="v", source="aws", account="1",
                    region="eu-west-1", tags=OWNER, properties={"volumeType": volume_type, "sizeGiB": 50, "root": root})


def test_a_gp3_root_volume_maps_to_an_os_disk_type_and_a_gp3_data_volume_to_premium_ssd_v2():
    targets = {r["id"]: r["target"] for r in mapped(service(), volume("gp3", root=True), volume("gp3", root=False))["resources"]}
    assert (targets["arn:vol:True"]["component"], targets["arn:vol:True"]["sku"]) == ("os-disk", "Premium_LRS")
    assert (targets["arn:vol:False"]["component"], targets["arn:vol:False"]["sku"]) == ("managed-disk", "PremiumV2_LRS")
