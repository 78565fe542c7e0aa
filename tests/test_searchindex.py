"""The determination search: facet values and page markup, the header-search threshold, the
Pagefind index of a built site (one bundle and shards), and a smoke run of benchmarks/site.py."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.assemble import assemble
from generator.pages import determination_page
from generator.records import write_record
from generator.searchindex import (
    FACET_NAMES,
    SEARCH_PAGE,
    bundle_paths,
    facet_labels,
    facet_values,
    pagefind_markup,
    pages_by_shard,
    shard_count,
)
from generator.site import build_site
from tests.conftest import ROOT
from tests.factories import make_citation, make_item, make_record, seed_like_record
from tests.test_pages import render

CONFIG = ROOT / "mkdocs.yml"


class Spans(HTMLParser):
    """data-pagefind-filter / -meta values of rendered HTML."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.filters: dict[str, list[str]] = {}
        self.meta: dict[str, str] = {}
        self.ignored: list[str] = []
        self._open: tuple[str, str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-pagefind-ignore" in a:
            self.ignored.append(tag)
        if "data-pagefind-filter" in a:
            self._open = ("filter", a["data-pagefind-filter"])
        elif "data-pagefind-meta" in a:
            self._open = ("meta", a["data-pagefind-meta"])

    def handle_data(self, data):
        if self._open:
            kind, name = self._open
            if kind == "filter":
                self.filters.setdefault(name, []).append(data)
            else:
                self.meta[name] = data
            self._open = None


# --- facets and markup ---------------------------------------------------------------


def test_facet_values_of_the_seed_record():
    assert facet_values(seed_like_record()) == {
        "region": ["neck-cervical"],
        "service": ["evaluation-management"],
        "guideline": ["acoem-2004"],
        "outcome": ["upheld"],
        "year": ["2013"],
        "specialty": ["orthopedic-surgery"],
    }


def test_outcome_facet_lists_every_decision_and_undated_records_have_a_year_value():
    record = make_record(
        items=[make_item(decision="upheld"), make_item(service="Other", decision="overturned")],
        year=None,
    )
    values = facet_values(record)
    assert values["outcome"] == ["overturned", "upheld"]
    assert values["year"] == ["undated"]


def test_page_carries_filters_and_meta_as_the_record_says():
    record = seed_like_record()
    spans = Spans(render(determination_page(record)))
    assert spans.filters == facet_values(record)
    assert spans.meta["id"] == record.id
    assert spans.meta["year"] == "2013"
    assert json.loads(spans.meta["services"]) == [["Spine consultant w/non MPN", "upheld"]]
    # labels every page repeats stay out of the index
    assert {"h2", "h3", "p"} <= set(spans.ignored)


def test_record_text_in_the_markup_stays_text():
    nasty = 'MRI <script>alert(1)</script> "quoted" & </span></div>'
    record = make_record(items=[make_item(service=nasty)])
    markup = pagefind_markup(record)
    assert "<script>" not in markup and "</span></div>" not in markup.split("services")[1][:60]
    spans = Spans(render(determination_page(record)))
    assert json.loads(spans.meta["services"])[0][0] == nasty


def test_facet_labels_name_every_value():
    odg = make_citation(guideline="odg", key="odg", chapter=None)
    records = [seed_like_record(), make_record(items=[make_item(reviewer_citations=[odg])])]
    labels = facet_labels(records)
    assert list(labels) == FACET_NAMES
    assert labels["region"]["neck-cervical"] == "Neck (cervical spine)"
    assert labels["specialty"]["orthopedic-surgery"] == "Orthopedic Surgery"
    for facet in FACET_NAMES:
        used = {v for r in records for v in facet_values(r)[facet]}
        assert used == set(labels[facet])


def test_shards_are_stable_and_cover_all_bundles():
    assert shard_count(0) == shard_count(25_000) == 1
    assert shard_count(100_000, 25_000) == 4
    assert bundle_paths(1) == ["pagefind/"]
    assert bundle_paths(3) == ["pagefind/", "pagefind-1/", "pagefind-2/"]


def test_shards_split_the_pages_in_runs_none_empty(tmp_path):
    for i in range(5):
        page = tmp_path / "determinations" / f"CM15-{i:07d}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text("<html></html>")
    groups = pages_by_shard(tmp_path, 3)
    assert [len(g) for g in groups] == [2, 2, 1]
    assert sorted(p for g in groups for p in g) == [p for g in groups for p in g]


# --- the header search threshold ------------------------------------------------------


def _records(n: int):
    return [
        make_record(id=f"CM15-{i:07d}", items=[make_item(service=f"Service {i}")])
        for i in range(n)
    ]


def test_determinations_leave_the_header_search_above_the_threshold():
    records = [r.model_copy(update={"synthetic": False}) for r in _records(3)]
    small = assemble(records, header_search_max=3)
    large = assemble(records, header_search_max=2)
    for r in records:
        path = f"determinations/{r.id}.md"
        assert "search:\n  boost: 1\n" in small.pages[path]
        assert "search:\n  exclude: true\n" in large.pages[path]
        assert "pagefind: true" in large.pages[path]
    assert {"Search determinations": SEARCH_PAGE} in large.nav
    # synthetic records stay out of the header search at any size
    fake = [r.model_copy(update={"synthetic": True}) for r in records]
    for r in fake:
        page = assemble(fake, header_search_max=3).pages[f"determinations/{r.id}.md"]
        assert "search:\n  exclude: true\n" in page and "pagefind: true" in page
    assert "The search box in the header covers hubs" in large.pages[SEARCH_PAGE]


# --- the index of a built site ----------------------------------------------------------


def _pagefind_pages(bundle: Path) -> int:
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    return sum(lang["page_count"] for lang in entry["languages"].values())


@pytest.mark.parametrize("shard_size", [1000, 2])
def test_built_site_indexes_only_determinations(tmp_path, shard_size):
    records = _records(5)
    for r in records:
        write_record(r, tmp_path / "content" / "records")
    site = tmp_path / "site"
    report = build_site(
        tmp_path / "content", site, config_file=CONFIG, header_search_max=0,
        search_shard_size=shard_size, progress=False,
    )
    shards = 1 if shard_size == 1000 else 3
    assert report.search_shards == shards and report.indexed == 5
    bundles = [site / p for p in bundle_paths(shards)]
    assert sum(_pagefind_pages(b) for b in bundles) == 5
    assert (site / "pagefind" / "pagefind.js").is_file()
    # no hub, home or search page was indexed: every fragment is a determination
    for bundle in bundles:
        for fragment in (bundle / "fragment").glob("*.pf_fragment"):
            data = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd"):])
            assert data["url"].startswith("/determinations/"), data["url"]
            assert set(data["filters"]) == set(FACET_NAMES)
            assert "Facts" not in data["content"] and "Determination imr" not in data["content"]
    # the header search has hubs, not determinations (header_search_max=0)
    index = json.loads((site / "search" / "search_index.json").read_text())
    locations = {d["location"] for d in index["docs"]}
    assert not [loc for loc in locations if loc.startswith("determinations/")]
    assert any(loc.startswith("regions/") for loc in locations)
    assert report.generator_seconds > 0 and report.seconds["mkdocs"] > 0
    assert 0 < report.largest_page[1] < 500_000


def test_extra_imr_settings_come_from_the_config(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {CONFIG}\nextra:\n  imr:\n    header_search_max_determinations: 0\n"
        "    search_shard_size: 1\n",
        encoding="utf-8",
    )
    # INHERIT paths are relative to the file: theme/custom_dir must resolve from the repo
    config.write_text(
        config.read_text().replace(f"INHERIT: {CONFIG}", f"INHERIT: {CONFIG}\n"
                                   f"theme:\n  custom_dir: {ROOT / 'theme'}"),
        encoding="utf-8",
    )
    for r in _records(2):
        write_record(r, tmp_path / "content" / "records")
    report = build_site(tmp_path / "content", tmp_path / "site", config_file=config,
                        progress=False)
    assert not report.in_header_search
    assert report.search_shards == 2


# --- the benchmark --------------------------------------------------------------------


def test_site_benchmark_runs_at_1000(tmp_path):
    """Smoke test of benchmarks/site.py (not a timing assertion): 1,000 synthetic letters
    generated, ingested and built; the table names every step."""
    out = tmp_path / "numbers.json"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "site.py"), "--n", "1000", "--no-browser",
         "--work", str(tmp_path / "work"), "--json", str(out)],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for row in ("ingest", "MkDocs build", "Pagefind index", "header search index", "site size"):
        assert row in result.stdout
    numbers = json.loads(out.read_text())
    assert numbers["build"]["records"] == 1000 and numbers["build"]["indexed"] == 1000
    assert numbers["build"]["peak_kib"] > 0 and numbers["build"]["index_peak_kib"] > 0
    assert "[build] mkdocs" in result.stderr  # the build shows its phases
