"""`imr-archive init`: a new archive folder that builds right away.

The new site's mkdocs.yml is a copy of the package's site defaults
(`data/mkdocs-base.yml`) with the archive's own name, so everything a
publisher changes (name, description, logo, colours) is in one file they own.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.paths import DATA

README = """\
# {name}

An archive of California IMR determination letters, built with imr-archive.

```sh
imr-archive ingest content/letters --out content/records   # letters (.txt/.pdf) -> records
imr-archive build                                           # records -> site/
imr-archive serve                                           # live preview on 127.0.0.1
```

- `content/letters/`: put the letters here (text or PDF, as published).
- `content/records/`: one JSON record per determination, made by `ingest`;
  correct a record by hand if the parser got it wrong (ingest keeps your edit).
- `content/pages/`: your own Markdown pages (about, how to search), copied into the site.
- `mkdocs.yml`: the site's name, description, logo and colours (Material for MkDocs).
  Set `site_url` to the public address, e.g. `https://example.org/imr/`.
"""

ABOUT = """\
---
title: About
template: about.html
---

# About this archive

{name} publishes California workers' compensation Independent Medical Review
(IMR) final determinations as a searchable website. Each determination is read
from the letter as published and shown with the guidelines it cited.
"""

GITIGNORE = "site/\n.build/\ncontent/ingest-report.json\n"


class ScaffoldError(ValueError):
    """The target folder cannot be used (it already holds an archive)."""


def mkdocs_config(name: str) -> str:
    """The new archive's mkdocs.yml: the package defaults, with its own name."""
    base = (DATA / "mkdocs-base.yml").read_text(encoding="utf-8")
    body = base.split("\nsite_name:", 1)[1]
    body = re.sub(r"^[^\n]*", "", body, count=1)  # drop the default name
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    header = (
        f"# Site configuration of {name} (MkDocs + Material for MkDocs).\n"
        "# Made by `imr-archive init` from the imr-archive defaults: change the\n"
        "# name, description, logo (theme.logo) and colours (theme.palette) here.\n"
        "# `imr-archive build` adds the imr-archive theme overrides itself.\n"
    )
    body = re.sub(
        r"^copyright: .*$",
        lambda _: f'copyright: "{quoted}. Built with imr-archive, MkDocs and Material for MkDocs."',
        body,
        flags=re.M,
    )
    return f'{header}site_name: "{quoted}"{body}'


def scaffold(target: Path, name: str = "IMR Archive") -> list[Path]:
    """Create the archive skeleton in `target`; returns the files written."""
    if (target / "mkdocs.yml").exists() or (target / "content").exists():
        raise ScaffoldError(f"{target} already holds an archive (mkdocs.yml or content/)")
    files = {
        "mkdocs.yml": mkdocs_config(name),
        "README.md": README.format(name=name),
        ".gitignore": GITIGNORE,
        "content/pages/about.md": ABOUT.format(name=name),
    }
    written = []
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    for folder in ("content/letters", "content/records"):
        (target / folder).mkdir(parents=True, exist_ok=True)
        (target / folder / ".gitkeep").write_text("")
    return written
