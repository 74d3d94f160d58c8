"""Generation: for each workload ready to move, the app stack config and the object-storage copy plan.

Everything is computed and validated first and written afterwards (each file atomically), so a mistake found
in the tenth workload leaves no files from the first nine behind. Layout under the output folder:

    <app>/Pulumi.<env>.yaml       the app template's stack config (docs/app-config.md)
    <app>/data-copy.<env>.yaml    buckets to copy into the app's Blob storage, images to import into ACR, and
                                  each database's move (method, size, downtime estimate, steps, checks, rollback)
    generate-summary.yaml         what was written, what was skipped and why
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from amsterdam_cloud.components.security.container_registry import city_registry_name, login_server
from amsterdam_cloud.core.regions import EU_REGIONS, normalize_location
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core import app_config
from amsterdam_cloud.scripts.files import write_atomically
from amsterdam_cloud.core.documents import check_schema
from amsterdam_cloud.scripts.migrate.yaml_documents import display, dump_yaml, read_yaml
from amsterdam_cloud.scripts.migrate.mapping import MARIADB_CAVEAT
from amsterdam_cloud.scripts.migrate.overrides import NONE, Overrides
from amsterdam_cloud.core.backend import DIY_ORGANIZATION, Backend, BackendError, declared_backend, \
    parse_reference
from amsterdam_cloud.core.program_config import PLATFORM_PROJECT
from amsterdam_cloud.stacks.config import load as platform_config

DATA_COPY_SCHEMA = "amsterdam.migrate.data-copy/v1"
SUMMARY_SCHEMA = "amsterdam.migrate.generate-summary/v1"
_ECR = re.compile(r"^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?/(?P<path>.+)$")
_NAME = re.compile(r"^[a-z][a-z0-9-]{1,22}[a-z0-9]$")
APP_TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "app"
"""The app template whose stack config this writes; its Pulumi.yaml declares the backend the apps live in."""


@dataclass(frozen=True, kw_only=True)
class Options:
    location: str = app_config.DEFAULT_LOCATION
    """The Azure region of every generated app; must be an EU region."""
    organization: str = DIY_ORGANIZATION
    """The organization in the platform StackReference: `organization`, the one organization of the city's
    self-managed backend; a Pulumi Cloud organization only where the apps' backend is Pulumi Cloud."""
    backend: Backend | None = None
    """The backend the apps' project declares, which must accept the reference; unset: the app template's."""
    registry: str | None = None
    """Unset: each app pulls from its environment's platform registry (`cramsterdam<env>.azurecr.io`, the app
    template's default); set: that ACR login server for every app (written as `app:app.registry`). Every image
    elsewhere (ECR, Docker Hub) is imported into the registry the app pulls from."""
    wave: int | None = None
    """Only this wave of the wave plan; none: every ready workload."""
    project: bool = False
    """Off: only the stack files (for an app repository made with `pulumi new templates/app`); on: each app folder
    is a whole Pulumi project (the app template rendered around the stack files), ready for `cityctl plan`."""


def app_name(application: str) -> str:
    """The app's name as the app template wants it: 3-24 lower-case letters, digits and hyphens."""
    name = application if application[:1].isalpha() else f"app-{application}"
    name = name[:24].rstrip("-")
    return name if _NAME.match(name) else (name + "-app")[:24]


