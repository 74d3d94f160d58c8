"""OpenSSH public key lines in the wire format Azure reads (RFC 4253 section 6.6, RFC 8709), built from fixed bytes
so tests need no key generator: the break-glass key a Linux VM is given."""

from __future__ import annotations

import base64


def _field(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def ed25519_key(comment: str = "breakglass@amsterdam") -> str:
    """An Ed25519 public key line (32 fixed bytes as the key)."""
    blob = _field(b"ssh-ed25519") + _field(bytes(range(1, 33)))
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} {comment}"


def rsa_key(bits: int) -> str:
    """An RSA public key line of `bits` bits (exponent 65537, a modulus with its top bit set)."""
    modulus = b"\0" + b"\xc5" + bytes(bits // 8 - 1)  # mpint: a leading zero keeps it positive
    blob = _field(b"ssh-rsa") + _field((65537).to_bytes(3, "big")) + _field(modulus)
    return f"ssh-rsa {base64.b64encode(blob).decode()}"


BREAK_GLASS_KEY = ed25519_key()
