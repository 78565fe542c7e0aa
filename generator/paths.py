"""Where the package's own files are: the one place that knows the package layout."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
DATA = PACKAGE / "data"  # vocabularies, catalogue, site defaults


def theme_dir() -> Path:
    """The imr-archive theme overrides: inside the installed package, else the repository's."""
    for candidate in (PACKAGE / "theme", PACKAGE.parent / "theme"):
        if (candidate / "assets").is_dir():
            return candidate
    raise FileNotFoundError(f"imr-archive theme not found beside {PACKAGE}")


def project_mkdocs_config() -> Path:
    """The repository's mkdocs.yml (for a checkout; an installed package has none)."""
    return PACKAGE.parent / "mkdocs.yml"
