"""Tables written as the HTML Python-Markdown would make of them. Pure: no I/O.

A listing page holds a table of 50 rows with links, escapes and badges in every cell;
Python-Markdown spends about two thirds of such a page's time on its table (inline
patterns over every cell), and an archive has tens of thousands of listing pages. A
raw HTML block is passed through untouched, so :func:`table` writes the table as HTML,
byte for byte what Python-Markdown and MkDocs make of the Markdown table (tested in
tests/test_htmltable.py): the cells' Markdown is converted here, with links to docs
pages turned into the relative URLs MkDocs gives them (directory URLs, as the site's
configuration sets). A cell with any Markdown this module does not convert (emphasis,
code, images, ...) makes the whole table a Markdown table again, so a table is never
wrong, only slower.

These links are not seen by MkDocs' link validation (it validates Markdown links); the
build's own link check (generator.build.linkcheck) checks every link of the built site.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from functools import lru_cache

from generator.pages.markdown import table as markdown_table

# Characters Python-Markdown unescapes after a backslash (its ESCAPED_CHARS).
_ESCAPABLE = frozenset("\\`*_{}[]()#+-.!")
_TOKEN = re.compile(
    r"(?P<escape>\\(?P<char>.))"
    r"|(?:\*\*(?P<strong>[^*]+)\*\*)"
    r"|(?P<link>\[(?P<text>(?:\\.|[^\[\]\\])*)\]"
    r"\((?P<url>[^()\s<>\"']+)(?: \"(?P<title>(?:\\.|[^\"\\])*)\")?\))"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z-]+(?:=\"[^\"<>]*\")?)*\s*/?>)"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
)
# In plain text between tokens: anything that could start Markdown syntax we do not
# convert (emphasis, code, brackets, raw HTML, attribute lists, stray backslashes).
_UNHANDLED = re.compile(r"[\\`*_{}\[\]<>&]|!\[|  $")
_ALIGN = {"---": "", "--:": ' style="text-align: right;"', ":--": ' style="text-align: left;"',
          ":-:": ' style="text-align: center;"'}


def page_url(path: str) -> str:
    """The URL (from the site root) MkDocs gives docs file `path` with directory URLs:
    'a/b.md' -> 'a/b/', 'a/index.md' -> 'a/', 'index.md' -> './'; other files keep
    their path."""
    if not path.endswith(".md"):
        return path
    stem = path[: -len(".md")]
    folder, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        return (folder or ".") + "/"
    return stem + "/"


def _parts(url: str) -> list[str]:
    out: list[str] = []
    for part in url.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if out:
                out.pop()
        else:
            out.append(part)
    return out


def relative_url(url: str, other: str) -> str:
    """`url` relative to the page at `other` (both from the site root), as MkDocs'
    utils.get_relative_url computes it."""
    folder, _, base = other.rpartition("/")
    if "." in base:
        other = folder
    there, here = _parts(url), _parts(other)
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(here) - common) + there[common:]) or "."
    return rel + "/" if url.endswith("/") else rel


@lru_cache(maxsize=1 << 12)  # a listing page links the same hubs from many rows
def _href(url: str, here: str) -> str | None:
    """The href MkDocs writes for a relative link `url` in docs page `here`; None for
    one that is not a relative link to a file of the site."""
    if ":" in url or url.startswith(("/", "#")):
        return None
    target, hash_, fragment = url.partition("#")
    target, mark, query = target.partition("?")
    if not target:  # a link to this page itself: left to Markdown
        return None
    docs_path = posixpath.normpath(posixpath.join(posixpath.dirname(here), target))
    if docs_path.startswith("../") or docs_path == "..":
        return None
    return relative_url(page_url(docs_path), page_url(here)) + mark + query + hash_ + fragment


class Rendered(str):
    """A table cell's Markdown (what it is as a str, for a Markdown table) with the HTML
    made of it already (`html`), by code that knows what its links lead to."""

    html: str

    def __new__(cls, markdown: str, html: str) -> Rendered:
        cell = super().__new__(cls, markdown)
        cell.html = html
        return cell


def up_to_root(here: str) -> str:
    """The relative URL from docs page `here`'s URL to the site root ('../../', '' for
    the home page): a link to any page outside here's first folder starts with it."""
    return "../" * len(_parts(page_url(here)))


