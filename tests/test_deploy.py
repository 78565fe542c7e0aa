"""Publishing: a build for a subpath, served by the shipped nginx snippet, works under it."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request

import pytest
import yaml

from generator.build.linkcheck import check_site
from generator.build.site import build_site
from tests.conftest import ROOT
from tests.nginx import free_port, nginx_serving


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    work = tmp_path_factory.mktemp("deploy")
    shutil.copytree(ROOT / "content" / "records", work / "content" / "records")
    port = free_port()
    url = f"http://127.0.0.1:{port}/imr/"
    build_site(
        work / "content",
        work / "site",
        config_file=ROOT / "mkdocs.yml",
        config_overrides={"site_url": url},
    )
    with nginx_serving(work / "site", work, port) as base:
        assert base == url
        yield work / "site", base


def _get(url: str, **headers: str):
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_every_link_resolves_under_the_subpath(served):
    site, _ = served
    assert check_site(site, base_path="/imr/") == []


def test_canonical_and_sitemap_use_the_public_url(served):
    site, base = served
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{base}">' in index
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{base}regions/</loc>" in sitemap


def test_pages_and_hubs_are_served(served):
    _, base = served
    for path in (
        "",
        "regions/",
        "guidelines/acoem-2004/ch-07/",
        "determinations/imr-a2504b6dad7b0147/",
    ):
        status, headers, body = _get(base + path)
        assert status == 200, path
        assert headers["Content-Type"].startswith("text/html")


def test_404_page_works_under_the_subpath(served):
    _, base = served
    status, _, body = _get(base + "no/such/page/")
    assert status == 404
    html = body.decode("utf-8")
    assert "404" in html and 'href="/imr/assets/stylesheets/' in html  # styled, from /imr/


def test_compression_and_cache_headers(served):
    site, base = served
    [css] = (site / "assets" / "stylesheets").glob("main.*.min.css")
    status, headers, _ = _get(f"{base}assets/stylesheets/{css.name}", **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    assert "immutable" in headers.get("Cache-Control", "")
    status, headers, _ = _get(base + "search/search_index.json", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("Cache-Control") == "no-cache"
    assert headers.get("Content-Encoding") == "gzip"
    # the determination search: every content-hashed file (postings, facets, counts, date
    # columns, citations, cards) for a year, its entry point revalidated
    meta = json.loads((site / "search-index" / "meta.json").read_text())
    hashed = sorted(p.name for p in (site / "search-index").glob("*.bin"))
    assert {name[:2] for name in hashed} == {"t-", "f-", "n-", "r-", "c-"}
    for rel in (*hashed, meta["cards"] + "0.bin"):
        status, headers, body = _get(f"{base}search-index/{rel}", **{"Accept-Encoding": "gzip"})
        assert status == 200 and "immutable" in headers.get("Cache-Control", ""), rel
        assert body[:2] == b"\x1f\x8b" and "Content-Encoding" not in headers, rel
    status, headers, _ = _get(base + "search-index/meta.json")
    assert status == 200 and headers.get("Cache-Control") == "no-cache"
    status, headers, body = _get(base + "data/imr-archive.jsonl.gz")
    assert status == 200 and headers["Content-Type"] == "application/gzip"
    assert body[:2] == b"\x1f\x8b"


def test_github_pages_workflow_builds_with_the_site_url():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    script = next(s["run"] for s in steps if "run" in s)
    assert "imr-archive build" in script and "--site-url" in script
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact") for s in steps)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "deploy/nginx-imr-archive.conf" in readme and ".github/workflows/pages.yml" in readme


def test_shards_workflow_plans_builds_groups_apart_and_merges():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "shards.yml").read_text())
    jobs = workflow["jobs"]
    assert set(jobs) == {"plan", "shard", "merge", "deploy"}

    def script(job: str) -> str:
        return "\n".join(s["run"] for s in jobs[job]["steps"] if "run" in s)

    def uses(job: str, action: str) -> dict:
        return next(s for s in jobs[job]["steps"] if s.get("uses", "").startswith(action))

    plan = next(s for s in jobs["plan"]["steps"] if s.get("id") == "plan")
    assert "imr-archive build" in plan["run"] and "--list-shards --groups 4" in plan["run"]
    assert 'groups=$groups" >> "$GITHUB_OUTPUT"' in plan["run"]
    assert jobs["plan"]["outputs"]["groups"] == "${{ steps.plan.outputs.groups }}"

    assert jobs["shard"]["needs"] == "plan"
    matrix = jobs["shard"]["strategy"]["matrix"]
    assert matrix["group"] == "${{ fromJSON(needs.plan.outputs.groups) }}"
    assert '--shard "${{ matrix.group.shards }}" --cache-dir shards' in script("shard")
    upload = uses("shard", "actions/upload-artifact")["with"]
    assert upload["path"].rstrip("/") == "shards" and upload["name"].startswith("shards-")
    assert "${{ strategy.job-index }}" in upload["name"]  # one artifact per group

    assert jobs["merge"]["needs"] == "shard"
    download = uses("merge", "actions/download-artifact")["with"]
    assert download == {"pattern": "shards-*", "path": "shards", "merge-multiple": True}
    assert "--merge shards --site-dir site" in script("merge")
    assert uses("merge", "actions/upload-pages-artifact")["with"] == {"path": "site"}
    assert jobs["deploy"]["needs"] == "merge"
    # every build gets the same address: it is part of each shard's fingerprint
    for job in ("plan", "shard", "merge"):
        assert '--site-url "$SITE_URL"' in script(job)
    assert workflow["env"]["SITE_URL"].startswith("https://${{ github.repository_owner }}")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ".github/workflows/shards.yml" in readme


def test_noindex_switch(tmp_path):
    from click.testing import CliRunner

    from generator.cli import main

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "records", content / "records")
    runner = CliRunner()
    args = ["build", "--content", str(content), "--config", str(ROOT / "mkdocs.yml")]
    assert runner.invoke(main, [*args, "--site-dir", str(tmp_path / "open")]).exit_code == 0
    result = runner.invoke(main, [*args, "--site-dir", str(tmp_path / "closed"), "--noindex"])
    assert result.exit_code == 0, result.output
    for page in (
        "index.html",
        "regions/index.html",
        "determinations/imr-a2504b6dad7b0147/index.html",
    ):
        assert '<meta name="robots" content="noindex, nofollow">' in (
            tmp_path / "closed" / page
        ).read_text(encoding="utf-8")
        assert 'name="robots"' not in (tmp_path / "open" / page).read_text(encoding="utf-8")
    assert "Disallow: /" in (tmp_path / "closed" / "robots.txt").read_text()
    assert not (tmp_path / "open" / "robots.txt").exists()


def test_without_site_url_every_page_works_from_any_folder(tmp_path):
    """All links are relative; only the 404 page (served for any path) needs --site-url."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "records", content / "records")
    build_site(content, tmp_path / "site", config_file=ROOT / "mkdocs.yml")
    broken = check_site(tmp_path / "site", base_path="/any/folder/")
    assert {b.page for b in broken} <= {"404.html"}
