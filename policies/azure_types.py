"""Facts about every azure-native resource type, read from the installed SDK: which take `tags` and `location`.

`azure_types.json` is generated from the installed `pulumi_azure_native` package (each resource's
`@pulumi.type_token`, whether its constructor takes `tags` / `location`, and the Azure REST API version it uses).
Regenerate after upgrading the SDK: `python -m amsterdam_cloud.policies.azure_types`.
"""

from __future__ import annotations

import json
import re
import sys
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "azure_types.json"


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict]:
    """Type token to `{"tags": bool, "location": bool, "api": "YYYY-MM-DD"}`."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))["types"]


@lru_cache(maxsize=1)
def taggable_types() -> frozenset[str]:
    return frozenset(token for token, facts in catalog().items() if facts["tags"])


@lru_cache(maxsize=1)
def located_types() -> frozenset[str]:
    return frozenset(token for token, facts in catalog().items() if facts["location"])


def api_version(token: str) -> str | None:
    facts = catalog().get(token)
    return facts["api"] if facts else None


def generate(package_dir: Path) -> dict:
    """Scan an installed pulumi_azure_native for its resource classes."""
    token_re = re.compile(r'@pulumi\.type_token\("([^"]+)"\)')
    api_re = re.compile(r"Uses Azure REST API version ([0-9a-z-]+)")
    types: dict[str, dict] = {}
    for path in sorted(package_dir.glob("*/*.py")):
        if path.name.startswith(("get_", "list_", "_")) or path.name == "outputs.py":
            continue
        text = path.read_text(encoding="utf-8")
        match = token_re.search(text)
        if not match or "pulumi.CustomResource" not in text:
            continue
        api = api_re.search(text)
        types[match.group(1)] = {"tags": '__props__.__dict__["tags"] = tags' in text,
                                 "location": '__props__.__dict__["location"] = location' in text,
                                 "api": api.group(1) if api else None}
    return types


def main() -> int:
    import importlib.metadata

    import pulumi_azure_native

    package_dir = Path(pulumi_azure_native.__file__).resolve().parent
    document = {"generatedFrom": f"pulumi_azure_native {importlib.metadata.version('pulumi_azure_native')}",
                "types": generate(package_dir)}
    tmp = DATA_FILE.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(document, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(DATA_FILE)
    print(f"{DATA_FILE}: {len(document['types'])} resource types", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
