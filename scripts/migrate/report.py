"""The migration lead's report: one HTML page and one CSV from the mapping, the wave plan and the status file.

`report.html`: the summary counts, the workloads (strategy, status, wave, owner, classification, target sizes,
blockers with the override line each needs), the waves, what is in no workload (unassigned resources and
orphans), and the dependency graph drawn with drawsvg the way `cityctl plan --diagram` draws the network: one
column per wave, boxes coloured by wave, provisional and held-back workloads marked. `workloads.csv`: one row per
workload with the same columns, for Excel. Every text from the estate is escaped; nothing is fetched.
"""

from __future__ import annotations

import csv
import html
import io
from collections import defaultdict
from typing import Any, Mapping, Sequence

import drawsvg

from amsterdam_cloud.core.app_config import CPU_MEMORY
from amsterdam_cloud.scripts.migrate.mapping import container_size
from amsterdam_cloud.scripts.migrate.generate import app_name, app_parts, attention_notes, generated, \
    not_ready_reason, server_sku

FONT = "Segoe UI, Helvetica, Arial, sans-serif"
WAVE_COLOURS = ("#dbeafe", "#dcfce7", "#fef9c3", "#fae8ff", "#ffedd5", "#e0f2fe", "#f1f5f9")
"""Box colours per wave (repeating); provisional boxes get a dashed border, held-back ones a red one."""
BOX_WIDTH, BOX_HEIGHT, GAP_X, GAP_Y, MARGIN = 220, 36, 70, 14, 24
CSV_COLUMNS = ("workload", "application", "environment", "strategy", "status", "wave", "provisional", "owner",
               "costCenter", "dataClassification", "resources", "apps", "targets", "blockers", "needs")


def rows(mapping: Mapping[str, Any], waves: Mapping[str, Any] | None,
         status: Mapping[str, Any] | None = None) -> list[dict[str, str]]:
    """One row per workload with the report's columns (all text, ready for CSV and HTML)."""
    placed = {e["id"]: (wave["wave"], bool(e.get("provisional")))
              for wave in (waves or {}).get("waves", []) for e in wave["workloads"]}
    held = {h["id"] for h in (waves or {}).get("heldBack", [])}
    states = {wid: entry["state"] for wid, entry in (status or {}).get("workloads", {}).items()}
    result = []
    for w in mapping["workloads"]:
        wave, provisional = placed.get(w["id"], (None, False))
        sizes = sorted({label for r in w["resources"] if (label := target_label(
            {**r["target"], "sku": server_sku(w, r["target"])} if r["target"].get("sku") else r["target"]))})
        result.append({
            "workload": w["id"], "application": w["application"], "environment": w.get("platformEnvironment") or
            w["environment"], "strategy": w["strategy"], "status": states.get(w["id"], w["status"]),
            "wave": "held back" if w["id"] in held else ("" if wave is None else str(wave)),
            "provisional": "yes" if provisional else "", "owner": w.get("owner") or "",
            "costCenter": w.get("costCenter") or "", "dataClassification": w.get("dataClassification") or "",
            "resources": str(len(w["resources"])), "targets": ", ".join(sizes),
            "apps": ", ".join(f"{name} ({part['runtime']})" for name, part in app_parts(w)) if generated(w)["app"] else "",
            "blockers": "; ".join(f"{b['code']} ({b.get('tier', 'planning')})" for b in w["blockers"]),
            "needs": "; ".join(f"under {b['needs']['under']}: {b['needs']['line']}" for b in w["blockers"]
                               if b.get("needs")),
        })
    return result


def target_label(target: Mapping[str, Any]) -> str | None:
    """The size a target is given in the table: a VM size or database SKU, a container app's vCPU and memory, a
    function app's stack; None for targets without a size of their own (disks, networks)."""
    if target.get("size") or target.get("sku"):
        return str(target.get("size") or target.get("sku"))
    if target.get("component") == "container-app":  # the size generate writes: memory follows the vCPU
        cpu = container_size(target.get("cpu"), target.get("memoryGiB"))
        return f"Container App {cpu:g} vCPU / {CPU_MEMORY[cpu]:g} GiB" if cpu else "Container App"
    if target.get("component") == "function-app":
        return f"Function App ({target.get('stack') or 'container'})"
    return None


