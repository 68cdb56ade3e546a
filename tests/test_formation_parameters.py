"""Every formation parameter acts or is refused: moving each across its range changes the
outcome distribution on some cycle, and a value outside its range is a located error."""

from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from muhasasa import packs
from muhasasa.errors import InputError
from muhasasa.formation.deadlines import first_session_dues
from muhasasa.formation.model import Parameters, Simulator, run_many
from muhasasa.formation.replay import calibrated_parameters, summarise
from muhasasa.formation.setup import prepare
from muhasasa.packs.schema.parameters import PARAMETERS

RUNS = 100


@cache
def scenario(cycle: str):
    return prepare(cycle)


def outcome(cycle: str, **change: float) -> dict:
    return summarise(run_many(Simulator(scenario(cycle), replace(calibrated_parameters(), **change)), RUNS, 3))


def ends(name: str, low: float | None = None, high: float | None = None) -> tuple[dict, dict]:
    spec = PARAMETERS[name]
    lo = float(spec.low) if low is None else low
    hi = float(spec.high) if high is None else high
    assert spec.check(Fraction(lo)) is None and spec.check(Fraction(hi)) is None  # inside the range
    cycle = "2022" if name == "boycott" else "2014"
    return outcome(cycle, **{name: lo}), outcome(cycle, **{name: hi})


def spread(a: dict, b: dict) -> float:
    """Total variation distance between two distributions given as dicts of shares."""
    return sum(abs(a.get(k, 0.0) - b.get(k, 0.0)) for k in set(a) | set(b)) / 2


def test_every_parameter_has_an_effect_test():
    tested = {name.removeprefix("test_").removesuffix("_acts") for name in globals()
              if name.startswith("test_") and name.endswith("_acts")}
    assert tested == set(PARAMETERS)


def test_intercept_acts():
    low, high = ends("intercept", -3.0, 10.0)
    assert low["days"]["median"] > 2 * high["days"]["median"]


def test_fatigue_acts():
    low, high = ends("fatigue", high=10.0)
    assert low["days"]["median"] > high["days"]["median"] + 50


def test_days_per_round_acts():
    low, high = ends("days_per_round", high=30.0)
    assert high["days"]["median"] > low["days"]["median"] + 50


def test_boycott_acts():
    # 2022: after FSC 16/Federal/2022 the presidential session needs 220 present
    low, high = ends("boycott")
    assert low["quorum_failed"] == 0 and high["quorum_failed"] > 0.5
    assert high["days"]["median"] > low["days"]["median"]


def weight_acts(name: str) -> None:
    """A weight of the acceptance logit moves the coalitions formed or the days they take."""
    low, high = ends(name, high=10.0)
    assert spread(low["coalition"], high["coalition"]) > 0.1 or abs(low["days"]["median"] - high["days"]["median"]) > 30


def test_office_weight_acts():
    weight_acts("office_weight")


def test_policy_weight_acts():
    weight_acts("policy_weight")


def test_trust_weight_acts():
    weight_acts("trust_weight")


def test_replace_nominee_acts():
    # 2014 with the outside players' vetoes off (the United States rejects the first nominee)
    low, high = outcome("2014", replace_nominee=0.0, veto=0.0), outcome("2014", replace_nominee=1.0, veto=0.0)
    assert low["failed_designations"] == 0 < high["failed_designations"]


@pytest.mark.parametrize(("name", "value", "words"), [
    ("boycott", 1.5, "1.5 is outside [0, 1]"),
    ("replace_nominee", -0.1, "-0.1 is outside [0, 1]"),
    ("days_per_round", -3.0, "-3 is outside [1, 365]"),
    ("fatigue", -1.0, "-1 is outside [0, 50]"),
    ("office_weight", float("nan"), "not a number"),
])
def test_a_value_out_of_range_is_refused(name, value, words):
    with pytest.raises(InputError) as caught:
        Parameters(**{name: value})
    assert caught.value.field == f"parameters.{name}" and words in caught.value.problem
    with pytest.raises(InputError):
        calibrated_parameters().with_values({name: str(value)})


