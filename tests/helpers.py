"""Helpers shared by the tests (not shipped in the package)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path

LETTER_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "letters"


def fixture_letters(folder: str) -> dict[str, str]:
    """The letters of tests/fixtures/letters/<folder> by file stem, their bytes as
    written (CRLF, run-on lines and all), decoded as UTF-8."""
    return {
        p.stem: p.read_bytes().decode("utf-8")
        for p in sorted((LETTER_FIXTURES / folder).glob("*.txt"))
    }


def some_records(content: Path, step: int = 12, count: int = 20) -> Path:
    """content/records holding every `step`-th bundled record, `count` at most: a small
    archive to build twice."""
    (content / "records").mkdir(parents=True)
    bundled = sorted((Path(__file__).resolve().parent.parent / "content" / "records").glob(
        "*.json"))
    for path in bundled[::step][:count]:
        (content / "records" / path.name).write_bytes(path.read_bytes())
    return content


def unpack(blob: bytes) -> object:
    """A file of the determination search's index (gzip'd JSON) read back."""
    return json.loads(gzip.decompress(blob).decode("utf-8"))


def read_dates(index: Path, name: str) -> list[dt.date | None]:
    """A date column of the determination search's index (meta.json's dates[name]) read
    back: the date of each determination, in document order."""
    from generator.search.datecolumn import decode

    entry = json.loads((index / "meta.json").read_text())["dates"][name]
    days = {year: gzip.decompress((index / file).read_bytes()) for year, file in entry["days"]}
    return decode(entry["width"], gzip.decompress((index / entry["years"]).read_bytes()), days)


class Html(HTMLParser):
    """One parse of an HTML text for the tests: every start tag with its attributes, the
    text by the path of open elements, element ids, links, loaded resources and the
    links of Material's primary navigation."""

    # written self-closed in SVG but parsed as start tags: never left open
    _NEVER_OPEN = frozenset({"line", "circle", "polyline"})

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: dict[str, list[str]] = {}  # "figure/svg/desc" -> its texts
        self.texts: list[str] = []  # all text, in document order
        self.ids: set[str] = set()
        self.links: list[str] = []  # every href
        self.resources: list[str] = []  # what the page loads: <link href>, src of media/scripts
        self.nav_links: list[str] = []  # hrefs inside nav.md-nav--primary
        self._open: list[tuple[str, dict]] = []
        self.feed(html)

    def _tag(self, tag: str, attrs: dict) -> None:
        self.tags.append((tag, attrs))
        if attrs.get("id") is not None:
            self.ids.add(attrs["id"])
        if attrs.get("href") is not None:
            self.links.append(attrs["href"])
            if any(_primary_nav(t, a) for t, a in self._open):
                self.nav_links.append(attrs["href"])
            if tag == "link":
                self.resources.append(attrs["href"])
        if tag in ("script", "img", "iframe", "source") and attrs.get("src"):
            self.resources.append(attrs["src"])

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._tag(tag, a)
        if tag not in self._NEVER_OPEN:
            self._open.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, dict(attrs))

    def handle_endtag(self, tag):
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        key = "/".join(t for t, _a in self._open)
        self.text.setdefault(key, []).append(data)
        self.texts.append(data)



def _primary_nav(tag: str, attrs: dict) -> bool:
    return tag == "nav" and "md-nav--primary" in (attrs.get("class") or "")


_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)


def html_tables(page: str) -> list[list[list[str]]]:
    """The HTML tables of a page (generator.pages.htmltable): each a list of rows, the
    header row first, each row its cells' inner HTML."""
    return [
        [_CELL.findall(row) for row in _ROW.findall(table)]
        for table in re.findall(r"<table>(.*?)</table>", page, re.S)
    ]


def determination_ids(page: str) -> list[str]:
    """The determinations a page links to, in order (Markdown or HTML links)."""
    return re.findall(r"determinations/((?:CM\d\d-\d{7}|imr-[0-9a-f]{16}))(?:\.md\)|/\")", page)
