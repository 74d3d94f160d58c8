"""Building the inventory: tag aliases, inherited membership, inferred edges and workload dependencies."""

from __future__ import annotations

from amsterdam_cloud.scripts.migrate.inventory import build, canonical_tags, resource


def r(rid, kind, tags=None, **properties):
    return resource(id=rid, type=kind, name=rid, source="aws", account="1", region="eu-west-1", tags=tags or {},
                    properties=properties)


APP = {"Application": "Permits", "Env": "prod"}


def test_tag_aliases_fold_case_and_separators():
    assert canonical_tags({"Cost_Center": "CC-1", "APP": "x", "Persoonsgegevens": "ja"}) == {
        "cost-center": "CC-1", "application": "x", "personal-data": "ja"}


def test_an_untagged_volume_joins_its_instances_workload():
    document = build([r("i-1", "aws:ec2:instance", APP), r("vol-1", "aws:ec2:volume", attachedTo=["i-1"])])
    assert document["workloads"][0]["resources"] == ["i-1", "vol-1"]
    assert document["unassigned"] == []


def test_a_resource_nothing_ties_to_a_workload_is_unassigned():
    document = build([r("i-1", "aws:ec2:instance", APP), r("vpc-1", "aws:ec2:vpc")])
    assert document["unassigned"] == ["vpc-1"]


def test_the_same_id_twice_is_kept_once():
    document = build([r("i-1", "aws:ec2:instance", APP), r("i-1", "aws:ec2:instance", APP)])
    assert len(document["resources"]) == 1


def test_a_target_group_resolves_ip_targets_to_instances():
    document = build([r("i-1", "aws:ec2:instance", APP, privateIp="10.0.0.5"),
                      r("tg-1", "aws:elbv2:target-group", targets=["10.0.0.5"])])
    assert {"from": "tg-1", "to": "i-1", "kind": "targets"} in document["edges"]


def test_an_edge_to_a_resource_outside_the_inventory_is_dropped():
    document = build([r("svc-1", "aws:ecs:service", APP, targetGroups=["tg-elsewhere"], cluster="cluster-gone")])
    assert document["edges"] == []


def test_a_security_group_admitting_another_makes_the_caller_depend_on_the_callee():
    document = build([
        r("sg-db", "aws:ec2:security-group", ingress=[{"groups": ["sg-app"]}]),
        r("sg-app", "aws:ec2:security-group"),
        r("db-1", "aws:rds:instance", {"application": "ledger", "environment": "prod"}, securityGroups=["sg-db"]),
        r("i-1", "aws:ec2:instance", APP, securityGroups=["sg-app"]),
    ])
    depends = {w["id"]: [d["workload"] for d in w["dependsOn"]] for w in document["workloads"]}
    assert depends == {"ledger/prod": [], "permits/prod": ["ledger/prod"]}


def test_a_database_host_in_the_environment_makes_a_connects_to_edge():
    document = build([r("db-1", "aws:rds:instance", {"application": "ledger"}, endpoint="db-1.x.rds.amazonaws.com"),
                      r("fn-1", "aws:lambda:function", APP, connectsToHosts=["db-1.x.rds.amazonaws.com"])])
    assert {"from": "fn-1", "to": "db-1", "kind": "connects-to"} in document["edges"]


def test_disagreeing_tags_are_recorded_as_conflicts():
    document = build([r("i-1", "aws:ec2:instance", {**APP, "owner": "a@amsterdam.nl"}),
                      r("i-2", "aws:ec2:instance", {**APP, "owner": "b@amsterdam.nl"})])
    assert document["workloads"][0]["tagConflicts"] == {"owner": ["a@amsterdam.nl", "b@amsterdam.nl"]}
