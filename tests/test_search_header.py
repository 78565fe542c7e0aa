"""The determination search: facet values and labels, the search page, the header-search
threshold, the index in a built site, and a smoke run of benchmarks/site.py."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from generator.build.site import build_site
from generator.pages.assemble import assemble
from generator.pages.urls import SEARCH_PAGE
from generator.record import guideline_hubs
from generator.record.store import load_records, write_record
from generator.search.header import (
    FACET_NAMES,
    facet_labels,
    facet_values,
    in_header_search,
    search_page,
)
from tests.conftest import ROOT
from tests.factories import make_citation, make_item, make_record, seed_like_record
from tests.helpers import unpack

CONFIG = ROOT / "mkdocs.yml"


# --- facets and markup ---------------------------------------------------------------


def test_facet_values_of_the_seed_record():
    assert facet_values(seed_like_record()) == {
        "region": ["neck-cervical"],
        "service": ["evaluation-management"],
        "subcategory": [],
        "guideline": ["acoem-2004"],
        "section": ["acoem-2004/ch-07"],
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


def test_search_page_configures_the_index_and_every_facet_label():
    records = [seed_like_record()]
    page = search_page(records)
    config = json.loads(page.split('id="imr-dsearch-config">')[1].split("</script>")[0])
    assert config["index"] == "../search-index/" and config["root"] == "../"
    assert [f["name"] for f in config["facets"]] == FACET_NAMES
    by_name = {f["name"]: f["values"] for f in config["facets"]}
    assert by_name["region"] == {"neck-cervical": "Neck (cervical spine)"}
    assert by_name["section"] == {"acoem-2004/ch-07": guideline_hubs.title("acoem-2004/ch-07")}
    assert config["csvHeader"].startswith("id,") and config["minRate"] == 10
    # the engine is loaded before the page's script, both from the site itself
    engine = page.index('src="../assets/javascripts/imr-search-engine.js"')
    assert engine < page.index('src="../assets/javascripts/imr-determination-search.js"')


def test_record_text_in_the_search_page_stays_text():
    nasty = "Orthopedic </script><script>alert(1)</script> Surgery"
    record = seed_like_record()
    record = record.model_copy(
        update={"reviewer": record.reviewer.model_copy(update={"specialties": [nasty]})}
    )
    page = search_page([record])
    # nothing ends the config's <script> early: four </script>, config and three scripts
    assert page.count("</script>") == 4
    config = json.loads(page.split('id="imr-dsearch-config">')[1].split("</script>")[0])
    assert list(config["facets"][-1]["values"].values()) == [nasty]


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
    assert {"Search determinations": SEARCH_PAGE} in large.nav
    # synthetic records stay out of the header search at any size
    fake = [r.model_copy(update={"synthetic": True}) for r in records]
    for r in fake:
        page = assemble(fake, header_search_max=3).pages[f"determinations/{r.id}.md"]
        assert "search:\n  exclude: true\n" in page
    assert "The search box in the header covers hubs" in large.pages[SEARCH_PAGE]


# --- the index of a built site ----------------------------------------------------------


def test_built_site_has_the_index_of_every_determination(tmp_path):
    records = _records(5)
    for r in records:
        write_record(r, tmp_path / "content" / "records")
    site = tmp_path / "site"
    report = build_site(
        tmp_path / "content", site, config_file=CONFIG, header_search_max=0, progress=False
    )
    assert report.indexed == 5 and report.index_bytes > 0
    meta = json.loads((site / "search-index" / "meta.json").read_text())
    assert meta["documents"] == 5
    folder = site / "search-index" / meta["cards"]
    cards = [unpack((folder / f"{n}.bin").read_bytes()) for n in range(5)]
    assert sorted(c["id"] for c in cards) == sorted(r.id for r in records)
    for card in cards:  # each card links to a page that exists
        assert (site / card["url"] / "index.html").is_file()
    # the header search has hubs, not determinations (header_search_max=0)
    index = json.loads((site / "search" / "search_index.json").read_text())
    locations = {d["location"] for d in index["docs"]}
    assert not [loc for loc in locations if loc.startswith("determinations/")]
    assert any(loc.startswith("regions/") for loc in locations)
    assert report.generator_seconds > 0 and report.seconds["mkdocs"] > 0
    assert report.seconds["index"] > 0
    assert 0 < report.largest_page[1] < 500_000


def test_extra_imr_settings_come_from_the_config(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {CONFIG}\nextra:\n  imr:\n    header_search_max_determinations: 0\n",
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
    rows = ("ingest", "MkDocs build", "determination search index", "header search index",
            "site size")
    for row in rows:
        assert row in result.stdout
    numbers = json.loads(out.read_text())
    assert numbers["build"]["records"] == 1000 and numbers["build"]["indexed"] == 1000
    assert numbers["build"]["peak_kib"] > 0 and numbers["index_bytes"] > 0
    assert "[build] mkdocs" in result.stderr  # the build shows its phases


def test_site_benchmark_search_only(tmp_path):
    """Smoke test of benchmarks/site.py --search-only: the site built from the newest 100
    of 400 records, then the index and the search page's configuration from all 400."""
    out = tmp_path / "numbers.json"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "site.py"), "--n", "400", "--shell", "100",
         "--search-only", "--no-browser", "--work", str(tmp_path / "work"), "--json", str(out)],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "NOT measured" in result.stdout and "determination search index build" in result.stdout
    numbers = json.loads(out.read_text())
    assert numbers["shell"]["records"] == 100
    assert numbers["index"]["indexed"] == 400 and numbers["index"]["records"] == 400
    page = (tmp_path / "work" / "site" / "search" / "index.html").read_text(encoding="utf-8")
    assert "all 400 determinations" in page
    config = re.search(r'id="imr-dsearch-config">(.*?)</script>', page, re.S).group(1)
    labels = facet_labels(load_records(tmp_path / "work" / "content" / "records")[0])
    assert {f["name"]: f["values"] for f in json.loads(config)["facets"]} == labels


def test_header_search_limit_negative_means_no_limit():
    assert in_header_search(320, 320) and not in_header_search(321, 320)
    assert in_header_search(10**6, -1) and not in_header_search(1, 0)
    records = [make_record(year=2013 + n, synthetic=False) for n in range(3)]
    site = assemble(records, header_search_max=-1)
    for r in records:
        assert "exclude: true" not in site.pages[f"determinations/{r.id}.md"].split("---")[1]


def test_the_search_page_says_drug_names_find_each_other():
    """The help under the results says what the index does (search/items.py: an item's
    words include the other names of a drug it names)."""
    assert "Norco, hydrocodone" in search_page([seed_like_record()])
