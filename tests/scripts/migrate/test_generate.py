"""Generation of app stack config and data-copy plans from a mapping, and the app config contract."""

from __future__ import annotations

import copy
import re

import pytest
import yaml

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core import app_config
from amsterdam_cloud.scripts.migrate import generate, mapping, strategy
from amsterdam_cloud.scripts.migrate.inventory import build, resource
from amsterdam_cloud.scripts.migrate.overrides import Overrides

from .helpers import with_database_admins

TAGS = {"application": "permits", "environment": "production", "owner": "permits@amsterdam.nl",
        "cost-center": "CC-4120", "data-classification": "BBN3", "algorithm-register-id": "lars-1234"}


def the_mapping(**tags):
    records = [resource(id="arn:svc", type="aws:ecs:service", name="api", source="aws", account="1", region="eu-west-1",
                        tags={**TAGS, **tags}, properties={"image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:2",
                                                           "desiredCount": 3}),
               resource(id="arn:aws:s3:::permits-docs", type="aws:s3:bucket", name="Permits_Docs", source="aws",
                        account="1", region="eu-west-1", tags={**TAGS, **tags}, properties={})]
    return map_records(records)


def map_records(records):
    """The mapping of `records`, their owners with a database admin group."""
    inventory = build(records)
    return mapping.map_inventory(inventory, strategy.load(), overrides=with_database_admins(inventory))


def files(document=None, **options):
    written, _ = generate.plan_files(document or the_mapping(), generate.Options(**options))
    return written


def config(written):
    return yaml.safe_load(written["permits/Pulumi.prod.yaml"])["config"]


def test_the_config_names_the_platform_stack_of_the_mapped_environment_as_the_backend_does():
    assert config(files())["app:platformStack"] == "organization/amsterdam-platform/prod"


def test_an_organization_the_apps_backend_refuses_is_refused_before_anything_is_written():
    with pytest.raises(UserError, match=r"^--org city: stack reference 'city/amsterdam-platform/dev': the "
                                        r"self-managed backend .*organization name must be 'organization'"):
        files(organization="city")


def test_an_organization_is_taken_where_the_apps_backend_is_pulumi_cloud():
    from amsterdam_cloud.core.backend import PULUMI_CLOUD_URL, Backend

    cloud = Backend(url=PULUMI_CLOUD_URL, declared_in="Pulumi.yaml")
    assert config(files(organization="city", backend=cloud))["app:platformStack"] == "city/amsterdam-platform/prod"


def test_the_config_carries_owner_cost_center_classification_and_algorithm_id():
    app = config(files())["app:app"]
    assert (app["team"], app["costCenter"], app["dataClassification"], app["algorithmRegisterId"]) == (
        "permits@amsterdam.nl", "CC-4120", "BBN3", "lars-1234")


def test_images_are_pulled_from_the_platform_registry_of_the_environment():
    assert config(files())["app:app"]["image"] == "cramsterdamprod.azurecr.io/api:2"


def test_an_acceptance_workload_pulls_from_the_acceptance_registry():
    written = files(the_mapping(environment="acceptance"))
    app = yaml.safe_load(written["permits/Pulumi.acc.yaml"])["config"]["app:app"]
    assert app["image"] == "cramsterdamacc.azurecr.io/api:2"


def test_the_platform_registry_is_not_written_as_an_override():
    assert "registry" not in config(files())["app:app"]


def test_another_registry_is_named_in_the_config():
    app = config(files(registry="cityacr.azurecr.io"))["app:app"]
    assert (app["image"], app["registry"]) == ("cityacr.azurecr.io/api:2", "cityacr.azurecr.io")


def test_the_data_copy_plan_imports_each_image_into_the_environments_registry():
    images = yaml.safe_load(files()["permits/data-copy.prod.yaml"])["images"]
    assert [i["command"] for i in images] == [
        "az acr import --name cramsterdamprod --source 123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:2 "
        '--image api:2 --username AWS --password "$ECR_PASSWORD"']


def test_a_registry_override_that_is_not_an_acr_login_server_is_refused():
    with pytest.raises(UserError, match=r"--registry docker\.io: expected an ACR login server"):
        files(registry="docker.io")


