"""Builds are atomic (a killed build leaves the previous site whole) and reproducible."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build.site import build_site
from tests.conftest import ROOT

CONFIG = ROOT / "mkdocs.yml"


def _tree(site: Path) -> dict[str, str]:
    """sha256 of every file of a built site."""
    out = {}
    for p in sorted(site.rglob("*")):
        if p.is_file():
            out[p.relative_to(site).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _indexed(site: Path) -> int:
    """Determinations in the determination search's index."""
    return json.loads((site / "search-index" / "meta.json").read_text())["determinations"]


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    """A copy of the bundled records (the repo's own content is never written)."""
    root = tmp_path_factory.mktemp("content")
    shutil.copytree(ROOT / "content" / "records", root / "records")
    return root


def test_two_builds_are_byte_identical(content, tmp_path, monkeypatch):
    overrides = {"site_url": "https://example.org/imr/"}  # sitemap with dates
    build_site(content, tmp_path / "a", config_file=CONFIG, config_overrides=overrides)
    # a different day and clock for the second build: nothing may leak in
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2000000000")
    build_site(content, tmp_path / "b", config_file=CONFIG, config_overrides=overrides)
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert a.keys() == b.keys()
    # every page, asset, data file, and both search indexes
    assert [k for k in a if a[k] != b[k]] == []
    assert _indexed(tmp_path / "a") == 301
    assert any(k.startswith("search-index/t-") for k in a)
    assert "<lastmod>" in (tmp_path / "a" / "sitemap.xml").read_text()


def test_killed_build_leaves_the_previous_site_whole(content, tmp_path):
    site = tmp_path / "site"
    build_site(content, site, config_file=CONFIG)
    before = _tree(site)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for delay in (1.0, 2.5, 4.0):  # kill at different points of the build
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "generator.cli",
                "build",
                "--content",
                str(content),
                "--site-dir",
                str(site),
                "--config",
                str(CONFIG),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _tree(site) == before, f"site changed after a build killed at {delay}s"
    # the next build cleans up what the killed ones left and succeeds
    build_site(content, site, config_file=CONFIG)
    assert _tree(site) == before
    assert list(tmp_path.glob(".site.build-*")) == []


def test_build_never_replaces_a_folder_it_did_not_build(content, tmp_path):
    from generator.build.site import SiteBuildError

    victim = tmp_path / "victim"
    (victim / "important").mkdir(parents=True)
    (victim / "important" / "notes.txt").write_text("keep")
    with pytest.raises(SiteBuildError, match="not built by imr-archive"):
        build_site(content, victim, config_file=CONFIG)
    assert (victim / "important" / "notes.txt").read_text() == "keep"
    for inside in (content, content / "records", CONFIG.parent):
        with pytest.raises(SiteBuildError, match="holds the|not built by"):
            build_site(content, inside, config_file=CONFIG)
    assert list((content / "records").glob("*.json"))


def test_site_url_in_the_config_file(content, tmp_path):
    """site_url set in mkdocs.yml (not on the command line) builds and checks its links."""
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {CONFIG}\nsite_url: http://127.0.0.1:9/imr/\n"
        f"theme:\n  custom_dir: {ROOT / 'theme'}\n"
    )
    build_site(content, tmp_path / "site", config_file=config)
    assert 'href="/imr/assets/' in (tmp_path / "site" / "404.html").read_text()
