"""Stopping a child process politely, then firmly: shared by the benchmarks and the tests."""

from __future__ import annotations

import subprocess


def stop(process: subprocess.Popen[bytes] | subprocess.Popen[str], grace_s: float = 15) -> None:
    """SIGTERM, wait up to `grace_s`, then SIGKILL and wait again."""
    process.terminate()
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=grace_s)
