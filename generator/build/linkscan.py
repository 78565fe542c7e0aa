"""The links (`href`, `src`) and element ids (`id`, and `name` on `<a>`) of one HTML page.

:func:`scan` finds exactly what ``html.parser.HTMLParser(convert_charrefs=True)`` fed the
page once (and never closed) hands to ``handle_starttag``, about six times faster: one
compiled regular expression finds each piece of markup in the order HTMLParser does, and
Python looks only at the tags that carry one of those attributes and at `<script>` and
`<style>`, whose bodies are skipped to their end tag as HTMLParser's CDATA mode does. The
expressions and rules are Python 3.11's `html.parser` and `_markupbase`; where HTMLParser
stops (markup left unterminated, waiting for more input that never comes), the scan
stops too. tests/test_linkscan.py checks that both agree on every page of a built site, on
hand-written edge cases and on generated markup (another Python's HTMLParser may differ
on broken markup: those tests say where).
"""

from __future__ import annotations

import re
from html import unescape

# The pieces of html.parser's expressions (tagfind_tolerant, attrfind_tolerant and
# locatestarttagend_tolerant): a tag's name, an attribute's name, its value as written,
# and what may follow an attribute.
_NAME = r"[a-zA-Z][^\t\n\r\f />\x00]*"
_ATTRIBUTE_NAME = r"""(?<=['"\s/])[^\s/>][^\s/=>]*"""
_VALUE = r"""'[^']*'|"[^"]*"|(?!['"])[^>\s]*"""
_AFTER = r"(?:\s|/(?!>))*"
_WANTED = r"(?i:href|src|id|name)(?![^\s/=>])"  # one of the attributes the scan reports
_RAW = r"(?i:script|style)(?![^\t\n\r\f />\x00])"  # HTMLParser.CDATA_CONTENT_ELEMENTS


def _wanted(n: int) -> str:
    """A wanted attribute: its name (group n<n>), its value quoted with ' (s<n>), with "
    (d<n>), or bare (b<n>); group v<n> where it has a value."""
    value = rf"""'(?P<s{n}>[^']*)'|"(?P<d{n}>[^"]*)"|(?!['"])(?P<b{n}>[^>\s]*)"""
    return rf"""(?P<n{n}>(?<=['"\s/]){_WANTED})(?P<v{n}>\s*=+\s*(?:{value}))?{_AFTER}"""


# The attributes of a start tag as parse_starttag reads them (attrfind_tolerant, as long
# as one follows the other): the first two wanted ones in groups (_wanted), the rest, from
# a third wanted one on, in group "more".
_OTHER = rf"(?:(?!{_WANTED}){_ATTRIBUTE_NAME}(?:\s*=+\s*(?:{_VALUE}))?{_AFTER})*+"
_ATTRIBUTES = (
    rf"{_OTHER}(?:{_wanted(1)}{_OTHER}(?:{_wanted(2)}{_OTHER}"
    rf"(?P<more>(?:{_ATTRIBUTE_NAME}(?:\s*=+\s*(?:{_VALUE}))?{_AFTER})*))?)?"
)


def _start_tag(name: str, attribute_name: str) -> str:
    """locatestarttagend_tolerant after its "<", with these names: the extent of a start
    tag. Atomic, so that what follows cannot make it match otherwise than .match() does."""
    attribute = rf"{attribute_name}(?:\s*=+\s*(?:{_VALUE})\s*)?{_AFTER}"
    return rf"(?>{name}(?:[\s/]*(?:{attribute})*)?\s*)"


