"""Order of the example gallery: the quickstart first, then by file name."""

from __future__ import annotations

from pathlib import Path

FIRST = ("plot_quickstart.py",)


class QuickstartFirst:
    """Sort key for ``within_subsection_order`` (sphinx-gallery)."""

    def __init__(self, src_dir: str) -> None:
        self.src_dir = src_dir

    def __call__(self, filename: str) -> tuple[int, str]:
        name = Path(filename).name
        return (FIRST.index(name) if name in FIRST else len(FIRST), name)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"
