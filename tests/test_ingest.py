"""Ingest: every input becomes a record or a report entry; idempotent; hand edits kept."""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.letters.ingest import ingest
from tests.conftest import SEED_LETTER
from tests.test_letters import HEADER_LETTER


@pytest.fixture
def letters(tmp_path: Path) -> Path:
    d = tmp_path / "letters"
    d.mkdir()
    shutil.copy(SEED_LETTER, d / "seed.txt")
    (d / "header.txt").write_text(HEADER_LETTER, encoding="utf-8")
    return d


def _by_file(report):
    return {Path(e.file).name: e for e in report.entries}


def test_ingest_writes_one_record_per_letter(letters, tmp_path):
    out = tmp_path / "records"
    report = ingest([letters], out, progress=False)
    assert report.ok and report.count("written") == 2
    assert sorted(p.name for p in out.glob("[!.]*.json")) == sorted(
        f"{e.id}.json" for e in report.entries
    )


def test_the_same_id_twice_is_written_once_and_reported(letters, tmp_path):
    shutil.copy(letters / "seed.txt", letters / "zz-seed.txt")
    report = ingest([letters], tmp_path / "records", progress=False)
    entry = _by_file(report)["seed.txt"]
    again = _by_file(report)["zz-seed.txt"]
    assert entry.status == "written" and again.status == "failed"
    assert again.reason == f"same id {entry.id} as {entry.file}; not written"


def test_a_letter_whose_record_was_not_written_does_not_hold_its_id(letters, tmp_path,
                                                                    monkeypatch):
    module = importlib.import_module("generator.letters.ingest")
    shutil.copy(letters / "seed.txt", letters / "zz-seed.txt")
    real, seed_id = module.write_text_atomic, []

    def full_disk_once(path, text):
        if '"case_number": null' in text and not seed_id:  # the seed letter's first record
            seed_id.append(path.stem)
            raise OSError(28, "No space left on device")
        return real(path, text)

    monkeypatch.setattr(module, "write_text_atomic", full_disk_once)
    report = ingest([letters], tmp_path / "records", progress=False)
    first, again = _by_file(report)["seed.txt"], _by_file(report)["zz-seed.txt"]
    assert first.status == "failed" and first.id == seed_id[0]
    assert first.reason == (f"{tmp_path / 'records' / first.id}.json: not written: "
                            "[Errno 28] No space left on device")
    assert again.status == "written" and (tmp_path / "records" / f"{again.id}.json").is_file()


def test_a_letter_that_lent_its_id_for_a_run_never_removes_that_record(letters, tmp_path,
                                                                        monkeypatch):
    test_a_letter_whose_record_was_not_written_does_not_hold_its_id(letters, tmp_path,
                                                                    monkeypatch)
    monkeypatch.undo()  # the disk has room again: the seed letter takes its id back
    out = tmp_path / "records"
    again = ingest([letters], out, progress=False)
    seed, copy = _by_file(again)["seed.txt"], _by_file(again)["zz-seed.txt"]
    assert seed.status in ("written", "unchanged") and copy.status == "failed"
    copy_text = (letters / "zz-seed.txt").read_text(encoding="utf-8")
    (letters / "zz-seed.txt").write_text(copy_text + "\nAn addendum.\n", encoding="utf-8")
    third = ingest([letters], out, progress=False)  # the copy now reads as another id
    assert _by_file(third)["zz-seed.txt"].id != seed.id
    assert (out / f"{seed.id}.json").is_file()  # the seed letter's record stays


def test_ingest_is_idempotent(letters, tmp_path):
    out = tmp_path / "records"
    ingest([letters], out, progress=False)
    before = {p.name: p.read_bytes() for p in out.glob("*.json")}
    report = ingest([letters], out, progress=False)
    assert report.count("unchanged") == 2 and report.count("written") == 0
    assert before == {p.name: p.read_bytes() for p in out.glob("*.json")}


