"""What a build did (:class:`BuildReport`), and its phases timed into it (:func:`phase`)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator.record.store import RecordError


@dataclass
class BuildReport:
    """What a build did, for the command line to print."""

    site_dir: Path
    records: int = 0
    pages: int = 0
    files: int = 0  # data files (CSV, JSON Lines, schema) shipped beside the pages
    letters: int = 0  # original letters published beside their pages
    letters_copied: int = 0  # of them copied in this build (the others were there already)
    determinations_made: int = 0  # determination pages made (the others' inputs unchanged:
    # generator.build.pagekeys)
    listing_pages_kept: int = 0  # numbered listing pages not made again (their inputs
    # unchanged: generator.build.pagekeys)
    records_read: int = 0  # record files read (the others taken from the record memo:
    # generator.build.recordmemo)
    errors: list[RecordError] = field(default_factory=list)  # records left out (keep_going)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each phase
    indexed: int = 0  # determinations in the determination search (generator.search.determinations)
    index_bytes: int = 0  # the determination search's index, all files
    in_header_search: bool = True  # determination pages are in the header search
    largest_page: tuple[str, int] = ("", 0)  # the biggest built HTML page and its bytes
    generator_peak_kib: int = 0  # this process's peak memory after load + assemble + write
    mkdocs_peak_kib: int = 0  # the largest peak of MkDocs' processes (VmHWM)
    shards: int = 0  # MkDocs projects the site is made of (generator.build.shards)
    shards_built: int = 0  # of them built by MkDocs in this build; the others cached
    built_keys: list[str] = field(default_factory=list)  # the keys of those built
    shard_rendered: dict[str, int] = field(default_factory=dict)  # pages MkDocs rendered
    # of each shard it built, by key (the others' output was kept: generator.build.pagereuse)
    shard_seconds: dict[str, float] = field(default_factory=dict)  # MkDocs' time, by key
    shard_pages: dict[str, int] = field(default_factory=dict)  # pages of each shard, by key
    site_files: dict[str, int] = field(default_factory=dict)  # the site folder's files
    # "linked", "kept" (there already: generator.build.spare) and "removed" by the merge
    linkcheck_peak_kib: int = 0  # the link check's largest process (VmHWM)
    linkcheck_pages: int = 0  # pages it checked: the new ones, when the last site was checked
    linkcheck_peaks_kib: list[int] = field(default_factory=list)  # its own, then its workers'

    @property
    def generator_seconds(self) -> float:
        """The generator's own time: load + assemble + write docs."""
        return sum(self.seconds.get(k, 0.0) for k in ("load", "assemble", "write"))

    def summary_text(self) -> str:
        lines = [f"{self.records} determination(s) -> {self.pages} page(s) in {self.site_dir}"]
        if self.errors:
            lines.append(f"{len(self.errors)} record error(s); those records were left out:")
            lines += [f"  {e}" for e in self.errors]
        return "\n".join(lines)


@contextmanager
def phase(report: BuildReport, name: str, what: str, show: bool) -> Iterator[None]:
    """Time a build phase into report.seconds; announce it on stderr when `show`."""
    if show:
        print(f"[build] {name}: {what}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        yield
    finally:
        report.seconds[name] = time.perf_counter() - start
        if show:
            print(f"[build] {name}: {report.seconds[name]:.1f} s", file=sys.stderr, flush=True)
