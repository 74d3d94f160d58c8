"""The fixed markers of the `pulumi stack export` format (deployment version 3), which an offline plan also writes:
how a secret and a value not known until deployment appear, and the type of the root stack resource. One home, read
by the offline engine, the policy checker, the plan diff, the diagram and the commands."""

from __future__ import annotations

SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d"
"""The key under which the engine marks special values (secrets, resource references, assets)."""
SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270"
"""The value under `SECRET_SIGNATURE_KEY` that makes the object a secret (`ciphertext` or `plaintext` beside it)."""
UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The engine's sentinel for a value not known until the resource exists (a preview's unknown), as plans carry it."""
ROOT_STACK_TYPE = "pulumi:pulumi:Stack"
"""The type of the root resource every other resource of a stack descends from; its outputs are the stack's."""
