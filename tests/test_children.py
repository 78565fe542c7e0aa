"""A process a build or an ingest starts dies with it (generator/children.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import multiprocessing, sys, time
from generator.children import die_with_parent

def worker(mode):
    if mode == "dies":
        die_with_parent()
    print("ready", flush=True)
    time.sleep(30)

if __name__ == "__main__":
    child = multiprocessing.get_context("spawn").Process(target=worker, args=(sys.argv[1],))
    child.start()
    print(child.pid, flush=True)
    time.sleep(30)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _orphan_alive(tmp_path: Path, mode: str) -> bool:
    """Start a parent with a child (`mode`: "dies" calls die_with_parent), kill the
    parent once the child runs, and say whether the child still runs 5 s later."""
    script = tmp_path / "parent.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen([sys.executable, str(script), mode], stdout=subprocess.PIPE,
                              text=True, env=env)
    assert parent.stdout is not None
    pid = int(parent.stdout.readline())
    assert parent.stdout.readline().strip() == "ready"
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = _alive(pid)
    if alive:
        os.kill(pid, 9)
    return alive


def test_a_child_dies_with_its_killed_parent(tmp_path):
    assert not _orphan_alive(tmp_path, "dies")
    assert _orphan_alive(tmp_path, "lives")  # without it, the child would have lived on


def test_a_child_whose_parent_already_died_ends_at_once():
    code = "from generator.children import die_with_parent; die_with_parent(1); print('on')"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 1 and "on" not in done.stdout
