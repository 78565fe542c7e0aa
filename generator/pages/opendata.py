"""Open data: the archive as JSON Lines and CSV, the record JSON Schema, per-hub CSVs,
and the data dictionary page that describes them. Pure: bytes and Markdown out, no I/O.

- JSON Lines: one record per line, the same data as `content/records/<id>.json`
  (sorted keys, compact), sorted by id, gzip-compressed.
- CSV: one row per disputed item with the determination's fields repeated
  (:data:`COLUMNS`), gzip-compressed for the whole archive, plain per hub.

gzip headers carry mtime 0 and no file name, so the same records always give
byte-identical files. A whole-archive file is one gzip member whose deflate stream is
runs of records compressed alone (:func:`runs`), so that a build can reuse the runs no
new record joined.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from generator.pages.gzipruns import Run, deflated, gzip_of_runs
from generator.pages.markdown import download_link, front_matter, join_page, table
from generator.pages.stats import Counts
from generator.pages.urls import CSV_PATH, DATA_PAGE, JSONL_PATH, SCHEMA_PATH
from generator.paths import DATA
from generator.record import lean
from generator.record.dating import counted_year
from generator.record.models import Determination, Item, json_schema

COUNTING_RULES = DATA / "counting-rules.md"

# Cells a spreadsheet would run as a formula get a leading apostrophe (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def gz(data: bytes) -> bytes:
    """gzip with a fixed header (mtime 0, no name): same input, same bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def record_line(record: Determination) -> str:
    """A record as one JSON line (sorted keys, no spaces, UTF-8 text)."""
    data = lean.dump(record)
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def jsonl_text(records: Iterable[Determination]) -> str:
    return "".join(jsonl_lines(records))


def jsonl_lines(records: Iterable[Determination]) -> Iterator[str]:
    return (record_line(r) + "\n" for r in sorted(records, key=lambda r: r.id))


# --- CSV -----------------------------------------------------------------------

Row = tuple[Determination, int, Item]  # record, 1-based item index, item


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    get: Callable[[Determination, int, Item], object]
    text: bool = False  # free text from the letter: guarded against spreadsheet formulas


def _b(v: bool | None) -> str:
    return "" if v is None else ("true" if v else "false")


def _d(v) -> str:
    return v.isoformat() if v is not None else ""


def _join(values: Iterable[str]) -> str:
    return "; ".join(values)


