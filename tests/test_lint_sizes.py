"""The size checker of `make lint` (tests/lint_sizes.py, issue 12) on synthetic modules."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "lint_sizes", Path(__file__).with_name("lint_sizes.py")
)
assert _spec and _spec.loader
lint_sizes = importlib.util.module_from_spec(_spec)
sys.modules["lint_sizes"] = lint_sizes
_spec.loader.exec_module(lint_sizes)


def _function(name: str, lines: int) -> str:
    """A function of exactly `lines` lines (def line included)."""
    body = "".join(f"    x{k} = {k}\n" for k in range(lines - 2))
    return f"def {name}():\n{body}    return 0\n\n\n"


def test_a_61_line_function_is_reported_a_60_line_one_is_not(tmp_path, capsys):
    module = tmp_path / "pkg" / "mod.py"
    module.parent.mkdir()
    module.write_text(_function("long_one", 61) + _function("just_fits", 60))
    assert lint_sizes.main([str(tmp_path / "pkg"), "--no-allow"]) == 1
    out = capsys.readouterr().out
    assert "long_one 61 lines" in out
    assert "just_fits" not in out
    assert f"{module.as_posix()}:1 long_one" in out


def test_methods_and_nested_functions_count(tmp_path, capsys):
    method = "".join("    " + line + "\n" for line in _function("method", 61).splitlines())
    (tmp_path / "cls.py").write_text("class C:\n" + method)
    assert lint_sizes.main([str(tmp_path), "--no-allow"]) == 1
    assert "method 61 lines" in capsys.readouterr().out


@pytest.mark.parametrize(("lines", "reported"), [(400, False), (401, True)])
def test_module_limit(tmp_path, capsys, lines, reported):
    (tmp_path / "big.py").write_text("x = 0\n" * lines)
    assert lint_sizes.main([str(tmp_path), "--no-allow"]) == (1 if reported else 0)
    assert ("<module> 401 lines" in capsys.readouterr().out) is reported


def test_exclude_and_allow(tmp_path, capsys, monkeypatch):
    (tmp_path / "skipped").mkdir()
    (tmp_path / "skipped" / "a.py").write_text(_function("long_one", 61))
    (tmp_path / "b.py").write_text(_function("allowed", 61))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(lint_sizes, "ALLOW", {"b.py:allowed"})
    assert lint_sizes.main([".", "--exclude", "skipped"]) == 0
    assert lint_sizes.main([".", "--exclude", "skipped", "--no-allow"]) == 1
    assert capsys.readouterr().out.strip() == "b.py:1 allowed 61 lines (limit 60)"


def test_an_allow_entry_no_longer_needed_is_noted(tmp_path, capsys, monkeypatch):
    (tmp_path / "b.py").write_text(_function("short_now", 10))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(lint_sizes, "ALLOW", {"b.py:short_now"})
    assert lint_sizes.main(["."]) == 0
    assert "'b.py:short_now' is no longer needed" in capsys.readouterr().err
