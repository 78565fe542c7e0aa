"""All records -> {docs path: Markdown}, data files and the MkDocs nav. Pure: no I/O.

The site is a set of hubs (regions, services, guidelines, years, outcomes,
reviewer specialties), each counting, charting and listing the determinations
it is about and offering them as CSV, plus one page per determination,
cross-tabulations (region x service category, guideline x service category,
with a hub per non-empty cell), the open data page and files, the home page
and hand-written pages. The same records always give byte-identical pages and
files; writing one path twice is an error.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from generator.pages import opendata
from generator.pages.crosstabs import INDEX as CROSSTABS_INDEX
from generator.pages.crosstabs import build_crosstabs, crosstab_page, crosstabs_index
from generator.pages.determination import OriginalLetter, determination_page
from generator.pages.families import (
    Totals,
    guidelines,
    link_of,
    outcomes,
    regions,
    reviewers,
    services,
    years,
)
from generator.pages.feed import FEED_PATH, atom_feed
from generator.pages.home import home_page
from generator.pages.hubs import Hub, Link, hub_pages
from generator.pages.indexes import (
    DETERMINATIONS_INDEX,
    determinations_index,
    folder_indexes,
    page_title,
)
from generator.pages.related import related
from generator.pages.stats import by_year, count
from generator.pages.urls import (
    DATA_PAGE,
    DETERMINATIONS_DIR,
    HOME_PAGE,
    SEARCH_PAGE,
    determination_path,
    hub_path,
)
from generator.record.dating import newest_first
from generator.record.models import Determination
from generator.search.case_numbers import CASE_DIR, case_number_files
from generator.search.header import DEFAULT_HEADER_SEARCH_MAX, in_header_search, search_page

FAMILIES = [
    ("Regions", "regions"),
    ("Services", "services"),
    ("Guidelines", "guidelines"),
    ("Years", "years"),
    ("Outcomes", "outcomes"),
    ("Reviewers", "reviewers"),
]


class Reuse(opendata.Members, Protocol):
    """What a build made before and may give assemble() again (generator.build.reuse):
    numbered listing pages (`keep_page`: paging.KeepPage) and the archive downloads' gzip
    members (opendata.Members)."""

    def keep_page(self, path: str, shown: str, ids: Sequence[str]) -> bool: ...


class DuplicatePathError(ValueError):
    """Two pages were built for one docs path."""


@dataclass
class Site:
    """The generated docs: pages and other files by docs path, the MkDocs nav, nav exclusions."""

    # a dict, or a mapping kept on disk by the build (generator.build.ondisk)
    pages: MutableMapping[str, str] = field(default_factory=dict)
    files: MutableMapping[str, bytes] = field(default_factory=dict)  # copied as they are
    nav: list = field(default_factory=list)
    # gitignore-style patterns (MkDocs `not_in_nav`) for pages deliberately left out of nav
    not_in_nav: list[str] = field(default_factory=list)

    def _check(self, path: str) -> None:
        if path in self.pages or path in self.files:
            raise DuplicatePathError(f"two outputs for {path!r}")

    def add(self, path: str, markdown: str) -> None:
        self._check(path)
        self.pages[path] = markdown

    def add_file(self, path: str, data: bytes) -> None:
        if path.endswith(".md"):
            raise ValueError(f"{path!r}: Markdown goes in pages (Site.add), not files")
        self._check(path)
        self.files[path] = data


# --- the whole site ------------------------------------------------------------


def _top(hubs: Sequence[Link], n: int = 5) -> list[Link]:
    ranked = sorted(hubs, key=lambda h: (-h.counts.determinations, h.title))
    return [h for h in ranked if h.counts.determinations][:n]


class _CsvLines:
    """Each item's CSV line, made once: an item is in the CSV of a dozen hubs or more.

    opendata.csv_text writes each row on its own, so a hub's CSV is the header line
    then its items' lines, byte for byte. Lives for one assemble() call (keyed by the
    identity of items that call holds).
    """

    def __init__(self) -> None:
        self.header = opendata.csv_text([])
        self.lines: dict[int, str] = {}

    def text(self, hub: Hub) -> str:
        out = [self.header]
        for row in opendata.item_rows((e.record, e.items) for e in hub.entries):
            key = id(row[2])
            line = self.lines.get(key)
            if line is None:
                line = self.lines[key] = opendata.csv_text([row])[len(self.header) :]
            out.append(line)
        return "".join(out)


def _emit(site: Site, hub: Hub, page_size: int, csv_lines: _CsvLines | None = None,
          reuse: Reuse | None = None) -> None:
    """The pages of a hub (but the numbered ones `reuse` keeps) and the CSV of its items."""
    for path, markdown in hub_pages(hub, page_size, reuse.keep_page if reuse else None):
        site.add(path, markdown)
    if hub.csv:
        text = (csv_lines or _CsvLines()).text(hub)
        site.add_file(hub.csv, text.encode("utf-8"))


def assemble(
    records: list[Determination],
    *,
    page_size: int = 50,
    extra_pages: dict[str, str] | None = None,
    site_name: str = "IMR Archive",
    header_search_max: int = DEFAULT_HEADER_SEARCH_MAX,
    progress: Callable[[Iterable[Determination]], Iterable[Determination]] | None = None,
    letters: Mapping[str, OriginalLetter] | None = None,
    site_url: str = "",
    site: Site | None = None,
    with_determinations: bool = True,
    reuse: Reuse | None = None,
) -> Site:
    """Every page and data file of the site for `records`; `extra_pages` (docs path ->
    Markdown) are added as they are and linked from the nav after the hubs.

    Determination pages are in the header search while there are at most
    `header_search_max` of them (negative: always; see search.header.in_header_search);
    the "Search determinations" page covers them all (generator.search.determinations).
    `progress` wraps the loop over determinations (e.g. tqdm). `letters`: record id -> its
    letter as published beside its page; `site_url`: the public address (the feed's ids);
    `site`: an empty Site to fill (the build's keeps its pages on disk).
    `with_determinations=False`: without the determination pages, which the caller makes
    with :func:`determination_pages` (the build, in another process at the same time);
    `reuse`: what the build made before (numbered listing pages, archive members)."""
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    extra = dict(extra_pages or {})
    ordered = newest_first(records)
    everything = [(r, r.items) for r in ordered]
    totals = Totals(count(everything), by_year(everything))
    site = site if site is not None else Site()
    in_header = in_header_search(len(ordered), header_search_max)
    if with_determinations:
        _determinations(site, ordered, in_header, site_name, letters or {}, progress)
    _index_and_feed(site, ordered, site_name, site_url, reuse)
    site.add(SEARCH_PAGE, search_page(ordered, header_search_covers=in_header))
    ways = []
    csv_lines = _CsvLines()
    all_hubs: dict[str, Hub] = {}
    for build in (regions, services, guidelines, years, outcomes, reviewers):
        family, subs = build(ordered, totals)
        for hub in (family, *subs):
            _emit(site, hub, page_size, csv_lines, reuse)
            all_hubs[hub.path] = hub
        ways.append((link_of(family), len(family.subhubs), _top(family.subhubs)))
    tabs = build_crosstabs(all_hubs, totals.counts)
    for tab, cell_hubs in tabs:
        site.add(tab.path, crosstab_page(tab))
        for hub in cell_hubs:
            _emit(site, hub, page_size, csv_lines, reuse)
    site.add(CROSSTABS_INDEX, crosstabs_index([t for t, _h in tabs]))
    tab_links = [Link(t.title, t.path, t.totals) for t, _h in tabs]
    site.add(HOME_PAGE, home_page(ordered, ways, tab_links, site_name=site_name))
    _data_files(site, records, ordered, totals, reuse)
    for path in extra:
        site.add(path, extra[path])
    _set_nav(site, list(extra))
    return site


def _data_files(site: Site, records: list[Determination], ordered: list[Determination],
                totals: Totals, members: opendata.Members | None = None) -> None:
    """The open-data downloads (`members`: their compressed runs made before), their page,
    and the header search's case-number files."""
    files = opendata.archive_files(records, members)
    for path in sorted(files):
        site.add_file(path, files[path])
    for path, data in sorted(case_number_files(ordered).items()):
        site.add_file(path, data)
    site.add(DATA_PAGE, opendata.data_page(totals.counts, files))


def _index_and_feed(site: Site, ordered: list[Determination], name: str, url: str,
                    reuse: Reuse | None = None) -> None:
    """/determinations/ (every determination, newest first) and the Atom feed."""
    for path, markdown in determinations_index(ordered, keep=reuse.keep_page if reuse else None):
        site.add(path, markdown)
    site.add_file(FEED_PATH, atom_feed(ordered, site_name=name, site_url=url))


def determination_pages(
    site: Site,
    records: list[Determination],
    *,
    header_search_max: int = DEFAULT_HEADER_SEARCH_MAX,
    site_name: str = "IMR Archive",
    letters: Mapping[str, OriginalLetter] | None = None,
    progress: Callable[[Iterable[Determination]], Iterable[Determination]] | None = None,
    keep: Callable[[Determination, list[Determination], OriginalLetter | None], bool]
    | None = None,
) -> None:
    """The determination pages assemble() makes, into `site` (for assemble(...,
    with_determinations=False)); the arguments are assemble's, and `keep`: given a
    record, its related determinations and its letter, true when its page is not to be
    made (the site holds it already: generator.build.pagekeys)."""
    ordered = newest_first(records)
    in_header = in_header_search(len(ordered), header_search_max)
    _determinations(site, ordered, in_header, site_name, letters or {}, progress, keep)


def _determinations(
    site: Site,
    ordered: list[Determination],
    in_header: bool,
    site_name: str,
    letters: Mapping[str, OriginalLetter],
    progress: Callable[[Iterable[Determination]], Iterable[Determination]] | None,
    keep: Callable[[Determination, list[Determination], OriginalLetter | None], bool]
    | None = None,
) -> None:
    """A page per determination, with its related determinations and original letter
    (but those `keep` says are made already)."""
    near = related(ordered)
    for r in progress(ordered) if progress else ordered:
        letter = letters.get(r.id)
        if keep is not None and keep(r, near[r.id], letter):
            continue
        page = determination_page(
            r,
            header_search=in_header,
            related=near[r.id],
            letter=letter,
            site_name=site_name,
        )
        site.add(determination_path(r.id), page)


_H1 = re.compile(r"^# +(.+?) *#* *$", re.MULTILINE)


def _titled(path: str, markdown: str) -> dict[str, str]:
    """A nav entry with the title MkDocs would give the page (front matter `title`, else
    its first "# " heading, else its file name), so that the nav reads the same in every
    shard, including those that do not hold the page (generator.build.shards)."""
    title = page_title(markdown)
    if title is None:
        m = _H1.search(markdown)
        title = m.group(1) if m else None
    if title is None:
        title = posixpath.splitext(posixpath.basename(path))[0].replace("-", " ").replace("_", " ")
        title = title.capitalize() if title.lower() == title else title
    return {title: path}


def _set_nav(site: Site, extra: list[str]) -> None:
    """An index page for each folder without one (indexes.folder_indexes), then the nav:
    home, search, all determinations, the families, cross-tabs, open data, then `extra`
    pages; determination and sub-hub pages are built but not in it."""
    made = folder_indexes(site.pages, site.files)
    for path, markdown in made.items():
        site.add(path, markdown)
    site.nav = [{"Home": HOME_PAGE}, {"Search determinations": SEARCH_PAGE}]
    site.nav += [{"All determinations": DETERMINATIONS_INDEX}]
    site.nav += [{title: hub_path(segment)} for title, segment in FAMILIES]
    site.nav += [{"Cross-tabs": CROSSTABS_INDEX}, {"Open data": DATA_PAGE}]
    site.nav += [_titled(path, site.pages[path]) for path in extra]
    folders = [DETERMINATIONS_DIR, CASE_DIR]
    site.not_in_nav = [f"/{folder}/" for folder in folders] + [
        f"/{segment}/*/" for segment in [s for _t, s in FAMILIES] + ["crosstabs"]
    ]
    # the index pages made for other folders (of hand-written pages, say): built, not in it
    covered = {*folders, *(s for _t, s in FAMILIES), "crosstabs"}
    site.not_in_nav += [f"/{p}" for p in sorted(made) if p.partition("/")[0] not in covered]
