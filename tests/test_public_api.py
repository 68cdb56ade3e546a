"""The public API is small and explicit, and importing it does no work."""

import subprocess
import sys

import muhasasa

# One name per line, sorted: a new public name is one added line.
PINNED = [
    'Allocation',
    'CoalitionVerdict',
    'DataLevelError',
    'INDICES',
    'InputError',
    'METHODS',
    'MuhasasaError',
    'Pack',
    'SeatAward',
    'TieError',
    'TieEvent',
    'Tile',
    'UnknownNameError',
    'allocate',
    'allocate_batch',
    'bloc_maps',
    'calibrate',
    'check_draws',
    'check_out',
    'coalition',
    'coalition_members',
    'coalition_page',
    'coalition_patterns',
    'coalition_rows',
    'colours',
    'community_requirement',
    'compare',
    'cycle_events',
    'cycle_names',
    'cycle_of_election',
    'cycle_record',
    'cycles',
    'dask_client',
    'describe_laws',
    'district_rows',
    'election_index',
    'form',
    'game',
    'get_method',
    'governorate_tiles',
    'hemicycle',
    'law',
    'law_lab',
    'laws',
    'list_rows',
    'load_pack',
    'load_scenario',
    'load_whatif',
    'mandate',
    'metrics',
    'office_holders',
    'outside_positions',
    'pack_ids',
    'parliament',
    'parliament_summary',
    'percent',
    'players',
    'power',
    'power_estimate',
    'power_index',
    'power_rows_folded',
    'read_summary',
    'read_votes',
    'replay',
    'replay_lines',
    'replayable_cycles',
    'scenario_from_text',
    'serve',
    'simulate',
    'steps',
    'sweep',
    'systems',
    'systems_rows',
    'to_plain',
    'verify',
    'verify_counts',
    'verify_rows',
    'verify_summary',
    'veto_effects',
    'women',
    'write_hemicycle',
    'write_result',
]


def test_public_names_are_pinned():
    assert sorted(muhasasa.__all__) == PINNED
    assert all(hasattr(muhasasa, name) for name in muhasasa.__all__)


def test_import_loads_no_data():
    code = "import muhasasa, muhasasa.packs as p; print(p._bundled_pack.cache_info().currsize)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