COLUMNS: list[Column] = [
    Column(
        "id",
        "Determination id: the IMR case number, or `imr-` and 16 hex digits.",
        lambda r, k, i: r.id,
    ),
    Column(
        "case_number",
        "IMR case number (`CM13-0012345`) when the letter prints one.",
        lambda r, k, i: r.case_number or "",
    ),
    Column(
        "synthetic",
        "`true` for made-up demonstration records, else `false`.",
        lambda r, k, i: _b(r.synthetic),
    ),
    Column(
        "year",
        "Decision year as recorded (empty when the record has none).",
        lambda r, k, i: r.year if r.year is not None else "",
    ),
    Column(
        "year_source",
        "Where `year` comes from: `decision_date`, `letter_date` or `latest_date_in_text`.",
        lambda r, k, i: r.year_source or "",
    ),
    Column(
        "counted_year",
        "The year the site counts the determination under: `year`, else the "
        "year of the latest date in the letter (empty when undated).",
        lambda r, k, i: y if (y := counted_year(r)) is not None else "",
    ),
    Column(
        "decision_date",
        "Date of the determination (ISO 8601).",
        lambda r, k, i: _d(r.dates.decision),
    ),
    Column("letter_date", "Date printed on the letter.", lambda r, k, i: _d(r.dates.letter)),
    Column("injury_date", "Date of injury.", lambda r, k, i: _d(r.dates.injury)),
    Column(
        "assigned_date",
        "Date the case was assigned to the review organisation.",
        lambda r, k, i: _d(r.dates.assigned),
    ),
    Column(
        "ur_denial_date",
        "Date of the utilization review denial.",
        lambda r, k, i: _d(r.dates.ur_denial),
    ),
    Column(
        "application_received_date",
        "Date the IMR application was received.",
        lambda r, k, i: _d(r.dates.application_received),
    ),
    Column("priority", "`standard` or `expedited`.", lambda r, k, i: r.priority or ""),
    Column(
        "patient_age",
        "Age of the injured worker in years.",
        lambda r, k, i: r.patient.age if r.patient.age is not None else "",
    ),
    Column("patient_sex", "`female` or `male`.", lambda r, k, i: r.patient.sex or ""),
    Column(
        "reviewer_specialties",
        "Specialties of the physician reviewer, joined by `; `.",
        lambda r, k, i: _join(r.reviewer.specialties),
        text=True,
    ),
    Column(
        "reviewer_board_certified",
        "`true`, `false`, or empty when not stated.",
        lambda r, k, i: _b(r.reviewer.board_certified),
    ),
    Column(
        "reviewer_licensed_states",
        "USPS codes of the states the reviewer is licensed in, joined by `; `.",
        lambda r, k, i: _join(r.reviewer.licensed_states),
    ),
    Column(
        "body_regions",
        "Body region ids of the determination (all items), joined by `; `.",
        lambda r, k, i: _join(r.body_regions),
    ),
    Column(
        "determination_outcome",
        "`upheld`, `overturned` or `partially overturned`, over all items of the determination.",
        lambda r, k, i: r.decision_summary,
    ),
    Column(
        "items_in_determination",
        "Number of disputed items the determination decides.",
        lambda r, k, i: len(r.items),
    ),
    Column("item_index", "Position of this item in the letter (1 = first).", lambda r, k, i: k),
    Column(
        "service",
        "The disputed service as printed in the letter.",
        lambda r, k, i: i.service,
        text=True,
    ),
    Column(
        "category", "Service category id (DWC's report categories).", lambda r, k, i: i.category
    ),
    Column("subcategory", "Service subcategory id, or empty.", lambda r, k, i: i.subcategory or ""),
    Column(
        "decision",
        "`upheld` (UR denial stands: not medically necessary) or `overturned` "
        "(medically necessary).",
        lambda r, k, i: i.decision,
    ),
    Column(
        "item_body_regions",
        "Body region ids of this item, joined by `; ` (empty: the item "
        "has none of its own and counts toward the determination's regions).",
        lambda r, k, i: _join(i.body_regions),
    ),
    Column(
        "ca_citation_keys",
        "Guideline keys the claims administrator cited for this item, in "
        "order, joined by `; ` (a key is the guideline hub path, e.g. `acoem-2004/ch-07`).",
        lambda r, k, i: _join(c.key for c in i.claims_administrator.citations),
    ),
    Column(
        "reviewer_citation_keys",
        "Guideline keys the reviewer cited for this item, in order, joined by `; `.",
        lambda r, k, i: _join(c.key for c in i.reviewer_guideline.citations),
    ),
    Column(
        "mtus_applied",
        "`true` when the reviewer based the decision on the MTUS, `false` "
        "when not, empty when the letter does not say.",
        lambda r, k, i: _b(i.reviewer_guideline.mtus_applied),
    ),
]


def _cell(column: Column, value: object) -> str:
    text = str(value)
    if column.text and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def item_rows(selection: Iterable[tuple[Determination, Sequence[Item]]]) -> list[Row]:
    """(record, item index, item) for the chosen items, in record order then letter order."""
    rows = []
    for record, chosen in selection:
        wanted = {id(i) for i in chosen}
        rows += [(record, k, i) for k, i in enumerate(record.items, 1) if id(i) in wanted]
    return rows


def csv_text(rows: Iterable[Row]) -> str:
    """CSV (RFC 4180: comma, double quotes, CRLF), header row first."""
    return "".join(csv_lines(rows))


