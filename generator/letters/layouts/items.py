"""The disputed items of an "IMR ISSUES, DECISIONS AND RATIONALES" section.

Items open with "<service> :  Upheld" (the decision possibly wrapped onto the
next line, or the service onto lines before it) or with a sentence "<service>
is not medically necessary and appropriate." set off as a paragraph; each
carries the blocks "Claims Administrator guideline:", "MAXIMUS guideline:" and
"Decision rationale:". One pass over the lines, each line looked at a bounded
number of times: a letter of a thousand items reads in linear time.
"""

from __future__ import annotations

from generator.letters import patterns as rx
from generator.letters.clean import join_lines
from generator.letters.layouts.parts import LetterError, RawItem, line_of


def _label(line: str) -> tuple[str, str] | None:
    if ":" not in line:  # (every label ends in a colon: the patterns need not look)
        return None
    for name, pat in (("ca", rx.LABEL_CA), ("rev", rx.LABEL_REVIEWER), ("rat", rx.LABEL_RATIONALE)):
        m = pat.match(line)
        if m:
            return name, line[m.end() :]
    return None


def _item_header(
    line: str, lines: list[str], i: int, seg_start: int
) -> tuple[str, str, int] | None:
    """(service text on this line, decision, lines consumed) when line i opens an item.

    Three shapes: "<service> :  Upheld"; "<service> :" then "Upheld";
    "<service>" then ":  Upheld" (the service is then the lines before it).
    """
    if ":" not in line:  # (each shape has its colon on this line)
        return None
    m = rx.ITEM_LINE.match(line)
    if m:
        return m.group("service"), m.group("decision").lower(), 1
    nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
    m = rx.ITEM_OPEN.match(line)
    d = rx.DECISION_ALONE.match(nxt)
    if m and d:
        return m.group("service"), d.group("decision").lower(), 2
    d = rx.COLON_DECISION.match(line)
    if d and i > seg_start:
        return "", d.group("decision").lower(), 1
    return None


def _sentence_item(para: list[str]) -> tuple[str, str] | None:
    """(service, decision) when a paragraph is an item heading in sentence form."""
    if not para or any(_label(p) for p in para):
        return None
    m = rx.ITEM_SENTENCE.match(join_lines("\n".join(para)))
    if not m:
        return None
    return m.group("service"), "upheld" if m.group("neg") else "overturned"


def _skip_intro(lines: list[str]) -> list[str]:
    for n in range(1, min(len(lines), 4) + 1):  # the intro sentence may wrap
        if rx.ISSUES_INTRO.fullmatch(join_lines("\n".join(lines[:n])) + " "):
            return lines[n:]
    return lines


class _Reader:
    """The state of one pass. A *paragraph* runs from a blank line; a *segment* is
    the part of the paragraph after the last item line (the lines that may be the
    start of the next item's wrapped service)."""

    def __init__(self, lines: list[str], raw: str, rationale_default: bool):
        self.lines, self.raw, self.rationale_default = lines, raw, rationale_default
        self.items: list[RawItem] = []
        self.block: list[str] | None = None  # the block lines are added to
        self.para_start = 0  # first line of the current paragraph
        self.seg_start = 0  # first line of the current segment
        self.seg_label = False  # a block label in the segment so far
        self.last_para: list[str] = []  # the lines of the last finished paragraph
        self.unlabelled = False  # reading an item's text before any label, as its rationale

    def read(self) -> list[RawItem]:
        i = 0
        while i < len(self.lines):
            i = self.step(i)
        return self.items

    def step(self, i: int) -> int:
        line = self.lines[i].strip()
        if not line:
            if i > self.para_start:
                self.last_para = [ln.strip() for ln in self.lines[self.para_start : i]]
            self.para_start = self.seg_start = i + 1
            self.seg_label = False
            return i + 1
        label = _label(line)
        if label:
            self.label_line(i, line, label)
            return i + 1
        found = _item_header(line, self.lines, i, self.seg_start)
        if found:
            return self.item_line(i, line, *found)
        other = rx.ITEM_LINE_OTHER_WORD.match(line) if ":" in line else None
        if other and (self.block is None or self.para_start == i):
            raise LetterError(
                f"unknown decision {other.group('word')!r} for item {other.group('service')!r} "
                "(expected Upheld or Overturned)",
                line_of(self.raw, line),
            )
        if self.block is not None:
            self.block.append(line if self.para_start != i or not self.block else "\n" + line)
        return i + 1

    def item_line(self, i: int, line: str, service_text: str, decision: str, used: int) -> int:
        prefix = [] if self.seg_label else [ln.strip() for ln in self.lines[self.seg_start : i]]
        if self.block is not None and prefix:  # they were read as the block's last lines
            del self.block[len(self.block) - len(prefix) :]
        service = join_lines("\n".join([*prefix, service_text]))
        self.items.append(RawItem(rx.ITEM_NUMBER.sub("", service), decision, line))
        self.block = self.items[-1].blocks["rat"] if self.rationale_default else None
        self.unlabelled = self.rationale_default
        self.last_para = []
        self.seg_start, self.seg_label = i + used, False
        return i + used

    def label_line(self, i: int, line: str, label: tuple[str, str]) -> None:
        kind, rest = label
        items = self.items
        if self.unlabelled:  # the item has labelled blocks after all
            items[-1].blocks["rat"].clear()
            self.unlabelled = False
        if not items or (kind != "rat" and items[-1].blocks[kind]):
            self.sentence_item(i, line)  # a label seen again: a new item
        self.block = items[-1].blocks[kind]
        self.block.append("\n" + rest if self.block else rest)
        self.seg_label = True

    def sentence_item(self, i: int, line: str) -> None:
        """Open an item whose heading is the sentence before this label, if it is one."""
        if i > self.para_start:
            seg = self.lines[self.seg_start : i]
            heading = [] if self.seg_label else [ln.strip() for ln in seg]
        else:
            heading = self.last_para
        sentence = _sentence_item(heading)
        if sentence:
            if self.block is not None and heading:
                del self.block[len(self.block) - len(heading) :]
            self.items.append(
                RawItem(rx.ITEM_NUMBER.sub("", sentence[0]), sentence[1], heading[0])
            )
        elif not self.items:
            raise LetterError(
                f"a {line.split(':')[0].strip()!r} block comes before any disputed item",
                line_of(self.raw, line),
            )


def split_items(issues: str, raw: str, *, rationale_default: bool = False) -> list[RawItem]:
    """The disputed items of the ISSUES section, each with its three text blocks.

    With `rationale_default`, text after an item line and before any block label
    is the item's rationale (layouts whose items may print no labels).
    """
    return _Reader(_skip_intro(issues.split("\n")), raw, rationale_default).read()