def test_hand_edited_record_is_kept_unless_forced(letters, tmp_path):
    out = tmp_path / "records"
    ingest([letters], out, progress=False)
    path = out / "CM14-0012345.json"
    data = json.loads(path.read_text())
    data["patient"]["age"] = 46  # a human correction
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    report = ingest([letters], out, progress=False)
    entry = _by_file(report)["header.txt"]
    assert entry.status == "conflict" and "edited by hand" in entry.reason
    assert json.loads(path.read_text())["patient"]["age"] == 46
    assert not report.ok
    report = ingest([letters], out, force=True, progress=False)
    assert _by_file(report)["header.txt"].status == "written"
    assert json.loads(path.read_text())["patient"]["age"] == 45


BAD_INPUTS = {
    "empty.txt": (b"", "empty file"),
    "binary.txt": (bytes(range(256)) * 20, "binary file"),
    "note.txt": (b"Dear customer,\nyour order has shipped.\n", "not an IMR determination letter"),
    "cut.txt": (SEED_LETTER.read_bytes()[:1500], "truncated letter"),
    "modified.txt": (
        HEADER_LETTER.replace(":  Upheld", ":  Modified").encode(),
        "unknown decision 'Modified'",
    ),
}


def test_bad_inputs_are_reported_and_the_rest_is_written(letters, tmp_path):
    for name, (data, _) in BAD_INPUTS.items():
        (letters / name).write_bytes(data)
    out = tmp_path / "records"
    report = ingest([letters], out, progress=False)
    entries = _by_file(report)
    for name, (_, reason) in BAD_INPUTS.items():
        assert entries[name].status == "failed", name
        assert reason in entries[name].reason, (name, entries[name].reason)
    assert entries["modified.txt"].line is not None
    assert entries["seed.txt"].status == "written"
    assert entries["header.txt"].status == "written"
    assert len(list(out.glob("[!.]*.json"))) == 2


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encodings_and_crlf(tmp_path, encoding):
    text = HEADER_LETTER.replace("Norco", "Norco \u00e9").replace("\n", "\r\n")
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    report = ingest([path], tmp_path / "out", progress=False)
    [entry] = report.entries
    assert entry.status == "written"
    record = json.loads((tmp_path / "out" / f"{entry.id}.json").read_text(encoding="utf-8"))
    assert record["items"][0]["service"] == "Norco \u00e9 10/325mg #120"
    assert any("not UTF-8" in w for w in record["warnings"])


