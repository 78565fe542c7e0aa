"""MkDocs as the build runs it, and the steps that run in a process of their own.

MkDocs (a shard at a time: generator.build.shard_mkdocs, in a pool) and the link check
run in processes started with "spawn": a fresh interpreter that does not carry the
generator's records and pages (which CPython rarely gives back to the system), and
whose peak memory is its own. MkDocs runs with :func:`page_memory_plugin`, which keeps
its memory small at 100,000 pages.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.build import linkdelta
from generator.build.errors import SiteBuildError
from generator.build.linkcheck import run_check
from generator.children import die_with_parent
from generator.pages.assemble import Site
from generator.paths import theme_dir

ROBOTS_NOINDEX = (
    "# This archive asks not to be indexed (imr-archive build --noindex).\n"
    "User-agent: *\nDisallow: /\n"
)


def page_memory_plugin():
    """A MkDocs plugin that keeps the memory of a build small at 100,000 pages.

    MkDocs renders every page before it writes any, holding all of them at once: the
    source (page.markdown) is dropped once rendered, the HTML (page.content) is kept
    zlib-compressed until its page is written, then dropped.
    """
    import zlib

    from mkdocs.plugins import BasePlugin, event_priority

    class PageMemory(BasePlugin):
        @event_priority(-100)  # after every other plugin has seen the HTML
        def on_page_content(self, html, page, config, files):
            page.markdown = ""  # not None: MkDocs reads a None source as "no title"
            page._imr_packed = zlib.compress(html.encode("utf-8"), 1)
            return ""

        @event_priority(100)  # before every other plugin reads it
        def on_page_context(self, context, page, config, nav):
            packed = getattr(page, "_imr_packed", None)
            if packed is not None:
                page.content = zlib.decompress(packed).decode("utf-8")
                page._imr_packed = None
            return context

        @event_priority(-100)
        def on_post_page(self, output, page, config):
            page.content = None
            return output

    return PageMemory()


@dataclass
class MkDocsJob:
    """What every shard's MkDocs build shares."""

    config_file: Path
    strict: bool
    site: Site  # nav and not_in_nav only
    overrides: dict | None
    noindex: bool | None
    epoch: int  # the build date (SOURCE_DATE_EPOCH): the root shard's About page shows it
    custom_dir: str = ""  # the configuration's theme custom_dir, if any
    settings: dict = field(default_factory=dict)  # the configuration as read (!ENV resolved)


def load_site_config(job: MkDocsJob, docs_dir: Path, out_dir: Path):
    """The MkDocs configuration of a build: the file's, with the generated nav, our theme
    when the configuration names none, and `noindex` (theme/main.html's robots tag)."""
    from mkdocs.config import load_config

    config = load_config(
        config_file=str(job.config_file),
        docs_dir=str(docs_dir),
        site_dir=str(out_dir),
        strict=job.strict,
        nav=job.site.nav,
        not_in_nav="\n".join(job.site.not_in_nav),
        **(job.overrides or {}),
    )
    if config.theme.custom_dir is None:  # an `imr-archive init` site: our theme
        config.theme.dirs.insert(0, str(theme_dir()))
    if job.noindex is not None:
        config.extra["noindex"] = job.noindex
    return config


def mkdocs_build(job: MkDocsJob, docs_dir: Path, out_dir: Path, plugins: dict) -> None:
    """MkDocs builds docs_dir into out_dir (load_site_config), with `plugins` (name ->
    plugin object) after the configuration's own."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    warnings = _Warnings()
    logging.getLogger("mkdocs").addHandler(warnings)
    try:
        config = load_site_config(job, docs_dir, out_dir)
        if config.extra.get("noindex"):
            (docs_dir / "robots.txt").write_text(ROBOTS_NOINDEX, encoding="utf-8")
        for name, plugin in plugins.items():
            config.plugins[name] = plugin
        build(config)
    except MkDocsException as e:
        raise SiteBuildError(
            f"MkDocs build failed ({job.config_file}): {e}{warnings.text()}") from e
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)


class _Warnings(logging.Handler):
    """MkDocs' warnings of one build, for its error to say what they were (a pool's
    worker shows no log of its own)."""

    SHOWN = 20

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def text(self) -> str:
        shown = [f"\n  {m}" for m in self.messages[: self.SHOWN]]
        more = len(self.messages) - self.SHOWN
        return "".join(shown) + (f"\n  ... and {more} more" if more > 0 else "")


def peak_kib() -> int:
    """This process's peak resident memory (VmHWM, KiB); 0 where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _child_main(conn, name: str, args: tuple, parent: int) -> None:
    die_with_parent(parent)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s - %(message)s")
    try:
        result = _CHILD_STEPS[name](*args)
        conn.send(("ok", result, peak_kib()))
    except SiteBuildError as e:
        conn.send(("error", str(e), peak_kib()))
    except BaseException as e:  # noqa: BLE001 - reported to the parent, which raises
        conn.send(("error", f"{name} failed: {type(e).__name__}: {e}", peak_kib()))
    finally:
        conn.close()


def in_child(name: str, *args):
    """Run _CHILD_STEPS[name](*args) in a spawned process: (its result, its peak KiB).
    A SiteBuildError (or any error) there is raised here as SiteBuildError."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_main, args=(send, name, args, os.getpid()),
                       name=f"imr-{name}")
    proc.start()
    send.close()
    try:
        message = receive.recv()
    except EOFError:
        message = None
    finally:
        proc.join()
        receive.close()
    if message is None:
        raise SiteBuildError(f"{name}: its process died (exit code {proc.exitcode})")
    kind, value, peak = message
    if kind != "ok":
        raise SiteBuildError(value)
    return value, peak


def _check_links(out_dir: Path, base_path: str, progress: bool = False,
                 previous: Path | None = None) -> tuple[list, list[int], int]:
    """The broken links, the peak memory (KiB) of each of the link check's workers, and
    the pages checked: those that are not the `previous` checked site's own files
    (generator.build.linkdelta) when given, else all."""
    from generator.build.swap import SITE_MARKER
    from generator.pages.urls import SEARCH_INDEX_DIR

    only = None if previous is None else linkdelta.pages_to_check(
        previous, out_dir, unlinked=(f"{SEARCH_INDEX_DIR}/", SITE_MARKER))
    found = run_check(out_dir, base_path=base_path, progress=progress, only=only)
    return found.broken, found.worker_peaks_kib, found.pages


_CHILD_STEPS: dict[str, Callable[..., Any]] = {"linkcheck": _check_links}
