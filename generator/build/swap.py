"""The site folder: refuse one that is not ours, build beside it, swap the new site in.

The build works in a temporary folder next to the site folder (so the final
rename stays on one file system) and replaces the site folder only once the
build has succeeded, so a failed build leaves the previous site whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from generator.build.errors import SiteBuildError

SITE_MARKER = ".imr-archive-site"  # written into every built site: safe to replace
REPLACED = "previous-site"  # in the work folder: the site the swap replaced


def check_site_dir(site_dir: Path, content_dir: Path, config_file: Path) -> None:
    """Refuse a site folder whose replacement would delete something else.

    The folder must not exist, be empty, or hold a site this tool built (its
    marker file); it must not contain the content or the configuration.
    """
    site_dir = site_dir.resolve()
    for other, what in ((content_dir.resolve(), "content"), (config_file.parent, "configuration")):
        if other == site_dir or site_dir in other.parents:
            raise SiteBuildError(
                f"--site-dir {site_dir} holds the {what} ({other}); choose another folder"
            )
    built = (site_dir / SITE_MARKER).exists() or all(
        (site_dir / name).is_file() for name in ("sitemap.xml", "404.html", "index.html")
    )  # an earlier imr-archive/MkDocs build, from before the marker
    if site_dir.is_dir() and any(site_dir.iterdir()) and not built:
        raise SiteBuildError(
            f"{site_dir} is not empty and was not built by imr-archive; it is left alone "
            "(choose an empty or new folder, or remove it yourself)"
        )
    if site_dir.exists() and not site_dir.is_dir():
        raise SiteBuildError(f"{site_dir} is a file, not a folder")


def remove_stale_builds(parent: Path, name: str) -> None:
    """Delete work folders left by builds that were killed (their process is gone)."""
    for work in parent.glob(f".{name}.build-*"):
        try:
            pid = int((work / "pid").read_text())
            os.kill(pid, 0)
            continue  # still building
        except (OSError, ValueError):
            shutil.rmtree(work, ignore_errors=True)


def new_work_dir(site_dir: Path) -> Path:
    """A fresh work folder beside site_dir (after removing those of killed builds), with
    this process's id in it (`pid`: a later build removes it once the process is gone)."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_builds(site_dir.parent, site_dir.name)
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.build-", dir=site_dir.parent))
    (work / "pid").write_text(str(os.getpid()))
    return work


def swap_in(built: Path, site_dir: Path, work: Path) -> None:
    """Replace site_dir by built: rename the old site aside, rename the new one in."""
    (built / SITE_MARKER).write_text(
        "built by imr-archive; `imr-archive build` replaces this folder\n"
    )
    old = work / REPLACED
    if site_dir.exists():
        os.replace(site_dir, old)
    try:
        os.replace(built, site_dir)
    except OSError:
        if old.exists():
            os.replace(old, site_dir)
        raise
