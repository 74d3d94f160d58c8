"""A deadline stops a hung child process tree, and only once it has passed."""

from __future__ import annotations

import subprocess

from amsterdam_cloud.scripts.signals import Deadline


def test_a_deadline_stops_a_hung_child_and_its_children():
    with Deadline(0.5) as deadline:
        # a shell that waits on its own child: the pipe closes only once both are gone
        result = subprocess.run(["sh", "-c", "sleep 600; echo finished"], capture_output=True, text=True)
    assert deadline.fired
    assert result.returncode != 0 and "finished" not in result.stdout


def test_a_command_that_finishes_in_time_is_left_alone():
    with Deadline(600) as deadline:
        result = subprocess.run(["sh", "-c", "echo finished"], capture_output=True, text=True)
    assert not deadline.fired
    assert (result.returncode, result.stdout) == (0, "finished\n")
