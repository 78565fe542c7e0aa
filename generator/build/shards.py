"""The site split into shards: independent MkDocs projects that build in parallel. Pure.

A shard is a set of docs paths (pages and data files) that MkDocs builds on its own.
Determination pages, nearly all of the site, are sharded by **decision date**: a year
(`d-2016`), or its months (`d-2016-11`) when it holds more than MONTHS_OVER pages, and
`d-undated` for those without a date; a month of more than PART_SIZE pages is split in
parts by a hash of the page's path (`d-2013-01-p3`), so no shard outgrows the rest.
New letters are recent, so an update lands in the newest year's or months' shards and
the older shards are taken from the build cache unchanged (generator.build.cache); a
small year is one shard, since each shard costs MkDocs a start of its own (about half a
second). Every other page goes to the shard of its
first folder (`regions`, `services`, `guidelines`, ... and `determinations` for the
/determinations/ listing), or of its first two when the folder has more than SPLIT_OVER
pages (`services-drugs`); top-level pages (home, search, data, about) to `root`, which
also carries the theme's assets and the data files (CSV, JSON Lines), copied as they are.

A page links to pages of other shards. Each shard is built with *phantoms*: the docs
paths it links to (and the nav names) that live in other shards, which MkDocs resolves
as excluded files (the same URLs, nothing written), so the HTML of a page is the same
whichever shard builds it. A link to a path that is in no shard stays unresolved, and
MkDocs' strict mode fails the build on it as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

ROOT = "root"  # the shard of the top-level pages, the theme's assets and site-wide files
UNDATED_KEY = "d-undated"
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# Markdown inline links and images: [text](target "title") / ![alt](target); and the
# definitions of reference links: [ref]: target
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)", re.MULTILINE)


@dataclass
class Shard:
    """One MkDocs project of the site: its pages and data files (docs paths, sorted)."""

    key: str
    pages: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    phantoms: list[str] = field(default_factory=list)  # linked paths of other shards
    digests: dict[str, str] = field(default_factory=dict)  # page -> what its HTML is made
    # of besides the settings (generator.build.sharded._Read.reuse_key)
    settings: str = ""  # digest of what besides its pages its output depends on

    @property
    def is_root(self) -> bool:
        return self.key == ROOT

    def paths(self) -> list[str]:
        return [*self.pages, *self.files]


MONTHS_OVER = 2000  # a year with more determination pages than this is a shard a month
SPLIT_OVER = 5000  # a folder with more pages than this is a shard per subfolder
PART_SIZE = 4000  # a month with more determination pages than this is split in parts


def date_keys(
    dates: Mapping[str, dt.date | None], months_over: int = MONTHS_OVER,
    part_size: int = PART_SIZE,
) -> dict[str, str]:
    """The shard key of each determination page (docs path -> its listing date, None when
    undated): its year, or its year and month when its year has more than `months_over`;
    a month (or the undated) of more than `part_size` pages is split in parts (`_parts`)."""
    per_year = Counter(d.year for d in dates.values() if d is not None)
    keys = {}
    for path, d in dates.items():
        if d is None:
            keys[path] = UNDATED_KEY
        elif per_year[d.year] > months_over:
            keys[path] = f"d-{d.year:04d}-{d.month:02d}"
        else:
            keys[path] = f"d-{d.year:04d}"
    return _parts(keys, part_size)


def _parts(keys: dict[str, str], part_size: int) -> dict[str, str]:
    """Months and years of more than `part_size` pages split into 2, 4, 8... parts (the
    fewest of at most `part_size` pages on average) by a hash of the page's path:
    `d-2013-01-p3`. A stable hash, not the date (a month of letters dated only by their
    year all list on its first day) nor an order (a new page would move others); the
    count of parts changes only when a shard doubles, and a page's part with it."""
    sizes = Counter(keys.values())
    parts = {k: _power_of_two(-(-n // part_size)) for k, n in sizes.items() if n > part_size}
    if not parts:
        return keys
    out = {}
    for path, key in keys.items():
        n = parts.get(key)
        if n is None:
            out[path] = key
        else:
            bucket = int.from_bytes(hashlib.sha256(path.encode()).digest()[:4], "big") % n
            out[path] = f"{key}-p{bucket}"
    return out


def _power_of_two(n: int) -> int:
    return 1 << max(n - 1, 0).bit_length()


def shard_of(path: str, determination_keys: Mapping[str, str]) -> str:
    """The shard key of a docs path: a determination page's month key, else its first
    folder, else ROOT."""
    key = determination_keys.get(path)
    if key is not None:
        return key
    head, sep, _rest = path.partition("/")
    return head if sep and KEY_PATTERN.match(head) else ROOT


def link_targets(markdown: str, page: str) -> set[str]:
    """The docs paths a page's Markdown links to (relative links; anchors and queries
    dropped; external and absolute links left out)."""
    return page_links(markdown, page)[0]


def page_links(markdown: str, page: str) -> tuple[set[str], set[str]]:
    """(link_targets, those of them linked with an anchor: `b.md#part`)."""
    out: set[str] = set()
    anchored: set[str] = set()
    base = posixpath.dirname(page)
    for m in _MD_LINK.finditer(markdown):
        target, hash_, _fragment = (m.group(1) or m.group(2)).partition("#")
        target = target.split("?", 1)[0]
        if not target or ":" in target or target.startswith("/"):
            continue
        path = posixpath.normpath(posixpath.join(base, target))
        out.add(path)
        if hash_:
            anchored.add(path)
    return out, anchored


def nav_targets(nav: Iterable) -> set[str]:
    """Every docs path the nav names (nested sections included)."""
    out: set[str] = set()
    for entry in nav:
        values = entry.values() if isinstance(entry, dict) else [entry]
        for v in values:
            if isinstance(v, list):
                out |= nav_targets(v)
            elif isinstance(v, str) and "://" not in v:
                out.add(v)
    return out


def plan(
    pages: Mapping[str, str],
    files: Iterable[str],
    determination_keys: Mapping[str, str],
    nav: list,
    links: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, Shard]:
    """The shards of a site: pages (docs path -> Markdown) by shard key, the data files in
    ROOT, each shard with its phantoms. The root shard always exists (it carries the
    theme's assets). `links`: each page's link_targets, found already (else read here)."""
    shards: dict[str, Shard] = {ROOT: Shard(ROOT)}
    for path in sorted(pages):
        shards.setdefault(shard_of(path, determination_keys), Shard("")).pages.append(path)
    shards = _split_large_folders(shards, set(determination_keys.values()))
    shards[ROOT].files = sorted(files)  # copied as they are: no need to spread them
    everything = set(pages) | set(files)
    named = nav_targets(nav) & everything
    for key, shard in shards.items():
        shard.key = key
        own = set(shard.paths())
        linked = set(named)
        for page in shard.pages:
            linked.update(links[page] if links is not None else link_targets(pages[page], page))
        shard.phantoms = sorted((linked & everything) - own)
    return dict(sorted(shards.items(), key=lambda kv: (kv[0] != ROOT, kv[0])))


def _split_large_folders(shards: dict[str, Shard], date_keys: set[str]) -> dict[str, Shard]:
    """A folder's shard with more than SPLIT_OVER pages split by its second folder:
    `services-drugs`, ...; the folder's own pages stay in its shard. (At 100,000
    determinations crosstabs, guidelines and services had 6,400 to 7,300 pages, about 6
    minutes of one process each; at 1.9 million they would have 19 times as many.)"""
    out: dict[str, Shard] = {}
    for key, shard in shards.items():
        if key == ROOT or key in date_keys or len(shard.pages) <= SPLIT_OVER:
            out[key] = shard
            continue
        for path in shard.pages:
            parts = path.split("/")
            sub = f"{key}-{parts[1]}" if len(parts) > 2 and KEY_PATTERN.match(parts[1]) else key
            out.setdefault(sub, Shard(sub)).pages.append(path)
    return out


def fingerprint(shard: Shard, digest_of: Callable[[str], bytes], settings: Mapping) -> str:
    """A hash of everything a shard's built output depends on: its pages' and files'
    digests (`digest_of(path)`: the sha256 of its bytes), its phantoms, and `settings`
    (configuration, theme, versions: the caller's). Equal fingerprints mean
    byte-identical output."""
    h = hashlib.sha256()
    head = {"key": shard.key, "phantoms": shard.phantoms, "settings": settings}
    h.update(json.dumps(head, sort_keys=True, default=str).encode("utf-8"))
    for path in shard.paths():
        h.update(b"\0" + path.encode("utf-8") + b"\0")
        h.update(digest_of(path))
    return h.hexdigest()


def largest_first(shards: Iterable[Shard]) -> list[Shard]:
    """The order to hand shards to a pool: root first (few pages, but it copies the theme's
    assets and every data file), then most pages first, so the last to finish is small."""
    return sorted(shards, key=lambda s: (not s.is_root, -len(s.pages), s.key))


def groups(pages_by_key: Mapping[str, int], n: int) -> list[list[str]]:
    """The shards split into at most `n` groups of about equal pages (largest first, each
    to the group with fewest pages so far), for machines to build one group each."""
    if n < 1:
        raise ValueError("n must be at least 1")
    bins: list[tuple[int, list[str]]] = [(0, []) for _ in range(min(n, len(pages_by_key)))]
    for key in sorted(pages_by_key, key=lambda k: (-pages_by_key[k], k)):
        i = min(range(len(bins)), key=lambda j: (bins[j][0], j))
        total, keys = bins[i]
        bins[i] = (total + pages_by_key[key] + 1, [*keys, key])  # +1: a shard costs a start
    return [sorted(keys) for _total, keys in bins if keys]