def to_csv(table: list[dict[str, str]], *, excel: bool = False) -> str:
    """The table as CSV: comma-separated UTF-8 for tools; with `excel`, what Dutch Excel opens as columns with its
    accents intact: `;`-separated UTF-8 with a byte order mark."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n", delimiter=";" if excel else ",")
    writer.writeheader()
    writer.writerows(table)
    return ("\ufeff" if excel else "") + buffer.getvalue()


def dependency_svg(mapping: Mapping[str, Any], waves: Mapping[str, Any] | None) -> str:
    """The workloads as boxes in one column per wave (then held back, then not moving), arrows from a workload
    to what it depends on."""
    columns: dict[str, list[str]] = defaultdict(list)
    style: dict[str, tuple[str, str]] = {}
    for wave in (waves or {}).get("waves", []):
        for entry in wave["workloads"]:
            columns[f"wave {wave['wave']}"].append(entry["id"])
            colour = WAVE_COLOURS[(wave["wave"] - 1) % len(WAVE_COLOURS)]
            style[entry["id"]] = (colour, "dashed" if entry.get("provisional") else "solid")
    for entry in (waves or {}).get("heldBack", []):
        columns["held back"].append(entry["id"])
        style[entry["id"]] = ("#fee2e2", "held")
    for w in mapping["workloads"]:
        if w["id"] not in style:
            columns["not in a wave"].append(w["id"])
            style[w["id"]] = ("#f3f4f6", "solid")
    position: dict[str, tuple[float, float]] = {}
    for index, members in enumerate(columns.values()):
        for row, wid in enumerate(sorted(members)):
            position[wid] = (MARGIN + index * (BOX_WIDTH + GAP_X), MARGIN + 30 + row * (BOX_HEIGHT + GAP_Y))
    width = MARGIN * 2 + max(1, len(columns)) * (BOX_WIDTH + GAP_X)
    height = MARGIN * 2 + 30 + max([len(m) for m in columns.values()] or [1]) * (BOX_HEIGHT + GAP_Y)
    drawing = drawsvg.Drawing(width, height, font_family=FONT)
    drawing.append(drawsvg.Rectangle(0, 0, width, height, fill="#ffffff"))
    arrow = drawsvg.Marker(-0.1, -0.5, 0.9, 0.5, scale=6, orient="auto")
    arrow.append(drawsvg.Lines(-0.1, -0.5, -0.1, 0.5, 0.9, 0, close=True, fill="#6b7280"))
    drawing.append(arrow)
    for index, title in enumerate(columns):
        drawing.append(drawsvg.Text(title, 14, MARGIN + index * (BOX_WIDTH + GAP_X), MARGIN + 14, font_weight="bold",
                                    class_="column"))
    for w in mapping["workloads"]:
        for dependency in w.get("dependsOn", []):
            if w["id"] in position and dependency in position:
                (x1, y1), (x2, y2) = position[w["id"]], position[dependency]
                drawing.append(drawsvg.Line(x1, y1 + BOX_HEIGHT / 2, x2 + BOX_WIDTH, y2 + BOX_HEIGHT / 2,
                                            stroke="#6b7280", stroke_width=1.2, marker_end=arrow))
    for wid, (x, y) in position.items():
        fill, kind = style[wid]
        drawing.append(drawsvg.Rectangle(x, y, BOX_WIDTH, BOX_HEIGHT, rx=5, fill=fill,
                                         stroke="#dc2626" if kind == "held" else "#1f2937",
                                         stroke_dasharray="5,3" if kind == "dashed" else None, class_="workload",
                                         data_workload=wid))
        drawing.append(drawsvg.Text(wid, 12, x + 8, y + BOX_HEIGHT / 2 + 4))
    return drawing.as_svg()


def _table(caption: str, header: tuple[str, ...], body: Sequence[tuple[str, ...]], table_id: str) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    lines = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>\n" for row in body)
    return (f'<table id="{table_id}"><caption>{html.escape(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{lines}</tbody></table>\n")


def to_html(mapping: Mapping[str, Any], waves: Mapping[str, Any] | None, table: list[dict[str, str]]) -> str:
    """The whole page: summary, workloads, waves, unplaced resources and the dependency graph."""
    summary = mapping["summary"]
    counts = [(label, str(summary.get(key, 0))) for label, key in (
        ("workloads", "workloads"), ("ready", "ready"), ("need input", "needs"), ("incomplete", "incomplete"),
        ("blocked", "blocked"), ("not moving", "not-moving"))]
    counts.append(("waves", str((waves or {}).get("summary", {}).get("waves", 0))))
    header = tuple(CSV_COLUMNS)
    workloads = _table("Workloads", header, [tuple(row[c] for c in header) for row in table], "workloads")
    wave_rows = [(str(wave["wave"]), e["id"], e["strategy"], "provisional: " + "; ".join(e["reasons"])
                  if e.get("provisional") else "", ", ".join(e["dependsOn"]))
                 for wave in (waves or {}).get("waves", []) for e in wave["workloads"]]
    wave_rows += [("held back", h["id"], "", "; ".join(h["reasons"]), "") for h in (waves or {}).get("heldBack", [])]
    wave_table = _table("Waves", ("wave", "workload", "strategy", "note", "depends on"), wave_rows, "waves")
    unplaced = [(u["id"], u["type"], u["name"], u["region"], u.get("gap", "")) for u in mapping.get("unassigned", [])]
    unplaced += [(o["id"], f"{o['service']}:{o['resourceType']}", "", o["region"],
                  f"orphan (no collector reads it){'; tags name ' + o['workload'] if o.get('workload') else ''}")
                 for o in mapping.get("orphans", [])]
    unplaced_table = _table("In no workload: unassigned resources and orphans", ("id", "type", "name", "region", "note"),
                            unplaced, "unplaced")
    tiles = "".join(f'<div class="tile"><b>{html.escape(value)}</b><br>{html.escape(label)}</div>'
                    for label, value in counts)
    source = html.escape(str(mapping.get("inventory", {}).get("file", "")))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Migration report</title>
<style>
body {{ font-family: {FONT}; margin: 24px; color: #111827; }}
table {{ border-collapse: collapse; margin: 16px 0 32px; font-size: 13px; }}
caption {{ text-align: left; font-weight: bold; font-size: 16px; padding: 4px 0; }}
th, td {{ border: 1px solid #d1d5db; padding: 4px 8px; vertical-align: top; text-align: left; }}
th {{ background: #f3f4f6; }}
.tile {{ display: inline-block; border: 1px solid #d1d5db; border-radius: 6px; padding: 8px 16px; margin: 0 8px 8px 0;
         text-align: center; }}
</style></head>
<body>
<h1>Migration report</h1>
<p>From the mapping of {source}, generated {html.escape(str(mapping.get("generatedAt", "")))}.</p>
<section id="summary">{tiles}</section>
{workloads}{wave_table}{unplaced_table}
<h2>Dependencies by wave</h2>
<figure id="graph">{dependency_svg(mapping, waves)}</figure>
</body></html>
"""


