"""The build's own error, shared by the build, its child processes and the swap."""


class SiteBuildError(RuntimeError):
    """MkDocs could not build the site (in strict mode: any warning). The old site is kept."""