# What HTMLParser's goahead() finds where it meets a "<", in its order of tests. Markup
# the scan need not look at is passed over inside the expression: text, end tags,
# comments, declarations, processing instructions, a "<" that starts nothing, and whole
# start tags with none of the wanted attributes. A match ends at the first piece the scan
# must look at:
# - group "attributes": a start tag as parse_starttag reads it when it reports it: its
#   name ("name"), then attributes as long as one follows the other, then ">" or "/>"
#   and nothing else (group "raw": <script> or <style>, whose bodies HTMLParser passes
#   over to their end tag);
# - "text": a start tag parse_starttag takes for text (the extent is the same);
# - "marked": a marked section;
# - "stop", or none: markup HTMLParser cannot finish (no closing ">", "-->" ...): there it
#   waits for more input, which never comes, so nothing after it counts.
_MARKUP = re.compile(
    rf"""
    (?:[^<]++
      |<(?:{_start_tag(f"(?!{_RAW}){_NAME}", f"(?!{_WANTED}){_ATTRIBUTE_NAME}")}/?>
        |/[^>]*>                           # parse_endtag (outside script and style)
        |!--(?s:.*?)--\s*>                 # parse_comment
        |!(?!--|\[)[^>]*>                  # a declaration or a bogus comment
        |\?[^>]*>                          # parse_pi
        |(?![/!?a-zA-Z])                   # a "<" as text
      )
    )*+
    <(?:(?>(?P<name>(?P<raw>{_RAW})|{_NAME}){_AFTER})
        (?P<attributes>(?>{_ATTRIBUTES}))
        \s*(?P<empty>/?)>
      |(?P<text>{_start_tag(_NAME, _ATTRIBUTE_NAME)})
        (?:/?>                             # check_for_whole_start_tag: a whole tag
          |(?P<stop>(?=[/a-zA-Z=]|\Z))     # ... input ends inside it: -1
          |)                               # ... junk after it: the tag ends here
      |!\[(?P<marked>)                     # parse_marked_section
      |[/!?a-zA-Z]                         # unterminated markup
    )
    """,
    re.VERBOSE,
)
# Where m.groups() of a match holds each group.
_TAG, _RAW_AT, _ATTRIBUTES_AT, _EMPTY, _TEXT, _STOP, _MARKED, _MORE = (
    _MARKUP.groupindex[name] - 1
    for name in ("name", "raw", "attributes", "empty", "text", "stop", "marked", "more")
)
_N1, _V1, _S1, _D1, _B1, _N2, _V2, _S2, _D2, _B2 = (
    _MARKUP.groupindex[f"{group}{n}"] - 1 for n in (1, 2) for group in "nvsdb"
)
_ATTRIBUTE = re.compile(rf"({_ATTRIBUTE_NAME})(\s*=+\s*({_VALUE}))?{_AFTER}")
_WANTED_NAMES = {"href", "src", "id", "name"}
_RAW_TEXT_END = {  # HTMLParser.set_cdata_mode
    name: re.compile(rf"</\s*{name}\s*>", re.IGNORECASE) for name in ("script", "style")
}
# _markupbase: a marked section's keyword and its two kinds of end.
_DECL_NAME = re.compile(r"[a-zA-Z][-_.a-zA-Z0-9]*\s*")
_MARKED_END = re.compile(r"]\s*]\s*>")
_MS_MARKED_END = re.compile(r"]\s*>")


def _keep(tag: str, name: str, value: str, links: list[str], ids: set[str]) -> None:
    """The link checker's handle_starttag for one wanted attribute of a start tag `tag`
    with a value (as written, quotes taken off)."""
    if "&" in value:
        value = unescape(value)
    name = name.lower()
    if name in ("href", "src"):
        links.append(value)
    elif name == "id" or tag.lower() == "a":
        ids.add(value)


def _take(text: str, start: int, end: int, tag: str, links: list[str], ids: set[str]) -> None:
    """_keep for every wanted attribute with a value of text[start:end], the attributes
    (or the last of them) of a start tag `tag`."""
    for name, rest, value in _ATTRIBUTE.findall(text, start, end):
        if rest and name.lower() in _WANTED_NAMES:
            if value[:1] == "'" == value[-1:] or value[:1] == '"' == value[-1:]:
                value = value[1:-1]
            _keep(tag, name, value, links, ids)


def _marked_section_end(text: str, i: int) -> int:
    """_markupbase.parse_marked_section for "<![" at i: where it ends, or -1 (unterminated).
    ValueError where HTMLParser fails (AssertionError) on an unknown keyword."""
    m = _DECL_NAME.match(text, i + 3)
    if i + 3 == len(text) or (m and m.end() == len(text)):
        return -1
    keyword = m.group().strip().lower() if m else ""
    if keyword in {"temp", "cdata", "ignore", "include", "rcdata"}:
        found = _MARKED_END.search(text, i + 3)
    elif keyword in {"if", "else", "endif"}:
        found = _MS_MARKED_END.search(text, i + 3)
    else:
        raise ValueError(f"HTMLParser cannot read the marked section {text[i : i + 20]!r}")
    return found.end() if found else -1


def scan(text: str) -> tuple[list[str], set[str]]:
    """The page's links (href and src values, in order) and ids, as the link checker's
    HTMLParser collected them. ValueError where HTMLParser raised an error."""
    links: list[str] = []
    ids: set[str] = set()
    match = _MARKUP.match
    pos = 0
    while m := match(text, pos):
        pos = m.end()
        g = m.groups()
        if g[_ATTRIBUTES_AT] is not None:
            if g[_N1] is not None:
                if g[_V1] is not None:
                    _keep(g[_TAG], g[_N1], g[_S1] or g[_D1] or g[_B1] or "", links, ids)
                if g[_N2] is not None:
                    if g[_V2] is not None:
                        _keep(g[_TAG], g[_N2], g[_S2] or g[_D2] or g[_B2] or "", links, ids)
                    if g[_MORE]:
                        _take(text, m.start("more"), m.end("more"), g[_TAG], links, ids)
            if g[_RAW_AT] is not None and not g[_EMPTY]:
                end = _RAW_TEXT_END[g[_RAW_AT].lower()].search(text, pos)
                if end is None:
                    break
                pos = end.end()
        elif g[_TEXT] is not None:
            if g[_STOP] is not None:
                break
        elif g[_MARKED] is not None:
            pos = _marked_section_end(text, m.start("marked") - 3)
            if pos < 0:
                break
        else:
            break  # unterminated markup
    return links, ids