def steps(workload: Mapping[str, Any]) -> list[str]:
    """A ready workload's deploy and data steps, naming only the files `generate` writes for it."""
    wid, made = workload["id"], generated(workload)
    folder = f"{app_name(workload['application'])}/"
    env = workload.get("platformEnvironment") or workload["environment"]
    app = workload.get("app") or {}
    lines = []
    if made["app"]:
        lines.append(f"- [ ] `pulumi up` the app stack (runtime {app['runtime']}) from `{folder}Pulumi.{env}.yaml`.")
        for name, part in app_parts(workload)[1:]:
            lines.append(f"- [ ] `pulumi up` the app stack of {part['part']} (runtime {part['runtime']}) from "
                         f"`{name}/Pulumi.{env}.yaml`; grant its identity what it uses of the first app's data.")
    else:
        lines.append(f"- [ ] No app stack is generated ({workload.get('appReason') or 'no app facts'}).")
    lines.append(f"- [ ] `cityctl migrate status --set {wid}=copying`.")
    if made["dataCopy"]:
        lines.append(f"- [ ] Run the data-copy plan `{folder}data-copy.{env}.yaml` (buckets, shares, databases, tables, "
                     "queues, images) and its `verify` on both sides.")
        lines += [f"- [ ] Copy the on-prem share {r['name']} ({r['target'].get('sizeGiB', '?')} GiB) into the "
                  f"container `{r['target']['container']}` (the plan's `shares`), file counts and checksums compared."
                  for r in workload["resources"] if r["type"] == "onprem:storage"
                  and r["target"].get("component") == "blob-storage"]
    function = next((part for _, part in app_parts(workload) if part["runtime"] == "function"), {})
    server = next((part for _, part in app_parts(workload) if part["runtime"] == "vm"), {})
    if function:
        for group in function["functions"]["groups"]:
            lines.append(f"- [ ] Port {', '.join(group['functions'])} to the function app `{group['name']}` "
                         f"({group['stack']}; triggers {', '.join(group.get('triggers', [])) or 'none recorded'}) and "
                         "zip-deploy it from the platform's CI agents with Entra ID (the host storage is private).")
    if server:
        vm = server["vm"]
        disks = ", ".join(f"{size} GiB" for size in vm.get("dataDisksGb", [])) or "none"
        lines.append(f"- [ ] Move each server's disks and data onto the new VMs (OS disk {vm.get('osDiskGb')} GiB, "
                     f"data disks {disks}): replicate with Azure Migrate, or copy the data volumes (rsync, robocopy) "
                     "and compare file counts and checksums on both sides.")
    lines += [f"- [ ] Check: {note}." for note in attention_notes(workload)]
    return lines


