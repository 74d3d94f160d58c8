"""The rule model every policy shares: a resource as a rule sees it, a rule's metadata, and value helpers.

A resource rule is a pure function over a resource's type and its camelCase inputs (what the CLI sends `Analyze`);
a stack rule judges every resource's outputs (what the CLI sends `AnalyzeStack`). The same rule objects run in the offline checker (`checker.py`) and inside
CrossGuard (`crossguard.py`), so both report the same findings.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from collections.abc import Mapping
from typing import Any, Callable, Final, Iterable, Iterator, Sequence

from amsterdam_cloud.core.export_format import SECRET_SIGNATURE, SECRET_SIGNATURE_KEY, UNKNOWN_VALUE

# The Pulumi engine's sentinels for values not known during preview. An offline plan and `pulumi stack export`
# only ever carry the string one; pulumi-policy knows the others too.
UNKNOWN_SENTINELS: frozenset[str] = frozenset({
    UNKNOWN_VALUE,  # string (the one the engine writes into plans)
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
    "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
    "e48ece36-62e2-4504-bad9-02848725956a",  # archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
})


class Severity(str, Enum):
    """How bad a violation is; the order is the order reports use."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}


class Unknown(Enum):
    """A value that is not known until the resource exists (the engine's unknown sentinel). One enum member, so
    the type checker narrows `value is UNKNOWN` (and a copy in another process is still the one sentinel)."""

    UNKNOWN = "unknown"

    def __repr__(self) -> str:
        return "<unknown>"

    __str__ = __repr__

    def __bool__(self) -> bool:  # never let an unknown pass a truthiness test by accident
        raise UnknownValueError("an unknown value has no truth value; compare it with `is UNKNOWN`")


class UnknownValueError(TypeError):
    """A rule tested an unknown value as if it were known: `judge` reports it through `Reporter.unknown`."""


UNKNOWN: Final = Unknown.UNKNOWN


class Secret:
    """A secret value without its plaintext (an offline plan only carries ciphertext)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<secret>"


SECRET = Secret()


SECRET_SHOWN = "[secret]"
"""What a message shows where a secret's plaintext would have been."""


class SecretText(str):
    """The plaintext of a secret (from `pulumi stack export --show-secrets`): compares and tests like the text, so
    rules judge it, but a message shows it as SECRET_SHOWN (`{value}`, `{value!r}`, `describe`), and the text a
    rule derives from it (lower, strip, replace, slices, `+`, `secret_like`) stays a SecretText."""

    __slots__ = ()

    def __repr__(self) -> str:
        return SECRET_SHOWN

    def __format__(self, spec: str) -> str:
        return SECRET_SHOWN

    def __getitem__(self, index: Any) -> "SecretText":
        return SecretText(str.__getitem__(self, index))

    def __add__(self, other: str) -> "SecretText":
        return SecretText(str.__add__(self, other))

    def __radd__(self, other: str) -> "SecretText":
        return SecretText(str.__add__(other, self))

    def __iter__(self) -> Iterator["SecretText"]:
        return (SecretText(char) for char in str.__iter__(self))

    def split(self, *args: Any, **kwargs: Any) -> list["SecretText"]:  # type: ignore[override]
        return [SecretText(part) for part in str.split(self, *args, **kwargs)]

    def rsplit(self, *args: Any, **kwargs: Any) -> list["SecretText"]:  # type: ignore[override]
        return [SecretText(part) for part in str.rsplit(self, *args, **kwargs)]


def _derived(name: str) -> Callable[..., SecretText]:
    method = getattr(str, name)

    def derive(self: SecretText, *args: Any, **kwargs: Any) -> SecretText:
        return SecretText(method(self, *args, **kwargs))

    derive.__name__ = name
    return derive


for _name in ("lower", "upper", "casefold", "title", "capitalize", "swapcase", "strip", "lstrip", "rstrip",
              "replace", "removeprefix", "removesuffix", "zfill", "center", "ljust", "rjust", "expandtabs"):
    setattr(SecretText, _name, _derived(_name))


