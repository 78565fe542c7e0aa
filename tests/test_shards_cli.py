"""`imr-archive build` in shards: the cache, --full, and a build split over machines
(--list-shards, --shard, --merge) giving the same site, byte for byte."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.build import docstree
from generator.build.cache import ShardCache
from generator.cli import main
from tests.conftest import CONTENT, ROOT

KEEP_EVERY = 3  # a third of the bundled records (every year still there): faster builds


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("shards-cli") / "content"
    (content / "records").mkdir(parents=True)
    for record in sorted((CONTENT / "records").glob("*.json"))[::KEEP_EVERY]:
        shutil.copy(record, content / "records" / record.name)
    shutil.copytree(CONTENT / "pages", content / "pages")
    return content


def build(content: Path, *args: str, code: int = 0) -> Result:
    """`imr-archive build` of `content` with `args`; its exit code checked."""
    result = CliRunner().invoke(main, [
        "build", "--content", str(content), "--config", str(ROOT / "mkdocs.yml"),
        "--no-progress", *args,
    ])
    assert result.exit_code == code, result.output
    return result


def shards_line(result: Result) -> tuple[int, int, int]:
    """(shards, built, taken as they were) from a build's summary."""
    m = re.search(r"; (\d+) shards: (?:(\d+) built, (\d+) from the cache|"
                  r"(\d+) taken from \S+, (\d+) built here)", result.stdout)
    assert m, result.stdout
    total, built, cached, taken, here = m.groups()
    return (int(total), int(built), int(cached)) if built else (int(total), int(here), int(taken))


def tree(site: Path) -> dict[str, str]:
    """Every file of a site: relative path -> the SHA-256 of its bytes."""
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def full(content) -> tuple[Path, dict[str, str], int]:
    """A plain `build --full` (default cache folder): the site, its files, its shards."""
    site = content.parent / "full" / "site"
    total, built, cached = shards_line(build(content, "--full", "--jobs", "2",
                                             "--site-dir", str(site)))
    assert built == total and cached == 0
    return site, tree(site), total


@pytest.fixture(scope="module")
def listed(content) -> list[dict]:
    result = build(content, "--list-shards", "--groups", "3", "--site-dir",
                   str(content.parent / "plan" / "site"))
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def shard_dir(content, listed) -> Path:
    """Every group built with --shard into one folder, as the CI matrix's jobs do."""
    shards = content.parent / "shards"
    for i, group in enumerate(listed):
        result = build(content, "--shard", group["shards"], "--cache-dir", str(shards),
                       "--jobs", "2", "--site-dir", str(content.parent / f"m{i}" / "site"))
        keys = group["shards"].split(",")
        assert f"{len(keys)} shard(s) in {shards}: {len(keys)} built, 0 already there" \
            in result.stdout
        assert not (content.parent / f"m{i}" / "site").exists()  # no site, only shards
    return shards


def test_list_shards_in_groups_covers_every_shard_once(content, listed, full):
    assert len(listed) == 3
    keys = [k for g in listed for k in g["shards"].split(",")]
    assert len(keys) == len(set(keys)) == full[2]
    assert "root" in keys and any(k.startswith("d-") for k in keys)
    assert all(g["pages"] > 0 for g in listed)
    one_each = json.loads(build(content, "--list-shards", "--site-dir",
                                str(content.parent / "plan" / "site")).stdout)
    assert sorted(keys) == sorted(g["shards"] for g in one_each)  # default: a group a shard
    assert sum(g["pages"] for g in listed) == sum(g["pages"] for g in one_each)


def test_shards_built_apart_merge_into_the_same_site(content, full, shard_dir):
    site = content.parent / "merged" / "site"
    total, built_here, taken = shards_line(build(content, "--merge", str(shard_dir),
                                                 "--site-dir", str(site)))
    assert (total, built_here, taken) == (full[2], 0, full[2])
    assert tree(site) == full[1]


def test_merge_builds_what_the_folder_lacks_or_holds_out_of_date(content, full, shard_dir):
    partial = content.parent / "partial"
    shutil.copytree(shard_dir, partial)
    missing, stale = sorted(p.name for p in partial.iterdir() if p.name.startswith("d-"))[:2]
    shutil.rmtree(partial / missing)
    (partial / stale / "fingerprint").write_text("0" * 64 + "\n")  # built from other content
    site = content.parent / "merged-partial" / "site"
    result = build(content, "--merge", str(partial), "--jobs", "2", "--site-dir", str(site))
    assert shards_line(result) == (full[2], 2, full[2] - 2)
    assert tree(site) == full[1]
    for key in (missing, stale):  # what was built here is added to the folder
        assert (partial / key / "fingerprint").read_text() != "0" * 64 + "\n"


def test_unchanged_content_builds_no_shard_and_full_builds_all(content, full):
    site, files, total = full
    cache = site.parent / ".site.shards"  # the default cache folder: a folder a shard,
    shards = [p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert len(shards) == total  # beside the docs tree (generator.build.docstree)
    assert (cache / docstree.DOCS / "index.md").is_file()
    again = build(content, "--jobs", "2", "--site-dir", str(site))
    assert shards_line(again) == (total, 0, total)
    assert tree(site) == files
    rebuilt = build(content, "--full", "--jobs", "2", "--site-dir", str(site))
    assert shards_line(rebuilt) == (total, total, 0)
    assert tree(site) == files


def test_unknown_shard_key_is_named(content, tmp_path):
    result = build(content, "--shard", "root,d-1850", "--cache-dir", str(tmp_path / "c"),
                   "--site-dir", str(tmp_path / "site"), code=1)
    assert "no shard d-1850 in this site" in result.output
    assert ShardCache(tmp_path / "c").keys() == []  # nothing built


@pytest.mark.parametrize(("args", "message"), [
    (["--shard", "root"], "--shard needs --cache-dir"),
    (["--shard", " , ", "--cache-dir", "c"], "--shard needs shard keys"),
    (["--shard", "root", "--cache-dir", "c", "--merge", "."], "--shard does not go with --merge"),
    (["--shard", "root", "--cache-dir", "c", "--full"], "--shard does not go with --full"),
    (["--groups", "3"], "--groups needs --list-shards"),
    (["--list-shards", "--shard", "root"], "--list-shards does not go with --shard"),
    (["--list-shards", "--cache-dir", "c"], "--list-shards does not go with --cache-dir"),
    (["--merge", ".", "--cache-dir", "c"], "--merge does not go with --cache-dir"),
    (["--merge", ".", "--full"], "--merge does not go with --full"),
])
def test_bad_combinations_are_usage_errors(tmp_path, args, message):
    result = build(tmp_path, *args, code=2)  # refused before anything is read
    assert message in result.output
