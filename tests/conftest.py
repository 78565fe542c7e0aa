"""Shared test helpers: paths and the golden-file fixture."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_LETTER = ROOT / "content" / "letters" / "seed-letter.txt"
GOLDEN = Path(__file__).resolve().parent / "golden"

# Material for MkDocs prints an end-of-life banner on every build: quiet it for the
# whole test session (child processes inherit it).
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
CONTENT = ROOT / "content"
SEED_ID = "imr-a2504b6dad7b0147"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled content (a copy: the repository is not written) built into a tmp site,
    once per test session, for the browser tests and the search-query table."""
    from generator.build.site import build_site

    work = tmp_path_factory.mktemp("bundled-site")
    content, site = work / "content", work / "site"
    shutil.copytree(CONTENT / "records", content / "records")
    shutil.copytree(CONTENT / "pages", content / "pages")
    shutil.copytree(CONTENT / "letters", content / "letters")  # published beside the pages
    assert (content / "records" / f"{SEED_ID}.json").is_file(), "seed record missing"
    report = build_site(content, site, config_file=ROOT / "mkdocs.yml")
    assert report.records > 1 and not report.errors, report.summary_text()
    assert (site / "search" / "search_index.json").is_file()
    return site


@pytest.fixture
def golden():
    """compare(name, text): equal to tests/golden/<name>; UPDATE_GOLDEN=1 rewrites it."""

    def compare(name: str, text: str) -> None:
        path = GOLDEN / name
        if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
            if not path.exists() and os.environ.get("UPDATE_GOLDEN") != "1":
                pytest.fail(f"golden file {path} missing; run with UPDATE_GOLDEN=1 to create it")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert text == path.read_text(encoding="utf-8"), f"differs from golden {path}"

    return compare
