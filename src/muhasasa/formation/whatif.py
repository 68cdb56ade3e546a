"""Formation what-if files, read through the pack (:mod:`muhasasa.packs.schema.whatif`).

>>> from pathlib import Path
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "w.toml").write_text('cycle = "2022"\\n[parameters]\\nboycott = "1"\\n', encoding="utf-8")
>>> w = load_whatif(folder / "w.toml")
>>> w.cycle, w.parameters.given()
('2022', {'boycott': Fraction(1, 1)})
"""

from __future__ import annotations

from pathlib import Path

from muhasasa import packs
from muhasasa.packs.schema.whatif import WhatIf

__all__ = ["WhatIf", "load_whatif"]


def load_whatif(path: str | Path, pack: packs.PackLike = None) -> WhatIf:
    """Read and validate a what-if file; errors name the file, line and field."""
    return packs.load(pack).whatif_file(path)
