"""Interrupting a running `cityctl` the way a person or CI does: a signal once its workers are at work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path


def interrupt_at(arguments: list[str], marker: str, signum: int, to_group: bool, cwd: Path | None = None) -> str:
    """Run `cityctl arguments`, send `signum` (to it, or to its process group as a terminal's Ctrl-C does) at the
    first stderr line starting with `marker`, and return its stderr after it ended with exit 130, quietly."""
    process = subprocess.Popen([str(Path(sys.executable).with_name("cityctl")), *arguments], cwd=cwd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert process.stderr is not None
    seen = []
    try:
        for line in process.stderr:  # ends at the marker (or when cityctl ends)
            seen.append(line)
            if line.startswith(marker):
                break
        assert seen and seen[-1].startswith(marker), "".join(seen)
        os.killpg(process.pid, signum) if to_group else process.send_signal(signum)
        _, rest = process.communicate(timeout=120)  # an older engine could hang here forever
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    stderr = "".join(seen) + rest
    assert process.returncode == 130, stderr
    assert stderr.rstrip().endswith("cityctl: interrupted; nothing was half-written"), stderr
    assert "Traceback" not in stderr and "ForkPoolWorker" not in stderr, stderr
    return stderr