@pytest.mark.parametrize(("image", "expected"), [
    ("nginx:1.27", ("docker.io", "library/nginx:1.27", "docker.io/library/nginx:1.27")),
    ("grafana/grafana:11", ("docker.io", "grafana/grafana:11", "docker.io/grafana/grafana:11")),
    ("ghcr.io/org/app:1", ("ghcr.io", "org/app:1", "ghcr.io/org/app:1")),
])
def test_image_references_split_into_registry_and_repository(image, expected):
    assert generate.image_parts(image) == expected


def test_the_region_defaults_to_westeurope_and_must_be_in_the_eu():
    assert config(files())["azure-native:location"] == "westeurope"
    with pytest.raises(UserError, match="--location uksouth: not an EU region"):
        files(location="uksouth")


def test_bucket_names_become_valid_private_container_names():
    plan = yaml.safe_load(files()["permits/data-copy.prod.yaml"])
    assert plan["buckets"][0]["target"] == {"container": "permits-docs", "publicAccess": False}


def test_a_workload_that_needs_input_gets_no_files_and_the_summary_names_the_line():
    written, summary = generate.plan_files(the_mapping(owner=""), generate.Options())
    assert list(written) == ["generate-summary.yaml"]
    assert summary["skipped"] == [{"workload": "permits/prod", "reason": "needs (no-owner: add `owner: <team mailbox>"
                                                                   "@amsterdam.nl` under `workloads: permits/prod` in "
                                                                   "migration/overrides.yaml)"}]


def test_a_workload_excluded_in_the_overrides_gets_no_files():
    given = Overrides(source="o.yaml", workloads={"permits/prod": {"exclude": True}})
    written, summary = generate.plan_files(the_mapping(), generate.Options(), overrides=given)
    assert summary["skipped"] == [{"workload": "permits/prod", "reason": "exclude: true in o.yaml"}]


def test_a_wave_that_does_not_exist_in_an_empty_plan_says_why():
    with pytest.raises(UserError, match="the plan has no waves"):
        generate.plan_files(the_mapping(), generate.Options(wave=1), waves={"waves": []})


def test_two_workloads_for_the_same_app_and_environment_are_not_both_written():
    document = the_mapping()
    twin = copy.deepcopy(document["workloads"][0])
    twin["id"] = "permits/prd"
    document["workloads"].append(twin)
    _, summary = generate.plan_files(document, generate.Options())
    assert summary["skipped"][0]["workload"] == "permits/prd"


def test_a_wave_needs_the_wave_plan():
    with pytest.raises(UserError, match="--wave needs --waves"):
        files(wave=1)


def test_an_invalid_app_value_is_refused_before_anything_is_written(tmp_path):
    document = the_mapping()
    document["workloads"][0]["app"]["scale"] = {"minReplicas": 5, "maxReplicas": 2}
    with pytest.raises(UserError, match="app:app.scale.minReplicas: 5 is above maxReplicas"):
        written, _ = generate.plan_files(document, generate.Options())
        generate.write(tmp_path, written)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("change", "key"), [
    (lambda a: a.update(costCenter="4120"), "app:app.costCenter"),
    (lambda a: a.update(runtime="lambda"), "app:app.runtime"),
    (lambda a: a.update(runtime="vm"), "app:app"),
    (lambda a: a.update(vm={"size": "Standard_D2s_v5", "os": "linux", "count": 1}), "app:app"),
    (lambda a: a.update(dataClassification="BBN4"), "app:app.dataClassification"),
    (lambda a: a.pop("image"), "app:app"),
    (lambda a: a.update(stack="PYTHON|3.12"), "app:app"),
])
def test_the_contract_check_names_the_bad_key(change, key):
    value = config(files())
    change(value["app:app"])
    with pytest.raises(UserError, match=rf"Pulumi.prod.yaml: {key}"):
        app_config.validate(value, "Pulumi.prod.yaml")


def test_app_names_fit_the_template(tmp_path):
    assert [generate.app_name(n) for n in ("permits", "2fa", "a-very-long-application-name-indeed")] == [
        "permits", "app-2fa", "a-very-long-application"]


VM = {"size": "Standard_D4s_v5", "os": "linux", "count": 2}


def vm_config(**changes):
    value = config(files())
    app = value["app:app"]
    app.pop("image")
    app.update(runtime="vm", vm=dict(VM), exposure="internal")
    app["data"]["keyVault"] = True
    app.update(changes)
    return value


def test_a_vm_config_passes_the_contract():
    app_config.validate(vm_config(), "Pulumi.prod.yaml")