def secret_like(source: Any, text: str) -> str:
    """`text` derived from `source`: a SecretText when the source is one, so no derived form prints a secret."""
    return SecretText(text) if isinstance(source, SecretText) else text


def _as_secret(value: Any) -> Any:
    """A secret's plaintext with every text inside it a SecretText (keys stay plain: they are its shape)."""
    if isinstance(value, str):
        return SecretText(value)
    if isinstance(value, dict):
        return {key: _as_secret(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_secret(item) for item in value]
    return value

_SEEN_SECRETS: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("seen_secrets", default=None)


@contextmanager
def secrets_redacted() -> Iterator[Callable[[str], str]]:
    """Collect every secret plaintext the rules see in this block; yields `redact(message)`, which replaces
    each of them (as text) with SECRET_SHOWN, so a rule that formats a value can never print a secret."""
    seen: set[str] = set()
    token = _SEEN_SECRETS.set(seen)

    def redact(message: str) -> str:
        if not seen:  # the common case: no rule saw a secret's plaintext
            return message
        for text in sorted(seen, key=len, reverse=True):
            message = message.replace(text, SECRET_SHOWN)
        return message

    redact.seen = seen  # type: ignore[attr-defined]  # empty: redact changes nothing (the checker skips it)

    try:
        yield redact
    finally:
        _SEEN_SECRETS.reset(token)


def _remember_secret(value: Any, plaintext: Any = None) -> None:
    """Note the texts a secret's plaintext may be printed as (its JSON form and every scalar inside it)."""
    seen = _SEEN_SECRETS.get()
    if seen is None:
        return
    pending = [value, plaintext]
    while pending:
        item = pending.pop()
        if isinstance(item, Mapping):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
        elif isinstance(item, str):
            if item:
                seen.update((item, repr(item)))
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            seen.update((str(item), repr(item)))


def unwrap(value: Any) -> Any:
    """One value as a rule should see it: unknown sentinels become UNKNOWN, secrets their plaintext or SECRET."""
    kind = type(value)
    if kind is str:
        return UNKNOWN if value in UNKNOWN_SENTINELS else value
    if kind is not dict:
        if isinstance(value, str):  # a str subclass (enum values of the SDK)
            return UNKNOWN if value in UNKNOWN_SENTINELS else value
        return value
    if value.get(SECRET_SIGNATURE_KEY) == SECRET_SIGNATURE:
        if "plaintext" in value:
            plaintext = value["plaintext"]
            if isinstance(plaintext, str):
                try:  # `pulumi stack export --show-secrets` stores the JSON encoding of the value
                    import json
                    result = unwrap(json.loads(plaintext))
                except (ValueError, RecursionError):
                    result = plaintext
            else:
                result = unwrap(plaintext)
            _remember_secret(result, plaintext)
            return _as_secret(result)
        if "value" in value:  # the SDK's own in-memory form
            result = unwrap(value["value"])
            _remember_secret(result, value["value"])
            return _as_secret(result)
        return SECRET
    return value


_MISSING = object()
_PATHS: dict[str, tuple[str, ...]] = {}


def get(props: Mapping[str, Any] | Any, path: str, default: Any = None) -> Any:
    """The value at a dotted camelCase path (`"siteConfig.minTlsVersion"`), unwrapped; `default` when unset.

    A path through an unknown value is UNKNOWN (we cannot tell); through a non-object it is `default`
    (junk is the caller's to judge at the leaf).
    """
    parts = _PATHS.get(path)
    if parts is None:
        parts = _PATHS[path] = tuple(path.split("."))
    current: Any = props
    for part in parts:
        if type(current) is dict:
            value = current.get(part, _MISSING)
            if value is _MISSING and SECRET_SIGNATURE_KEY in current:  # a whole object kept as a secret
                current = unwrap(current)
                if not isinstance(current, Mapping):
                    return default
                value = current.get(part, _MISSING)
        else:
            current = unwrap(current)
            if current is UNKNOWN:
                return UNKNOWN
            if not isinstance(current, Mapping):
                return default
            value = current.get(part, _MISSING)
        if value is _MISSING or value is None:
            return default
        current = value
    kind = type(current)  # `unwrap` inlined for the values most paths end at (a call per read at 100,000 resources)
    if kind is str:
        return UNKNOWN if current in UNKNOWN_SENTINELS else current
    if kind is bool or kind is int or kind is float or kind is list:
        return current
    return unwrap(current)


def as_bool(value: Any) -> bool | None | Unknown:
    """A boolean input: True/False, UNKNOWN, or None for junk (a string where a boolean belongs)."""
    if value is UNKNOWN or isinstance(value, bool):
        return value
    return None


def as_list(value: Any) -> list[Any] | Unknown:
    """A list input; a missing list is empty, junk is treated as empty so per-item rules see nothing to trust."""
    value = unwrap(value)
    if value is UNKNOWN:
        return UNKNOWN
    if isinstance(value, (list, tuple)):
        return [unwrap(item) for item in value]
    return []


def equals_ci(value: Any, *expected: str) -> bool:
    """True when `value` is a string equal, ignoring case, to one of `expected`."""
    return isinstance(value, str) and value.lower() in {e.lower() for e in expected}


def describe(value: Any) -> str:
    """A value as a message shows it."""
    if value is UNKNOWN:
        return "unknown until deployment"
    if value is SECRET:
        return "a secret"
    return repr(value)  # a SecretText shows as SECRET_SHOWN


def base_type(token: str) -> str:
    """The unversioned type token: `azure-native:storage/v20230101:StorageAccount` is `azure-native:storage:StorageAccount`."""
    parts = token.split(":")
    if len(parts) == 3 and "/" in parts[1]:
        parts[1] = parts[1].split("/", 1)[0]
        return ":".join(parts)
    return token


def stack_of(urn: str) -> str:
    """The stack name inside a URN (`urn:pulumi:<stack>::<project>::...`)."""
    if urn.startswith("urn:pulumi:"):
        return urn[len("urn:pulumi:"):].split("::", 1)[0]
    return ""


def project_of(urn: str) -> str:
    """The project name inside a URN (`urn:pulumi:<stack>::<project>::...`)."""
    parts = urn.split("::", 2)
    return parts[1] if len(parts) > 2 and urn.startswith("urn:pulumi:") else ""


def type_chain(urn: str) -> tuple[str, ...]:
    """The parent type chain of a URN, outermost first, the resource's own type last."""
    parts = urn.split("::")
    if len(parts) < 4:
        return ()
    return tuple(parts[2].split("$"))


@dataclass(slots=True, eq=False)
class Resource:
    """One resource as a rule sees it: its unversioned type, its camelCase inputs, and its place in the stack."""

    urn: str
    type: str
    props: Mapping[str, Any]
    name: str = ""
    protect: bool = False
    parent: str | None = None
    dependencies: Sequence[str] = ()
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    id: str | None = None
    """The ARM id: the export's `id`, or the `id` output; None while unknown (a new resource in a real preview)."""
    outputs: Mapping[str, Any] | None = None
    """The resource's outputs (what the provider returned), where the source has them; None otherwise."""
    source_position: str = ""
    """Where the program declared it (the export's `sourcePosition`, `project:///stacks/__main__.py#42`)."""
    provider_subscription: str | None = None
    """The subscription its provider deploys to (an explicit provider's `subscriptionId`, or the default provider's
    from the stack config's `azure-native:subscriptionId`); None where the provider names none."""

    def with_outputs(self) -> "Resource":
        """The resource as a stack rule sees it under the CLI (`AnalyzeStack`): its outputs as props."""
        return Resource(self.urn, self.type, self.outputs or {}, self.name, self.protect, self.parent,
                        self.dependencies, self.property_dependencies, self.id, None, self.source_position,
                        self.provider_subscription)

    def get(self, path: str, default: Any = None) -> Any:
        return get(self.props, path, default)

    def tag(self, name: str) -> Any:
        """One tag's value, unwrapped; None when the resource has no such tag or its tags are not a mapping."""
        tags = self.props.get("tags")
        if type(tags) is not dict:
            tags = unwrap(tags)
            if not isinstance(tags, Mapping):
                return None
        value = tags.get(name)
        if type(value) is str:  # `unwrap` inlined for the common case
            return UNKNOWN if value in UNKNOWN_SENTINELS else value
        return unwrap(value)


class StackView(list):  # type: ignore[type-arg]
    """The resources a stack rule judges (as `AnalyzeStack` sends them: each one's outputs), with a place for what
    several stack rules derive from them (`links.index`), so it is built once per check, not once per rule."""

    __slots__ = ("shared", "_by_type", "_selections")

    def __init__(self, resources: Iterable[Resource] = ()) -> None:
        super().__init__(resources)
        self.shared: dict[str, Any] = {}
        self._by_type: dict[str, list[Resource]] | None = None
        self._selections: dict[frozenset[str], list[Resource]] = {}

    def of_types(self, types: Iterable[str]) -> list[Resource]:
        """The resources of `types` in the stack's order, from a per-type index built once per check (a rule of a
        few types does not scan 100,000 resources twice). The list is shared: read it, never change it."""
        key = types if isinstance(types, frozenset) else frozenset(types)
        selected = self._selections.get(key)
        if selected is None:
            if self._by_type is None:
                self._by_type = {}
                for resource in self:
                    self._by_type.setdefault(resource.type, []).append(resource)
            present = [token for token in key if token in self._by_type]
            selected = self._by_type[present[0]] if len(present) == 1 else \
                [resource for resource in self if resource.type in key] if present else []
            self._selections[key] = selected
        return selected


def of_types(resources: Sequence[Resource], types: Iterable[str]) -> Sequence[Resource]:
    """The resources of `types`, in their order: a stack rule's loop over only the types it judges (from the
    `StackView` index under the checker, by one pass over any other sequence)."""
    if isinstance(resources, StackView):
        return resources.of_types(types)
    wanted = types if isinstance(types, (set, frozenset, dict)) else set(types)
    return [resource for resource in resources if resource.type in wanted]


UNKNOWN_PHRASE = "is unknown until deployment"
"""What every message of `Reporter.unknown` says (the tests tell such messages from the rules' own by it)."""


class Reporter:
    """What a rule reports through: `report(message)` (a stack rule adds the URN at fault) for a violation, and
    `report.unknown(what, fix)` for a value the rule needs but the plan does not know yet. That call is the pack's
    one unknown mechanism: where unknowns count (acc, prod: `strict`) it is a violation, because the resource cannot
    be shown compliant; in dev and test it is a note, and the resource passes."""

    __slots__ = ("strict", "violations", "notes", "skipped", "dirty")

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.dirty = False
        """True once the rule reported anything since the last `clear` (a flag: the checker tests it per check)."""
        self.violations: list[tuple[str, str]] = []
        """(message, URN at fault; "" for the resource a resource rule judges)."""
        self.notes: list[tuple[str, str]] = []
        """Unknown values passed over outside acc and prod, in the same form."""
        self.skipped: list[tuple[str, str]] = []
        """(reason, URN) of resources the rule judged out of its scope (reported apart from pass)."""

    def __call__(self, message: str, urn: str = "") -> None:
        self.violations.append((message, urn))
        self.dirty = True

    def unknown(self, what: str, fix: str, urn: str = "") -> None:
        """`what` (a property path, or a description of the value) is unknown until deployment; `fix` the remedy."""
        message = f"{what} {UNKNOWN_PHRASE}, so it cannot be shown compliant; {fix}"
        (self.violations if self.strict else self.notes).append((message, urn))
        self.dirty = True

    def unhandled_unknown(self, rule: "RuleMetadata") -> None:
        """A rule tested an unknown as if it were known (`UnknownValueError`): the same mechanism, in its words."""
        self.unknown("a value it reads", rule.remediation[:1].lower() + rule.remediation[1:].rstrip("."))

    def skip(self, reason: str, urn: str = "") -> None:
        """The rule does not apply to this resource (an exemption it checked), so it neither passes nor fails."""
        self.skipped.append((reason, urn))
        self.dirty = True

    def clear(self) -> None:
        self.violations.clear()
        self.notes.clear()
        self.skipped.clear()
        self.dirty = False


Report = Reporter
"""A resource rule calls it once per violation with a message that says what, where and what to do."""

StackReport = Reporter
"""A stack rule calls it with the message and the URN of the resource at fault."""


@dataclass(frozen=True, kw_only=True)
class RuleMetadata:
    """What every rule carries beside its check: what auditors, reports and CrossGuard read."""

    id: str
    """Stable id; also the CrossGuard policy name and the SARIF rule id. Never reuse one."""
    title: str
    severity: Severity
    controls: tuple[str, ...]
    """BIO controls (`BIO 13.1.1`) and CIS Microsoft Azure Foundations recommendations (`CIS 3.1`) it serves."""
    remediation: str
    applies_to: tuple[str, ...] | None = None
    """Unversioned type tokens the rule judges; None for every resource."""
    settings: tuple[str, ...] = ()
    """The pack config properties the rule reads (see `settings.py`); CrossGuard offers exactly these."""
    defaults_source: str = ""
    """Where the Azure default assumed for an unset property was looked up, with its API version."""

    def __post_init__(self) -> None:
        # every rule reads the environment: the one unknown mechanism (`Reporter.unknown`) judges by it
        if "environment" not in self.settings:
            object.__setattr__(self, "settings", ("environment", *self.settings))

    @property
    def bio_controls(self) -> tuple[str, ...]:
        return tuple(c for c in self.controls if c.startswith("BIO "))

    @property
    def cis_controls(self) -> tuple[str, ...]:
        return tuple(c for c in self.controls if c.startswith("CIS "))


@dataclass(frozen=True, kw_only=True)
class Rule(RuleMetadata):
    """One resource rule: metadata beside a pure check over one resource."""

    check: Callable[[Resource, Report, Any], None]
    """check(resource, report, settings); settings is the rule's `Settings` from the pack config."""

    kind = "resource"


@dataclass(frozen=True, kw_only=True)
class StackRule(RuleMetadata):
    """One rule over the whole stack (diagnostics, locks): sees every resource at once."""

    check: Callable[[Sequence[Resource], StackReport, Any], None]
    """check(resources, report, settings); reports each violation with the URN at fault."""

    kind = "stack"


AnyRule = Rule | StackRule


def judge(rule: Rule, resource: Resource, settings: Any, reporter: Reporter | None = None) -> Reporter:
    """One resource rule on one resource: its violations and unknown-value notes; a crash is itself reported."""
    reporter = Reporter(settings.strict) if reporter is None else reporter
    try:
        rule.check(resource, reporter, settings)
    except UnknownValueError:  # a rule that did not handle an unknown still goes through the one mechanism
        reporter.unhandled_unknown(rule)
    except Exception as error:  # a rule must never take the checker down; a junk value is a violation
        reporter.clear()
        reporter(f"could not be checked ({type(error).__name__}: {error}); fix the input or report a bug")
    return reporter


def check_stack(rule: StackRule, resources: Sequence[Resource], settings: Any) -> Reporter:
    """One stack rule over the stack's resources (as `AnalyzeStack` sends them); a crash is itself reported."""
    reporter = Reporter(settings.strict)
    try:
        rule.check(resources, reporter, settings)
    except UnknownValueError:
        reporter.unhandled_unknown(rule)
    except Exception as error:
        reporter(f"could not be checked ({type(error).__name__}: {error})")
    return reporter


def run_rule(rule: Rule, resource: Resource, settings: Any) -> list[str]:
    """The violation messages of one resource rule on one resource (`judge`, messages only)."""
    return [message for message, _ in judge(rule, resource, settings).violations]


def resources_of(resources: Iterable[Resource], types: Iterable[str]) -> list[Resource]:
    """The resources whose unversioned type is one of `types`."""
    wanted = set(types)
    return [r for r in resources if r.type in wanted]
