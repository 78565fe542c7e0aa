"""Live preview: build, serve on 127.0.0.1, rebuild when the sources change.

The watcher polls file times (no extra dependency, works on any file
system). Letters that changed are ingested first, so editing a letter, a
record, a template or mkdocs.yml all show up after the next rebuild. The
server always serves the last good site: a failed rebuild is reported and
the previous site stays up.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

Snapshot = dict[str, tuple[int, int]]


def snapshot(roots: list[Path]) -> Snapshot:
    """(mtime, size) of every file under `roots` (missing roots are skipped)."""
    out: Snapshot = {}
    for root in roots:
        if root.is_file():
            st = root.stat()
            out[str(root)] = (st.st_mtime_ns, st.st_size)
        elif root.is_dir():
            for path in root.rglob("*"):
                if path.is_file() and not path.name.startswith("."):
                    st = path.stat()
                    out[str(path)] = (st.st_mtime_ns, st.st_size)
    return out


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """Paths added, removed or modified between two snapshots, sorted."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def make_server(site_dir: Path, port: int) -> ThreadingHTTPServer:
    """An HTTP server for `site_dir` on 127.0.0.1 (port 0 picks a free one)."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


def watch(
    roots: list[Path],
    rebuild: Callable[[list[str]], None],
    *,
    interval: float = 0.5,
    stop: threading.Event | None = None,
    since: Snapshot | None = None,
) -> None:
    """Call `rebuild(changed_paths)` whenever files under `roots` change, until `stop` is
    set. `since`: the snapshot to compare with first (taken by the caller before it tells
    anyone the site is up, so no change made after that can be missed)."""
    stop = stop or threading.Event()
    last = since if since is not None else snapshot(roots)
    while not stop.wait(interval):
        now = snapshot(roots)
        diff = changed(last, now)
        if diff:
            time.sleep(interval)  # let an editor finish writing
            now = snapshot(roots)
            rebuild(changed(last, now) or diff)
        last = now


def _rebuilder(
    content: Path, site_dir: Path, config: Path, echo: Callable[..., None]
) -> Callable[[list[str]], None]:
    """The rebuild a change triggers: changed letters ingested first, then the site."""
    from generator.build.site import SiteBuildError, build_site
    from generator.letters.ingest import ingest
    from generator.record.store import RecordsInvalid

    letters = content / "letters"

    def rebuild(paths: list[str]) -> None:
        if any(
            Path(p).is_relative_to(letters.resolve()) or Path(p).is_relative_to(letters)
            for p in paths
        ):
            echo(ingest([letters], content / "records", progress=False).summary_text())
        try:
            built = build_site(content, site_dir, config_file=config, keep_going=True)
            echo(f"rebuilt: {built.summary_text()}")
            for err in built.errors:
                echo(f"  left out: {err}", err=True)
        except (RecordsInvalid, SiteBuildError) as e:
            echo(f"rebuild failed; still serving the previous site:\n{e}", err=True)

    return rebuild


def serve(
    content: Path,
    site_dir: Path,
    config: Path,
    port: int,
    theme_dirs: tuple[Path, ...],
    echo: Callable[..., None],
) -> None:
    """Build, serve on 127.0.0.1:`port` and rebuild on changes until Ctrl-C."""
    letters = content / "letters"
    rebuild = _rebuilder(content, site_dir, config, echo)
    roots = [content / "records", content / "pages", letters, config,
             *(theme_dirs or [config.parent / "theme"])]
    rebuild([str(letters)] if letters.is_dir() else [])
    since = snapshot(roots)  # before the address is shown: later edits are all seen
    server = make_server(site_dir, port)
    stop = threading.Event()
    threading.Thread(
        target=watch, args=(roots, rebuild), kwargs={"stop": stop, "since": since}, daemon=True
    ).start()
    echo(f"Serving {site_dir}/ on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