@pytest.mark.parametrize(("changes", "expected"), [
    ({"exposure": "public"}, "app:app.exposure: a VM is never reachable from the internet"),
    ({"data": {"postgres": None, "mysql": None, "storage": False, "keyVault": False}},
     "app:app.data.keyVault: false, but the VMs' break-glass passwords"),
    ({"vm": {**VM, "size": "m5.large"}}, "app:app.vm.size"),
    ({"vm": {**VM, "dataDisksGb": [2]}}, "app:app.vm.dataDisksGb[0]"),
])
def test_a_vm_config_the_template_cannot_build_is_refused_naming_the_key(changes, expected):
    with pytest.raises(UserError, match=re.escape(f"Pulumi.prod.yaml: {expected}")):
        app_config.validate(vm_config(**changes), "Pulumi.prod.yaml")


def test_the_bucket_copy_logs_in_with_the_agents_identity_and_verifies_both_sides():
    plan = yaml.safe_load(files()["permits/data-copy.prod.yaml"])
    bucket = plan["buckets"][0]
    assert bucket["login"] == "azcopy login --identity" and "--put-md5" in bucket["command"]
    assert bucket["verify"]["source"] == "aws s3 ls s3://Permits_Docs --recursive --summarize"
    assert "--running-tally" in bucket["verify"]["target"]
    assert "private endpoint" in plan["runsOn"]


def test_the_port_and_secret_references_reach_the_config_and_the_templates_loader_accepts_them():
    from amsterdam_cloud.components.app_hosting.config import parse

    records = [resource(id="arn:svc", type="aws:ecs:service", name="api", source="aws", account="1", region="eu-west-1",
                        tags=TAGS, properties={"image": "nginx:1.27", "desiredCount": 2, "containerPorts": [80],
                                               "environmentKeys": ["SECRET_KEY"]})]
    written, _ = generate.plan_files(map_records(records), generate.Options())
    value = yaml.safe_load(written["permits/Pulumi.prod.yaml"])["config"]
    assert (value["app:app"]["port"], value["app:app"]["secrets"]) == (80, {"SECRET_KEY": "secret-key"})
    spec = parse(value, "Pulumi.prod.yaml")
    assert (spec.port, dict(spec.secrets)) == (80, {"SECRET_KEY": "secret-key"})


def test_every_ecs_service_gets_an_app_and_the_summary_says_which_holds_the_data():
    records = [resource(id=f"arn:svc{n}", type="aws:ecs:service", name=f"api{n}", source="aws", account="1",
                        region="eu-west-1", tags=TAGS, properties={"image": f"nginx:1.2{n}", "desiredCount": n,
                                                                   "containerPorts": [8000 + n]})
               for n in (1, 2)] + [
        resource(id="arn:aws:s3:::permits-docs", type="aws:s3:bucket", name="permits-docs", source="aws", account="1",
                 region="eu-west-1", tags=TAGS, properties={})]
    written, summary = generate.plan_files(map_records(records), generate.Options())
    main, other = (yaml.safe_load(written[f"{folder}/Pulumi.prod.yaml"])["config"]["app:app"]
                   for folder in ("permits", "permits-api1"))
    assert (main["image"], main["port"], main["data"]["storage"]) == ("cramsterdamprod.azurecr.io/library/nginx:1.22",
                                                                      8002, True)
    assert (other["name"], other["image"], other["port"], other["exposure"], other["data"]["storage"],
            other["source"]["part"]) == ("permits-api1", "cramsterdamprod.azurecr.io/library/nginx:1.21", 8001,
                                         "internal", False, "api1")
    assert summary["written"][0]["attention"] == [
        "2 parts to host (api2 (container), api1 (container)): the app config hosts api2 (container) with the data; "
        "each other part gets an app of its own in the same workload and wave (`<app>-<part>`; internal unless a "
        "public load balancer served it), whose identity the team grants access to the first app's data by hand"]


