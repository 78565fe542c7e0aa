"""A changed shard rebuilt in part: its unchanged pages taken from its cached output.

When new letters arrive, a shard's fingerprint (generator.build.shards.fingerprint)
changes as soon as one of its pages does, but most of its pages are the same: a hub
folder gets a new first page and a new numbered listing page now and then, a month
gets the new determinations and the few older pages whose related list moved. The HTML
of a page depends on its Markdown and the build's settings (configuration, theme, nav,
versions), and on which of its links lead to a file of the site: they resolve to the
same URLs whichever shard holds their targets, which is what lets a page be built in any
shard at all (shards.py). MkDocs also checks the anchors of links to pages it builds
in the same run. A page's reuse key (sharded._Read.reuse_key) covers all of that: its
Markdown, which of its link targets exist, and the Markdown of the pages it links to
with an anchor. So a shard whose cached output was built with the same settings is
rebuilt from the pages whose key changed alone, built by MkDocs with the others as
phantoms, and its output is composed of the two: the kept pages' files hard-linked from
the cached output, the manifest and the search index entries of both, in MkDocs' file
order.

Each built shard's output carries ``imr-digests.json``: the settings' digest and each
page's key, which tell the next build what it can keep. The root shard (theme assets,
data files, the few top-level pages) is always built whole.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from generator.build.cache import link_tree
from generator.build.merge import SEARCH_INDEX, ShardOutput, file_order, location, page_of
from generator.build.shard_mkdocs import DIGESTS, MANIFEST
from generator.build.shards import Shard


@dataclass(frozen=True)
class Reuse:
    """What a shard keeps of its cached output: the output and the pages kept."""

    old: Path  # the cached output of the shard (MkDocs' output, with DIGESTS)
    kept: tuple[str, ...]  # docs paths of the pages whose output is taken from it


def write_digests(shard: Shard, output: Path) -> None:
    """Note in a built shard's output what it was built from (its settings and pages)."""
    data = {"settings": shard.settings, "pages": shard.digests}
    (output / DIGESTS).write_text(json.dumps(data, sort_keys=True), encoding="utf-8")


def reusable(shard: Shard, cached: Path | None) -> Reuse | None:
    """What `shard` can keep of `cached` (the cache's output of its key, whatever its
    fingerprint): the pages whose digest is the same, when the settings are; else None."""
    if shard.is_root or cached is None or not shard.settings:
        return None
    try:
        old = json.loads((cached / DIGESTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(old, dict) or old.get("settings") != shard.settings:
        return None
    before = old.get("pages") or {}
    kept = tuple(p for p in shard.pages if p in before and before[p] == shard.digests.get(p))
    return Reuse(cached, kept) if kept else None


def changed_part(shard: Shard, reuse: Reuse) -> Shard:
    """The shard MkDocs builds: the pages not kept, with the kept ones as phantoms (a
    superset of what they link to: phantoms that no page names change nothing)."""
    kept = set(reuse.kept)
    return Shard(
        shard.key,
        pages=[p for p in shard.pages if p not in kept],
        files=list(shard.files),
        phantoms=sorted(set(shard.phantoms) | kept),
        digests=shard.digests,
        settings=shard.settings,
    )


def compose(shard: Shard, reuse: Reuse, built: Path | None, dest: Path) -> None:
    """The whole shard's output in `dest`: `built` (MkDocs' output of the changed part,
    moved to dest; None when no page changed) plus the kept pages' files linked from the
    cached output; one manifest and one search index of both, pages in MkDocs' order."""
    if built is None:
        dest.mkdir(parents=True)
        new_pages: list[dict] = []
        new_index: dict = {}
    else:
        if built != dest:
            built.rename(dest)
        new_pages = ShardOutput(shard.key, dest, False).manifest()["pages"]
        new_index = _search_index(dest)
    kept = set(reuse.kept)
    old_pages = [p for p in ShardOutput(shard.key, reuse.old, False).manifest()["pages"]
                 if p["src"] in kept]
    link_tree(reuse.old, dest, [p["dest"] for p in old_pages])
    pages = sorted([*old_pages, *new_pages], key=lambda p: file_order(p["src"]))
    manifest = {"pages": pages, "root": False}
    (dest / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
    old_index = _search_index(reuse.old)
    if old_index or new_index:
        _write_index(pages, old_pages, old_index, new_index, dest / SEARCH_INDEX)
    write_digests(shard, dest)


def _write_index(pages: list[dict], old_pages: list[dict], old: dict, new: dict,
                 path: Path) -> None:
    """The shard's search index: each page's entries from the index that built it."""
    from_old = {location(p["url"]) for p in old_pages}
    by_page: dict[str, list] = {}
    for index, keep in ((old, True), (new, False)):
        for doc in index.get("docs", []):
            page = page_of(doc)
            if (page in from_old) == keep:
                by_page.setdefault(page, []).append(doc)
    docs = [doc for p in pages for doc in by_page.get(location(p["url"]), [])]
    data = {"config": new.get("config", old.get("config")), "docs": docs}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")


def _search_index(output: Path) -> dict:
    """A shard output's search index ({} when it has none)."""
    path = output / SEARCH_INDEX
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
