"""The plan diff: what deploying `after` would do to the resources of `before`, resource by resource.

Both sides are documents in the shape of `pulumi stack export` (version 3): an offline plan of `cityctl plan`, or
the export of a real stack. Resources are matched by URN, as the Pulumi engine matches them. For each one:

- create / delete: the URN is only in `after` / only in `before`;
- replace: an input changed that Azure cannot change in place (`replace_rules.py`: names and parents in the ARM
  id, location, type-specific properties), or one listed in the resource's `replaceOnChanges` option;
- update: any other input changed (paths in `ignoreChanges` do not count);
- unchanged otherwise (counted, not listed).

Deleting or replacing a stateful resource (databases, storage, key vaults, disks, ...) is possible data loss
(`PlanDiff.data_loss`); `render_text` shows it first. A delete of a resource with `retainOnDelete` keeps it in
Azure and is not data loss.

Comparing an offline plan with a real export needs three allowances, each of which only removes noise:
- a name input the program leaves unset (auto-naming) keeps the current name, as Pulumi does on update, and a
  location left unset keeps the provider's default;
- values the offline mocks computed from another resource (its auto-generated name, its ARM id) are translated
  into that resource's real name and id first, unless that resource is itself replaced: then the change stands,
  and cascades to everything built from it, as in Azure;
- ARM ids compare case-insensitively, locations in Azure's canonical form, secrets by plaintext when both sides
  carry it (a `--show-secrets` export) and otherwise as unchanged (their ciphertexts always differ).
A value unknown until deployment where `before` knows one is a change; on a replace-forcing input it is treated
as a replace, because the plan cannot promise it is not.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, TypeGuard

from amsterdam_cloud.core.regions import normalize_location
from amsterdam_cloud.scripts.delivery.replace_rules import (
    FALLBACK_NAME_INPUTS, base_type, own_name_input, replace_rules_for, stateful_reason)
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.export_format import ROOT_STACK_TYPE, SECRET_SIGNATURE as SECRET_SIG, \
    SECRET_SIGNATURE_KEY as SIG_KEY, UNKNOWN_VALUE as UNKNOWN


ACTIONS = ("create", "update", "replace", "delete")
SYMBOLS = {"create": "+", "update": "~", "replace": "+-", "delete": "-"}
SECRET_SHOWN = "[secret]"
UNKNOWN_SHOWN = "[unknown until deployment]"
SHOW_CHARS = 96
"""Values longer than this (as JSON) are shortened in the text rendering; the JSON keeps them whole."""


@dataclass(frozen=True)
class InputChange:
    """One changed input, by camelCase path (`sku.name`, `ipConfigurations[0].subnet.id`)."""

    path: str
    kind: str
    """`added`, `removed`, `changed`, or `unknown` (a known value becomes unknown until deployment)."""
    before: Any = None
    """The value as shown to people: secrets as `[secret]`, unknowns as `[unknown until deployment]`."""
    after: Any = None

    def describe(self) -> str:
        if self.kind == "added":
            return f"{self.path}: (unset) → {_show(self.after)}"
        if self.kind == "removed":
            return f"{self.path}: {_show(self.before)} → (unset)"
        return f"{self.path}: {_show(self.before)} → {_show(self.after)}"


@dataclass(frozen=True)
class ResourceChange:
    """What happens to one resource."""

    urn: str
    type: str
    name: str
    action: str
    """create, update, replace or delete."""
    changes: tuple[InputChange, ...] = ()
    replace_reasons: tuple[str, ...] = ()
    """Why it is a replace: the input, its change, and why Azure cannot make it in place."""
    stateful: str | None = None
    """What the resource holds (`blobs, files, queues and tables`); None for resources without data."""
    retained: bool = False
    """`retainOnDelete`: a delete leaves the resource in Azure."""
    notes: tuple[str, ...] = ()

    @property
    def changed_paths(self) -> tuple[str, ...]:
        return tuple(change.path for change in self.changes)

    @property
    def data_loss(self) -> bool:
        """Deleting or replacing a stateful resource (a retained delete keeps it, so loses nothing)."""
        if self.stateful is None:
            return False
        return self.action == "replace" or (self.action == "delete" and not self.retained)

    def as_dict(self) -> dict[str, Any]:
        return {"urn": self.urn, "type": self.type, "name": self.name, "action": self.action,
                "dataLoss": self.data_loss, "stateful": self.stateful, "retained": self.retained,
                "replaceReasons": list(self.replace_reasons), "notes": list(self.notes),
                "changes": [{"path": c.path, "kind": c.kind, "before": c.before, "after": c.after}
                            for c in self.changes]}


@dataclass(frozen=True)
class PlanDiff:
    """Every resource that changes, in the order the plan has them (deletes last), and how many do not."""

    resources: tuple[ResourceChange, ...]
    unchanged: int = 0
    before_source: str = ""
    after_source: str = ""

    @property
    def data_loss(self) -> tuple[ResourceChange, ...]:
        """Stateful resources that would be deleted or replaced: the first thing anyone should read."""
        return tuple(r for r in self.resources if r.data_loss)

    def with_action(self, action: str) -> tuple[ResourceChange, ...]:
        return tuple(r for r in self.resources if r.action == action)

    def counts(self) -> dict[str, int]:
        return {action: len(self.with_action(action)) for action in ACTIONS}

    def get(self, urn: str) -> ResourceChange | None:
        for resource in self.resources:
            if resource.urn == urn:
                return resource
        return None

    @property
    def has_changes(self) -> bool:
        return bool(self.resources)

    def as_dict(self) -> dict[str, Any]:
        return {"before": self.before_source, "after": self.after_source,
                "summary": {**self.counts(), "unchanged": self.unchanged, "dataLoss": len(self.data_loss)},
                "dataLoss": [r.urn for r in self.data_loss],
                "resources": [r.as_dict() for r in self.resources]}


# ---------------------------------------------------------------------------------------------------------------
# Diffing

def diff_exports(before: Mapping[str, Any], after: Mapping[str, Any], *, before_source: str = "before",
                 after_source: str = "after") -> PlanDiff:
    """What deploying `after` does to `before`; both in the shape of `pulumi stack export` (version 3)."""
    old = _managed_resources(before, before_source)
    new = _managed_resources(after, after_source)
    translation = _Translation()
    changes: list[ResourceChange] = []
    unchanged = 0
    for urn, entry in new.items():
        previous = old.get(urn)
        if previous is None:
            changes.append(_created(urn, entry))
            continue
        change = _compared(urn, previous, entry, translation)
        if change is None:
            unchanged += 1
        else:
            changes.append(change)
        if change is None or change.action == "update":
            translation.learn(previous, entry)
    for urn, entry in old.items():
        if urn not in new:
            changes.append(_deleted(urn, entry))
    return PlanDiff(resources=tuple(_with_rename_hints(changes, old, new)), unchanged=unchanged,
                    before_source=before_source, after_source=after_source)


def _managed_resources(document: Mapping[str, Any], source: str) -> dict[str, dict[str, Any]]:
    """The resources Pulumi manages, by URN: no root stack, no providers, no reads, no pending deletes."""
    deployment = document.get("deployment") if isinstance(document, Mapping) else None
    resources = deployment.get("resources") if isinstance(deployment, Mapping) else None
    if resources is None and isinstance(deployment, Mapping):
        resources = []
    if not isinstance(resources, list):
        raise UserError(f"{source}: deployment.resources: missing; expected `pulumi stack export` output "
                        "(version 3) or a plan written by `cityctl plan`")
    managed: dict[str, dict[str, Any]] = {}
    for index, entry in enumerate(resources):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("urn"), str) \
                or not isinstance(entry.get("type"), str):
            raise UserError(f"{source}: deployment.resources[{index}]: expected an object with a urn and a type")
        type_ = entry["type"]
        if (type_ == ROOT_STACK_TYPE or type_.startswith("pulumi:providers:") or entry.get("external")
                or entry.get("delete") or entry["urn"] in managed):
            continue
        managed[entry["urn"]] = dict(entry)
    return managed


def _logical_name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _created(urn: str, entry: Mapping[str, Any]) -> ResourceChange:
    return ResourceChange(urn=urn, type=entry["type"], name=_logical_name(urn), action="create",
                          stateful=stateful_reason(entry["type"]) if entry.get("custom", True) else None)


def _deleted(urn: str, entry: Mapping[str, Any]) -> ResourceChange:
    notes = []
    if entry.get("protect"):
        notes.append("protected: `pulumi up` stops until `protect` is removed from it")
    retained = bool(entry.get("retainOnDelete"))
    if retained:
        notes.append("retainOnDelete: Pulumi forgets it, the resource stays in Azure")
    return ResourceChange(urn=urn, type=entry["type"], name=_logical_name(urn), action="delete",
                          stateful=stateful_reason(entry["type"]) if entry.get("custom", True) else None,
                          retained=retained, notes=tuple(notes))


def _compared(urn: str, previous: Mapping[str, Any], entry: Mapping[str, Any],
              translation: "_Translation") -> ResourceChange | None:
    type_ = entry["type"]
    old_inputs = _inputs(previous)
    new_inputs = translation.apply(_inputs(entry))
    notes: list[str] = []
    own_name = own_name_input(type_)
    keeps = ("location", own_name) if own_name else ("location", *FALLBACK_NAME_INPUTS[1:])
    for key in keeps:
        if key in old_inputs and key not in new_inputs:
            new_inputs[key] = old_inputs[key]  # auto-named / defaulted: Pulumi keeps the current value
            if key != "location":
                notes.append(f"auto-named: keeps its current name {_show(_shown(old_inputs[key]))}")
    found: list[InputChange] = []
    _walk(old_inputs, new_inputs, "", found)
    ignored = [_segments(path) for path in entry.get("ignoreChanges") or ()]
    found = [c for c in found if not any(_overlaps(_segments(c.path), rule) for rule in ignored)]
    if not found:
        return None
    reasons = _replace_reasons(type_, old_inputs, new_inputs, found, entry.get("replaceOnChanges") or ())
    action = "replace" if reasons else "update"
    if action == "replace":
        if previous.get("protect"):
            notes.append("protected: `pulumi up` stops until `protect` is removed from it")
        if entry.get("deleteBeforeReplace"):
            notes.append("deleteBeforeReplace: the old resource is deleted before the new one exists")
    return ResourceChange(urn=urn, type=type_, name=_logical_name(urn), action=action, changes=tuple(found),
                          replace_reasons=tuple(reasons),
                          stateful=stateful_reason(type_) if entry.get("custom", True) else None,
                          notes=tuple(notes))


def _inputs(entry: Mapping[str, Any]) -> dict[str, Any]:
    inputs = entry.get("inputs") or {}
    return {key: value for key, value in inputs.items() if not key.startswith("__")}


def _replace_reasons(type_: str, old_inputs: Mapping[str, Any], new_inputs: Mapping[str, Any],
                     found: list[InputChange], replace_on_changes: Iterable[str]) -> list[str]:
    reasons: list[str] = []
    for rule in replace_rules_for(type_):
        rule_path = _segments(rule.path)
        hits = [c for c in found if _overlaps(_segments(c.path), rule_path)]
        if not hits:
            continue
        uncertain = any(c.kind == "unknown" for c in hits)
        if rule.forces is not None and not uncertain and not rule.forces(old_inputs, new_inputs):
            continue
        hit = hits[0]
        suffix = " (the plan cannot tell the new value, so it may be recreated)" if uncertain else ""
        reasons.append(f"{hit.describe()}: {rule.why}{suffix}")
    for option_path in replace_on_changes:
        hits = [c for c in found if _overlaps(_segments(c.path), _segments(option_path))]
        if hits:
            reasons.append(f"{hits[0].describe()}: listed in the resource's replaceOnChanges option")
    return reasons


# ---------------------------------------------------------------------------------------------------------------
# Values

def _is_secret(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get(SIG_KEY) == SECRET_SIG


def _plaintext(value: Mapping[str, Any]) -> Any:
    if "plaintext" in value:
        return value["plaintext"]
    return value.get("value", _NO_PLAINTEXT)


_NO_PLAINTEXT = object()
_ARM_ID = re.compile(r"^/subscriptions/", re.IGNORECASE)


def _same(key: str, before: Any, after: Any) -> bool:
    if before == after:
        return True
    if _is_secret(before) and _is_secret(after):
        old, new = _plaintext(before), _plaintext(after)
        return old is _NO_PLAINTEXT or new is _NO_PLAINTEXT or old == new
    if isinstance(before, str) and isinstance(after, str) and UNKNOWN not in (before, after):
        if _ARM_ID.match(before) and _ARM_ID.match(after):
            return before.rstrip("/").lower() == after.rstrip("/").lower()
        if key == "location":
            return normalize_location(before) == normalize_location(after)
    return False


def _secret_shaped(value: Any) -> bool:
    """A secret, or a mapping shaped like one whose signature was damaged (a hand-edited or corrupt export): shown
    as a secret all the same, since its plaintext is one."""
    return _is_secret(value) or (isinstance(value, Mapping) and ("plaintext" in value or "ciphertext" in value))


def _shown(value: Any) -> Any:
    """A value as it may be shown and written: no secret ever, unknowns named."""
    if _secret_shaped(value):
        return SECRET_SHOWN
    if value == UNKNOWN:
        return UNKNOWN_SHOWN
    if isinstance(value, Mapping):
        return {key: _shown(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shown(item) for item in value]
    return value


def _show(value: Any) -> str:
    text = value if value in (SECRET_SHOWN, UNKNOWN_SHOWN) else json.dumps(value, ensure_ascii=False,
                                                                           sort_keys=True)
    return text if len(text) <= SHOW_CHARS else text[:SHOW_CHARS - 1] + "…"


def _walk(before: Any, after: Any, path: str, found: list[InputChange]) -> None:
    key = path.rsplit(".", 1)[-1]
    if _same(key, before, after):
        return
    plain = not _is_secret(before) and not _is_secret(after)
    if plain and isinstance(before, Mapping) and isinstance(after, Mapping):
        for name in [*before, *(k for k in after if k not in before)]:
            sub = f"{path}.{name}" if path else name
            if name not in after:
                found.append(InputChange(sub, "removed", before=_shown(before[name])))
            elif name not in before:
                found.append(InputChange(sub, "added", after=_shown(after[name])))
            else:
                _walk(before[name], after[name], sub, found)
        return
    if plain and isinstance(before, list) and isinstance(after, list):
        for index in range(max(len(before), len(after))):
            sub = f"{path}[{index}]"
            if index >= len(after):
                found.append(InputChange(sub, "removed", before=_shown(before[index])))
            elif index >= len(before):
                found.append(InputChange(sub, "added", after=_shown(after[index])))
            else:
                _walk(before[index], after[index], sub, found)
        return
    kind = "unknown" if after == UNKNOWN else "changed"
    found.append(InputChange(path, kind, before=_shown(before), after=_shown(after)))


_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\*|\d+)\]")


def _segments(path: str) -> tuple[str, ...]:
    """`ipConfigurations[0].subnet.id` -> ("ipConfigurations", "[0]", "subnet", "id")."""
    return tuple(name if name else f"[{index}]" for name, index in _SEGMENT.findall(path))


def _overlaps(changed: tuple[str, ...], rule: tuple[str, ...]) -> bool:
    """True when one path lies inside the other (a change to `sku` touches `sku.name`, and the other way round)."""
    for left, right in zip(changed, rule, strict=False):
        if left != right and "[*]" not in (left, right):
            return False
    return True


class _Translation:
    """Maps what the offline mocks computed for a kept resource (its name, its ARM id) to the real values."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.ids: dict[str, str] = {}

    def learn(self, before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
        old_id, new_id = before.get("id"), after.get("id")
        if _usable(old_id) and _usable(new_id) and old_id.lower() != new_id.lower():
            self.ids[new_id.rstrip("/").lower()] = old_id.rstrip("/")
        old_name = (before.get("outputs") or {}).get("name")
        new_name = (after.get("outputs") or {}).get("name")
        if _usable(old_name) and _usable(new_name) and old_name != new_name:
            self.names[new_name] = old_name

    def apply(self, value: Any) -> Any:
        if not self.names and not self.ids:
            return value
        if isinstance(value, str):
            return self._string(value)
        if isinstance(value, Mapping) and not _is_secret(value):
            return {key: self.apply(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.apply(item) for item in value]
        return value

    def _string(self, text: str) -> str:
        if text in self.names:
            return self.names[text]
        if self.ids and _ARM_ID.match(text):
            lowered = text.lower()
            cuts = [index for index, char in enumerate(lowered) if char == "/"][1:] + [len(lowered)]
            for cut in reversed(cuts):
                real = self.ids.get(lowered[:cut])
                if real is not None:
                    return real + text[cut:]
        return text


def _usable(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value) and value != UNKNOWN


def _with_rename_hints(changes: list[ResourceChange], old: Mapping[str, Any],
                       new: Mapping[str, Any]) -> list[ResourceChange]:
    """A delete and a create of the same Azure id: the URN changed (a logical rename or a new parent)."""
    created_by_id = {}
    for change in changes:
        if change.action == "create" and _usable(new[change.urn].get("id")):
            created_by_id[(base_type(change.type), new[change.urn]["id"].lower())] = change.urn
    hints: dict[str, str] = {}
    for change in changes:
        if change.action != "delete" or not _usable(old[change.urn].get("id")):
            continue
        twin = created_by_id.get((base_type(change.type), old[change.urn]["id"].lower()))
        if twin:
            hints[change.urn] = f"same Azure id as the new {twin}: its URN changed; add an alias " \
                                f"(`pulumi.Alias(name=...)` or `parent=...`) so Pulumi keeps the resource"
            hints[twin] = f"same Azure id as the deleted {change.urn}: add an alias to keep the existing resource"
    if not hints:
        return changes
    return [ResourceChange(**{**c.__dict__, "notes": (*c.notes, hints[c.urn])}) if c.urn in hints else c
            for c in changes]


# ---------------------------------------------------------------------------------------------------------------
# The real preview's steps

_REPLACE_OPS = frozenset({"replace", "create-replacement", "delete-replaced"})
_ACTION_OF_OP = {"create": "create", "update": "update", "delete": "delete"}


@dataclass(frozen=True)
class PreviewStep:
    """One step of a real `pulumi preview` (an engine event's step metadata), as the gate needs it."""

    op: str
    """The engine's operation: create, update, delete, replace, create-replacement, delete-replaced, same, ..."""
    urn: str
    type: str
    diffs: tuple[str, ...] = ()
    """The changed top-level inputs."""
    replace_keys: tuple[str, ...] = ()
    """The inputs the provider says force the replacement."""
    retain_on_delete: bool = False


def diff_from_preview(steps: Iterable[PreviewStep], *, source: str = "pulumi preview") -> PlanDiff:
    """The changes a real preview reports, in the diff's terms: the provider's own verdict on what is replaced."""
    by_urn: dict[str, list[PreviewStep]] = {}
    for step in steps:
        by_urn.setdefault(step.urn, []).append(step)
    changes: list[ResourceChange] = []
    unchanged = 0
    for urn, group in by_urn.items():
        ops = {step.op for step in group}
        action = "replace" if ops & _REPLACE_OPS else next((_ACTION_OF_OP[op] for op in ops if op in _ACTION_OF_OP),
                                                           None)
        if action is None:
            unchanged += 1
            continue
        first = group[0]
        keys = sorted({key for step in group for key in step.replace_keys})
        reasons = (f"the provider replaces it for {', '.join(keys) or 'a change it cannot make in place'}",) \
            if action == "replace" else ()
        changes.append(ResourceChange(
            urn=urn, type=first.type, name=_logical_name(urn), action=action,
            changes=tuple(InputChange(path, "changed") for path in sorted({d for step in group for d in step.diffs})),
            replace_reasons=reasons, stateful=stateful_reason(first.type),
            retained=action == "delete" and any(step.retain_on_delete for step in group)))
    return PlanDiff(resources=tuple(changes), unchanged=unchanged, before_source="current state",
                    after_source=source)


# ---------------------------------------------------------------------------------------------------------------
# Rendering

def render_text(diff: PlanDiff) -> str:
    """For people: the counts, then possible data loss, then every change with its inputs."""
    lines = [_summary_line(diff)]
    if diff.data_loss:
        lines.append(f"!! POSSIBLE DATA LOSS: {len(diff.data_loss)} stateful resource(s) would be deleted or "
                     "replaced")
        for resource in diff.data_loss:
            lines.append(f"   {SYMBOLS[resource.action]:<2} {resource.action:<8} {resource.type}  {resource.name}")
            lines.append(f"        loses: {resource.stateful}")
            for reason in resource.replace_reasons:
                lines.append(f"        why:   {reason}")
            for note in resource.notes:
                lines.append(f"        note:  {note}")
            lines.append(f"        urn:   {resource.urn}")
    if diff.resources:
        lines.append("Changes:")
    for resource in diff.resources:
        flag = "  !! data loss" if resource.data_loss else ""
        lines.append(f"   {SYMBOLS[resource.action]:<2} {resource.action:<8} {resource.type}  {resource.name}{flag}")
        if resource.action == "replace":
            for reason in resource.replace_reasons:
                lines.append(f"        forces replacement: {reason}")
        for change in resource.changes:
            lines.append(f"        {change.describe()}")
        for note in resource.notes:
            lines.append(f"        note: {note}")
    return "\n".join(lines) + "\n"


def render_markdown(diff: PlanDiff, title: str = "Plan diff") -> str:
    """For a pull request or pipeline summary: data loss first, then a table of changes."""
    lines = [f"### {title}", "", _summary_line(diff), ""]
    if diff.data_loss:
        lines += ["> [!CAUTION]", f"> **Possible data loss**: {len(diff.data_loss)} stateful resource(s) would "
                                   "be deleted or replaced. In acc and prod `cityctl deploy` refuses this unless "
                                   "a `plan-data-loss` waiver covers the resource.", ""]
        lines += ["| Action | Type | Name | Loses | Why |", "|---|---|---|---|---|"]
        for resource in diff.data_loss:
            why = "; ".join(resource.replace_reasons) or "deleted"
            lines.append(f"| {resource.action} | `{resource.type}` | `{resource.name}` | {resource.stateful} | "
                         f"{_cell(why)} |")
        lines.append("")
    if diff.resources:
        lines += ["| Action | Type | Name | Changed inputs |", "|---|---|---|---|"]
        for resource in diff.resources:
            paths = ", ".join(f"`{p}`" for p in resource.changed_paths[:8])
            more = f" and {len(resource.changed_paths) - 8} more" if len(resource.changed_paths) > 8 else ""
            lines.append(f"| {SYMBOLS[resource.action]} {resource.action} | `{resource.type}` | `{resource.name}` | "
                         f"{_cell(paths + more)} |")
    return "\n".join(lines) + "\n"


def to_json(diff: PlanDiff) -> str:
    """For machines: the whole diff as JSON text (no secret values, unknowns named)."""
    return json.dumps(diff.as_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _summary_line(diff: PlanDiff) -> str:
    counts = diff.counts()
    parts = [f"{counts[action]} to {action}" for action in ACTIONS if counts[action]]
    parts.append(f"{diff.unchanged} unchanged")
    return f"Plan diff {diff.before_source} → {diff.after_source}: {', '.join(parts)}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