def test_a_second_service_behind_the_public_load_balancer_is_public_too():
    def service(n: int) -> dict:
        return resource(id=f"arn:svc{n}", type="aws:ecs:service", name=f"api{n}", source="aws", account="1",
                        region="eu-west-1", tags=TAGS, properties={"image": "nginx:1.27", "desiredCount": n,
                                                                   "targetGroups": [f"arn:tg{n}"]})
    records = [service(1), service(2),
               *(resource(id=f"arn:tg{n}", type="aws:elbv2:target-group", name=f"tg{n}", source="aws", account="1",
                          region="eu-west-1", tags=TAGS, properties={"loadBalancers": [lb]})
                 for n, lb in ((1, "arn:public"), (2, "arn:public"))),
               resource(id="arn:public", type="aws:elbv2:load-balancer", name="lb", source="aws", account="1",
                        region="eu-west-1", tags=TAGS, properties={"type": "application", "scheme": "internet-facing"})]
    written, _ = generate.plan_files(map_records(records), generate.Options())
    assert yaml.safe_load(written["permits-api1/Pulumi.prod.yaml"])["config"]["app:app"]["exposure"] == "public"


def test_the_servers_of_a_hybrid_workload_get_a_vm_app_beside_the_container_app():
    records = [resource(id="arn:svc", type="aws:ecs:service", name="api", source="aws", account="1",
                        region="eu-west-1", tags=TAGS, properties={"image": "nginx:1.27", "desiredCount": 2}),
               resource(id="cmdb://cmdb/CI-1", type="onprem:server", name="srv-batch", source="cmdb", account="cmdb",
                        region="onprem", tags=TAGS, properties={"vcpu": 4, "memoryGiB": 16, "os": "Ubuntu 22.04",
                                                                "state": "active"})]
    mapped = map_records(records)
    written, summary = generate.plan_files(mapped, generate.Options())
    server = yaml.safe_load(written["permits-vm/Pulumi.prod.yaml"])["config"]["app:app"]
    assert (server["runtime"], server["vm"]["size"], server["exposure"], server["data"]["keyVault"]) == (
        "vm", "Standard_D4s_v5", "internal", True)
    assert summary["written"][0]["files"][:2] == ["permits/Pulumi.prod.yaml", "permits-vm/Pulumi.prod.yaml"]
    from amsterdam_cloud.scripts.migrate import report

    (row,) = report.rows(mapped, None)
    assert row["apps"] == "permits (container), permits-vm (vm)"


def test_a_mariadb_source_keeps_its_engine_and_moves_by_dump_and_restore_with_its_caveat():
    records = [resource(id="arn:svc", type="aws:ecs:service", name="api", source="aws", account="1", region="eu-west-1",
                        tags=TAGS, properties={"image": "nginx:1.27", "desiredCount": 2}),
               resource(id="arn:db", type="aws:rds:instance", name="permits-db", source="aws", account="1",
                        region="eu-west-1", tags=TAGS, properties={"engine": "mariadb", "engineVersion": "10.11.6",
                                                                   "instanceClass": "db.m5.large",
                                                                   "allocatedStorageGiB": 500})]
    mapped = map_records(records)
    target = next(r["target"] for r in mapped["workloads"][0]["resources"] if r["id"] == "arn:db")
    assert (target["engine"], target["sourceEngine"], target["component"]) == ("mysql", "mariadb",
                                                                              "mysql-flexible-server")
    written, summary = generate.plan_files(mapped, generate.Options())
    (move,) = yaml.safe_load(written["permits/data-copy.prod.yaml"])["databases"]
    assert (move["sourceEngine"], move["method"].split(" (")[0]) == ("mariadb", "mariadb-dump / mysql")
    assert "mariadb-dump --single-transaction --routines" in move["steps"][1]
    assert move["caveat"].startswith("MariaDB is not MySQL: check the schema")
    assert any(line.startswith("MariaDB is not MySQL: permits-db moves to Azure Database for MySQL flexible server")
               for line in summary["written"][0]["attention"])


@pytest.mark.parametrize(("storage", "method", "downtime"), [
    (20, "pg_dump / pg_restore (offline)", "about 39 minutes"),  # the 20 GiB copied (not the 32 it gets) at 50 GiB/h + 15
    (500, "migration service (online)", "about 15 minutes at cutover"),
])
def test_each_database_gets_a_move_with_method_size_and_downtime_estimate(storage, method, downtime):
    records = [resource(id="arn:svc", type="aws:ecs:service", name="api", source="aws", account="1", region="eu-west-1",
                        tags=TAGS, properties={"image": "nginx:1.27", "desiredCount": 2}),
               resource(id="arn:db", type="aws:rds:instance", name="permits-db", source="aws", account="1",
                        region="eu-west-1", tags=TAGS, properties={"engine": "postgres", "engineVersion": "15.4",
                                                                   "instanceClass": "db.m5.large",
                                                                   "allocatedStorageGiB": storage})]
    written, _ = generate.plan_files(map_records(records), generate.Options())
    (move,) = yaml.safe_load(written["permits/data-copy.prod.yaml"])["databases"]
    assert move["target"]["server"] == "psql-permits-prod" and method in move["method"]
    assert move["downtimeEstimate"].startswith(downtime)
    assert "row count" in move["verify"]["compare"] and move["rollback"]


