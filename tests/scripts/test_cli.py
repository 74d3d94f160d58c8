"""`cityctl`'s one error boundary: every failure is one line and its documented exit code, never a traceback."""

from __future__ import annotations

import errno
import os
import signal
import sys
from pathlib import Path

import pytest
from botocore.parsers import ResponseParserError

from amsterdam_cloud.scripts import cli
from amsterdam_cloud.scripts.commands import policy

CASES = [
    (UnicodeDecodeError("utf-8", b"\xe9", 0, 1, "invalid"), 2, "not UTF-8"),
    (RecursionError("maximum recursion depth exceeded"), 2, "nests too deeply"),
    (ValueError("Exceeds the limit (4300 digits) for integer string conversion"), 2, "too many digits"),
    (PermissionError(errno.EACCES, "Permission denied", "secret.yaml"), 2, "secret.yaml: permission denied"),
    (IsADirectoryError(errno.EISDIR, "Is a directory", "out"), 2, "out: is a folder"),
    (OSError(errno.ENOSPC, "No space left on device", "plan.json"), 1, "plan.json: no space left"),
    (KeyboardInterrupt(), 130, "interrupted"),
    (ResponseParserError("Unable to parse response, invalid XML received"), 1, "an AWS call failed"),
]


def _failing_rules(error: BaseException):
    def run(args):
        raise error
    return run


@pytest.mark.parametrize("error, code, message", CASES, ids=[type(c[0]).__name__ for c in CASES])
def test_an_expected_failure_is_one_line_and_its_exit_code(monkeypatch, capsys, error, code, message):
    monkeypatch.setattr(policy, "run_rules", _failing_rules(error))
    assert cli.main(["policy", "rules"]) == code
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_bug_is_an_internal_error_with_the_traceback_only_under_debug(monkeypatch, capsys):
    monkeypatch.setattr(policy, "run_rules", _failing_rules(AttributeError("'list' object has no attribute 'get'")))
    assert cli.main(["policy", "rules"]) == 1
    err = capsys.readouterr().err
    assert err == "cityctl: internal error, please report: AttributeError (run with --debug for the traceback)\n"
    assert cli.main(["--debug", "policy", "rules"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_a_signal_during_a_command_ends_it_as_interrupted(monkeypatch, capsys):
    def interrupted(args):
        os.kill(os.getpid(), signal.SIGTERM)
        raise AssertionError("the signal must stop the command")

    monkeypatch.setattr(policy, "run_rules", interrupted)
    previous = signal.getsignal(signal.SIGTERM)
    assert cli.main(["policy", "rules"]) == 130
    assert capsys.readouterr().err == "cityctl: interrupted; nothing was half-written\n"
    assert signal.getsignal(signal.SIGTERM) is previous


def test_an_interrupt_the_plan_engine_turned_into_a_program_error_is_still_interrupted(tmp_path, monkeypatch, capsys):
    from amsterdam_cloud.scripts.offline import engine, project

    def plan_stack(*args, **kwargs):
        try:
            os.kill(os.getpid(), signal.SIGINT)
        except KeyboardInterrupt:  # what the event loop makes of it: "Event loop stopped before Future completed"
            raise engine.ProgramError("the program raised RuntimeError: Event loop stopped") from None

    monkeypatch.setattr(project, "plan_stack", plan_stack)
    assert cli.main(["plan", "dev", "--plans-dir", str(tmp_path)]) == 130
    assert capsys.readouterr().err.splitlines()[-1] == "cityctl: interrupted; nothing was half-written"
    assert list(tmp_path.iterdir()) == []


def test_plan_returns_the_errors_own_exit_code_for_bad_input(tmp_path: Path, capsys):
    (tmp_path / "Pulumi.yaml").write_text("name: demo\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  demo:x: 1\n  demo:x: 2\n")
    assert cli.main(["plan", "dev", "--project-dir", str(tmp_path), "--plans-dir", str(tmp_path / "plans")]) == 2
    assert "duplicate key 'demo:x'" in capsys.readouterr().err
    assert not (tmp_path / "plans").exists()


def test_a_closed_pipe_ends_quietly(monkeypatch, capsys):
    """`cityctl policy rules | head -1`: the reader went away; no message, no traceback, exit 141 as for SIGPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    with os.fdopen(write_end, "w") as closed_pipe:
        monkeypatch.setattr(sys, "stdout", closed_pipe)
        code = cli.main(["policy", "rules"])
        monkeypatch.undo()
    assert code == cli.EXIT_BROKEN_PIPE
    assert "Traceback" not in capsys.readouterr().err


def test_plan_against_an_export_of_the_wrong_shape_is_bad_input_before_any_planning(tmp_path: Path, capsys):
    against = tmp_path / "prod-export.json"
    against.write_text('{"version": 3, "deployment": {"resources": [{"urn": "u", "type": "t", "inputs": [1]}]}}')
    assert cli.main(["plan", "prod", "--against", str(against), "--plans-dir", str(tmp_path / "plans")]) == 2
    assert "prod-export.json: deployment.resources[0].inputs: must be an object, got list" in capsys.readouterr().err
    assert not (tmp_path / "plans").exists()


def test_version_is_the_installed_package_version(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])

    assert done.value.code == 0
    assert capsys.readouterr().out == f"cityctl {version('amsterdam-cloud')}\n"
