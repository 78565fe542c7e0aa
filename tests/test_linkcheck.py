"""The link checker finds missing files, missing anchors and script URLs; passes good links;
finds the same with one process or a pool, and shows its progress."""

from __future__ import annotations

from generator.build import linkcheck
from generator.build.linkcheck import check_site, run_check
from tests import linkcheck_oracle as oracle


def _site(tmp_path, pages):
    for path, html in pages.items():
        f = tmp_path / path
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(html)
    return tmp_path


def test_good_links_pass(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="a/">a</a><a href="a/#sec">s</a><a href="#top">t</a>'
            '<p id="top"></p><a href="https://example.org/x">ext</a>'
            '<img src="img/x.png">',
            "a/index.html": '<h2 id="sec">S</h2><a href="../">home</a><a href="/a/">abs</a>',
            "img/x.png": "",
        },
    )
    assert check_site(site) == []


def test_broken_links_are_reported(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="missing/">m</a><a href="a/#nope">n</a>'
            '<a href="javascript:alert(1)">j</a><a href="data:text/html,x">d</a>'
            '<a href="../../etc/passwd">up</a>',
            "a/index.html": "<p>no ids</p>",
        },
    )
    reasons = sorted((b.target, b.reason) for b in check_site(site))
    assert reasons == [
        ("../../etc/passwd", "no such file"),
        ("a/#nope", "no element with id 'nope'"),
        ("data:text/html,x", "data: URL"),
        ("javascript:alert(1)", "javascript: URL"),
        ("missing/", "no such file"),
    ]


def test_subpath_site(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="/imr/a/">ok</a><a href="/a/">outside</a>',
            "a/index.html": "",
        },
    )
    [broken] = check_site(site, base_path="/imr/")
    assert broken.target == "/a/" and "outside" in broken.reason


def _many_pages(tmp_path, n=12):
    """n pages in folders p00..; p00 links to a missing file, p09 to a missing anchor of
    p01 and to one of its own, and p05 to a good anchor of p10: far apart in the order."""
    pages = {"index.html": "".join(f'<a href="p{i:02d}/">{i}</a>' for i in range(n))}
    for i in range(n):
        j = (i + 1) % n
        pages[f"p{i:02d}/index.html"] = (
            f'<h2 id="s{i}">S</h2><a href="../">up</a><a href="../p{j:02d}/#s{j}">next</a>'
        )
    pages["p00/index.html"] += '<a href="../nowhere/">m</a>'
    pages["p09/index.html"] += '<a href="../p01/#gone">g</a><a href="#mine">o</a>'
    pages["p05/index.html"] += '<a href="../p10/#s10">ok</a><img src="../p11/">'
    return _site(tmp_path, pages)


def test_the_pool_finds_broken_links_and_anchors_in_different_chunks(tmp_path):
    site = _many_pages(tmp_path)
    found = run_check(site, jobs=2, chunk_pages=2)
    assert [(b.page, b.target, b.reason) for b in found.broken] == [
        ("p00/index.html", "../nowhere/", "no such file"),
        ("p09/index.html", "../p01/#gone", "no element with id 'gone'"),
        ("p09/index.html", "#mine", "no element with id 'mine'"),
    ]
    assert found.pages == 13
    assert 1 <= len(found.worker_peaks_kib) <= 2  # the workers given a run of pages
    assert all(k > 10_000 for k in found.worker_peaks_kib)


def test_one_process_or_two_find_the_same(tmp_path):
    site = _many_pages(tmp_path)
    one = run_check(site, jobs=1, chunk_pages=3)
    two = run_check(site, jobs=2, chunk_pages=3)
    assert one.broken == two.broken == oracle.check_site(site) != []
    assert one.worker_peaks_kib == []  # jobs=1: this process only


def test_progress_lines_off_a_terminal(tmp_path, monkeypatch, capsys):
    site = _many_pages(tmp_path)
    monkeypatch.setattr(linkcheck, "PROGRESS_EVERY", 0.0)
    run_check(site, jobs=1, chunk_pages=5, progress=True)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("[linkcheck] 5/13 pages (") and lines[0].endswith(" s left")
    assert lines[-1].startswith("[linkcheck] 13/13 pages (")  # and a last line once done
    assert len(lines) == 3
    run_check(site, jobs=1, chunk_pages=5)
    assert capsys.readouterr().err == ""


def test_time_left():
    from generator.progress import duration

    assert [duration(s) for s in (0.4, 45, 112, 3600 + 185)] == [
        "0 s",
        "45 s",
        "1 min 52 s",
        "1 h 3 min",
    ]
