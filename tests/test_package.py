"""The package as others use it: a wheel in a fresh virtual environment, `init`, `build`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from generator.build.scaffold import ScaffoldError, mkdocs_config, scaffold
from tests.conftest import ROOT, SEED_LETTER


def test_scaffold_config_keeps_the_name_safe():
    text = mkdocs_config('A "quoted" \\ name')
    assert 'site_name: "A \\"quoted\\" \\\\ name"' in text
    assert "custom_dir" not in text and "INHERIT" not in text


def test_scaffold_refuses_an_existing_archive(tmp_path):
    scaffold(tmp_path / "a")
    with pytest.raises(ScaffoldError):
        scaffold(tmp_path / "a")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    [whl] = out.glob("imr_archive-*.whl")
    return whl


def test_wheel_carries_theme_data_and_defaults(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "generator/theme/assets/stylesheets/imr.css",
        "generator/data/mkdocs-base.yml",
        "generator/data/guidelines.yml",
        "generator/data/services.yml",
        "generator/data/counting-rules.md",
    ):
        assert needed in names, needed


def test_wheel_installs_and_builds_a_new_archive(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    py = env_dir / "bin" / "python"
    # dependencies come from the same places this environment's came from
    subprocess.run(
        [py, "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True, text=True
    )
    tool = env_dir / "bin" / "imr-archive"
    archive = tmp_path / "my-archive"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = {"check": True, "capture_output": True, "text": True, "env": env}
    subprocess.run([tool, "init", str(archive), "--name", "Test Archive"], **run)
    shutil.copy(SEED_LETTER, archive / "content" / "letters" / "seed.txt")
    subprocess.run(
        [tool, "ingest", "content/letters", "--out", "content/records", "--no-progress"],
        cwd=archive,
        **run,
    )
    result = subprocess.run([tool, "build"], cwd=archive, **run)
    assert "1 determination(s)" in result.stdout
    index = (archive / "site" / "index.html").read_text(encoding="utf-8")
    assert "Test Archive" in index
    assert (archive / "site" / "assets" / "stylesheets" / "imr.css").is_file()
    assert list((archive / "site" / "determinations").glob("imr-*/index.html"))
    # nothing is imported from the repository checkout
    where = subprocess.run(
        [py, "-c", "import generator; print(generator.__file__)"], cwd=archive, **run
    ).stdout
    assert str(env_dir) in where and str(ROOT) not in where