def test_a_parameters_file_out_of_range_is_located(tmp_path: Path):
    folder = packs.load("iraq").body().folder.joinpath("formation")
    text = folder.joinpath("parameters.toml").read_text(encoding="utf-8")
    assert 'boycott = "' in text
    bad = tmp_path / "parameters.toml"
    bad.write_text(re.sub(r'boycott = "[^"]*"', 'boycott = "2"', text, count=1), encoding="utf-8")
    from muhasasa.packs.schema.parameters import load_parameters_bytes

    with pytest.raises(InputError) as caught:
        load_parameters_bytes(bad.read_bytes(), str(bad))
    err = caught.value
    assert err.field == "parameters.boycott" and "outside [0, 1]" in err.problem
    assert 'boycott = "2"' in bad.read_text(encoding="utf-8").splitlines()[err.line - 1]


def test_consensus_acts():
    # 2018: Islah and Binaa each claimed the largest bloc; a compromise nominee needs both
    low = outcome("2018", consensus=0.0)
    high = outcome("2018", consensus=1.0)
    assert "consensus" not in low["pm_bloc"] and high["pm_bloc"].get("consensus", 0) > 0.5


def test_merge_acts():
    # 2010 from the lists as elected: never merging leaves Iraqiya (91) the largest bloc; always
    # merging hands the title to a bloc of the lists that move
    def claims(merge: float) -> dict:
        elected = prepare("2010", elected=True)
        runs = run_many(Simulator(elected, replace(calibrated_parameters(), merge=merge)), RUNS, 3)
        return summarise(runs)["formateur"]

    low, high = claims(-20.0), claims(20.0)
    assert low == {"iraqiya": 1.0}
    assert high.get("iraqiya", 0.0) == 0.0 and spread(low, high) == 1.0


def test_rival_candidates_acts():
    # 2010 from the lists as elected (merging likely): State of Law (Maliki) and Iraqiya (Allawi) each
    # field a candidate for Prime Minister, so a bloc holding both needs one to cede the premiership
    def claims(cost: float) -> dict:
        elected = prepare("2010", elected=True)
        runs = run_many(Simulator(elected, replace(calibrated_parameters(), merge=4.0, rival_candidates=cost)), RUNS, 3)
        return summarise(runs)["formateur"]

    def both(shares: dict) -> float:
        return sum(v for k, v in shares.items() if {"iraqiya", "sol"} <= set(k.split(" + ")))

    low, high = claims(0.0), claims(50.0)
    assert both(low) > 0.2 and both(high) == 0.0
    assert high.get("sol + ina", 0.0) > low.get("sol + ina", 0.0)
    # no cycle with the recorded blocs races, so the cost acts only from the lists
    assert outcome("2014", rival_candidates=0.0) == outcome("2014", rival_candidates=50.0)


def test_cross_community_acts():
    # 2010 from the lists as elected: the INA (Shia Arab) may join Iraqiya (mixed-secular) or State of Law
    # (Shia Arab); a cost on mergers across communities sends it to State of Law
    def claims(cost: float) -> dict:
        elected = prepare("2010", elected=True)
        runs = run_many(Simulator(elected, replace(calibrated_parameters(), merge=4.0, cross_community=cost)), RUNS, 3)
        return summarise(runs)["formateur"]

    low, high = claims(0.0), claims(50.0)
    assert low.get("iraqiya + ina", 0.0) + low.get("iraqiya + ina + sol", 0.0) > 0.2
    assert high == {"sol + ina": 1.0}
    assert outcome("2014", cross_community=0.0) == outcome("2014", cross_community=50.0)  # no race


def test_pressure_acts():
    # 2020: the October protests are on through the cycle; pressure moves every acceptance
    low = outcome("2020", pressure=-20.0)
    high = outcome("2020", pressure=20.0)
    assert low["formed"] < high["formed"] == 1.0  # refusing everything under protest forms nothing
    assert outcome("2014", pressure=-20.0) == outcome("2014", pressure=20.0)  # no protest recorded


