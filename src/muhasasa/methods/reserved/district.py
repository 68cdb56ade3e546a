"""The district form: single non-transferable votes, and a woman per district (the
highest-voted losing woman replaces the lowest-voted winner when no woman wins)."""

from __future__ import annotations

from muhasasa.errors import InputError
from muhasasa.exact import whole_number
from muhasasa.methods.reserved.inputs import int_param, seat_map, tie_rule
from muhasasa.methods.reserved.lists import choose_top
from muhasasa.methods.reserved.result import Replacement, WomenQuotaResult
from muhasasa.methods.result import frozen_mapping


def apply_district(form, party_seats, candidates, *, district, minimum, minimum_share, party_votes, params):
    seats = seat_map(party_seats)
    given = int_param(params, "seats")
    n = sum(seats.values()) if given is None else given
    if given is not None and seats and sum(seats.values()) != given:
        raise InputError(
            "parameters", f"seats={given} but party_seats sum to {sum(seats.values())}", field="seats"
        )
    elsewhere = int_param(params, "women_elsewhere") or 0
    area = None if minimum is None else whole_number(minimum, "the minimum number of women", "minimum")
    tie, ties = tie_rule(params), []
    by_name = {c.name: c for c in candidates}
    index = {c.name: i for i, c in enumerate(candidates)}
    standing = [c.name for c in candidates if c.votes > 0]
    if n > len(standing):
        raise InputError(
            "candidates", f"{n} seats but only {len(standing)} candidates with votes; no member is invented"
        )

    def votes(name: str) -> tuple[int]:
        return (by_name[name].votes,)

    winners = choose_top(standing, votes, n, tie, ties, f"{district}: seats won on personal votes")
    own = sum(by_name[w].gender == "F" for w in winners)
    duty = min(1, n)
    if area is not None and elsewhere + own >= area:
        duty = 0
    replacements = []
    if own < duty:
        pool = [c for c in standing if c not in set(winners) and by_name[c].gender == "F"]
        if pool:
            keep = choose_top(
                winners, votes, n - 1, tie, ties, f"{district}: the lowest-voted man gives way"
            )
            removed = next(w for w in winners if w not in set(keep))
            added = choose_top(pool, votes, 1, tie, ties, f"{district}: the highest-voted losing woman")[0]
            winners = [added if w == removed else w for w in winners]
            replacements.append(
                Replacement(
                    by_name[added].party, removed, added, f"2021 district rule: no woman among {n} winners"
                )
            )
    elected: dict[str, list[str]] = {}
    for c in candidates:
        elected.setdefault(c.party, [])
    for w in sorted(winners, key=lambda w: (-by_name[w].votes, index[w])):
        elected[by_name[w].party].append(w)
    women = sum(by_name[w].gender == "F" for w in winners)
    basis = "one woman per district"
    if area is not None:
        basis += f"; wider minimum {area}, {elsewhere} women elsewhere"
    return WomenQuotaResult(
        form=form.id,
        district=district,
        minimum=duty,
        elected=frozen_mapping({p: tuple(ws) for p, ws in elected.items()}),
        women_elected=women,
        women_by_own_votes=own,
        replacements=tuple(replacements),
        required_by_party=frozen_mapping({}),
        shortfall=max(0, duty - women),
        seats=n,
        minimum_basis=basis,
        ties=tuple(ties),
        params=frozen_mapping(params),
    )


def count_district(form, party_seats, *, minimum, minimum_share, party_votes, params):
    seat_map(party_seats)
    return {}
