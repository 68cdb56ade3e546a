"""Collection settings: the compiled kernels need numba (the ``fast`` extra, in ``dev``).

Without numba the module cannot be imported for its doctests, and muhasasa does not offer
the ``"numba"`` algorithm at all (``kernels.DIVISOR_ALGORITHMS``), so the batch tests run
the numpy kernel only; ``pip install -e '.[dev]'`` tests both.
"""

import importlib.util

collect_ignore = [] if importlib.util.find_spec("numba") else ["src/muhasasa/methods/compiled.py"]
