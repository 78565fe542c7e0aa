"""The link checker finds missing files, missing anchors and script URLs; passes good links."""

from __future__ import annotations

from generator.build.linkcheck import check_site


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
