"""The site in shards (generator/build/shards.py, sharded.py, merge.py, cache.py).

Unit tests of the plan, and builds of a slice of the bundled records: the shards merged
are byte for byte the site one MkDocs project builds; a build of unchanged content takes
every shard from the cache; new letters rebuild only the shards they change, and the
result is byte-identical to a full build of the same records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from mkdocs.structure.files import File, file_sort_key

from generator.build.cache import ShardCache
from generator.build.linkcheck import check_site
from generator.build.merge import file_order
from generator.build.shards import (
    ROOT,
    Shard,
    date_keys,
    fingerprint,
    groups,
    link_targets,
    nav_targets,
    plan,
    shard_of,
)
from generator.build.site import SiteBuildError, build_site
from generator.pages.related import related
from generator.progress import Progress, duration
from generator.record.store import load_records, write_record

ROOT_DIR = Path(__file__).resolve().parent.parent
CONFIG = ROOT_DIR / "mkdocs.yml"


# --- the plan -------------------------------------------------------------------


def test_link_targets_are_docs_paths_relative_to_the_page():
    md = (
        "[a](../regions/knee/index.md#x) ![i](img/p.png) [b](CM1.md) "
        "[ext](https://example.org/a.md) [abs](/x.md) [self](#top) [q](../data/items.csv?x=1)"
    )
    assert link_targets(md, "determinations/CM2.md") == {
        "regions/knee/index.md",
        "determinations/img/p.png",
        "determinations/CM1.md",
        "data/items.csv",
    }


def test_nav_targets_include_nested_sections():
    nav = [{"Home": "index.md"}, {"Sec": [{"A": "a/index.md"}, "b.md"]}, {"X": "https://x.org/"}]
    assert nav_targets(nav) == {"index.md", "a/index.md", "b.md"}


def test_a_year_is_split_into_months_only_when_large():
    d = dt.date
    dates = {"determinations/a.md": d(2016, 3, 1), "determinations/b.md": d(2016, 11, 5),
             "determinations/c.md": d(2017, 1, 1), "determinations/u.md": None}
    assert date_keys(dates, months_over=1) == {
        "determinations/a.md": "d-2016-03",
        "determinations/b.md": "d-2016-11",
        "determinations/c.md": "d-2017",
        "determinations/u.md": "d-undated",
    }
    assert set(date_keys(dates).values()) == {"d-2016", "d-2017", "d-undated"}


def test_a_month_too_large_for_one_shard_is_split_in_stable_parts():
    d = dt.date
    dates = {f"determinations/m{i}.md": d(2013, 1, 1) for i in range(9)}
    dates |= {"determinations/n.md": d(2013, 2, 3), "determinations/u.md": None}
    keys = date_keys(dates, months_over=1, part_size=4)  # 9 pages: 3 parts -> 4
    january = {k for p, k in keys.items() if p.startswith("determinations/m")}
    assert january <= {f"d-2013-01-p{i}" for i in range(4)} and len(january) > 1
    assert keys["determinations/n.md"] == "d-2013-02"  # the small month stays whole
    assert keys["determinations/u.md"] == "d-undated"
    more = date_keys(dates | {"determinations/m9.md": d(2013, 1, 1)}, months_over=1,
                     part_size=4)  # 10 pages: still 4 parts, no page moves
    assert {p: more[p] for p in keys} == keys


def test_pages_go_to_their_first_folder_and_files_to_root():
    keys = {"determinations/a.md": "d-2016"}
    assert shard_of("determinations/a.md", keys) == "d-2016"
    assert shard_of("determinations/index.md", keys) == "determinations"
    assert shard_of("regions/knee/page/2.md", keys) == "regions"
    assert shard_of("about.md", keys) == ROOT
    pages = {
        "index.md": "[r](regions/index.md)",
        "regions/index.md": "[k](knee/index.md) [d](../determinations/a.md) [gone](../no.md)",
        "regions/knee/index.md": "[csv](items.csv)",
        "determinations/a.md": "[r](../regions/knee/index.md)",
    }
    shards = plan(pages, ["regions/knee/items.csv"], keys, [{"Home": "index.md"}])
    assert list(shards) == [ROOT, "d-2016", "regions"]
    assert shards[ROOT].files == ["regions/knee/items.csv"]
    assert shards["regions"].pages == ["regions/index.md", "regions/knee/index.md"]
    # linked pages of other shards, and the nav's, but never a path no shard has
    phantoms = ["determinations/a.md", "index.md", "regions/knee/items.csv"]
    assert shards["regions"].phantoms == phantoms
    assert shards["d-2016"].phantoms == ["index.md", "regions/knee/index.md"]


def test_a_fingerprint_changes_with_a_page_a_phantom_or_a_setting():
    shard = Shard("regions", pages=["regions/index.md"], phantoms=["index.md"])
    content = {"regions/index.md": b"# Regions"}
    base = fingerprint(shard, content.__getitem__, {"theme": "a"})
    assert base == fingerprint(shard, content.__getitem__, {"theme": "a"})
    edited = {"regions/index.md": b"# Regions!"}
    assert base != fingerprint(shard, edited.__getitem__, {"theme": "a"})
    assert base != fingerprint(shard, content.__getitem__, {"theme": "b"})
    other = Shard("regions", pages=["regions/index.md"], phantoms=["index.md", "x.md"])
    assert base != fingerprint(other, content.__getitem__, {"theme": "a"})


def test_a_project_in_another_folder_has_the_same_fingerprints(tmp_path):
    from generator.build.inputs import site_settings
    from generator.build.mkdocs_run import MkDocsJob
    from generator.build.sharded import build_inputs
    from generator.pages.assemble import Site

    def inputs(folder: Path) -> dict:
        (folder / "theme").mkdir(parents=True)
        (folder / "theme" / "main.html").write_text("{% extends 'base.html' %}")
        config = folder / "mkdocs.yml"
        config.write_text("site_name: X\ntheme:\n  name: material\n  custom_dir: theme\n")
        settings = site_settings(config)
        job = MkDocsJob(config, True, Site(), None, None, 0, settings["theme_custom_dir"],
                        settings)
        return build_inputs(job)

    assert inputs(tmp_path / "here") == inputs(tmp_path / "elsewhere" / "there")


def test_groups_cover_every_shard_once_and_balance_pages():
    sizes = {"root": 30, "d-2016": 700, "d-2017": 650, "regions": 90, "d-2018": 40}
    out = groups(sizes, 2)
    assert sorted(k for g in out for k in g) == sorted(sizes)
    loads = sorted(sum(sizes[k] for k in g) for g in out)
    assert loads == [740, 770]
    assert len(groups(sizes, 10)) == 5


def test_merge_orders_pages_as_mkdocs_orders_a_docs_folder():
    paths = ["regions/knee/index.md", "about.md", "index.md", "regions/index.md",
             "regions/a.md", "determinations/CM1.md", "determinations/index.md", "z.md"]
    files = [File(p, "/docs", "/site", True) for p in paths]
    assert sorted(paths, key=file_order) == [f.src_uri for f in sorted(files, key=file_sort_key)]


# --- the cache and progress --------------------------------------------------------


def test_the_cache_takes_only_a_whole_entry_with_the_same_fingerprint(tmp_path):
    cache = ShardCache(tmp_path / "cache")
    out = tmp_path / "built"
    (out / "a").mkdir(parents=True)
    (out / "a" / "index.html").write_text("x")
    assert cache.lookup("regions", "f1") is None
    stored = cache.store("regions", "f1", out)
    assert cache.lookup("regions", "f1") == stored and (stored / "a" / "index.html").is_file()
    assert cache.lookup("regions", "f2") is None
    (stored.parent / "fingerprint").unlink()  # half-stored: never taken
    assert cache.lookup("regions", "f1") is None
    assert cache.prune({"root"}) == ["regions"] and cache.keys() == []


def _clocked_bar(total: int) -> tuple[Progress, io.StringIO, list[float]]:
    """A shards bar writing to a string, on a clock the test sets (now[0])."""
    now = [0.0]
    out = io.StringIO()
    return Progress("shards", total, "page", stream=out, every=10, clock=lambda: now[0]), out, now


def test_progress_says_counts_and_time_left():
    bar, out, now = _clocked_bar(100)
    now[0] = 20.0
    bar.advance(25, "shard d-2016")
    line = "[shards] 25/100 pages (20 s), about 1 min 0 s left: shard d-2016"
    assert out.getvalue().strip() == line
    now[0] = 21.0
    bar.advance(5)  # under 10 s since the last line: quiet
    assert out.getvalue().count("\n") == 1
    now[0] = 40.0
    bar.advance(70)  # done: a last line, no estimate
    assert out.getvalue().splitlines()[-1] == "[shards] 100/100 pages (40 s)"
    assert duration(3725) == "1 h 2 min"


def test_no_estimate_before_one_percent_is_done():
    bar, out, now = _clocked_bar(390_000)
    now[0] = 200.0
    bar.advance(1, "root")
    assert out.getvalue().strip() == "[shards] 1/390,000 pages (3 min 20 s): root"
    now[0] = 400.0
    bar.advance(3_899, "shard d-2013-01")
    assert out.getvalue().splitlines()[-1].endswith("about 11 h 0 min left: shard d-2013-01")


# --- builds ----------------------------------------------------------------------


def _tree(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _build(content: Path, site: Path, **kw):
    return build_site(content, site, config_file=CONFIG, progress=False, jobs=2, **kw)


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    """80 of the bundled records, spread over the years (a copy: never the repo's own)."""
    root = tmp_path_factory.mktemp("content")
    records = sorted((ROOT_DIR / "content" / "records").glob("*.json"))
    (root / "records").mkdir()
    for path in records[::4][:80]:
        shutil.copy(path, root / "records" / path.name)
    return root


@pytest.fixture(scope="module")
def built(content, tmp_path_factory):
    """The slice built in shards, and as one MkDocs project."""
    work = tmp_path_factory.mktemp("built")
    sharded = _build(content, work / "sharded" / "site")
    single = _build(content, work / "single" / "site", single_shard=True)
    return work, sharded, single


def test_the_shards_merged_are_the_site_one_project_builds(built):
    work, sharded, single = built
    assert sharded.shards > 10 and single.shards == 1
    assert _tree(work / "sharded" / "site") == _tree(work / "single" / "site")


def test_the_merged_sitemap_and_search_index_are_what_mkdocs_writes(built):
    work, _sharded, _single = built
    raw = work / "single" / ".site.shards" / "root" / "site"  # MkDocs' own output
    site = work / "sharded" / "site"
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        assert (site / name).read_bytes() == (raw / name).read_bytes(), name
    mine = json.loads((site / "search" / "search_index.json").read_text())
    theirs = json.loads((raw / "search" / "search_index.json").read_text())
    assert [d["location"] for d in mine["docs"]] == [d["location"] for d in theirs["docs"]]
    assert mine["config"] == theirs["config"]


def test_an_unchanged_site_is_taken_whole_from_the_cache(built, content):
    work, sharded, _single = built
    before = _tree(work / "sharded" / "site")
    again = _build(content, work / "sharded" / "site")
    assert again.shards == sharded.shards and again.shards_built == 0
    assert _tree(work / "sharded" / "site") == before
    forced = _build(content, work / "sharded" / "site", full=True)
    assert forced.shards_built == forced.shards
    assert _tree(work / "sharded" / "site") == before


def _add_newer_letters(content: Path, n: int) -> None:
    """n determinations decided after all the others (copies under new case numbers)."""
    records, errors = load_records(content / "records")
    assert not errors
    newest = max(r.dates.decision for r in records if r.dates.decision)
    for i, r in enumerate(records[:n]):
        case = f"CM{(newest.year + 1) % 100:02d}-900000{i}"
        day = dt.date(newest.year + 1, 2, 1 + i)
        new = r.model_copy(
            update={"id": case, "case_number": case, "year": day.year,
                    "dates": r.dates.model_copy(update={"decision": day}), "source": None},
        )
        write_record(new, content / "records")


def test_new_letters_rebuild_only_their_shards_and_equal_a_full_build(
    content, tmp_path_factory
):
    work = tmp_path_factory.mktemp("incremental")
    grown = work / "content"
    shutil.copytree(content, grown)
    first = _build(grown, work / "site")
    before = _related_ids(grown)
    _add_newer_letters(grown, 3)
    after = _related_ids(grown)
    update = _build(grown, work / "site")
    assert update.records == first.records + 3
    assert update.shards == first.shards + 1  # the new year's shard
    # determination shards rebuilt: exactly the new year's and those of the pages whose
    # related determinations changed; the others come from the cache
    changed = {rid for rid in before if before[rid] != after[rid]} | (set(after) - set(before))
    years = {_year_key(grown, rid) for rid in changed}
    assert {k for k in update.built_keys if k.startswith("d-")} == years
    assert len(years) < len([k for k in first.shard_pages if k.startswith("d-")])
    # of a rebuilt shard, MkDocs renders only the pages that changed; the others are kept
    for key in years:
        assert update.shard_rendered.get(key, 0) == len(
            [rid for rid in changed if _year_key(grown, rid) == key])
    hubs = [k for k in update.built_keys if not k.startswith("d-") and k != "root"]
    assert sum(update.shard_rendered.get(k, 0) for k in hubs) < sum(
        update.shard_pages[k] for k in hubs)
    # the link check read the new pages only, and the whole site passes it
    assert 0 < update.linkcheck_pages < first.linkcheck_pages / 2
    assert check_site(work / "site") == []
    full = _build(grown, work / "full" / "site", full=True)
    assert _tree(work / "site") == _tree(work / "full" / "site")
    assert full.linkcheck_pages > first.linkcheck_pages
    assert full.shards_built == full.shards


def _related_ids(content: Path) -> dict[str, list[str]]:
    records, _errors = load_records(content / "records")
    return {rid: [r.id for r in near] for rid, near in related(records).items()}


def _year_key(content: Path, rid: str) -> str:
    record = json.loads((content / "records" / f"{rid}.json").read_text())
    day = record["dates"]["decision"] or record["dates"]["letter"]
    return f"d-{day[:4]}" if day else f"d-{record['year']}"


def test_a_heartbeat_line_comes_while_no_shard_finishes():
    now = [0.0]
    out = io.StringIO()
    bar = Progress("shards", 10, "page", stream=out, every=10, clock=lambda: now[0])
    bar.advance(0, "building")
    assert out.getvalue() == ""
    now[0] = 12.0
    bar.advance(0, "building")
    assert out.getvalue() == "[shards] 0/10 pages (12 s): building\n"


def test_a_failing_shard_names_itself_and_leaves_site_and_cache_as_they_were(
    built, content, tmp_path
):
    work, _sharded, _single = built
    site = work / "sharded" / "site"
    before, cached = _tree(site), ShardCache(work / "sharded" / ".site.shards").keys()
    broken = tmp_path / "content"
    shutil.copytree(content, broken)
    (broken / "pages").mkdir()
    (broken / "pages" / "notes.md").write_text("# Notes\n\nSee [this](no-such-page.md).\n")
    with pytest.raises(SiteBuildError, match=r"shard root: .*no-such-page\.md|shard root"):
        _build(broken, site)
    assert _tree(site) == before
    assert ShardCache(work / "sharded" / ".site.shards").keys() == cached


def test_a_large_folder_is_split_by_its_subfolders(monkeypatch):
    from generator.build import shards as shards_module

    monkeypatch.setattr(shards_module, "SPLIT_OVER", 2)
    pages = {p: "" for p in ("services/index.md", "services/drugs/index.md",
                             "services/drugs/page/2.md", "services/imaging/index.md",
                             "regions/index.md", "regions/knee/index.md")}
    out = plan(pages, [], {}, [])
    assert {k: s.pages for k, s in out.items() if k != ROOT} == {
        "regions": ["regions/index.md", "regions/knee/index.md"],
        "services": ["services/index.md"],
        "services-drugs": ["services/drugs/index.md", "services/drugs/page/2.md"],
        "services-imaging": ["services/imaging/index.md"],
    }


def test_reference_link_definitions_are_links_too():
    md = "See [the hub][hub].\n\n[hub]: ../regions/knee/index.md#top\n  [x]: https://example.org/\n"
    assert link_targets(md, "determinations/CM1.md") == {"regions/knee/index.md"}


def test_one_build_at_a_time_uses_a_cache(tmp_path):
    cache = ShardCache(tmp_path / "cache")
    with cache.locked(), pytest.raises(SiteBuildError, match="another build is using"), \
            cache.locked():
        pass
    with cache.locked():  # released
        pass


def test_a_kept_page_whose_link_target_went_is_built_again(content, tmp_path):
    """A hand-written page in a folder of its own links to a determination whose record
    then goes: its Markdown is the same, but MkDocs (strict) sees it again, as a full
    build would, and says which link is broken."""
    grown = tmp_path / "content"
    shutil.copytree(content, grown)
    rid = sorted(p.stem for p in (grown / "records").glob("CM*.json"))[0]
    (grown / "pages" / "guides").mkdir(parents=True)
    (grown / "pages" / "guides" / "a.md").write_text(
        f"# A guide\n\nSee [{rid}](../determinations/{rid}.md).\n")
    _build(grown, tmp_path / "site", check_links=False)
    assert (tmp_path / "site" / "guides" / "a" / "index.html").is_file()
    (grown / "records" / f"{rid}.json").unlink()
    with pytest.raises(SiteBuildError, match=f"guides/a.md.*determinations/{rid}.md"):
        _build(grown, tmp_path / "site", check_links=False)


def test_the_cache_prunes_only_its_own_entries(tmp_path):
    cache = ShardCache(tmp_path)
    (tmp_path / "not-a-shard").mkdir()  # a folder of the user's, no fingerprint
    out = tmp_path / "built"
    out.mkdir()
    cache.store("d-2016", "f1", out)
    assert cache.prune({"root"}) == ["d-2016"]
    assert (tmp_path / "not-a-shard").is_dir()


def test_linking_never_writes_through_an_existing_file(tmp_path):
    from generator.build.cache import link_tree

    source, dest = tmp_path / "cache", tmp_path / "site"
    source.mkdir()
    (source / "a.html").write_text("cached")
    dest.mkdir()
    (dest / "a.html").write_text("other")
    with pytest.raises(FileExistsError):
        link_tree(source, dest, ["a.html"])
    assert (source / "a.html").read_text() == "cached"
