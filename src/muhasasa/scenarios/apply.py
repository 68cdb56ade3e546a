"""Interventions on the vote table, in file order: swings, turnout, boycotts, withdrawals,
merges and splits, in exact integer arithmetic (each names its field when it cannot apply)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np

from muhasasa import packs
from muhasasa.methods import allocate
from muhasasa.packs.toml import did_you_mean
from muhasasa.scenarios.spec import (
    NATIONAL,
    UNCLASSIFIED,
    Intervention,
    Place,
    VoteTable,
    exact_number,
)
from muhasasa.scenarios.table import turnout_rate

__all__ = ["APPLY", "Work"]

# --------------------------------------------------------------------------- interventions


def _round(values: np.ndarray, factor: Fraction) -> np.ndarray:
    """``values * factor`` rounded half up, in exact integer arithmetic."""
    p, q = factor.numerator, factor.denominator
    if abs(p) < 2**20 and q < 2**20:
        return (values * (2 * p) + q) // (2 * q)
    return np.array([(int(v) * 2 * p + q) // (2 * q) for v in values.ravel()], dtype=np.int64).reshape(values.shape)


@dataclass
class Work:
    """The table while interventions change it (mutable; frozen at the end)."""

    base: VoteTable
    lists: list[str]
    names: list[str]
    communities: list[str]
    votes: np.ndarray
    residual: np.ndarray
    held: np.ndarray
    notes: list[str]
    renames: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, t: VoteTable) -> Work:
        return cls(t, list(t.lists), list(t.names), list(t.communities), t.votes.copy(), t.residual.copy(),
                   t.held.copy(), list(t.notes), {})

    def freeze(self) -> VoteTable:
        return replace(self.base, lists=tuple(self.lists), names=tuple(self.names),
                       communities=tuple(self.communities), votes=self.votes, residual=self.residual,
                       held=self.held, notes=tuple(self.notes), renames=dict(self.renames))

    def known(self, list_id: str, place: Place, key: str) -> str:
        if list_id not in self.lists:
            gone = [k for k, v in self.renames.items() if k == list_id]
            if gone:
                raise place.error(f"list {list_id!r} no longer exists here: an earlier intervention "
                                  f"turned it into {', '.join(self.renames[list_id])}", key)
            raise place.unknown(f"list of {self.base.election}", list_id, self.lists, key)
        return list_id

    def targets(self, iv: Intervention, scope: Sequence[tuple[str, str]]) -> list[int]:
        spec = iv.spec
        given = [spec.list] if getattr(spec, "list", None) else list(getattr(spec, "lists", None) or ())
        communities = [v for k, v in scope if k == "community"]
        if given:
            if communities and iv.kind != "turnout":
                raise iv.place.error("a community scope picks the lists itself; leave out list/lists", "scope")
            return [self.lists.index(self.known(x, iv.place, "lists" if spec.lists else "list")) for x in given]
        if communities:
            return [i for i, c in enumerate(self.communities) if c in communities]
        raise iv.place.error(f"a {iv.kind} needs list, lists or a community scope (scope = \"community=...\")")

    def scope(self, iv: Intervention) -> list[tuple[str, str]]:
        raw = iv.spec.scope
        items = [raw] if isinstance(raw, str) else list(raw)
        out = []
        for item in items:
            kind, sep, value = item.partition("=")
            kind, value = kind.strip(), value.strip()
            if kind == NATIONAL and not sep:
                out.append((NATIONAL, ""))
                continue
            if kind not in ("governorate", "community") or not sep or not value:
                raise iv.place.error(f"scope {item!r} is not national, governorate=<name> or community=<name>"
                                     f"{did_you_mean(kind, ['national', 'governorate', 'community'])}", "scope")
            if kind == "governorate":
                known = [d.governorate or d.name for d in self.base.law.districts] + \
                    [d.district for d in packs.load().record().election(self.base.election).districts]
                known = sorted({k for k in known if k})
                if value not in known:
                    raise iv.place.unknown("governorate", value, known, "scope")
                if self.base.level == NATIONAL:
                    raise iv.place.error(
                        f"scope governorate={value} needs governorate votes, but the base is one national district "
                        f"({self.base.reasons[0]}); write level = \"governorate\" to simulate the districts the "
                        "record itemizes and hold the others", "scope")
            else:
                known = sorted(set(self.communities) - {UNCLASSIFIED})
                if value not in known:
                    raise iv.place.unknown("community", value, known, "scope")
            out.append((kind, value))
        return out

    def districts(self, iv: Intervention, scope: Sequence[tuple[str, str]]) -> list[int]:
        """Indices of the simulated districts in scope; held ones are noted, none at all is an error."""
        names = [v for k, v in scope if k == "governorate"]
        if not names:
            return list(range(len(self.base.districts)))
        inside = [self.base.districts.index(n) for n in names if n in self.base.districts]
        held = [n for n in names if n not in self.base.districts]
        if not inside:
            raise iv.place.error(
                f"{', '.join(held)}: the record does not itemize the votes of "
                f"{'this district' if len(held) == 1 else 'these districts'}, whose seats are held at the official "
                "result, so the change cannot be computed", "scope")
        if held:
            self.notes.append(f"interventions[{iv.index + 1}] ({iv.kind}) not applied in {', '.join(held)}: their "
                              "votes are not itemized in the record and their seats are held")
        return inside

    def total(self, d: int) -> int:
        return int(self.votes[d].sum() + self.residual[d])

    def note(self, iv: Intervention, text: str) -> None:
        self.notes.append(f"interventions[{iv.index + 1}] ({iv.kind}): {text}")

    def check_held(self, iv: Intervention, lists: Sequence[int]) -> None:
        if self.base.held_districts and any(self.held[i] for i in lists):
            self.note(iv, "seats held in districts without itemized votes are unchanged")


def _points(iv: Intervention, key: str = "points") -> Fraction:
    return exact_number(getattr(iv.spec, key), iv.place, key)


def _swing(w: Work, iv: Intervention) -> None:
    scope = w.scope(iv)
    targets = w.targets(iv, scope)
    districts = w.districts(iv, scope)
    points = _points(iv)
    losers = ([w.lists.index(w.known(x, iv.place, "from")) for x in iv.spec.from_] if iv.spec.from_
              else [i for i in range(len(w.lists)) if i not in targets])
    if set(losers) & set(targets):
        raise iv.place.error("a list cannot both gain and lose in one swing", "from")
    if iv.spec.mode == "proportional":
        target_votes = int(w.votes[np.ix_(districts, targets)].sum())
        scope_total = sum(w.total(d) for d in districts)
        if target_votes == 0:
            raise iv.place.error("the swing's lists have no votes in its scope", "list")
        share = Fraction(target_votes * 100, scope_total)
        factor = (share + points) / share
        if factor < 0:
            raise iv.place.error(f"a swing of {points} points leaves negative votes: the lists hold only "
                                 f"{float(share):.2f}% in scope", "points")
    for d in districts:
        own = w.votes[d, targets]
        if own.sum() == 0:
            continue
        if iv.spec.mode == "uniform":
            delta = int(Fraction(w.total(d)) * points / 100)
        else:
            delta = int(Fraction(int(own.sum())) * (factor - 1))
        if -delta > own.sum():
            raise iv.place.error(
                f"a swing of {points} points leaves negative votes in {w.base.districts[d]}: the lists hold "
                f"{int(own.sum())} of {w.total(d)} votes there", "points")
        others = w.votes[d, losers]
        if delta > others.sum():
            raise iv.place.error(f"a swing of {points} points leaves negative votes in {w.base.districts[d]}: "
                                 f"the losing lists hold only {int(others.sum())} votes there", "points")
        w.votes[d, targets] = own + _spread(delta, own)
        w.votes[d, losers] = others - _spread(delta, others)
    w.note(iv, f"{iv.spec.mode} swing of {points} points to {', '.join(w.lists[i] for i in targets)}")


def _spread(amount: int, weights: np.ndarray) -> np.ndarray:
    """``amount`` split in proportion to ``weights`` (largest remainders, exact); equal when all are 0."""
    weights = weights.astype(np.int64)
    total = int(weights.sum())
    if total == 0:
        weights = np.ones_like(weights)
        total = int(weights.size)
    sign = -1 if amount < 0 else 1
    amount = abs(amount)
    base = weights * amount // total
    rest = amount - int(base.sum())
    if rest:
        remainders = weights * amount - base * total
        order = np.argsort(-remainders, kind="stable")[:rest]
        base[order] += 1
    out = sign * base
    return np.minimum(out, weights) if sign < 0 else out


def _turnout_change(w: Work, iv: Intervention) -> None:
    scope = w.scope(iv)
    districts = w.districts(iv, scope)
    communities = [v for k, v in scope if k == "community"]
    lists = [i for i, c in enumerate(w.communities) if c in communities] if communities else list(range(len(w.lists)))
    if iv.spec.factor is not None:
        factor = exact_number(iv.spec.factor, iv.place, "factor", low=Fraction(0))
    for d in districts:
        if iv.spec.points is not None:
            points = _points(iv)
            rate = w.base.turnout[d] if w.base.turnout else None
            if rate is None:
                national = packs.load().record().election(w.base.election)
                rate = turnout_rate(national.votes_cast, national.registered)
                if rate is None:
                    raise iv.place.error("the turnout is unknown in the record; give factor = \"...\" instead", "points")
                w.note(iv, f"{w.base.districts[d]}: turnout unknown, the national {float(rate):.1f}% is used")
            if rate + points > 100 or rate + points < 0:
                raise iv.place.error(f"turnout {float(rate):.1f}% {points:+} points leaves the range 0-100% in "
                                     f"{w.base.districts[d]}", "points")
            factor = (rate + points) / rate
        w.votes[d, lists] = _round(w.votes[d, lists], factor)
        if not communities:
            w.residual[d] = int(_round(np.array([w.residual[d]]), factor)[0])
    what = f"{iv.spec.points} points" if iv.spec.points is not None else f"factor {iv.spec.factor}"
    where = ", ".join(w.base.districts[d] for d in districts) if len(districts) < len(w.base.districts) else "every district"
    w.note(iv, f"turnout {what} in {where}" + (f" among {', '.join(communities)} lists" if communities else ""))


def _boycott(w: Work, iv: Intervention) -> None:
    scope = w.scope(iv)
    lists = w.targets(iv, scope)
    districts = w.districts(iv, scope)
    share = Fraction(1) if iv.kind == "withdraw" else exact_number(iv.spec.share, iv.place, "share",
                                                                      low=Fraction(0), high=Fraction(1))
    for d in districts:
        w.votes[d, lists] = w.votes[d, lists] - _round(w.votes[d, lists], share)
    w.check_held(iv, lists)
    names = ", ".join(w.lists[i] for i in lists)
    if iv.kind == "withdraw":
        w.note(iv, f"{names} withdrawn: their votes are removed")
    else:
        w.note(iv, f"{share} of the votes of {names} stay home")


def _merge(w: Work, iv: Intervention) -> None:
    members = [w.known(x, iv.place, "lists") for x in iv.spec.lists]
    if len(set(members)) != len(members):
        raise iv.place.error("a list is named twice", "lists")
    into = iv.spec.into or members[0]
    if into in w.lists and into not in members:
        raise iv.place.error(f"{into!r} is already a list; choose another id", "into")
    idx = [w.lists.index(m) for m in members]
    keep = idx[0]
    w.votes[:, keep] = w.votes[:, idx].sum(axis=1)
    w.held[keep] = w.held[idx].sum()
    communities = {w.communities[i] for i in idx}
    w.communities[keep] = communities.pop() if len(communities) == 1 else "mixed"
    w.names[keep] = iv.spec.name or " + ".join(w.names[i] for i in idx)
    for m in members:
        w.renames[m] = (into,)
    w.lists[keep] = into
    drop = sorted(idx[1:], reverse=True)
    for i in drop:
        del w.lists[i], w.names[i], w.communities[i]
    w.votes = np.delete(w.votes, drop, axis=1)
    w.held = np.delete(w.held, drop)
    w.note(iv, f"{', '.join(members)} merged into {into}")


def _split(w: Work, iv: Intervention) -> None:
    parent = w.known(iv.spec.list, iv.place, "list")
    if len(iv.spec.into) < 2:
        raise iv.place.error("a split needs at least two parts", "into")
    shares = {k: exact_number(v, iv.place, f"into.{k}", low=Fraction(0), low_open=True)
              for k, v in iv.spec.into.items()}
    if sum(shares.values()) != 1:
        raise iv.place.error(f"the parts' shares add up to {sum(shares.values())}, not 1", "into")
    for k in shares:
        if k in w.lists and k != parent:
            raise iv.place.error(f"{k!r} is already a list; choose another id", "into")
    i = w.lists.index(parent)
    parts = list(shares)
    column = w.votes[:, i].copy()
    pieces = [column * s.numerator // s.denominator for s in shares.values()]
    pieces[0] = pieces[0] + (column - sum(pieces))
    held = _spread_exact(int(w.held[i]), [shares[k] for k in parts])
    community, name = w.communities[i], w.names[i]
    del w.lists[i], w.names[i], w.communities[i]
    w.votes = np.delete(w.votes, i, axis=1)
    w.held = np.delete(w.held, i)
    for k, piece, h in zip(parts, pieces, held):
        w.lists.append(k)
        w.names.append(f"{name} ({k})")
        w.communities.append(community)
        w.votes = np.concatenate([w.votes, piece[:, None]], axis=1)
        w.held = np.append(w.held, h)
    w.renames[parent] = tuple(parts)
    w.note(iv, f"{parent} split into {', '.join(f'{k} ({v})' for k, v in iv.spec.into.items())}")


def _spread_exact(amount: int, shares: Sequence[Fraction]) -> list[int]:
    if amount == 0:
        return [0] * len(shares)
    votes = {str(i): int(s * 10**9) for i, s in enumerate(shares)}
    result = allocate(votes, amount, method="largest-remainder", tie_break="lot", seed=0)
    return [result.seats[str(i)] for i in range(len(shares))]


APPLY = {"swing": _swing, "turnout": _turnout_change, "boycott": _boycott, "withdraw": _boycott,
          "merge": _merge, "split": _split}

