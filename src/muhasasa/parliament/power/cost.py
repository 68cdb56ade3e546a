"""What a count would cost before it starts: every engine's time and memory, estimated
from the shape of the game, and the refusal of a game no engine can count in bounds."""

from __future__ import annotations

import math
from dataclasses import dataclass

from muhasasa.errors import InputError
from muhasasa.parliament.games import VotingGame
from muhasasa.parliament.power.generating import modular_size, primes_needed
from muhasasa.parliament.power.shape import shape_of, slot_bits

MAX_SECONDS = 60.0  # refuse a computation estimated to take longer (on a 2-core machine)
MAX_BYTES = 2 * 2**30  # ... or to hold more memory than this
STATE_LIMIT = 400_000  # community-capped DP states

# Throughputs of this machine (measured; see benchmarks/bench_power.py): deliberately
# a little pessimistic, so an accepted computation finishes within the limit.
_BIGINT_BYTES_PER_S = 1.0e9  # bytes of packed integers added or shifted per second
_BIGINT_OP_S = 1.5e-7  # fixed cost of one Python big-integer operation
_NUMPY_ELEMENTS_PER_S = 4.0e8  # uint64 element updates per second
_PATTERN_S = 2.0e-5  # one type-count pattern of the enumeration engine
_STATE_S = 1.0e-6  # one (state, count) step of the community-capped DP
# the enumeration's per-pattern big-integer work (multiplicities, factorials and Fractions
# of about n bits) grows with the number of players n: about this many seconds times n²,
# plus this many times n
_ENUM_SQUARE_S = 4.5e-11
_ENUM_LINEAR_S = 2.5e-7


@dataclass(frozen=True)
class Estimate:
    """The engine chosen for a count, with its estimated time and memory."""

    engine: str
    seconds: float
    bytes: int

    @property
    def fits(self) -> bool:
        return self.seconds <= MAX_SECONDS and self.bytes <= MAX_BYTES


def _packed_seconds(ops: float, bytes_each: float) -> float:
    return ops * (_BIGINT_OP_S + bytes_each / _BIGINT_BYTES_PER_S)


def _estimates(game: VotingGame, counts: str) -> list[Estimate]:
    """Every engine able to count ``counts`` for this game, with its cost."""
    out = []
    types = game.types()
    patterns = math.prod(t.count + 1 for t in types)
    patterns = float(patterns) if patterns.bit_length() < 1000 else math.inf
    n = len(game.weights)
    table_s, table_b = _factorial_cost(n)
    binomial_b = sum(t.count * t.count // 8 + 64 * t.count for t in types)
    per_pattern = _PATTERN_S * (1 + len(types) / 8) + _ENUM_SQUARE_S * n * n + _ENUM_LINEAR_S * n
    out.append(Estimate("enumeration", patterns * per_pattern + table_s,
                        64 * len(types) ** 2 + table_b + binomial_b))
    try:
        out.extend(_table_estimates(game, counts, n, table_s, table_b + binomial_b))
    except OverflowError:  # weights so large that no table engine is conceivable
        pass
    return out


def _table_estimates(game: VotingGame, counts: str, n: int, table_s: float, table_b: int) -> list[Estimate]:
    """The engines whose tables grow with the weights (or the community states)."""
    out: list[Estimate] = []
    types = game.types()
    if game.requirement is not None:
        if counts != "minimal":
            e = _requirement_estimate(game, counts == "pivots")
            out.append(Estimate(e.engine, e.seconds + table_s, e.bytes + table_b))
        return out
    shape = shape_of(game)
    L, bits = shape.dual, slot_bits(n)
    if counts == "swings":
        size = L * bits / 8
        out.append(Estimate("packed", _packed_seconds(4 * n + 4, size) + L * _BIGINT_OP_S * 4, int(6 * size + 80 * L)))
    elif counts == "pivots":
        row = n * bits / 8
        out.append(Estimate("packed-sizes", _packed_seconds(n * L * 2, row / 2) + _packed_seconds(len(types) * min(n, L), row)
                            + 2 * table_s, int(L * (row + 80) * 2) + 2 * table_b))
        kmax, elements = modular_size(shape)
        channels = 1 + primes_needed(n)
        if kmax < 4000:  # window sums of < 2^13 terms below 2^51 stay within uint64
                out.append(Estimate("modular", elements * channels / _NUMPY_ELEMENTS_PER_S + 2e-6 * n * kmax + 2 * table_s,
                                    int(8 * channels * (kmax + 1) * L + 8 * channels * (kmax + 1) ** 2) + 2 * table_b))
    else:
        top = min(shape.total, shape.quota + shape.weights[0] - 1) + 1
        d = len(shape.weights)
        ops = n * top + d * (d + 1) * top
        out.append(Estimate("split", _packed_seconds(ops, n * slot_bits(n) / 16), int(2 * top * (n * bits / 8 + 80) * 3)))
    return out


def _factorial_cost(n: int) -> tuple[float, int]:
    """Time and memory of the table ``0!, …, n!`` (about ``n²·log2(n)/16`` bytes)."""
    size = int(n * n * max(math.log2(n), 1) / 16) + 64 * (n + 1) if n > 1 else 64
    return _packed_seconds(n, size / max(n, 1)) * 2, size


def _requirement_estimate(game: VotingGame, sizes: bool) -> Estimate:
    n, q = len(game.weights), game.quota
    need = game.needed_by_community()
    bits = slot_bits(n)
    if game.requirement.share == 0:
        families = 2 ** len(need)
        row = (n * bits / 8) if sizes else 8.0
        seconds = families * _packed_seconds(n * q, row / 2) + families * len(game.types()) * q * _BIGINT_OP_S * 2
        return Estimate("covering", seconds, int(families * q * (row + 80)))
    types = game.types()
    states = min(math.prod(t.count + 1 for t in types), (q + 1) * math.prod(r + 1 for r in need.values()))
    states = min(states, STATE_LIMIT) * ((n + 1) if sizes else 1)
    steps = states * sum(t.count + 1 for t in types) * (len(types) + 1)
    return Estimate("capped", steps * _STATE_S, int(states * 200))


def plan(game: VotingGame, counts: str) -> Estimate:
    candidates = _estimates(game, counts)
    fitting = [e for e in candidates if e.fits]
    return min(fitting or candidates, key=lambda e: e.seconds)


def planned(game: VotingGame, counts: str) -> Estimate:
    chosen = plan(game, counts)
    if not chosen.fits:
        limit = (f"{MAX_SECONDS:g} s" if chosen.seconds > MAX_SECONDS else f"{MAX_BYTES / 2**30:g} GiB")
        raise InputError(
            "game",
            f"counting this game exactly would take about {_human(chosen)} even by the cheapest "
            f"engine ({chosen.engine}), beyond the limit of {limit}: use smaller or fewer distinct "
            "weights, group players into blocs, or drop the community requirement",
            field="weights",
        )
    return chosen


def _human(e: Estimate) -> str:
    seconds = f"{e.seconds:.3g} s" if e.seconds < 1e6 else f"{e.seconds:.1e} s"
    return f"{seconds} and {e.bytes / 2**30:.3g} GiB"