def plan_files(mapping: Mapping[str, Any], options: Options, *, waves: Mapping[str, Any] | None = None,
               mapping_source: str = "mapping", overrides: Overrides = NONE,
               previous: Mapping[str, Any] | None = None) -> tuple[dict[str, str], dict[str, Any]]:
    """Relative path to file text for everything to write, and the summary document (also among the files).

    A workload excluded in the overrides is skipped even when an older wave plan still lists it. `previous` (the
    summary already in the output folder) is merged in, so generating wave by wave keeps every wave's record.
    """
    location = normalize_location(options.location)
    if location not in EU_REGIONS:
        raise UserError(f"--location {options.location}: not an EU region; expected one of {', '.join(sorted(EU_REGIONS))}")
    if options.registry is not None and not re.match(r"^[a-z0-9]{5,50}\.azurecr\.io$", options.registry):
        raise UserError(f"--registry {options.registry}: expected an ACR login server such as "
                        "cramsterdamprod.azurecr.io")
    _check_organization(options)
    wave_of = {e["id"]: wave["wave"] for wave in (waves or {}).get("waves", []) for e in wave["workloads"]}
    provisional = {e["id"] for wave in (waves or {}).get("waves", []) for e in wave["workloads"] if e.get("provisional")}
    if options.wave is not None:
        if waves is None:
            raise UserError("--wave needs --waves FILE (the plan written by `cityctl migrate waves`)")
        if not waves["waves"]:
            raise UserError(f"--wave {options.wave}: the plan has no waves (every workload is held back or not "
                            "moving); see its heldBack and the mapping's blockers")
        if options.wave not in {wave["wave"] for wave in waves["waves"]}:
            raise UserError(f"--wave {options.wave}: the plan has waves 1 to {len(waves['waves'])}; choose one of them")
    files: dict[str, str] = {}
    written: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    owners: dict[str, str] = {}
    for workload in mapping["workloads"]:
        wid = workload["id"]
        if overrides.workload(wid).get("exclude"):
            skipped.append({"workload": wid, "reason": f"exclude: true in {overrides.file}"})
            continue
        if workload["status"] != "ready":
            skipped.append({"workload": wid, "reason": not_ready_reason(workload)})
            continue
        if wid in provisional:
            skipped.append({"workload": wid, "reason": "provisional in the wave plan (after a blocked workload)"})
            continue
        if waves is not None and wid not in wave_of:
            skipped.append({"workload": wid, "reason": "held back in the wave plan"})
            continue
        if options.wave is not None and wave_of.get(wid) != options.wave:
            skipped.append({"workload": wid, "reason": f"in wave {wave_of.get(wid)}, not {options.wave}"})
            continue
        name, env = app_name(workload["application"]), workload["platformEnvironment"]
        key = f"{name}/{env}"
        if key in owners:
            skipped.append({"workload": wid, "reason": f"{name} {env} is already generated from {owners[key]}; "
                                                       "give one of them another application or environment tag"})
            continue
        owners[key] = wid
        outputs = []
        facts = workload.get("app")
        if facts and facts["runtime"] == "container" and not facts.get("image"):
            skipped.append({"workload": wid, "reason": NO_IMAGE})
            continue
        attention = []
        if facts:
            for part_name, part in app_parts(workload):
                if f"{part_name}/{env}" in owners and part is not facts:
                    attention.append(f"{part['part']}: not generated, {part_name} {env} is already generated from "
                                     f"{owners[f'{part_name}/{env}']}; give one of them another application tag")
                    continue
                if part["runtime"] == "container" and not part.get("image"):
                    attention.append(f"{part['part']}: not generated, {NO_IMAGE}")
                    continue
                owners[f"{part_name}/{env}"] = wid
                config = stack_config(workload, options, location, wave_of.get(wid), mapping_source, facts=part,
                                      name=part_name)
                path = f"{part_name}/Pulumi.{env}.yaml"
                app_config.validate(config, path)
                files[path] = dump_yaml({"config": config}, header=(
                    f"App stack config for {wid}{'' if part is facts else ' (' + part['part'] + ')'}, generated by "
                    f"`cityctl migrate generate` from {mapping_source}.\n"
                    "Contract: docs/app-config.md. Review it, then plan it: with --project this folder is the app's "
                    "project\n(`cityctl plan <env> --project-dir <folder>`), else put it in a repository made by "
                    "`pulumi new templates/app`."))
                outputs.append(path)
                if part["runtime"] == "vm" and part["vm"]["os"] == "linux":
                    attention.append(f"{part_name}: add app:app.vm.sshPublicKey, the break-glass SSH key's public "
                                     "half, before the first plan (a Linux VM signs in with a key only; the estate "
                                     "does not say which)")
                if options.project:
                    for relative, text in project_files(part_name, wid).items():
                        files.setdefault(f"{part_name}/{relative}", text)
                        outputs.append(f"{part_name}/{relative}")
        else:
            skipped.append({"workload": wid, "reason": f"no app config: {workload.get('appReason') or 'no app facts'}"})
        copy_plan = data_copy_plan(workload, options)
        if any(copy_plan[part] for part in COPY_PARTS):
            path = f"{name}/data-copy.{env}.yaml"
            files[path] = dump_yaml(copy_plan, header=f"Data-copy plan for {wid}: run it after `pulumi up` creates the storage account.")
            outputs.append(path)
        if outputs:
            entry = {"workload": wid, "wave": wave_of.get(wid), "files": outputs}
            left = attention + attention_notes(workload)
            if left:
                entry["attention"] = left  # a part in an app of its own (or by hand) is said, never silently dropped
            written.append(entry)
    summary = merge_summaries(previous, {"schema": SUMMARY_SCHEMA, "mapping": mapping_source, "location": location,
                                         "written": written, "skipped": skipped})
    files["generate-summary.yaml"] = dump_yaml(summary)
    return files, summary


