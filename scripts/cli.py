"""`cityctl`: the city's one command line. Each subcommand lives in `scripts/commands/<name>.py`."""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import pkgutil
import sys

from amsterdam_cloud.scripts import commands
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.signals import EXIT_INTERRUPTED, interrupt_handlers, was_interrupted

EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: the reader of our output went away (`cityctl policy rules | head -1`); nothing is printed."""
EXIT_FAILED = 1
"""The program failed, a mandatory policy was violated, the gate refused, or the environment (disk, CLI) failed."""
EXIT_BAD_INPUT = 2
"""Bad input: a file, a key or a value the person can fix."""


def package_version() -> str:
    """The installed amsterdam-cloud version (the wheel's, which CI takes from the release tag)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("amsterdam-cloud")
    except PackageNotFoundError:
        return "unknown (not installed; run from a checkout without `pip install`)"


class _VersionAction(argparse.Action):
    """`--version`: the package version, looked up only when asked (importlib.metadata costs start-up time)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)  # type: ignore[arg-type]

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(f"cityctl {package_version()}")
        parser.exit()


def _command_modules(argv: list[str] | None) -> list[str]:
    """The command modules to load: only the one `argv` names (`cityctl policy check` imports nothing of `plan`,
    whose offline engine costs a second of start-up), or all of them for help, a typo or no command."""
    names = sorted(m.name for m in pkgutil.iter_modules(commands.__path__))
    first = next((arg for arg in argv or () if not arg.startswith("-")), None)
    return [first] if first in names else names


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line; given `argv`, only the subcommand it names is loaded (every one for help or a typo)."""
    parser = argparse.ArgumentParser(
        prog="cityctl",
        description="Plan, check, migrate and deliver the City of Amsterdam's Azure platform.",
        epilog="Human output goes to stderr; machine output (JSON, SARIF, JUnit) to --out/--output or stdout. "
               "Exit codes: 0 ok, 1 failed or refused, 2 bad input, 130 interrupted (docs/errors.md).")
    parser.add_argument("--debug", action="store_true",
                        help="on an internal error, print the traceback (also: CITYCTL_DEBUG=1)")
    parser.add_argument("--version", action=_VersionAction,
                        help="print the toolkit's package version (amsterdam-cloud) and exit")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _command_modules(argv):
        importlib.import_module(f"{commands.__name__}.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand behind the one error boundary: every failure is one line on stderr and an exit code."""
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    debug = args.debug or os.environ.get("CITYCTL_DEBUG", "") not in ("", "0")
    with interrupt_handlers():
        try:
            code = int(args.handler(args) or 0)
        except BaseException as error:  # noqa: BLE001  (the boundary: everything becomes one line)
            code = _report(error, debug)
        if was_interrupted() and code != EXIT_INTERRUPTED:
            code = _report(KeyboardInterrupt(), debug)
    return code


def _report(error: BaseException, debug: bool) -> int:
    """Print one line for `error` and return its exit code (see docs/errors.md)."""
    if isinstance(error, SystemExit):
        raise error
    if isinstance(error, BrokenPipeError):
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    if isinstance(error, KeyboardInterrupt) or was_interrupted():
        _say("interrupted; nothing was half-written")
        return EXIT_INTERRUPTED
    if isinstance(error, UserError):
        _say(f"error: {error}")
        return error.exit_code
    line, code = _expected(error)
    if line is not None:
        _say(f"error: {line}")
        return code
    _say(f"internal error, please report: {type(error).__name__} "
         f"({'traceback follows' if debug else 'run with --debug for the traceback'})")
    if debug:
        import traceback

        traceback.print_exception(error, file=sys.stderr)
    return EXIT_FAILED


def _expected(error: BaseException) -> tuple[str | None, int]:
    """The one line and exit code of an expected failure that no reader turned into a UserError."""
    from amsterdam_cloud.core.documents import MAX_DEPTH, os_problem

    if isinstance(error, UnicodeDecodeError):
        return f"a file is not UTF-8 (byte {error.start}); save it as UTF-8", EXIT_BAD_INPUT
    if isinstance(error, RecursionError):
        return f"a document nests too deeply; keep it under {MAX_DEPTH} levels", EXIT_BAD_INPUT
    if isinstance(error, ValueError) and "integer string conversion" in str(error):
        return "a number has too many digits; use a number of at most 4300 digits", EXIT_BAD_INPUT
    if isinstance(error, OSError):
        from amsterdam_cloud.core.errors import display

        shown = display(error.filename) if error.filename is not None else "a file"
        environment = isinstance(error, (ConnectionError, TimeoutError)) or error.errno in (errno.ENOSPC, errno.EIO)
        return f"{shown}: {os_problem(error)}", EXIT_FAILED if environment else EXIT_BAD_INPUT
    module = type(error).__module__ or ""
    if module.startswith("pulumi.automation") or (module == "subprocess" and "pulumi" in str(error)):
        lines = [line.strip() for line in str(getattr(error, "stderr", "") or error).splitlines() if line.strip()]
        return (f"the Pulumi CLI failed ({type(error).__name__}: {' | '.join(lines[-2:]) or 'no message'}); "
                "check `pulumi version` and `pulumi login`"), EXIT_FAILED
    if module.startswith(("botocore", "boto3")):
        first = (str(error).splitlines() or [""])[0][:200]
        return (f"an AWS call failed ({type(error).__name__}: {first}); check --endpoint-url, the network and the "
                "credentials"), EXIT_FAILED
    return None, EXIT_FAILED


def _say(text: str) -> None:
    try:
        print(f"cityctl: {text}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass  # stderr itself is gone: the exit code still tells


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush raises nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
