"""Shared test helpers: paths and the golden-file fixture."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_LETTER = ROOT / "content" / "letters" / "seed-letter.txt"
GOLDEN = Path(__file__).resolve().parent / "golden"


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
