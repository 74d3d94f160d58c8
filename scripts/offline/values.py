"""Property values as the engine sees them: protobuf Structs to plain Python, with secrets and unknowns kept apart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from google.protobuf import struct_pb2

from amsterdam_cloud.core.export_format import SECRET_SIGNATURE as SECRET_SIG, SECRET_SIGNATURE_KEY as SIG_KEY, \
    UNKNOWN_VALUE as UNKNOWN

REDACTED_CIPHERTEXT = "offline-plan:redacted"
"""What an offline plan writes where `pulumi stack export` writes ciphertext: the secret itself is never written."""


@dataclass(frozen=True)
class Secret:
    """A value the program marked secret; printed and exported only as a redacted secret."""

    value: Any

    def __repr__(self) -> str:
        return "Secret(***)"


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    """A protobuf Struct (the wire form of inputs and outputs) as plain Python; secrets become `Secret`."""
    return {key: from_value(value) for key, value in struct.fields.items()}


def from_value(value: struct_pb2.Value) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return value.string_value
    if kind == "number_value":
        number = value.number_value
        return int(number) if number.is_integer() else number
    if kind == "bool_value":
        return value.bool_value
    if kind == "struct_value":
        fields = value.struct_value.fields
        signature = fields.get(SIG_KEY)
        if signature is not None and signature.string_value == SECRET_SIG:
            return Secret(from_value(fields["value"]) if "value" in fields else UNKNOWN)
        return from_struct(value.struct_value)
    if kind == "list_value":
        return [from_value(item) for item in value.list_value.values]
    return None


def reveal(value: Any) -> Any:
    """The value with every `Secret` unwrapped: what the mocks (and only they) compute ids and names from."""
    if isinstance(value, Secret):
        return reveal(value.value)
    if isinstance(value, dict):
        return {key: reveal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [reveal(item) for item in value]
    return value


def is_secret_somewhere(value: Any) -> bool:
    if isinstance(value, Secret):
        return True
    if isinstance(value, dict):
        return any(is_secret_somewhere(item) for item in value.values())
    if isinstance(value, list):
        return any(is_secret_somewhere(item) for item in value)
    return False


def to_export(value: Any) -> Any:
    """The value as `pulumi stack export` writes it: secrets as the secret signature with redacted ciphertext."""
    if isinstance(value, Secret):
        return {SIG_KEY: SECRET_SIG, "ciphertext": REDACTED_CIPHERTEXT}
    if isinstance(value, dict):
        return {key: to_export(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_export(item) for item in value]
    return value


def to_wire(value: Any) -> Any:
    """The value as the SDK expects it back from a monitor: each `Secret` (at any depth) as a wire secret."""
    if isinstance(value, Secret):
        return wire_secret(reveal(value.value))
    if isinstance(value, dict):
        return {key: to_wire(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_wire(item) for item in value]
    return value


def wire_secret(value: Any) -> dict[str, Any]:
    """A plain value wrapped so the SDK deserializes it as a secret output."""
    return {SIG_KEY: SECRET_SIG, "value": value}
