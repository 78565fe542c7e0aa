"""Markdown building blocks shared by every page builder. Pure: no I/O.

Every string that comes from a record goes through :func:`md_escape` (or
:func:`md_paragraphs`, which calls it per paragraph) so that HTML, Markdown,
Jinja, front matter and pymdown syntax in a letter stay literal text. Page
titles, which Material prints unescaped into `<title>`, go through
:func:`plain_title`. Text placed inside raw HTML blocks (charts, download
links) goes through :func:`html_text`. Links are relative `.md` paths so
MkDocs checks them.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Sequence

import yaml

from generator.pages.urls import download_name, hub_path
from generator.record import taxonomy

# --- escaping ----------------------------------------------------------------

# Characters Python-Markdown unescapes after a backslash (its ESCAPED_CHARS).
_BACKSLASH = frozenset("\\`*_{}[]()#+-.!")
# Characters written as entities: HTML, table cells, and syntax of optional
# extensions (pymdownx tilde/caret/mark/arithmatex/magiclink) that a backslash
# would not neutralise whatever extensions a site enables.
_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "|": "&#124;",
    "~": "&#126;",
    "^": "&#94;",
    "=": "&#61;",
    "$": "&#36;",
    "@": "&#64;",
    ":": "&#58;",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def md_escape(text: str) -> str:
    """Record text as one line of literal Markdown (safe in paragraphs, headings, table cells).

    Whitespace (newlines included) collapses to single spaces, so no block
    syntax (lists, headings, code, front matter, admonitions) can start.
    """
    text = " ".join(_CONTROL.sub(" ", text).split())
    out = []
    for ch in text:
        if ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        elif ch in _BACKSLASH:
            out.append("\\" + ch)
        else:
            out.append(ch)
    escaped = "".join(out)
    if escaped.startswith("?"):  # `???` opens a pymdownx.details block
        escaped = "&#63;" + escaped[1:]
    return escaped


def md_paragraphs(text: str) -> str:
    """Record text with its paragraphs (split on blank lines) kept, each escaped."""
    paragraphs = [md_escape(p) for p in re.split(r"\n[ \t]*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def html_text(text: str) -> str:
    """Text for raw HTML (element content or a quoted attribute), on one line.

    Inside a raw HTML block Python-Markdown leaves the text alone, so entities
    for `& < > " '` are enough; whitespace collapses so no blank line can end
    the block early.
    """
    return html.escape(" ".join(_CONTROL.sub(" ", text).split()), quote=True)


_TITLE_UNSAFE = re.compile(r"[^\w ,.;:/()'+%-]")


def plain_title(text: str, limit: int = 90) -> str:
    """A page title safe unescaped in HTML and YAML: letters, digits, spaces, simple punctuation."""
    text = _TITLE_UNSAFE.sub(" ", text.replace("&", " and "))
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or "Untitled"


# --- page pieces ----------------------------------------------------------------


def front_matter(meta: dict) -> str:
    """YAML front matter block (keys in the given order).

    Written directly (a page's title and description as JSON strings, which YAML reads
    as double-quoted scalars: 0.02 ms a page, where PyYAML's emitter takes 0.4 ms);
    PyYAML writes what this does not cover (other keys or values)."""
    body = _fast_yaml(meta, "")
    if body is None:
        body = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{body}---\n"


_YAML_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Characters a YAML document may not hold as they are (outside its printable set), or
# that JSON leaves as they are but YAML reads as a line break (NEL, LS, PS): escaped.
_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def _fast_yaml(meta: dict, indent: str) -> str | None:
    lines = []
    for key, value in meta.items():
        if not isinstance(key, str) or not _YAML_KEY.fullmatch(key):
            return None
        if isinstance(value, dict):
            inner = _fast_yaml(value, indent + "  ")
            if inner is None or not value:
                return None
            lines.append(f"{indent}{key}:\n{inner}")
            continue
        scalar = _yaml_scalar(value)
        if scalar is None:
            return None
        lines.append(f"{indent}{key}: {scalar}\n")
    return "".join(lines)


def _yaml_scalar(value: object) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        quoted = json.dumps(value, ensure_ascii=False)
        return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        items = [_yaml_scalar(v) for v in value]
        return None if None in items else "[" + ", ".join(items) + "]"  # type: ignore[arg-type]
    return None


def rel(from_path: str, to_path: str) -> str:
    """The relative URL of docs file `to_path` as written in docs page `from_path`."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


def link(text_md: str, from_path: str, to_path: str) -> str:
    """A relative Markdown link from one docs page to another (`text_md` is already Markdown)."""
    return f"[{text_md}]({rel(from_path, to_path)})"


def download_link(text_md: str, from_path: str, to_path: str) -> str:
    """A link to a data file that browsers save as its download_name (attr_list `download`)."""
    filename = html_text(download_name(to_path))
    return f'{link(text_md, from_path, to_path)}{{: download="{filename}" }}'


def table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "---") -> list[str]:
    """A Markdown table (cells are already Markdown) and a blank line."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join([align] * len(header)) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines + [""]


def join_page(lines: Sequence[str]) -> str:
    """Page lines -> the page text, ending in exactly one newline."""
    return "\n".join(lines).rstrip("\n") + "\n"


DECISION_LABELS = {"upheld": "Upheld", "overturned": "Overturned"}  # outcomes, in this order
SYNTHETIC_LABEL = '<span class="imr-synthetic">synthetic</span>'


def badge(decision: str) -> str:
    return f'<span class="imr-badge imr-badge--{decision}">{DECISION_LABELS[decision]}</span>'


def pages_phrase(pages: str | None) -> str:
    """'page 127' / 'pages 76-80' (escaped), or '' when no pages were cited."""
    if not pages:
        return ""
    word = "pages" if ("-" in pages or "," in pages) else "page"
    return f"{word} {md_escape(pages)}"


def region_links(regions: Sequence[str], here: str) -> str:
    return ", ".join(
        link(md_escape(taxonomy.label("region", r)), here, hub_path("regions", r)) for r in regions
    )
