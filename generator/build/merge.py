"""Built shards -> one site: their pages side by side, one sitemap, one header search index.

The root shard gives everything it built (theme assets, 404 page, data files, its
pages); every other shard gives its pages only (its ``imr-shard.json`` lists them). The
files are hard links, into an empty folder or one holding an earlier site, which gets
only the files that differ (generator.build.tree.sync). The sitemap and Material's
search index (``search/search_index.json``, with the drug names of
generator.search.synonyms added) are written anew over all shards, their pages in the
order MkDocs gives the files of one docs folder, so they are what a build of the whole
site in one MkDocs project writes.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import SimpleNamespace

from generator.build.shard_mkdocs import DIGESTS, MANIFEST
from generator.build.tree import Synced, files, sync
from generator.search import synonyms

SITEMAP = "sitemap.xml"
SEARCH_INDEX = "search/search_index.json"
_MERGED = {SITEMAP, f"{SITEMAP}.gz", SEARCH_INDEX, MANIFEST, DIGESTS}


@dataclass(frozen=True)
class ShardOutput:
    key: str
    path: Path  # MkDocs' output folder of the shard
    is_root: bool

    def manifest(self) -> dict:
        return json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))


def file_order(src: str) -> tuple:
    """MkDocs' order of the files of a docs folder (mkdocs.structure.files.file_sort_key):
    a folder's files before its subfolders', its index page first."""
    parts = PurePosixPath(src).parts
    return (parts[:-1], PurePosixPath(src).stem != "index", parts[-1])


def merge(outputs: list[ShardOutput], dest: Path, *, build_date: str, config,
          keep: Collection[str] = ()) -> Synced:
    """Make dest (empty, or an earlier site) hold the shards' files as links, and `keep`
    (files put there by others, as the letters) where it has them; then write the merged
    sitemap and search index (when the root shard has them). `build_date`: the pages'
    update date (YYYY-MM-DD); `config`: the loaded MkDocs configuration (its theme
    renders the sitemap). Returns what changed in dest."""
    pages: list[dict] = []
    desired: dict[str, tuple[Path, int]] = {}
    root = next(o for o in outputs if o.is_root)
    for out in outputs:
        manifest = out.manifest()
        pages += manifest["pages"]
        found = files(out.path)
        if out.is_root:
            names = [n for n in found if n not in _MERGED]
        else:
            names = [p["dest"] for p in manifest["pages"]]
        for name in names:
            desired[name] = (out.path / name, found[name])
    synced = sync(desired, dest, keep)  # the merged files are not in it: written anew
    pages.sort(key=lambda p: file_order(p["src"]))
    if (root.path / SITEMAP).is_file():
        write_sitemap(pages, dest, build_date, config)
    if (root.path / SEARCH_INDEX).is_file():
        write_search_index(outputs, pages, dest / SEARCH_INDEX)
    return synced


def write_sitemap(pages: list[dict], dest: Path, build_date: str, config) -> None:
    """sitemap.xml and sitemap.xml.gz as MkDocs writes them (theme template, gzip mtime)."""
    entries = [
        SimpleNamespace(
            page=SimpleNamespace(
                is_link=False,
                canonical_url=p["canonical_url"],
                abs_url=p["abs_url"],
                update_date=build_date,
            )
        )
        for p in pages
    ]
    template = config.theme.get_env().get_template(SITEMAP)
    text = template.render(pages=entries, config=config)
    (dest / SITEMAP).write_text(text, encoding="utf-8")
    day = dt.datetime.fromisoformat(build_date).replace(tzinfo=dt.UTC)
    with open(dest / f"{SITEMAP}.gz", "wb") as f, gzip.GzipFile(
        fileobj=f, filename=str(dest / f"{SITEMAP}.gz"), mode="wb", mtime=int(day.timestamp())
    ) as gz:
        gz.write(text.encode("utf-8"))


def page_of(doc: dict) -> str:
    """The `location` of the page a search index entry belongs to (its anchor dropped)."""
    return doc.get("location", "").split("#", 1)[0]


def location(url: str) -> str:
    """A page's `location` in Material's search index: its URL, '' for the home page."""
    return "" if url == "./" else url


def write_search_index(outputs: list[ShardOutput], pages: list[dict], path: Path) -> None:
    """One search index: every shard's entries, grouped by page in file order."""
    config = None
    by_page: dict[str, list] = {}
    for out in outputs:
        index_file = out.path / SEARCH_INDEX
        if not index_file.is_file():
            continue
        index = json.loads(index_file.read_text(encoding="utf-8"))
        if out.is_root:
            config = index.get("config")
        for doc in index.get("docs", []):
            by_page.setdefault(page_of(doc), []).append(doc)
    docs = [doc for p in pages for doc in by_page.pop(location(p["url"]), [])]
    docs += [doc for url in sorted(by_page) for doc in by_page[url]]  # not a shard page
    index = {"config": config, "docs": docs}
    synonyms.expand_index(index)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")
