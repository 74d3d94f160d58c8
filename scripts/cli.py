"""`cityctl`: the city's one command line. Each subcommand lives in `scripts/commands/<name>.py`."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from amsterdam_cloud.scripts import commands
from amsterdam_cloud.scripts.errors import UserError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cityctl",
        description="Plan, check, migrate and deliver the City of Amsterdam's Azure platform.",
        epilog="Human output goes to stderr; machine output (JSON, SARIF, JUnit) to --out/--output or stdout.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; a UserError becomes one clear line on stderr and a non-zero exit."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except UserError as error:
        print(f"cityctl: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("cityctl: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
