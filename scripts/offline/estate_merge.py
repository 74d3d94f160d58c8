"""`cityctl plan --estate --merge`: the final CI job joins the shards' summaries and applies the gate.

Every estate stack must be owned by exactly one shard of one N, every shard of one estate, every plan in the plans
folder with the sha256 its shard recorded; then the merged summary is written and a failed stack or a mandatory
violation fails the job.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.files import display, write_atomically
from amsterdam_cloud.scripts.offline.estate_plan import SUMMARY_FORMAT


def merge(args: argparse.Namespace, *, plans_dir: Path) -> int:
    """Join shard summaries: every estate stack owned by exactly one shard, its plan there with the recorded hash,
    no failure, no mandatory violation. Writes out/estate/estate.json under the --estate root."""
    from amsterdam_cloud.core.documents import read_json
    from amsterdam_cloud.scripts.offline.plan_cache import sha256_text

    documents = []
    for path in args.merge:
        document = read_json(path, "estate shard summary (out/estate/shard-I-of-N.json)")
        documents.append((path, _checked(document, display(path))))
    shards = {document["shard"] for _, document in documents}
    count = {int(shard.split("/")[1]) for shard in shards}
    expected = {f"{i}/{n}" for n in count for i in range(1, n + 1)}
    if len(count) != 1 or shards != expected or len(documents) != len(shards):
        raise UserError(f"plan --estate --merge: shards {', '.join(sorted(d['shard'] for _, d in documents))}; "
                        f"expected each of {', '.join(sorted(expected))} once: pass every shard's summary")
    estates = {tuple(document["estate"]) for _, document in documents}
    if len(estates) != 1:
        raise UserError("plan --estate --merge: the shards planned different estates (their stack lists differ); "
                        "run every shard on the same commit")
    root = args.estate
    owners: dict[str, str] = {}
    merged, failed, failure = [], False, None
    for path, document in documents:
        if document.get("failure") and failure is None:
            failure = f"shard {document['shard']}: {document['failure']['message']}"
        for entry in document["stacks"]:
            if not entry["owned"]:
                continue
            name = f"{entry['project']}/{entry['stack']}"
            if name in owners:
                raise UserError(f"{display(path)}: {name} is also planned by shard {owners[name]}; each stack "
                                "belongs to one shard")
            owners[name] = document["shard"]
            plan = plans_dir / f"{entry['project']}.{entry['stack']}.json"
            try:
                text = plan.read_text(encoding="utf-8")
            except OSError:
                raise UserError(f"{display(plan)}: missing; download every shard's plans into {display(plans_dir)} "
                                "(--plans-dir)") from None
            if sha256_text(text) != entry["sha256"]:
                raise UserError(f"{display(plan)}: not the plan shard {document['shard']} made (its sha256 "
                                "differs); download that shard's plans again")
            failed |= entry["policy"] == "failed"
            merged.append(entry)
    missing = [name for name in next(iter(estates)) if name not in owners]
    if missing and failure is None:
        failure = f"{len(missing)} stacks planned by no shard (first: {missing[0]})"
    document = {"format": SUMMARY_FORMAT, "shard": None, "estate": list(next(iter(estates))),
                "stacks": sorted(merged, key=lambda e: (e["project"], e["stack"])),
                "failure": {"message": failure} if failure else None,
                "planned": sum(d["planned"] for _, d in documents), "reused": sum(d["reused"] for _, d in documents),
                "resources": sum(e["resources"] for e in merged),
                "seconds": max(d["seconds"] for _, d in documents)}
    path = root / "out" / "estate" / "estate.json"
    write_atomically(path, json.dumps(document, indent=2, sort_keys=True) + "\n")
    violations = sum(1 for entry in merged if entry["policy"] == "failed")
    print(f"{len(documents)} shards merged: {len(merged)} stacks, {document['resources']} resources; policy: "
          f"{violations} stacks with a mandatory violation; summary in {display(path)}", file=sys.stderr)
    if failure is not None:
        print(f"cityctl: error: plan --estate --merge: {failure}", file=sys.stderr)
        return 1
    return 1 if failed else 0


_ENTRY_FIELDS = {"project": str, "stack": str, "owned": bool, "sha256": str, "resources": int, "policy": str}
"""What the merge reads of each stack in a shard summary, and its JSON type."""


def _checked(document: object, source: str) -> dict:
    """A shard summary in the shape `plan --estate --shard` writes, or one line naming the key that is wrong."""
    from amsterdam_cloud.scripts.offline.estate import Shard

    expected = f"expected a shard summary of `cityctl plan --estate --shard I/N` ({SUMMARY_FORMAT})"
    if not isinstance(document, dict) or document.get("format") != SUMMARY_FORMAT:
        raise UserError(f"{source}: format: {expected}")
    try:
        shard = document.get("shard")
        Shard.parse(shard if isinstance(shard, str) else "")
    except UserError:
        raise UserError(f"{source}: shard: {document.get('shard')!r}; {expected}") from None
    if not isinstance(document.get("estate"), list) or not all(isinstance(s, str) for s in document["estate"]):
        raise UserError(f"{source}: estate: must be a list of project/stack names; {expected}")
    for key in ("planned", "reused", "resources"):
        if not isinstance(document.get(key), int):
            raise UserError(f"{source}: {key}: must be a number; {expected}")
    if not isinstance(document.get("seconds"), (int, float)):
        raise UserError(f"{source}: seconds: must be a number; {expected}")
    failure = document.get("failure")
    if failure is not None and not (isinstance(failure, dict) and isinstance(failure.get("message"), str)):
        raise UserError(f"{source}: failure: must be null or an object with a message; {expected}")
    if not isinstance(document.get("stacks"), list):
        raise UserError(f"{source}: stacks: must be a list; {expected}")
    for index, entry in enumerate(document["stacks"]):
        for key, kind in _ENTRY_FIELDS.items():
            if not isinstance(entry, dict) or not isinstance(entry.get(key), kind):
                raise UserError(f"{source}: stacks[{index}].{key}: missing or not {kind.__name__}; {expected}")
    return document
