"""The `imr-archive` command line: a thin layer over the library.

The library raises typed errors; only this module turns them into messages
and exit codes: 0 done, 1 content errors (bad letters or records), 2 usage.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from generator import __version__
from generator.cli_shards import ShardMode, shard_options
from generator.paths import project_mkdocs_config

EXIT_CONTENT = 1


def _records_dir(content: Path) -> Path:
    records = content / "records"
    if not records.is_dir():
        raise click.UsageError(f"{records} is not a folder: the content folder needs records/")
    return records


def _site_url(url: str) -> str:
    """A --site-url value checked and given its trailing slash."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise click.BadParameter(f"{url!r} is not an http(s) address", param_hint="--site-url")
    return url if url.endswith("/") else url + "/"


def _project_config() -> Path:
    """The mkdocs.yml used when --config is not given: ./mkdocs.yml, else the project's."""
    local = Path("mkdocs.yml")
    return local if local.exists() else project_mkdocs_config()


def content_option(help: str = "Content folder: records/ (required), pages/ (optional)."):
    return click.option(
        "--content",
        "content",
        default=Path("content"),
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=help,
    )


def site_dir_option(default: str, help: str):
    return click.option(
        "--site-dir",
        default=Path(default),
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=help,
    )


config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="MkDocs configuration [default: ./mkdocs.yml, else the project's].",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="imr-archive")
def main() -> None:
    """Build a searchable static archive of California IMR determination letters.

    \b
    Typical use:
      imr-archive ingest content/letters --out content/records
      imr-archive build
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder the JSON records are written to (e.g. content/records).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite records that were edited by hand since ingest wrote them.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the JSON ingest report [default: OUT/../ingest-report.json].",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar [default: when the terminal is interactive].",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that read letters; records are the same for any number "
    "[default: one per core].",
)
@click.option("--letter-timeout", type=click.FloatRange(min=0), default=10.0,
              help="Seconds one letter may take; a letter that takes longer is reported "
              "as failed, not waited for (0: no limit) [default: 10].")
def ingest(
    paths: tuple[Path, ...],
    out: Path,
    force: bool,
    report_path: Path | None,
    progress: bool | None,
    jobs: int | None,
    letter_timeout: float,
) -> None:
    """Turn letter files (.txt or .pdf, or folders of them) into JSON records.

    Every letter becomes a record in OUT or an entry in the ingest report
    naming the file, the line and the reason. Exits 1 if any letter failed
    or a hand-edited record was kept.
    """
    from generator.letters.ingest import ingest as run

    report = run(paths, out, force=force, progress=progress, jobs=jobs,
                 letter_timeout=letter_timeout)
    report_path = report_path or out.parent / "ingest-report.json"
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(report.to_json(), encoding="utf-8")
    click.echo(report.summary_text())
    click.echo(f"report: {report_path}")
    if not report.ok:
        sys.exit(EXIT_CONTENT)


@main.command()
@content_option()
@site_dir_option("site", "Where the site is written.")
@config_option
@click.option(
    "--keep-going",
    is_flag=True,
    help="Build even if some records are invalid; list what was left out (exit 1).",
)
@click.option(
    "--site-url",
    help="Public address of the site, e.g. https://example.org/imr/ (canonical links, "
    "sitemap, 404 page). Without it the site works from any folder of a web server.",
)
@click.option(
    "--noindex",
    is_flag=True,
    help="Keep search engines away: a robots noindex tag on every page and a robots.txt.",
)
@click.option(
    "--header-search-max",
    type=int,
    help="Keep determinations in the header search up to this many (negative: always) "
    "[default: extra.imr.header_search_max_determinations, else 320].",
)
@click.option(
    "--progress/--no-progress",
    default=True,
    show_default=True,
    help="Show the build phases (and progress bars on a terminal) on stderr.",
)
@shard_options
def build(
    content: Path,
    site_dir: Path,
    config_file: Path | None,
    keep_going: bool,
    site_url: str | None,
    noindex: bool,
    header_search_max: int | None,
    progress: bool,
    **shards,
) -> None:
    """Validate the records, write the pages and build the static site (MkDocs, strict).

    The site is built as shards, each kept in a cache folder: a build rebuilds only
    the shards whose pages, configuration, theme or code changed (--full: all).
    --list-shards, --shard and --merge split a build over several machines.
    """
    from generator.build.site import SiteBuildError, build_site
    from generator.record.store import RecordsInvalid

    mode = ShardMode(**shards)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _records_dir(content)
    try:
        report = build_site(
            content,
            site_dir,
            config_file=config_file or _project_config(),
            keep_going=keep_going,
            config_overrides={"site_url": _site_url(site_url)} if site_url else None,
            noindex=noindex or None,
            header_search_max=header_search_max,
            progress=progress,
            **mode.build_args(),
        )
    except RecordsInvalid as e:
        click.echo(f"{len(e.errors)} record error(s); nothing was built:", err=True)
        for err in e.errors:
            click.echo(f"  {err}", err=True)
        click.echo("Fix them, or build the rest with --keep-going.", err=True)
        sys.exit(EXIT_CONTENT)
    except SiteBuildError as e:
        click.echo(mode.failure(e), err=True)
        sys.exit(EXIT_CONTENT)
    click.echo(mode.groups_json(report) if mode.list_shards else mode.summary(report))
    if mode.builds_site:
        click.echo(
            f"Site written to {site_dir}/ - open {site_dir / 'index.html'} or run: "
            f"python3 -m http.server -d {site_dir} 8000  (then http://127.0.0.1:8000/)"
        )
    if report.errors:
        click.echo(f"{len(report.errors)} record(s) left out:", err=True)
        for err in report.errors:
            click.echo(f"  {err}", err=True)
        sys.exit(EXIT_CONTENT)


@main.command()
@content_option("Content folder: records/, letters/ (optional), pages/ (optional).")
@site_dir_option(".build/preview", "Where the preview is built.")
@config_option
@click.option(
    "--port", default=8000, show_default=True, help="Port on 127.0.0.1 (0: any free port)."
)
@click.option(
    "--theme-dir",
    "theme_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Extra folder to watch for template changes [default: ./theme].",
)
def serve(
    content: Path, site_dir: Path, config_file: Path | None, port: int, theme_dirs: tuple[Path, ...]
) -> None:
    """Build, serve on http://127.0.0.1:PORT/ and rebuild when sources change.

    Watches CONTENT/letters (changed letters are ingested into CONTENT/records),
    CONTENT/records, CONTENT/pages, the theme folder and mkdocs.yml. A failed
    rebuild is reported and the last good site stays up. Stop with Ctrl-C.
    """
    from generator.build import serve as live

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = config_file or _project_config()
    live.serve(content, site_dir, config, port, theme_dirs, click.echo)


@main.command()
@content_option("Content folder.")
def validate(content: Path) -> None:
    """Check every record in CONTENT/records against the schema and vocabularies."""
    from generator.record.store import load_records

    records, errors = load_records(_records_dir(content))
    for err in errors:
        click.echo(str(err), err=True)
    click.echo(f"{len(records)} valid record(s), {len(errors)} error(s)")
    if errors:
        sys.exit(EXIT_CONTENT)


@main.command()
@click.argument("n", type=click.IntRange(min=1))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder the letters are written to.",
)
@click.option(
    "--seed", default=0, show_default=True, help="Seed: the same seed gives the same letters."
)
def synth(n: int, out: Path, seed: int) -> None:
    """Write N synthetic letters (clearly marked as synthetic) in the published layouts."""
    from generator.letters.synth import synth_letters

    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for name, text in synth_letters(n, seed=seed):
        (out / name).write_text(text, encoding="utf-8")
        count += 1
    click.echo(f"{count} synthetic letter(s) written to {out}/")


@main.command()
@content_option("Content folder.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text lines.")
def unrecognized(content: Path, as_json: bool) -> None:
    """List citation texts the guideline catalogue does not recognize (filed as 'other')."""
    from generator.letters.citations import unrecognized as find
    from generator.record.store import load_records

    records, errors = load_records(_records_dir(content))
    for err in errors:
        click.echo(f"skipped: {err}", err=True)
    rows = find(records)
    if as_json:
        click.echo(
            json.dumps(
                [dict(zip(("id", "item", "who", "text"), r, strict=True)) for r in rows], indent=2
            )
        )
    else:
        for rid, item, who, text in rows:
            click.echo(f"{rid}\titem {item + 1}\t{who}\t{text}")
        click.echo(f"{len(rows)} unrecognized citation(s)", err=True)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default="IMR Archive", show_default=True, help="The site's name.")
def init(directory: Path, name: str) -> None:
    """Start a new archive in DIRECTORY: mkdocs.yml, content/ folders and a README.

    Then put letters in DIRECTORY/content/letters and, inside DIRECTORY, run
    `imr-archive ingest content/letters --out content/records` and
    `imr-archive build`.
    """
    from generator.build.scaffold import ScaffoldError, scaffold

    try:
        written = scaffold(directory, name)
    except ScaffoldError as e:
        raise click.UsageError(str(e)) from None
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(
        f"Next: cd {directory} && imr-archive ingest content/letters --out content/records "
        "&& imr-archive build"
    )


@main.command()
def schema() -> None:
    """Print the JSON Schema of a record."""
    from generator.record.models import json_schema

    click.echo(json.dumps(json_schema(), indent=2, sort_keys=True))


if __name__ == "__main__":  # pragma: no cover
    main()