def test_settings_that_name_a_source_host_are_repeated_under_attention_and_in_the_runbook():
    from amsterdam_cloud.scripts.migrate import report

    records = [resource(id="arn:svc", type="aws:ecs:service", name="api", source="aws", account="1", region="eu-west-1",
                        tags=TAGS, properties={"image": "nginx:1.27", "desiredCount": 2,
                                               "settings": {"PGHOST": "permits-db.abc.eu-west-1.rds.amazonaws.com"},
                                               "connectsToHosts": ["permits-db.abc.eu-west-1.rds.amazonaws.com"]})]
    mapped = map_records(records)
    _, summary = generate.plan_files(mapped, generate.Options())
    note = "api: settings PGHOST name hosts of the source; repoint them at Azure before cut-over"
    assert summary["written"][0]["attention"] == [note]
    assert f"- [ ] Check: {note}." in report.steps(mapped["workloads"][0])


def test_the_data_copy_plan_and_the_report_name_the_database_sku_the_app_config_gets():
    from amsterdam_cloud.scripts.migrate import report

    records = [resource(id="arn:svc", type="aws:ecs:service", name="api", source="aws", account="1", region="eu-west-1",
                        tags=TAGS, properties={"image": "nginx:1.27", "desiredCount": 2}),
               resource(id="arn:db", type="aws:rds:instance", name="permits-db", source="aws", account="1",
                        region="eu-west-1", tags=TAGS, properties={"engine": "mysql", "engineVersion": "8.0.35",
                                                                   "instanceClass": "db.t3.small",
                                                                   "allocatedStorageGiB": 20})]
    mapped = map_records(records)
    written, _ = generate.plan_files(mapped, generate.Options())
    generated_sku = config(written)["app:app"]["data"]["mysql"]["sku"]
    source_sku = next(r["target"]["sku"] for r in mapped["workloads"][0]["resources"] if r["id"] == "arn:db")
    assert generated_sku != source_sku  # prod raises it for high availability
    (move,) = yaml.safe_load(written["permits/data-copy.prod.yaml"])["databases"]
    assert move["target"]["sku"] == generated_sku
    (row,) = report.rows(mapped, None)
    assert generated_sku in row["targets"] and source_sku not in row["targets"]


def test_an_on_prem_share_gets_a_copy_plan_a_runbook_line_and_an_attention_note():
    from amsterdam_cloud.scripts.migrate import report

    records = [resource(id="arn:svc", type="aws:ecs:service", name="api", source="aws", account="1", region="eu-west-1",
                        tags=TAGS, properties={"image": "nginx:1.27", "desiredCount": 2}),
               resource(id="cmdb://cmdb/CI-7002", type="onprem:storage", name="fs-afval-scans", source="cmdb",
                        account="cmdb", region="onprem", tags=TAGS, properties={"storageGiB": 750.0,
                                                                                "hostname": "fs01.amsterdam.local"})]
    mapped = map_records(records)
    written, summary = generate.plan_files(mapped, generate.Options())
    (share,) = yaml.safe_load(written["permits/data-copy.prod.yaml"])["shares"]
    assert (share["source"]["path"], share["sizeGiB"], share["target"]) == (
        "\\\\fs01.amsterdam.local\\fs-afval-scans", 750.0, {"container": "fs-afval-scans", "publicAccess": False})
    assert share["login"] == "azcopy login --identity" and "--put-md5" in share["command"]
    assert "file count" in share["verify"]["compare"] and share["rollback"]
    assert config(written)["app:app"]["data"]["storage"] is True
    assert any(line.startswith("on-prem shares fs-afval-scans move into private Blob containers")
               for line in summary["written"][0]["attention"])
    assert ("- [ ] Copy the on-prem share fs-afval-scans (750.0 GiB) into the container `fs-afval-scans` (the plan's "
            "`shares`), file counts and checksums compared.") in report.steps(mapped["workloads"][0])
