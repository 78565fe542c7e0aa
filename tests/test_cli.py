"""The command line: help everywhere, documented in the README, exit codes."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import ROOT, SEED_LETTER

COMMANDS = sorted(main.commands)


def test_top_level_help_lists_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert len(main.commands[name].help or "") > 20
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"imr-archive {name}\b", readme), f"README does not show `imr-archive {name}`"


def test_usage_error_exits_2():
    result = CliRunner().invoke(main, ["ingest"])
    assert result.exit_code == 2


def test_build_without_records_folder_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["build", "--content", str(tmp_path)])
    assert result.exit_code == 2
    assert "records" in result.output


def test_validate_names_file_and_field(tmp_path):
    records = tmp_path / "records"
    CliRunner().invoke(main, ["ingest", str(SEED_LETTER), "--out", str(records), "--no-progress"])
    [path] = records.glob("imr-*.json")
    data = json.loads(path.read_text())
    data["items"][0]["category"] = "astrology"
    data["dates"]["injury"] = "2010-13-45"
    path.write_text(json.dumps(data))
    result = CliRunner().invoke(main, ["validate", "--content", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{path}: items.0.category" in result.output
    assert f"{path}: dates.injury" in result.output


def test_synth_then_ingest(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["synth", "5", "--out", str(tmp_path / "l")]).exit_code == 0
    result = runner.invoke(
        main, ["ingest", str(tmp_path / "l"), "--out", str(tmp_path / "r"), "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "r").glob("[!.]*.json"))) == 5


def test_schema_command_prints_the_record_schema():
    result = CliRunner().invoke(main, ["schema"])
    schema = json.loads(result.output)
    assert schema["title"].startswith("IMR determination record")
    assert "items" in schema["required"]


def test_build_keep_going_lists_bad_records_and_builds_the_rest(tmp_path):
    records = tmp_path / "content" / "records"
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(SEED_LETTER), "--out", str(records), "--no-progress"])
    [good] = records.glob("imr-*.json")
    base = json.loads(good.read_text())
    bad = {
        "CM13-0000001": ("schema_version", {**base, "schema_version": 99}),
        "CM13-0000002": ("items", {k: v for k, v in base.items() if k != "items"}),
        "CM13-0000003": ("dates.injury", {**base, "dates": {**base["dates"], "injury": "06/11"}}),
        "CM13-0000004": ("body_regions", {**base, "body_regions": ["elbowz"]}),
    }
    for rid, (_, data) in bad.items():
        (records / f"{rid}.json").write_text(json.dumps({**data, "id": rid}))
    site = tmp_path / "site"
    args = ["build", "--content", str(tmp_path / "content"), "--site-dir", str(site)]
    result = runner.invoke(main, args)
    assert result.exit_code == 1 and not site.exists()
    for rid, (field, _) in bad.items():
        assert f"{records / rid}.json: {field}" in result.output, (rid, result.output)
    result = runner.invoke(main, [*args, "--keep-going"])
    assert result.exit_code == 1
    assert "4 record(s) left out" in result.output
    assert (site / "determinations" / good.stem / "index.html").is_file()
    assert not (site / "determinations" / "CM13-0000001").exists()