_STACK_FILE = re.compile(r"^Pulumi\.[^.]+\.yaml$")


def project_files(name: str, workload_id: str) -> dict[str, str]:
    """The app template rendered as `pulumi new` renders it (`${PROJECT}`, `${DESCRIPTION}` filled, the `template:`
    prompts dropped), without its example stack files: the project around the generated ones."""
    description = f"{name}, migrated from {workload_id}"
    rendered = {}
    for path in sorted(p for p in APP_TEMPLATE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        relative = path.relative_to(APP_TEMPLATE_DIR).as_posix()
        if _STACK_FILE.match(relative):
            continue
        text = path.read_text(encoding="utf-8").replace("${PROJECT}", name).replace("${DESCRIPTION}", description)
        rendered[relative] = _without_template_section(text) if relative == "Pulumi.yaml" else text
    return rendered


def _without_template_section(text: str) -> str:
    """Pulumi.yaml without its top-level `template:` block (and the comments after it), as `pulumi new` leaves it."""
    kept, inside = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("template:"):
            inside = True
        elif inside and line.strip() and not line[0].isspace() and not line.startswith("#"):
            inside = False
        if not inside:
            kept.append(line)
    return "".join(kept)


def merge_summaries(previous: Mapping[str, Any] | None, current: dict[str, Any]) -> dict[str, Any]:
    """The current run's summary with what earlier runs wrote into the same folder (another wave) kept: a workload
    written now replaces its earlier entry; one skipped now but written before stays written (and is not listed
    as skipped); a workload another run wrote from a different mapping is kept as it was."""
    if not previous:
        return current
    now = {e["workload"] for e in current["written"]}
    written = [e for e in previous.get("written", []) if e["workload"] not in now] + current["written"]
    done = {e["workload"] for e in written}
    written.sort(key=lambda e: (e.get("wave") is None, e.get("wave") or 0, e["workload"]))
    return {**current, "written": written, "skipped": [e for e in current["skipped"] if e["workload"] not in done]}


def read_summary(out_dir: Path) -> dict[str, Any] | None:
    """The generate summary already in `out_dir`, or None when there is none."""
    path = out_dir / "generate-summary.yaml"
    if not path.is_file():
        return None
    document = read_yaml(path, SUMMARY_SCHEMA, "generate summary")
    check_schema(document, _SUMMARY_SHAPE, display(path))
    return document


_ENTRY = {"type": "object", "required": ["workload"], "properties": {"workload": {"type": "string"}}}
_SUMMARY_SHAPE = {"type": "object", "required": ["written", "skipped"],
                  "properties": {"written": {"type": "array", "items": _ENTRY}, "skipped": {"type": "array", "items": _ENTRY}}}


NO_IMAGE = "no container image known for the service; set it by hand"
ATTENTION = ("an app of its own", "share one", "by hand: ", "plan them by hand", "repoint them at Azure",
             MARIADB_CAVEAT)
"""Marks of the mapping notes that `generate` repeats under `attention`: what a person must do or check."""


def attention_notes(workload: Mapping[str, Any]) -> list[str]:
    """The workload's mapping notes a person must act on (`ATTENTION`)."""
    return [n for n in workload.get("notes", []) if any(mark in n for mark in ATTENTION)]


def app_parts(workload: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """(app name, facts) of each app a workload generates: the app config (`app`, with the data), then each part
    in an app of its own (`app.companions`: another ECS service, the functions or the servers of a hybrid
    workload) named `<app>-<part>`, unique within the workload."""
    facts = workload.get("app")
    if not facts:
        return []
    main = app_name(workload["application"])
    parts: list[tuple[str, Mapping[str, Any]]] = [(main, facts)]
    for companion in facts.get("companions", []):
        base = app_name(f"{main}-{companion['part']}")
        name, number = base, 2
        while name in {n for n, _ in parts}:
            name, number = f"{base[:21].rstrip('-')}-{number}", number + 1
        parts.append((name, companion))
    return parts
COPY_PARTS = ("buckets", "shares", "images", "databases", "tables", "queues")
"""The parts of a data-copy plan; the plan is written when one of them has an entry."""


def not_ready_reason(workload: Mapping[str, Any]) -> str:
    """Why a workload that is not ready is skipped: its status, then each blocker's code and the exact line to add
    (and where), or what to do when no override line helps."""
    reasons = []
    for blocker in workload["blockers"]:
        needs = blocker.get("needs")
        reasons.append(f"{blocker['code']}: add `{needs['line']}` under `{needs['under']}` in {needs['file']}" if needs
                       else f"{blocker['code']}: {blocker['message']}")
    return workload["status"] + (f" ({'; '.join(reasons)})" if reasons else "")


def generated(workload: Mapping[str, Any]) -> dict[str, bool]:
    """What `plan_files` writes for a workload in a wave: `app` (its stack config) and `dataCopy` (its data-copy
    plan); both false when it is skipped. The runbooks list the steps from this, so they name only what exists."""
    facts = workload.get("app")
    if workload["status"] != "ready" or (facts and facts["runtime"] == "container" and not facts.get("image")):
        return {"app": False, "dataCopy": False}
    plan = data_copy_plan(workload, Options())
    return {"app": bool(facts), "dataCopy": any(plan[part] for part in COPY_PARTS)}


def stack_config(workload: Mapping[str, Any], options: Options, location: str, wave: int | None,
                 mapping_source: str, *, facts: Mapping[str, Any] | None = None,
                 name: str | None = None) -> dict[str, Any]:
    """The app stack config of the workload's app (`facts`: one of `app_parts`; unset: the app config itself)."""
    facts = facts or workload["app"]
    app: dict[str, Any] = {
        "schemaVersion": app_config.SCHEMA_VERSION,
        "name": name or app_name(workload["application"]),
        "team": workload["owner"],
        "costCenter": workload["costCenter"],
        "runtime": facts["runtime"],
    }
    if facts["runtime"] == "container":
        app["image"] = target_image(facts["image"], registry_for(workload, options))
    elif facts["runtime"] == "vm":
        app["vm"] = facts["vm"]
    elif facts["runtime"] == "function":
        app["functions"] = facts["functions"]
    else:
        app["stack"] = facts["stack"]
    for key in ("port", "cpu", "secrets", "settings"):
        if facts.get(key):
            app[key] = facts[key]
    app["exposure"] = facts["exposure"]
    app["dataClassification"] = workload["dataClassification"]
    if workload.get("algorithmRegisterId"):
        app["algorithmRegisterId"] = str(workload["algorithmRegisterId"])
    app["location"] = location
    if options.registry is not None:
        app["registry"] = options.registry
    app["data"] = facts["data"]
    if workload.get("databaseAdminGroup") and (facts["data"]["postgres"] or facts["data"]["mysql"]):
        app["databaseAdminGroup"] = workload["databaseAdminGroup"]
    app["scale"] = facts["scale"]
    app["source"] = {"workload": workload["id"], "strategy": workload["strategy"], "wave": wave, "mapping": mapping_source,
                     **({"part": facts["part"]} if facts.get("part") else {})}
    return {"azure-native:location": location,
            # an app on the platform deploys into that environment's platform subscription (`App` checks it)
            "azure-native:subscriptionId": platform_config(workload["platformEnvironment"]).subscription_id,
            "app:platformStack": platform_reference(options, workload["platformEnvironment"]),
            "app:app": app}


def platform_reference(options: Options, environment: str) -> str:
    """The StackReference name of the platform stack of `environment`."""
    return f"{options.organization}/{PLATFORM_PROJECT}/{environment}"


def _check_organization(options: Options) -> None:
    """`--org` as the apps' backend accepts it (where the toolkit has the template to say which backend)."""
    backend = options.backend
    if backend is None and (APP_TEMPLATE_DIR / "Pulumi.yaml").is_file():
        backend = declared_backend(APP_TEMPLATE_DIR)
    if backend is not None:
        try:
            parse_reference(platform_reference(options, "dev"), backend, PLATFORM_PROJECT)
        except BackendError as error:
            raise UserError(f"--org {options.organization}: {error}") from None


def registry_for(workload: Mapping[str, Any], options: Options) -> str:
    """The login server the workload's app pulls from: `--registry`, else its environment's platform registry."""
    return options.registry or login_server(city_registry_name(workload["platformEnvironment"]))


def image_parts(image: str) -> tuple[str, str, str]:
    """(registry host, repository:tag, full source reference) of an image; Docker Hub is `docker.io/library/...`."""
    first, _, rest = image.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return first, rest, image
    path = image if rest else f"library/{image}"
    return "docker.io", path, f"docker.io/{path}"


def target_image(image: str | None, registry: str) -> str | None:
    """The image as the app pulls it: from the platform's registry (imported there by the data-copy plan)."""
    if not image:
        return None
    host, path, _ = image_parts(image)
    return image if host == registry else f"{registry}/{path}"


def data_copy_plan(workload: Mapping[str, Any], options: Options) -> dict[str, Any]:
    """Buckets to copy into Blob containers (azcopy for AWS S3, rclone for S3-compatible on-prem stores)."""
    buckets, shares = [], []
    for r in workload["resources"]:
        target = r["target"]
        if target.get("component") != "blob-storage":
            continue
        container = target["container"]
        destination = f"https://${{STORAGE_ACCOUNT}}.blob.core.windows.net/{container}"
        if r["type"] == "onprem:storage":
            shares.append(share_copy(r, destination))
        elif r["type"] == "aws:s3:bucket":
            source = f"https://s3.{r['region']}.amazonaws.com/{r['name']}"
            buckets.append({"resource": r["id"], "source": {"kind": "aws-s3", "bucket": r["name"], "region": r["region"]},
                            "target": {"container": container, "publicAccess": False}, "tool": "azcopy",
                            "login": "azcopy login --identity",
                            "command": f'azcopy copy "{source}" "{destination}" --recursive=true --put-md5',
                            "verify": {"source": f"aws s3 ls s3://{r['name']} --recursive --summarize",
                                       "target": f'azcopy list "{destination}" --machine-readable --running-tally',
                                       "compare": "object count and total size equal on both sides; every blob "
                                                  "carries the Content-MD5 azcopy computed while copying"}})
        else:
            buckets.append({"resource": r["id"], "source": {"kind": "s3-compatible", "bucket": r["name"],
                                                            "endpoint": r["id"].split("/")[2]},
                            "target": {"container": container, "publicAccess": False}, "tool": "rclone",
                            "login": "rclone config: the azure remote uses env_auth (managed identity), no key",
                            "command": f"rclone copy onprem:{r['name']} azure:{container} --checksum --transfers 16",
                            "verify": {"source": f"rclone size onprem:{r['name']}", "target": f"rclone size azure:{container}",
                                       "compare": f"rclone check onprem:{r['name']} azure:{container} --one-way "
                                                  "(counts and checksums on both sides)"}})
    images = []
    registry = registry_for(workload, options)
    registry_name = registry.split(".")[0]
    for r in workload["resources"]:
        image = r["target"].get("image")
        if not image:
            continue
        host, path, source = image_parts(image)
        if host == registry:
            continue
        login = ' --username AWS --password "$ECR_PASSWORD"' if _ECR.match(image) else ""
        images.append({"resource": r["id"], "source": image, "target": f"{registry}/{path}",
                       "command": f"az acr import --name {registry_name} --source {source} --image {path}{login}"})
    return {
        "schema": DATA_COPY_SCHEMA,
        "workload": workload["id"],
        "runsOn": "the platform's CI agents inside the landing zone: the app's storage account has no public access "
                  "and no shared keys, so the copy authenticates with the agent's managed identity (Storage Blob "
                  "Data Contributor on the account) and reaches it through its private endpoint",
        "environment": {"STORAGE_ACCOUNT": "pulumi stack output storageAccountName (the app stack, after `pulumi up`)",
                        "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY": "read-only credentials for the source buckets",
                        "ECR_PASSWORD": "aws ecr get-login-password (only for the images)"},
        "buckets": buckets,
        "shares": shares,
        "images": images,
        "databases": database_moves(workload),
        "tables": table_moves(workload),
        "queues": queue_switches(workload),
    }


def share_copy(share: Mapping[str, Any], destination: str) -> dict[str, Any]:
    """How an on-prem file share moves into its private Blob container: azcopy from a CI agent that mounts the
    share read-only (Azure Storage Mover for very large shares), checked by file count, size and MD5 on both sides."""
    name, target = share["name"], share["target"]
    host = target.get("host") or "<file server>"
    mount = f"/mnt/{target['container']}"
    return {
        "resource": share["id"], "name": name, "sizeGiB": target.get("sizeGiB"),
        "source": {"kind": "smb-share", "path": f"\\\\{host}\\{name}", "mount": mount},
        "target": {"container": target["container"], "publicAccess": False}, "tool": "azcopy",
        "login": "azcopy login --identity",
        "method": f"mount the share read-only on a platform CI agent at {mount} (a service account from the app's "
                  "Key Vault), then azcopy; for several TiB or a long-running sync, Azure Storage Mover",
        "command": f'azcopy copy "{mount}/*" "{destination}" --recursive=true --put-md5',
        "verify": {"source": f"find {mount} -type f | wc -l; du -sb {mount}",
                   "target": f'azcopy list "{destination}" --machine-readable --running-tally',
                   "compare": "file count and total size equal on both sides; every blob carries the Content-MD5 "
                              "azcopy computed while copying (compare with md5sum of a sample of files)"},
        "rollback": f"the share stays read-only and in place until the owner signs off; roll back by pointing "
                    f"the app at {name} again",
    }


def table_moves(workload: Mapping[str, Any]) -> list[dict[str, Any]]:
    """How each DynamoDB table moves into its Cosmos DB container: an export to S3, then a Data Factory copy with
    the factory's managed identity (the account takes no keys), checked by item counts on both sides."""
    moves = []
    for r in workload["resources"]:
        target = r["target"]
        if target.get("component") != "cosmos-db-nosql":
            continue
        moves.append({
            "resource": r["id"], "name": r["name"], "sizeGiB": target.get("sizeGiB"),
            "target": {"account": "pulumi stack output cosmosEndpoint (the app stack)", "container": target["container"],
                       "partitionKey": target["partitionKey"]},
            "method": "DynamoDB export to S3 (needs point-in-time recovery on the table), then an Azure Data Factory "
                      "copy activity from the export into the container, signed in with the factory's managed "
                      "identity (Cosmos DB Built-in Data Contributor)",
            "steps": [f"aws dynamodb export-table-to-point-in-time --table-arn {r['id']} --s3-bucket <export bucket> "
                      "--export-format DYNAMODB_JSON",
                      f"run the Data Factory copy into {target['container']} (DynamoDB JSON to documents, "
                      f"{target['partitionKey']} as partition key)",
                      "stop writes on the table, export and copy what changed since (or replay the stream), "
                      "point the app at Cosmos DB"],
            "verify": {"compare": "item count on both sides (DescribeTable ItemCount or a Scan with Select=COUNT; "
                                  "SELECT VALUE COUNT(1) FROM c) and a sample of items compared field by field"},
            "rollback": f"keep {r['name']} unchanged until the owner signs off; roll back by pointing the app at it",
        })
    return moves


def queue_switches(workload: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each SQS queue's switch to its Service Bus queue: messages are not copied; producers move first and the
    consumers drain the source before they move too."""
    return [{
        "resource": r["id"], "name": r["name"], "target": {"queue": r["target"]["queue"],
                                                           "sessions": bool(r["target"].get("sessions"))},
        "method": "no copy: switch the producers to Service Bus, let the consumers drain the SQS queue, then switch "
                  "the consumers",
        "verify": {"source": f"aws sqs get-queue-attributes --queue-url <{r['name']} url> --attribute-names "
                             "ApproximateNumberOfMessages ApproximateNumberOfMessagesNotVisible",
                   "compare": "both 0 before the consumers switch; the dead-letter queue is empty or handled"},
        "rollback": "switch the producers back to SQS; Service Bus keeps what it received for the consumers",
    } for r in workload["resources"] if r["target"].get("component") == "service-bus-queue"]


DUMP_GIB_PER_HOUR = 50.0
"""Assumed dump-plus-restore throughput of native tools from the platform's CI agents: a planning figure for the
downtime estimate, to be replaced by a rehearsal's measurement."""
ONLINE_ABOVE_GIB = 50
"""Databases larger than this move online (continuous replication, a short cutover) instead of dump and restore."""
CUTOVER_MINUTES = 15
"""Downtime of an online move's cutover: stop writes, let replication catch up, repoint the app."""


def server_sku(workload: Mapping[str, Any], target: Mapping[str, Any]) -> str | None:
    """The SKU of the flexible server a source database moves into, as `generate` writes it (the app config's,
    raised for high availability in prod and shared by the workload's databases of one engine)."""
    server = ((workload.get("app") or {}).get("data") or {}).get(target.get("engine") or "")
    return (server or {}).get("sku") or target.get("sku")


def database_moves(workload: Mapping[str, Any]) -> list[dict[str, Any]]:
    """How each source database moves into its flexible server: native dump and restore (offline, small) or the
    online migration (Azure Database Migration Service; PostgreSQL's own migration service), with size, downtime
    estimate, the steps and the checks on both sides."""
    moves = []
    name = app_name(workload["application"])
    env = workload.get("platformEnvironment") or workload["environment"]
    for r in workload["resources"]:
        target = r["target"]
        engine = target.get("engine")
        if engine not in ("postgres", "mysql") or not target.get("sku"):
            continue
        size = math.ceil(target.get("sourceStorageGiB") or target.get("storageGb") or 0)  # what is copied: the source's
        server = f"{'psql' if engine == 'postgres' else 'mysql'}-{name}-{env}"
        mariadb = target.get("sourceEngine") == "mariadb"
        online = size > ONLINE_ABOVE_GIB and not mariadb  # MariaDB's replication (its GTIDs) is not MySQL's
        hours = size / DUMP_GIB_PER_HOUR
        if mariadb:
            method = ("mariadb-dump / mysql (offline), after a compatibility check: the source is MariaDB, the "
                      "target MySQL 8; an online move (MariaDB replicating to MySQL) only after a rehearsal proves it")
            downtime = f"about {max(CUTOVER_MINUTES, round(hours * 60) + CUTOVER_MINUTES)} minutes (writes stopped)"
        elif online:
            method = ("Azure Database for PostgreSQL migration service (online)" if engine == "postgres"
                      else "Azure Database Migration Service, MySQL online migration")
            downtime = f"about {CUTOVER_MINUTES} minutes at cutover (initial copy about {hours:.1f} h while live)"
        else:
            method = "pg_dump / pg_restore (offline)" if engine == "postgres" else "mysqldump / mysql (offline)"
            downtime = f"about {max(CUTOVER_MINUTES, round(hours * 60) + CUTOVER_MINUTES)} minutes (writes stopped)"
        dump, restore = (("pg_dump --format=directory --jobs=4", "pg_restore --jobs=4 --no-owner")
                         if engine == "postgres" else
                         (f"{'mariadb-dump' if mariadb else 'mysqldump'} --single-transaction --routines", "mysql"))
        moves.append({
            "resource": r["id"], "name": r["name"], "engine": engine,
            **({"sourceEngine": "mariadb", "caveat": f"{MARIADB_CAVEAT}: check the schema for what MySQL 8 lacks "
                "(sequences, system-versioned tables, Aria or ColumnStore tables, JSON stored as LONGTEXT) on a "
                "rehearsal restore before the real one"} if mariadb else {}),
            "sizeGiB": size,
            "target": {"server": server, "sku": server_sku(workload, target), "version": target.get("version")},
            "method": method, "downtimeEstimate": downtime,
            "steps": ([f"create the migration in the portal or CLI from {r['name']} to {server} (online)",
                       "let it replicate; compare counts (below) while live", "stop writes on the source, wait "
                       "for replication to catch up, cut over, point the app at the new server"] if online else
                      ["stop writes on the source", f"{dump} (on a CI agent with network access to both)",
                       f"{restore} into {server}, signing in with Entra ID (az account get-access-token)",
                       "point the app at the new server"]),
            "verify": {"compare": "per table: row count and a checksum (PostgreSQL: md5 of the ordered rows; MySQL: "
                                  "CHECKSUM TABLE) on source and target; the counts must be equal"},
            "rollback": f"keep {r['name']} read-only until the owner signs off; roll back by pointing the app at it",
        })
    return moves


def write(out_dir: Path, files: Mapping[str, str]) -> None:
    """Write every file atomically; nothing is written until everything has been computed and validated."""
    for relative, text in files.items():
        write_atomically(out_dir / relative, text)