def test_pdf_letter(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in SEED_LETTER.read_text(encoding="utf-8").splitlines():
        pdf.cell(
            0,
            5,
            line.strip().encode("latin-1", "replace").decode("latin-1"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    path = tmp_path / "seed.pdf"
    pdf.output(str(path))
    report = ingest([path], tmp_path / "out", progress=False)
    [entry] = report.entries
    assert entry.status == "written", entry.reason
    record = json.loads((tmp_path / "out" / f"{entry.id}.json").read_text())
    assert record["items"][0]["service"] == "Spine consultant w/non MPN"
    assert record["items"][0]["decision"] == "upheld"
    assert record["patient"]["age"] == 61


def test_pdf_without_text(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    path = tmp_path / "blank.pdf"
    pdf.output(str(path))
    report = ingest([path], tmp_path / "out", progress=False)
    assert report.entries[0].status == "failed"
    assert "no extractable text" in report.entries[0].reason


def test_cli_ingest_exit_code_and_report(letters, tmp_path):
    (letters / "empty.txt").write_bytes(b"")
    out = tmp_path / "content" / "records"
    result = CliRunner().invoke(main, ["ingest", str(letters), "--out", str(out), "--no-progress"])
    assert result.exit_code == 1
    assert "FAILED" in result.output and "empty.txt" in result.output
    report = json.loads((tmp_path / "content" / "ingest-report.json").read_text())
    assert report["summary"] == {"written": 2, "unchanged": 0, "conflict": 0, "failed": 1}


# --- every layout through ingest; more bad inputs ----------------------------------------

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "letters"


def test_every_fixture_letter_is_ingested(tmp_path):
    report = ingest([FIXTURES], tmp_path / "out", progress=False)
    assert report.ok and report.count("written") == len(list(FIXTURES.rglob("*.txt")))


def _pdf(lines_per_page: list[list[str]], path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=9)
    for lines in lines_per_page:
        pdf.add_page()
        for line in lines:
            pdf.cell(
                0,
                4,
                line.encode("latin-1", "replace").decode("latin-1"),
                new_x="LMARGIN",
                new_y="NEXT",
            )
    pdf.output(str(path))
    return path


def test_multi_page_pdf_letter(tmp_path):
    """A 2014 letter over three PDF pages, each with its case-number line and page footer."""
    text = (FIXTURES / "header-2014" / "h2014-opioids-three-items.txt").read_text()
    lines = [
        ln.strip()
        for ln in text.replace("\f", "").splitlines()
        if ln.strip() and not ln.startswith(("Page ", "Case Number: CM14-0031415"))
    ]
    pages, size = [], -(-len(lines) // 3)
    for k in range(0, len(lines), size):
        head = ["Case Number: CM14-0031415"] if k else []
        pages.append([*head, *lines[k : k + size], f"Page {k // size + 1} of 3"])
    assert len(pages) == 3
    path = _pdf(pages, tmp_path / "letter.pdf")
    report = ingest([path], tmp_path / "out", progress=False)
    [entry] = report.entries
    assert entry.status == "written", entry.reason
    record = json.loads((tmp_path / "out" / "CM14-0031415.json").read_text())
    assert [i["service"] for i in record["items"]] == [
        "Norco 10/325mg #120",
        "Soma 350mg #60",
        "Omeprazole 20mg #60",
    ]
    assert [i["decision"] for i in record["items"]] == ["upheld", "upheld", "overturned"]
    assert record["dates"]["decision"] == "2014-04-01"
    assert "Page" not in record["items"][2]["rationale"]


NOTICE = (FIXTURES / "notice-2013" / "notice-upheld-two-items.txt").read_text()
MORE_BAD = {
    # an early notice cut after its findings: no item blocks at all
    "notice-cut.txt": (NOTICE[: NOTICE.index("INDEPENDENT MEDICAL")].encode(), "truncated letter"),
    # a finding with a verdict that is neither "medically necessary" nor "not ..."
    "notice-odd.txt": (
        NOTICE.replace(
            "Norco 10/325mg #90 is not", "Norco 10/325mg #90 is partially approved.", 1
        ).encode(),
        "unknown decision",
    ),
    "pdf-garbage.pdf": (b"%PDF-1.4\n garbage", "damaged PDF"),
    "nul.txt": (b"Case Number: CM14-0012345\x00\x00\x00" * 50, "binary file"),
    "spaces.txt": (b" \n\t\n \r\n", "empty file"),
}


@pytest.mark.parametrize("name", sorted(MORE_BAD))
def test_more_bad_inputs_give_a_reason_never_a_traceback(tmp_path, name):
    data, reason = MORE_BAD[name]
    (tmp_path / name).write_bytes(data)
    report = ingest([tmp_path / name], tmp_path / "out", progress=False)
    [entry] = report.entries
    assert entry.status == "failed" and reason in entry.reason, entry.reason


def test_crlf_and_cp1252_notice(tmp_path):
    text = NOTICE.replace("Arizonia", "Arizonia \u2013 ").replace("\n", "\r\n")
    (tmp_path / "n.txt").write_bytes(text.encode("cp1252"))
    report = ingest([tmp_path / "n.txt"], tmp_path / "out", progress=False)
    [entry] = report.entries
    assert entry.status == "written" and entry.id == "CM13-0004567"
    assert any("Windows-1252" in w for w in entry.warnings)


def _letter_of_1999() -> str:
    text = SEED_LETTER.read_text(encoding="utf-8")
    for old, new in [
        ("06/11/10", "06/11/98"),
        ("08/12/13", "08/12/99"),
        ("02/25/13", "02/25/99"),
        ("August 12, 2013", "August 12, 1999"),
    ]:
        text = text.replace(old, new)
    return text


def test_letter_that_reads_as_an_invalid_record_is_reported_not_fatal(
    letters, tmp_path, monkeypatch
):
    # without the plausibility rules, a decision of 1999 gives a year the schema refuses
    monkeypatch.setattr("generator.letters.plausible.plausible_dates", lambda d, w: None)
    monkeypatch.setattr("generator.letters.plausible.decision_year", lambda d: True)
    (letters / "a-1999.txt").write_text(_letter_of_1999(), encoding="utf-8")
    report = ingest([letters], tmp_path / "out", progress=False)
    entries = _by_file(report)
    assert entries["a-1999.txt"].status == "failed"
    assert "year" in entries["a-1999.txt"].reason
    assert entries["seed.txt"].status == "written"  # the rest is still read


def test_decision_year_outside_2000_2100_is_a_warning_not_a_failure(letters, tmp_path):
    (letters / "a-1999.txt").write_text(_letter_of_1999(), encoding="utf-8")
    report = ingest([letters], tmp_path / "out", progress=False)
    entry = _by_file(report)["a-1999.txt"]
    assert entry.status == "written", entry.reason
    record = json.loads((tmp_path / "out" / f"{entry.id}.json").read_text(encoding="utf-8"))
    assert record["year"] is None and record["dates"]["injury"] == "1998-06-11"
    assert "no date found to give the determination a year" in record["warnings"]


def test_cli_report_into_a_new_folder(letters, tmp_path):
    report = tmp_path / "reports" / "deep" / "ingest.json"
    result = CliRunner().invoke(
        main,
        [
            "ingest",
            str(letters),
            "--out",
            str(tmp_path / "r"),
            "--report",
            str(report),
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(report.read_text())["summary"]["written"] == 2


@pytest.mark.parametrize("command", ["validate", "unrecognized"])
def test_missing_content_folder_is_a_usage_error(tmp_path, command):
    result = CliRunner().invoke(main, [command, "--content", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "records" in result.output


def test_changed_letter_without_case_number_replaces_its_record(letters, tmp_path):
    out = tmp_path / "records"
    first = _by_file(ingest([letters], out, progress=False))["seed.txt"]
    path = letters / "seed.txt"
    path.write_text(path.read_text().replace("is unclear", "is not clear"), encoding="utf-8")
    second = _by_file(ingest([letters], out, progress=False))["seed.txt"]
    assert second.status == "written" and second.id != first.id
    assert any("replaces" in w for w in second.warnings)
    assert not (out / f"{first.id}.json").exists()
    assert sorted(p.stem for p in out.glob("[!.]*.json")) == sorted(["CM14-0012345", second.id])


def test_jobs_write_the_same_records_as_one_process(tmp_path):
    """ingest --jobs N: letters parsed in N processes, records byte-identical to one job."""
    letters = sorted(FIXTURES.rglob("*.txt"))
    assert len(letters) >= 8
    outs = {}
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}"
        report = ingest([FIXTURES], out, progress=False, jobs=jobs)
        assert report.count("written") == len(letters)
        outs[jobs] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert outs[1] == outs[2]


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]
)
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(tmp_path, encoding):
    text = HEADER_LETTER.replace("Norco", "Norco \u00e9")
    data = text.encode(encoding)
    if not encoding.endswith(("16", "32")):  # the -le/-be codecs write no mark: add it
        data = "\ufeff".encode(encoding) + data
    (tmp_path / "wide.txt").write_bytes(data)
    report = ingest([tmp_path / "wide.txt"], tmp_path / "out", progress=False)
    [entry] = report.entries
    assert entry.status == "written", entry.reason
    assert not any("UTF" in w or "binary" in w for w in entry.warnings)
    record = json.loads((tmp_path / "out" / f"{entry.id}.json").read_text(encoding="utf-8"))
    assert record["items"][0]["service"] == "Norco \u00e9 10/325mg #120"


def test_utf16_cut_in_a_character_is_read_with_a_warning(tmp_path):
    data = HEADER_LETTER.encode("utf-16") + b"\x41"  # an odd byte at the end
    (tmp_path / "odd.txt").write_bytes(data)
    [entry] = ingest([tmp_path / "odd.txt"], tmp_path / "out", progress=False).entries
    assert entry.status == "written"
    assert any("not valid UTF-16" in w for w in entry.warnings)


def test_binary_file_with_a_utf16_mark_is_still_binary(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\xff\xfe" + b"\x01\x00\x1b\x00\x00\x00" * 400)
    [entry] = ingest([tmp_path / "bin.txt"], tmp_path / "out", progress=False).entries
    assert entry.status == "failed" and "binary file" in entry.reason
    (tmp_path / "noise.txt").write_bytes(b"\xff\xfe" + bytes(range(256)) * 20)
    [entry] = ingest([tmp_path / "noise.txt"], tmp_path / "out", progress=False).entries
    assert entry.status == "failed"
