"""Size limits (issue 12): no module over 400 lines, no function over 60.

    python tests/lint_sizes.py generator [--exclude generator/letters]

Prints ``file:line name length`` for every module over MAX_MODULE lines
and every function or method over MAX_FUNCTION lines (``end_lineno -
lineno + 1``, decorators not counted) and exits 1 if there is any that is
not in ALLOW.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from pathlib import Path

MAX_MODULE = 400
MAX_FUNCTION = 60

# Modules or functions excused from the limits ("path:function" or "path"):
# none since generator/letters/ was brought under them. Keep it empty.
ALLOW: set[str] = set()


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def check_file(path: Path, shown: str) -> list[tuple[str, str, int, str, int]]:
    """(key, file, line, name, length) for each oversize module/function."""
    text = path.read_text(encoding="utf-8")
    found = []
    lines = len(text.splitlines())
    if lines > MAX_MODULE:
        found.append((shown, shown, 1, "<module>", lines))
    for fn in _functions(ast.parse(text, filename=str(path))):
        length = (fn.end_lineno or fn.lineno) - fn.lineno + 1
        if length > MAX_FUNCTION:
            found.append((f"{shown}:{fn.name}", shown, fn.lineno, fn.name, length))
    return found


def _allowed(key: str, allow: set[str]) -> bool:
    """ALLOW names paths from the repository root; the checked path may be longer."""
    return any(key == a or key.endswith("/" + a) for a in allow)


def _excluded(path: Path, excludes: list[Path]) -> bool:
    return any(path == ex or ex in path.parents for ex in excludes)


def _files(roots: list[str], excludes: list[Path]) -> Iterator[Path]:
    for root in map(Path, roots):
        candidates = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for path in candidates:
            if not _excluded(path, excludes):
                yield path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="files or directories to check")
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="PATH",
        help="skip this file or directory (repeatable)",
    )
    parser.add_argument("--no-allow", action="store_true", help="ignore the temporary ALLOW list")
    args = parser.parse_args(argv)
    allow = set() if args.no_allow else ALLOW
    bad, used, checked = 0, set(), []
    for path in _files(args.paths, [Path(e) for e in args.exclude]):
        checked.append(path.as_posix())
        for key, shown, line, name, length in check_file(path, path.as_posix()):
            if _allowed(key, allow):
                used |= {a for a in allow if _allowed(key, {a})}
                continue
            limit = MAX_MODULE if name == "<module>" else MAX_FUNCTION
            print(f"{shown}:{line} {name} {length} lines (limit {limit})")
            bad += 1
    for entry in sorted(allow - used):  # fixed: the entry can go
        if any(_allowed(c, {entry.split(":")[0]}) for c in checked):
            print(f"note: ALLOW entry {entry!r} is no longer needed", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
