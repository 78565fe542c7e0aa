"""One shard (generator.build.shards) built by MkDocs, in a worker process of the pool.

The shard's docs folder holds only its own pages (and, for the root shard, the data
files). :func:`shard_plugin` adds its phantoms, the linked pages of other shards, as
excluded files: MkDocs resolves links and nav entries to them (same URLs, no warning)
and neither renders nor writes them. A shard other than root leaves out the theme's
assets and the static templates (404, sitemap), which the root shard writes once.
After the build, ``imr-shard.json`` in the output lists the shard's pages (source,
output file, sitemap address) for the merge (generator.build.merge).
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.build.mkdocs_run import MkDocsJob, mkdocs_build, page_memory_plugin, peak_kib

MANIFEST = "imr-shard.json"
DIGESTS = "imr-digests.json"  # what it was built from (generator.build.pagereuse)


def shard_plugin(phantoms: list[str], is_root: bool):
    """The MkDocs plugin that makes a docs folder one shard of the site (see module)."""
    from mkdocs.plugins import BasePlugin
    from mkdocs.structure.files import File, Files, InclusionLevel

    class ShardPlugin(BasePlugin):
        def on_config(self, config):
            if not is_root:
                config.theme.static_templates.clear()
            return config

        def on_files(self, files, config):
            kept = list(files) if is_root else [f for f in files if f.is_documentation_page()]
            for path in phantoms:
                kept.append(
                    File.generated(config, path, content=b"", inclusion=InclusionLevel.EXCLUDED)
                )
            return Files(kept)

        def on_post_build(self, config):
            pages = []
            for f in self.files.documentation_pages():
                page = f.page
                if page is None:
                    continue
                pages.append(
                    {
                        "src": f.src_uri,
                        "dest": f.dest_uri,
                        "url": f.url,
                        "canonical_url": page.canonical_url,
                        "abs_url": page.abs_url,
                    }
                )
            manifest = {"pages": pages, "root": is_root}
            path = Path(config.site_dir) / MANIFEST
            path.write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")

        def on_nav(self, nav, config, files):
            self.files = files  # documentation_pages() keeps the included ones only
            return nav

    return ShardPlugin()


def build_shard(
    key: str, docs_dir: Path, out_dir: Path, job: MkDocsJob, phantoms: list[str]
) -> tuple[str, int, float]:
    """Build one shard (in a pool worker): (its key, the worker's peak KiB so far, the
    seconds it took)."""
    import time

    from generator.build.errors import SiteBuildError

    start = time.perf_counter()
    plugins = {
        "imr-archive/memory": page_memory_plugin(),
        "imr-archive/shard": shard_plugin(phantoms, is_root=key == "root"),
    }
    try:
        mkdocs_build(job, docs_dir, out_dir, plugins)
    except SiteBuildError as e:
        raise SiteBuildError(f"shard {key}: {e}") from None
    return key, peak_kib(), time.perf_counter() - start
