"""Live preview: `imr-archive serve` builds, serves on 127.0.0.1 and rebuilds on change."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request

from generator.build.serve import changed, snapshot
from tests.conftest import ROOT, SEED_LETTER


def test_snapshot_and_changed(tmp_path):
    (tmp_path / "a.txt").write_text("1")
    before = snapshot([tmp_path, tmp_path / "missing"])
    (tmp_path / "a.txt").write_text("22")
    (tmp_path / "b.txt").write_text("new")
    assert changed(before, snapshot([tmp_path])) == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b.txt"),
    ]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode("utf-8")


def _wait_for(fn, timeout=90.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if fn():
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def test_serve_rebuilds_when_a_letter_changes(tmp_path):
    content = tmp_path / "content"
    (content / "letters").mkdir(parents=True)
    (content / "records").mkdir()
    shutil.copy(SEED_LETTER, content / "letters" / "seed.txt")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator.cli",
            "serve",
            "--content",
            str(content),
            "--site-dir",
            str(tmp_path / "preview"),
            "--port",
            "0",
            "--config",
            str(ROOT / "mkdocs.yml"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        port = None
        for line in proc.stdout:  # type: ignore[union-attr]
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m.group(1))
                break
        assert port, "serve did not print its address"
        base = f"http://127.0.0.1:{port}"
        [record] = (content / "records").glob("imr-*.json")  # ingested from the letter
        rid = json.loads(record.read_text())["id"]
        assert "Spine consultant" in _get(f"{base}/determinations/{rid}/")
        # edit the letter: a new record appears after the rebuild
        text = SEED_LETTER.read_text(encoding="utf-8").replace(
            "Spine consultant w/non MPN :", "Neurosurgery consultation :"
        )
        (content / "letters" / "seed.txt").write_text(text, encoding="utf-8")
        hub = f"{base}/services/evaluation-management/"
        assert "Neurosurgery consultation" not in _get(hub)
        assert _wait_for(lambda: "Neurosurgery consultation" in _get(hub)), (
            "the site was not rebuilt after the letter changed"
        )
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_change_before_the_watcher_starts_is_seen(tmp_path):
    """The baseline is the caller's snapshot: an edit made after it (while the watcher
    thread is still starting) triggers a rebuild."""
    import threading

    from generator.build.serve import snapshot, watch

    (tmp_path / "letter.txt").write_text("one")
    since = snapshot([tmp_path])
    (tmp_path / "letter.txt").write_text("two, longer")
    seen: list[list[str]] = []
    stop = threading.Event()

    def rebuild(paths: list[str]) -> None:
        seen.append(paths)
        stop.set()

    thread = threading.Thread(
        target=watch,
        args=([tmp_path], rebuild),
        kwargs={"stop": stop, "since": since, "interval": 0.05},
    )
    thread.start()
    thread.join(timeout=10)
    assert seen == [[str(tmp_path / "letter.txt")]]
