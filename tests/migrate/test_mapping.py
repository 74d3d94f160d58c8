"""Mapping one workload: its blockers, its targets and the app facts, on small explicit inputs."""

from __future__ import annotations

import pytest

from amsterdam_cloud.scripts.migrate import mapping, strategy
from amsterdam_cloud.scripts.migrate.inventory import build, resource

OWNER = {"application": "permits", "environment": "prod", "owner": "permits@amsterdam.nl", "cost-center": "CC-4120",
         "data-classification": "BBN2"}


def mapped(*records, tags=None):
    inventory = build(records)
    return mapping.map_inventory(inventory, strategy.load())["workloads"][0]


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


@pytest.mark.parametrize(("tags", "code"), [
    ({**OWNER, "owner": ""}, "no-owner"),
    ({**OWNER, "owner": "Team Permits"}, "no-owner"),
    ({**OWNER, "cost-center": "finance"}, "no-cost-center"),
    ({**OWNER, "data-classification": "", "personal-data": "yes"}, "personal-data-unclassified"),
    ({**OWNER, "data-classification": "secret"}, "invalid-classification"),
    ({**OWNER, "environment": "qa-2"}, "unknown-environment"),
])
def test_a_tag_problem_blocks_the_workload(tags, code):
    workload = mapped(service(tags=tags))
    assert (workload["status"], [b["code"] for b in workload["blockers"]]) == ("blocked", [code])


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
