"""`cityctl migrate`: help texts, lazy imports and one-line errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from amsterdam_cloud.scripts.cli import main


@pytest.mark.parametrize("step", ["discover", "import-cmdb", "map", "waves", "generate"])
def test_every_step_has_help(step, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["migrate", step, "--help"])
    assert exit_info.value.code == 0
    assert "usage: cityctl migrate " + step in capsys.readouterr().out


def test_loading_the_command_imports_no_heavy_library():
    code = ("import sys; import amsterdam_cloud.scripts.commands.migrate; "
            "print(sorted(m for m in ('boto3', 'botocore', 'jsonschema', 'pulumi') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_missing_input_file_is_one_line_and_exit_two(tmp_path, capsys):
    assert main(["migrate", "map", "--inventory", str(tmp_path / "nope.yaml")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("cityctl: error:") and "no such file" in error and error.count("\n") == 1


def test_a_zero_wave_size_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit):
        main(["migrate", "waves", "--mapping", "m.yaml", "--max-wave-size", "0"])
    assert "is below 1" in capsys.readouterr().err
