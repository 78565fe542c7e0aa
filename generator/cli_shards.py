"""`imr-archive build`'s options for shards, the cache and building on many machines.

The site is built as shards (generator.build.shards), each kept in a cache folder and
taken from it while nothing it is made of changes. These options choose what a build
does: a whole site (the default; `--full` ignores the cache), the shards as JSON groups
for a CI matrix (`--list-shards [--groups N]`, nothing built), some shards into a cache
folder (`--shard KEYS --cache-dir DIR`, no site), or a site from the shard folders
several machines made (`--merge DIR`). :class:`ShardMode` checks their combinations
(click.UsageError) and words what was done.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import click

# Options that do not go together, and why.
_CLASHES = {
    ("--shard", "--merge"): "--shard fills a cache folder on one machine, "
    "--merge builds the site from such folders",
    ("--list-shards", "--shard"): "--list-shards builds nothing",
    ("--list-shards", "--merge"): "--list-shards builds nothing",
    ("--list-shards", "--cache-dir"): "--list-shards builds nothing",
    ("--list-shards", "--full"): "--list-shards builds nothing",
    ("--shard", "--full"): "--shard builds the shards its cache folder lacks",
    ("--merge", "--full"): "--merge takes the shards DIR holds",
    ("--merge", "--cache-dir"): "--merge DIR is the cache folder",
}
# An option that needs another, and why.
_NEEDS = {
    ("--shard", "--cache-dir"): "the folder the shards go into, for --merge",
    ("--groups", "--list-shards"): "it splits the listed shards into groups",
}


def shard_options(command):
    """The build command's options for shards (see the module docstring)."""
    options = [
        click.option("--jobs", type=click.IntRange(min=1), default=None,
                     help="Processes MkDocs builds shards in [default: one per core]."),
        click.option("--full", is_flag=True,
                     help="Rebuild every shard: ignore the cache (and refill it)."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                     help="Where built shards are kept [default: .SITE.shards beside "
                     "the site folder, e.g. .site.shards]."),
        click.option("--list-shards", is_flag=True,
                     help="Print the shards as JSON, a list of groups "
                     '{"shards": "key,key", "pages": N} for a CI matrix; build nothing.'),
        click.option("--groups", type=click.IntRange(min=1), default=None,
                     help="With --list-shards: that many groups of about equal pages "
                     "[default: a group a shard]."),
        click.option("--shard", "shard_keys", metavar="KEYS",
                     help="Build only these shards (comma-separated keys, as --list-shards "
                     "prints them) into --cache-dir; no site."),
        click.option("--merge", "merge_dir", metavar="DIR",
                     type=click.Path(exists=True, file_okay=False, path_type=Path),
                     help="Build the site taking its shards from DIR (the --cache-dir "
                     "folders of --shard builds, merged); the shards DIR lacks or holds "
                     "out of date are built here and added to it."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@dataclass(frozen=True)
class ShardMode:
    """What `imr-archive build` was asked to do with shards."""

    jobs: int | None = None
    full: bool = False
    cache_dir: Path | None = None
    list_shards: bool = False
    groups: int | None = None
    shard_keys: str | None = None
    merge_dir: Path | None = None

    def __post_init__(self) -> None:
        given = {
            "--full": self.full,
            "--cache-dir": self.cache_dir is not None,
            "--list-shards": self.list_shards,
            "--groups": self.groups is not None,
            "--shard": self.shard_keys is not None,
            "--merge": self.merge_dir is not None,
        }
        for (a, b), why in _CLASHES.items():
            if given[a] and given[b]:
                raise click.UsageError(f"{a} does not go with {b}: {why}.")
        for (a, b), why in _NEEDS.items():
            if given[a] and not given[b]:
                raise click.UsageError(f"{a} needs {b}: {why}.")
        if self.shard_keys is not None and not self.keys:
            raise click.UsageError("--shard needs shard keys, e.g. --shard root,d-2016 "
                                   "(--list-shards lists them).")

    @property
    def keys(self) -> list[str]:
        """The --shard keys, in the order given, each once."""
        keys = (k.strip() for k in (self.shard_keys or "").split(","))
        return list(dict.fromkeys(k for k in keys if k))

    @property
    def builds_site(self) -> bool:
        return not self.list_shards and self.shard_keys is None

    def build_args(self) -> dict:
        """build_site's keyword arguments for this mode."""
        only = [] if self.list_shards else self.keys if self.shard_keys is not None else None
        return {
            "jobs": self.jobs,
            "full": self.full,
            "cache_dir": self.merge_dir or self.cache_dir,
            "only_shards": only,
        }

    def failure(self, error: Exception) -> str:
        if self.builds_site:
            return f"The site build failed; the previous site (if any) is untouched:\n{error}"
        return f"The shard build failed:\n{error}"

    def groups_json(self, report) -> str:
        """--list-shards: the shards in groups of about equal pages, as one line of JSON."""
        from generator.build.shards import groups

        pages = report.shard_pages
        split = groups(pages, self.groups or max(1, len(pages)))
        return json.dumps(
            [{"shards": ",".join(keys), "pages": sum(pages[k] for k in keys)} for keys in split]
        )

    def shards_text(self, report) -> str:
        """What a build did with the shards: how many built, how many taken as they were."""
        kept = report.shards - report.shards_built
        if self.shard_keys is not None:
            return (f"{report.shards} shard(s) in {self.cache_dir}: {report.shards_built} "
                    f"built, {kept} already there ({', '.join(self.keys)})")
        if self.merge_dir is not None:
            return (f"{report.shards} shards: {kept} taken from {self.merge_dir}, "
                    f"{report.shards_built} built here")
        text = f"{report.shards} shards: {report.shards_built} built, {kept} from the cache"
        built = sum(report.shard_pages.get(k, 0) for k in report.built_keys)
        rendered = sum(report.shard_rendered.values())
        if rendered < built:  # pages of rebuilt shards kept (generator.build.pagereuse)
            text += f"; {rendered} of the built shards' {built} pages changed"
        if report.records_read < report.records:  # generator.build.recordmemo
            text += f"; {report.records_read} of {report.records} record files read"
        if report.determinations_made < report.records:  # generator.build.pagekeys
            text += (f"; {report.determinations_made} of {report.records} determination "
                     "pages made")
        if report.listing_pages_kept:
            text += f"; {report.listing_pages_kept} numbered listing pages kept"
        return text

    def summary(self, report) -> str:
        """The build's summary, its first line ending with what it did with the shards."""
        if not self.builds_site:
            return self.shards_text(report)
        first, sep, rest = report.summary_text().partition("\n")
        return f"{first}; {self.shards_text(report)}{sep}{rest}"
