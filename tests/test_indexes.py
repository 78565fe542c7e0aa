"""The determinations index and the folder index pages (generator/pages/indexes.py)."""

from __future__ import annotations

import datetime as dt
import shutil

from hypothesis import given
from hypothesis import strategies as st

from generator.pages.indexes import determinations_index, folder_indexes, page_title
from generator.pages.markdown import front_matter
from generator.record.dating import newest_first
from tests.factories import make_item, make_record


def _records(n: int):
    return newest_first(
        make_record(items=[make_item(f"service {i}")], decision_date=dt.date(2015, 1, 1)
                    + dt.timedelta(days=i))
        for i in range(n)
    )


def test_paginated_newest_first_numbered_from_the_oldest():
    recs = _records(7)  # newest first
    pages = determinations_index(recs, page_size=3)
    assert [p for p, _ in pages] == [
        "determinations/index.md",  # the newest 4: a full page and the one past it
        "determinations/page/1.md",  # the oldest 3
    ]
    first = pages[0][1]
    assert "the newest 4 of 7" in first and "[Older →](page/1.md)" in first
    assert first.index(recs[0].id) < first.index(recs[3].id)
    assert recs[4].id not in first
    assert "[← Newer](../index.md)" in pages[1][1]
    assert "1–3, counted from the oldest" in pages[1][1]
    assert [r.id for r in recs[4:]] == [i for i in (r.id for r in recs) if i in pages[1][1]]


def test_empty_archive_has_an_index():
    [(path, md)] = determinations_index([])
    assert path == "determinations/index.md" and "No determinations yet" in md


def test_every_folder_gets_an_index():
    pages = {
        "index.md": "# Home\n",
        "regions/index.md": "---\ntitle: Regions\n---\n",
        "regions/knee/index.md": "---\ntitle: Knee\n---\n",
        "regions/knee/page/2.md": "---\ntitle: Knee, page 2\n---\n",
        "regions/knee/page/10.md": "---\ntitle: Knee, page 10\n---\n",
    }
    out = folder_indexes(pages, ["data/extra/file.csv"])
    assert sorted(out) == ["data/extra/index.md", "data/index.md", "regions/knee/page/index.md"]
    knee = out["regions/knee/page/index.md"]
    assert page_title(knee) == "Knee: page"
    assert "[Knee](../index.md)" in knee
    assert knee.index("[Knee, page 2](2.md)") < knee.index("[Knee, page 10](10.md)")
    assert "file.csv" not in out["data/extra/index.md"]
    # a folder of data files only (case-numbers/) does not end on "This folder holds:"
    assert "holds data files only" in out["data/extra/index.md"]
    assert "This folder holds:" not in out["data/extra/index.md"]


def test_page_title():
    assert page_title("---\ntitle: 'A: b'\n---\n# x") == "A: b"
    assert page_title("# no front matter") is None


def test_built_404_and_about(built_site):
    page404 = (built_site / "404.html").read_text(encoding="utf-8")
    assert 'name="q"' in page404 and "All determinations, newest first" in page404
    for hub in ("regions/", "services/", "guidelines/", "data/"):
        assert f'href="/{hub}"' in page404
    about = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'rel="license"' in about and "Last updated" in about
    assert (built_site / "determinations" / "index.html").is_file()


def test_about_page_of_an_undated_archive_says_the_date_is_not_known(tmp_path):
    """No dated determination: the site builds (it failed: a date before 1970 for MkDocs),
    and its About page gives no made-up last update."""
    from generator.build.site import build_site
    from generator.record.store import write_record
    from tests.conftest import ROOT

    shutil.copytree(ROOT / "content" / "pages", tmp_path / "content" / "pages")  # about.md
    write_record(make_record(year=None), tmp_path / "content" / "records")
    build_site(tmp_path / "content", tmp_path / "site", config_file=ROOT / "mkdocs.yml")
    about = (tmp_path / "site" / "about" / "index.html").read_text(encoding="utf-8")
    assert "Last updated" in about and "no determination in the archive is dated" in about
    assert "1900-01-01" not in about and "1970-01-01" not in about


@given(st.text(max_size=60), st.booleans())
def test_page_title_reads_what_front_matter_writes(title, searched):
    meta = {"title": title, "search": {"exclude": True}} if searched else {"title": title}
    page = front_matter(meta) + "# x\n"
    assert page_title(page) == (title or None)


def test_page_title_of_hand_written_front_matter_is_yaml_s():
    assert page_title('---\ntitle: "x"\ntitle: "y"\n---\n') == "y"
    assert page_title('---\ntitle: "x"\n: [\n---\n') is None  # not YAML: no title
    assert page_title('---\ntitle: "a\x85b"\n---\n') == "a b"