def csv_lines(rows: Iterable[Row]) -> Iterator[str]:
    """csv_text, a row at a time."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in COLUMNS])
    yield out.getvalue()
    for r, k, i in rows:
        out.seek(0)
        out.truncate()
        writer.writerow([_cell(c, c.get(r, k, i)) for c in COLUMNS])
        yield out.getvalue()


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --- the whole-archive downloads --------------------------------------------------------

RUN_CUT = 128  # a run of records ends after a record whose id hashes to 0 modulo this

class Members(Protocol):
    """The runs of the downloads made before (generator.build.reuse): `make()`'s Run
    (generator.pages.gzipruns) for the part `kind` ("jsonl", "csv") of these records,
    made again only when it must be."""

    def member(self, kind: str, records: Sequence[Determination],
               make: Callable[[], Run]) -> Run: ...


class _MakeAll:
    def member(self, kind: str, records: Sequence[Determination],
               make: Callable[[], Run]) -> Run:
        return make()


def runs(by_id: Sequence[Determination]) -> list[Sequence[Determination]]:
    """The records (sorted by id) in runs that end where an id says so: the runs an
    archive is compressed in, so that new records change only the runs they join."""
    out, start = [], 0
    for k, r in enumerate(by_id):
        if int.from_bytes(hashlib.sha256(r.id.encode("utf-8")).digest()[:4], "big") % RUN_CUT == 0:
            out.append(by_id[start : k + 1])
            start = k + 1
    if start < len(by_id):
        out.append(by_id[start:])
    return out


def archive_files(records: Sequence[Determination], members: Members | None = None
                  ) -> dict[str, bytes]:
    """The whole-archive downloads: docs path -> bytes, each one gzip member made of runs
    compressed alone (:data:`Run`, :func:`runs`), the CSV's header line first;
    `members`: the runs made before."""
    made = members or _MakeAll()
    by_id = sorted(records, key=lambda r: r.id)
    jsonl, csv_parts = [], [deflated(next(csv_lines([])).encode("utf-8"))]
    for run in runs(by_id):
        jsonl.append(made.member("jsonl", run, partial(_jsonl_run, run)))
        csv_parts.append(made.member("csv", run, partial(_csv_run, run)))
    return {
        JSONL_PATH: gzip_of_runs(jsonl),
        CSV_PATH: gzip_of_runs(csv_parts),
        SCHEMA_PATH: schema_text().encode("utf-8"),
    }


def _jsonl_run(run: Sequence[Determination]) -> Run:
    return deflated(jsonl_text(run).encode("utf-8"))


def _csv_run(run: Sequence[Determination]) -> Run:
    """The CSV lines of the records' items, without the header line."""
    lines = csv_lines((r, k, i) for r in run for k, i in enumerate(r.items, 1))
    next(lines)
    return deflated("".join(lines).encode("utf-8"))


# --- the data dictionary page ------------------------------------------------------


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} kB"


COUNTING_SUMMARY = (
    "An item is one disputed service; a determination with several items counts once per item "
    "in the item counts, so a partially overturned determination adds its upheld items to "
    "*Upheld* and its overturned items to *Overturned*. The overturn rate is overturned items "
    "divided by items. A determination is counted under `counted_year`: its decision year or, "
    "failing that, the year of the latest date printed in the letter."
)


def data_page(totals: Counts, files: dict[str, bytes]) -> str:
    """data/index.md: what can be downloaded, every CSV column described, the counting rules."""
    here = DATA_PAGE
    rules = "[counting rules](#counting-rules)"
    n, items = totals.determinations, totals.items
    rows = [
        [
            download_link("Records, JSON Lines (gzip)", here, JSONL_PATH),
            f"{n} lines, one record each, sorted by id",
            _size(len(files[JSONL_PATH])),
        ],
        [
            download_link("Disputed items, CSV (gzip)", here, CSV_PATH),
            f"{items} rows, one per disputed item, plus a header row",
            _size(len(files[CSV_PATH])),
        ],
        [
            download_link("Record JSON Schema", here, SCHEMA_PATH),
            "the schema every record (every JSON line) validates against",
            _size(len(files[SCHEMA_PATH])),
        ],
    ]
    lines = [
        front_matter({"title": "Open data"}),
        "# Open data",
        "",
        f"The whole archive — {n} determinations deciding {items} disputed items — can be "
        "downloaded and reused. The numbers on every hub can be recomputed from these files "
        f"with the {rules}.",
        "",
        *table(["File", "Contents", "Size"], rows),
        "Every hub page also offers a CSV of its own rows (the items it counts), with the "
        "columns below; its **Disputed items** count is that CSV's number of rows.",
        "",
        "## JSON Lines",
        "",
        "Each line is one complete record: the same fields and values as the record files the "
        "site is built from (`content/records/<id>.json`), written on one line with sorted keys. "
        "Fields are described by the JSON Schema above. Some records are **synthetic** "
        '(`"synthetic": true`): made up for demonstration, describing no real case.',
        "",
        "## CSV columns",
        "",
        "UTF-8, comma-separated, double quotes around cells that need them, CRLF line ends, one "
        "header row. One row per disputed item; the determination's fields repeat on each of its "
        "rows, so rows group back into determinations by `id` and order by `item_index`. Lists "
        "are joined by `; `; an empty cell means *not stated*. A free-text cell that starts with "
        "`=`, `+`, `-` or `@` is written with a leading `'` so spreadsheets do not run it as a "
        "formula.",
        "",
        *table(["Column", "Meaning"], [[f"`{c.name}`", c.description] for c in COLUMNS]),
        "## Counting rules",
        "",
        COUNTING_SUMMARY,
        "",
        COUNTING_RULES.read_text(encoding="utf-8"),
    ]
    return join_page(lines)