def test_veto_acts():
    # 2026 without the scripted veto: the United States rejects the Coordination Framework's first
    # nominee (outside.toml); veto 0 never makes him withdraw, veto 1 always does
    def run(veto: float) -> list:
        scenario = prepare("2026", without=("maliki-us-veto",))
        return run_many(Simulator(scenario, replace(calibrated_parameters(), veto=veto)), RUNS, 3)

    never, always = run(0.0), run(1.0)
    first = ("coordination-framework", 1)
    assert all(not g.vetoed_by for g in never) and sum(g.nominee == first for g in never) > RUNS / 2
    assert all(g.vetoed_by == ("united-states",) for g in always)
    assert not any(g.nominee == first for g in always)
    assert all(g.failed_designations >= 1 for g in always)  # the vetoed nominee's designation failed
    assert summarise(always)["failed_designations"] > summarise(never)["failed_designations"] + 0.5


def exits(**change: float) -> dict:
    """2022 without the scripted Sadrist resignation: the exit move's share and what follows."""
    scenario = prepare("2022", without=("sadrist-resignation",))
    return summarise(run_many(Simulator(scenario, replace(calibrated_parameters(), **change)), RUNS, 3))


def test_exit_acts():
    never, always = exits(exit=0.0), exits(exit=1.0)
    assert never["exit"]["share"] == 0 and "coordination-framework" not in never["pm_bloc"]
    assert always["exit"]["share"] > 0.9 and always["exit"]["by"] == {"sadrists": always["exit"]["share"]}
    assert always["pm_bloc"].get("coordination-framework", 0) > 0.9


def test_exit_after_acts():
    # the Sadrists' coalition persists with its terms until blocked this many times, then leaves:
    # each step of the grid adds blocked sessions and moves the exit later
    runs = [exits(exit=1.0, exit_after=n) for n in (1.0, 2.0, 3.0)]
    assert all(r["exit"]["share"] > 0.9 for r in runs)
    failures = [r["quorum_failures"] for r in runs]
    assert failures[0] + 1.5 < failures[1] < failures[2] - 1.5
    assert runs[0]["exit"]["day_median"] < runs[1]["exit"]["day_median"] < runs[2]["exit"]["day_median"]
    # blocked twenty times, the coalition has outlived most of the horizon before it may leave
    assert exits(exit=1.0, exit_after=20.0)["exit"]["day_median"] > runs[2]["exit"]["day_median"] + 200


def test_force_acts():
    # after the Sadrists leave (the exit move), they deny sessions by force: none at 0, most runs at 0.9,
    # and the government that follows the exit comes later
    never, often = exits(exit=1.0, force=0.0), exits(exit=1.0, force=0.9)
    assert never["exit"]["after"]["stormed"] == 0 and never["exit"]["after"]["stormed_sessions"] == 0
    assert often["exit"]["after"]["stormed"] > 0.9 and often["exit"]["after"]["stormed_sessions"] > 3
    assert often["exit"]["after"]["days_median"] > never["exit"]["after"]["days_median"] + 30
    # no exit, nothing to deny: a cycle without the exit move draws nothing for it
    assert outcome("2014", force=0.0) == outcome("2014", force=0.9)


def test_a_session_denied_by_force_is_not_held():
    scenario = prepare("2022", without=("sadrist-resignation",))
    run = Simulator(scenario, replace(calibrated_parameters(), exit=1.0, force=0.9)).run(np.random.default_rng(1),
                                                                                       trace=True)
    left = next(e for e in run.trace if e.kind == "exit")
    stormed = [e for e in run.trace if e.kind == "force"]
    assert stormed and all(e.day >= left.day and e.actors == ("sadrists",) for e in stormed)
    assert "denies it by force" in stormed[0].text
    # each denied session costs a round: nothing is carried on the day of a session denied by force
    assert not any(e.kind == "carried" and e.day == f.day and e.step == f.step for e in run.trace for f in stormed)
    assert run.stormed == len(stormed)


def test_deadline_acts():
    # 2014: while Art. 72's 30 days from the first session run, the Speaker and the President come quickly
    never, pulled = outcome("2014", deadline=0.0), outcome("2014", deadline=4.0)
    first = scenario("2014").days_to_first_session
    assert pulled["days"]["median"] < never["days"]["median"] - 50
    assert pulled["steps"]["president"]["day"]["p90"] <= first + 30 < never["steps"]["president"]["day"]["median"]
    # a pack that names no deadline (Lebanon's) gives it nothing to act on, and no draw is made for it
    lebanon = prepare("2025", pack="lebanon")
    assert not any(s.deadline_days for s in lebanon.steps.values())
    runs = {z: summarise(run_many(Simulator(lebanon, replace(calibrated_parameters("lebanon"), deadline=z)), 40, 3))
            for z in (0.0, 4.0)}
    assert runs[0.0] == runs[4.0]