def link_html(text: str, href: str) -> str | None:
    """The HTML of a link cell `[text](...)` whose href (as MkDocs writes it) is known."""
    inner = _linkless_html(text)
    return None if inner is None else f'<a href="{_attribute(href)}">{inner}</a>'


def cell_html(cell: str, here: str) -> str | None:
    """The HTML Python-Markdown (with MkDocs' links) makes of one table cell written in
    docs page `here`, or None when the cell holds Markdown this module does not convert."""
    if "](" not in cell:  # no link: the same HTML on every page (a listing repeats cells)
        return _linkless_html(cell)
    return _cell_html(cell, here)


@lru_cache(maxsize=1 << 16)
def _linkless_html(cell: str) -> str | None:
    return _cell_html(cell, "index.md")


def _cell_html(cell: str, here: str) -> str | None:
    out: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(cell):
        if not _plain(cell[pos : m.start()], out):
            return None
        pos = m.end()
        if m.group("escape") is not None:
            char = m.group("char")
            if char not in _ESCAPABLE:
                return None
            out.append(char)
        elif m.group("strong") is not None:
            inner = _cell_html(m.group("strong"), here)
            if inner is None or inner != inner.strip():
                return None
            out.append(f"<strong>{inner}</strong>")
        elif m.group("link") is not None:
            text = _cell_html(m.group("text"), here)
            href = _href(m.group("url"), here)
            if text is None or href is None:
                return None
            title = m.group("title")
            if title is not None:
                title = _unescape(title)
                if title is None:
                    return None
                out.append(f'<a href="{_attribute(href)}" title="{_attribute(title)}">{text}</a>')
            else:
                out.append(f'<a href="{_attribute(href)}">{text}</a>')
        else:
            out.append(m.group(0))  # inline HTML and entities pass as they are
    if not _plain(cell[pos:], out):
        return None
    return "".join(out).strip()


_AMP = re.compile(r"&(?!(?:\#[0-9]+|\#x[0-9a-f]+|[0-9a-z]+);)", re.IGNORECASE)


def _attribute(value: str) -> str:
    """An attribute value escaped as Python-Markdown's serializer escapes it (an entity
    stays an entity)."""
    return _AMP.sub("&amp;", value).replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _unescape(text: str) -> str | None:
    """A link title's text: backslash escapes undone (None: one Markdown does not undo)."""
    if any(m.group(1) not in _ESCAPABLE for m in re.finditer(r"\\(.)", text)):
        return None
    return re.sub(r"\\(.)", r"\1", text)


def _plain(text: str, out: list[str]) -> bool:
    if _UNHANDLED.search(text):
        return False
    out.append(text)
    return True


def table(
    header: Sequence[str], rows: Sequence[Sequence[str]], here: str, align: str = "---"
) -> list[str]:
    """The table as a raw HTML block (the lines, then a blank line), or as a Markdown
    table (markdown.table) when a cell holds Markdown that cell_html does not convert.
    Cells are Markdown, as for markdown.table; `here` is the page's docs path."""
    html = html_only(header, rows, here, align)
    return html if html is not None else markdown_table(header, rows, align)


def html_only(
    header: Sequence[str], rows: Sequence[Sequence[str]], here: str, align: str = "---"
) -> list[str] | None:
    """The table as a raw HTML block (see table), or None when it cannot be one."""
    if not rows or align not in _ALIGN:
        return None
    style = _ALIGN[align]
    lines = ["<table>", "<thead>", "<tr>"]
    for cell in header:
        html = cell_html(cell, here)
        if html is None:
            return None
        lines.append(f"<th{style}>{html}</th>")
    lines += ["</tr>", "</thead>", "<tbody>"]
    for row in rows:
        lines.append("<tr>")
        for cell in row:
            html = cell.html if isinstance(cell, Rendered) else cell_html(cell, here)
            if html is None:
                return None
            lines.append(f"<td{style}>{html}</td>")
        lines.append("</tr>")
    lines += ["</tbody>", "</table>", ""]
    return lines