def runbooks(mapping: Mapping[str, Any], waves: Mapping[str, Any]) -> dict[str, str]:
    """One Markdown runbook per wave (`runbook-wave-<n>.md`): before, per workload (owner, steps, checks) and the
    rollback, in the order the plan moves them; provisional workloads are listed as not to start."""
    by_id = {w["id"]: w for w in mapping["workloads"]}
    books = {}
    for wave in waves["waves"]:
        number = wave["wave"]
        lines = [f"# Wave {number} runbook", "",
                 f"Generated from the wave plan ({waves.get('mapping', {}).get('file', 'mapping')}); record each step "
                 "with `cityctl migrate status --set <workload>=<state> --note <ticket>`.", "",
                 "## Before", "",
                 "- [ ] Every workload of earlier waves is `cut-over` (`cityctl migrate status`).",
                 "- [ ] The owners below have agreed the window; the change is registered.",
                 "- [ ] The platform's CI agents can reach both sides (data-copy plans: `runsOn`).", ""]
        for entry in wave["workloads"]:
            workload = by_id.get(entry["id"], {})
            owner = workload.get("owner") or "no owner yet"
            lines += [f"## {entry['id']} ({entry['strategy']}), owner {owner}", ""]
            if entry.get("provisional"):
                lines += [f"Provisional, do not start: {'; '.join(entry['reasons'])}.", ""]
                continue
            if workload.get("status") != "ready":
                lines += [f"Not generated, do not start: {not_ready_reason(workload)}. Lift the blockers, then map, "
                          "plan the waves and generate again.", ""]
                continue
            lines += steps(workload) + [
                "- [ ] Stop writes on the source; final sync; point DNS and clients at Azure.",
                "- [ ] Smoke test with the owner; `cityctl migrate status --set {0}=cut-over`.".format(entry["id"]),
                "", "Rollback: point DNS and clients back at the source (kept read-only until sign-off), then "
                "`cityctl migrate status --set {0}=rolled-back`.".format(entry["id"]), ""]
            if entry["dependsOn"]:
                lines += [f"Depends on: {', '.join(entry['dependsOn'])} (earlier waves).", ""]
        books[f"runbook-wave-{number}.md"] = "\n".join(lines)
    return books