def test_a_deadline_binds_until_it_lapses_then_nobody():
    # 2022: the President's deadline runs from the first session and binds the Speaker's step before it; at a
    # pull no member refuses (deadline = 50), every refusal comes after it lapsed (the quorum held the step past it)
    recorded = scenario("2022")
    dues = first_session_dues(list(recorded.steps.values()), recorded.days_to_first_session)
    assert dues == {"speaker": recorded.days_to_first_session + 30, "president": recorded.days_to_first_session + 30}
    simulator = Simulator(recorded, replace(calibrated_parameters(), deadline=50.0))
    refusals, late = [], []
    for seed in range(12):
        run = simulator.run(np.random.default_rng(seed), trace=True)
        refusals += [e.day for e in run.trace if e.kind == "refused" and e.step in dues]
        late += [(e.day, e.days_late) for e in run.trace if e.kind == "deadline-missed" and e.step == "president"]
    assert refusals and min(refusals) > dues["president"]
    # the deadline missed is counted from the first session, not from the Speaker's election
    assert late and all(days_late == day - dues["president"] for day, days_late in late)


def test_package_acts():
    # 2006: the coalition that elects the Speaker seals the Presidency Council and the cabinet with it
    never, always = outcome("2006", package=0.0), outcome("2006", package=1.0)
    assert always["days"]["median"] < never["days"]["median"] - 20
    assert always["package"]["share"] == 1 and never["package"]["share"] == 0
    rounds = {k: sum(step["rounds"]["mean"] for step in o["steps"].values()) for k, o in (("never", never), ("always", always))}
    assert rounds["always"] < rounds["never"]


def test_a_package_carries_the_later_steps_without_bargaining():
    simulator = Simulator(scenario("2006"), replace(calibrated_parameters(), package=1.0))
    run = simulator.run(np.random.default_rng(5), trace=True)
    sealed = next(e for e in run.trace if e.kind == "package")
    later = [e for e in run.trace if e.day >= sealed.day and e.step != sealed.step and e.kind in ("carried", "refused")]
    assert later and all(e.kind == "carried" and set(e.actors) <= set(sealed.actors) for e in later)
    assert "seal the steps that follow as one package" in sealed.text


def test_composition_acts():
    # 2020 (three designates, each a month in the record): every nominee spends his share of Art. 76(2)'s
    # 30 days composing his cabinet, so a vetoed nominee withdraws only after it, and the confirmed one is
    # voted on no earlier
    recorded = scenario("2020")
    cabinet = recorded.steps["cabinet"]
    assert cabinet.deadline_days == 30
    runs = {chi: [Simulator(recorded, replace(calibrated_parameters(), composition=chi)).run(np.random.default_rng(s),
                                                                                            trace=True)
                  for s in range(20)] for chi in (0.0, 1.0)}
    for run in runs[1.0]:
        charged = [e.day for e in run.trace if e.kind == "designation"][:1]
        charged += [e.day for e in run.trace if e.kind in ("veto", "nominee-replaced")]
        put = [e.day for e in run.trace if e.kind in ("veto", "refused", "carried") and e.step == "cabinet"]
        assert put and min(put) >= charged[0] + 30  # nothing is put to the house before the first month
    first_put = {chi: np.median([min(e.day for e in r.trace if e.step == "cabinet" and e.kind in ("refused", "carried"))
                                 for r in rs]) for chi, rs in runs.items()}
    assert first_put[1.0] >= first_put[0.0] + 30
    never, whole = outcome("2020", composition=0.0), outcome("2020", composition=1.0)
    assert whole["days"]["median"] > never["days"]["median"] + 30 * 0.8
    # a pack whose cabinet step has no deadline (Lebanon's) gives it nothing to act on
    lebanon = prepare("2025", pack="lebanon")
    lebanese = {chi: summarise(run_many(Simulator(lebanon, replace(calibrated_parameters("lebanon"), composition=chi)),
                                        40, 3)) for chi in (0.0, 1.0)}
    assert lebanese[0.0] == lebanese[1.0]
