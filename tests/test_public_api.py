"""The public API is small and explicit, and importing it does no work."""

import subprocess
import sys

import muhasasa


def test_public_names_are_pinned():
    assert sorted(muhasasa.__all__) == [
        "Allocation", "DataLevelError", "INDICES", "InputError", "METHODS", "MuhasasaError",
        "SeatAward", "TieError", "TieEvent", "UnknownNameError", "allocate", "allocate_batch", "get_method",
        "power_index",
    ]
    assert all(hasattr(muhasasa, name) for name in muhasasa.__all__)


def test_import_loads_no_data():
    code = "import muhasasa, sys; print('muhasasa.record' in sys.modules and __import__('muhasasa.record').record.load_record.cache_info().currsize)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() in ("False", "0")
