"""The constitution as data: exact seat arithmetic, the bundled Iraq pack, strict loading."""

from __future__ import annotations

from fractions import Fraction
from importlib import resources
from pathlib import Path

import pytest
from pydantic import ValidationError

from muhasasa import packs
from muhasasa.errors import InputError, UnknownNameError
from muhasasa.packs.schema.constitution import Constitution, Requirement

MAJORITY = Requirement(share=Fraction(1, 2), basis="members", rule="more-than")
TWO_THIRDS = Requirement(share=Fraction(2, 3), basis="members", rule="at-least")
ONE_FIFTH = Requirement(share=Fraction(1, 5), basis="members", rule="at-least")
ONE_THIRD = Requirement(share=Fraction(1, 3), basis="members", rule="at-least")


@pytest.fixture(scope="module")
def iraq() -> Constitution:
    return packs.load().constitution()


# --------------------------------------------------------------------------- arithmetic


@pytest.mark.parametrize(
    ("requirement", "size", "seats"),
    [
        # constitution_rules.md §0, for the house sizes actually sworn
        (MAJORITY, 329, 165),
        (TWO_THIRDS, 329, 220),
        (ONE_FIFTH, 329, 66),
        (ONE_THIRD, 329, 110),
        (MAJORITY, 275, 138),
        (TWO_THIRDS, 275, 184),
        (MAJORITY, 325, 163),
        (TWO_THIRDS, 325, 217),
        (MAJORITY, 328, 165),
        (TWO_THIRDS, 328, 219),
    ],
)
def test_seat_arithmetic_matches_the_table(requirement, size, seats):
    assert requirement.seats(size) == seats


@pytest.mark.parametrize(
    "share", [Fraction(1, 2), Fraction(2, 3), Fraction(1, 5), Fraction(1, 3), Fraction(1)]
)
def test_seats_are_the_smallest_whole_number_meeting_the_share(share):
    for size in range(400):
        at_least = Requirement(share=share, basis="members", rule="at-least").seats(size)
        assert at_least >= share * size and (at_least == 0 or at_least - 1 < share * size)
        if share < 1:
            more_than = Requirement(share=share, basis="members", rule="more-than").seats(size)
            assert more_than > share * size and more_than - 1 <= share * size


def test_exact_half_is_not_a_majority():
    # 328 / 2 = 164 exactly: an absolute majority needs 165, two-thirds of 328 is 218.67 -> 219
    assert MAJORITY.seats(328) == 165
    assert Requirement(share=Fraction(1, 2), basis="present", rule="more-than").seats(200) == 101


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"share": Fraction(3, 2), "basis": "members", "rule": "at-least"}, "(0, 1]"),
        ({"share": Fraction(0), "basis": "members", "rule": "at-least"}, "(0, 1]"),
        ({"share": Fraction(1), "basis": "members", "rule": "more-than"}, "never"),
        ({"share": Fraction(1, 2), "basis": "voters", "rule": "more-than"}, "'members' or 'present'"),
        ({"share": Fraction(1, 2), "basis": "members", "rule": "more"}, "'more-than' or 'at-least'"),
        ({"share": 0.5, "basis": "members", "rule": "more-than"}, "as text so it stays exact"),
    ],
)
def test_bad_requirements_are_refused(kwargs, problem):
    with pytest.raises(ValidationError, match=problem if problem != "(0, 1]" else r"\(0, 1\]"):
        Requirement(**kwargs)


# --------------------------------------------------------------------------- the Iraq pack


REQUIRED = [
    "ordinary",
    "speaker",
    "president",
    "presidency-council",
    "confidence",
    "no-confidence-minister",
    "no-confidence-pm",
    "dissolution",
    "tal-presidency-council",
    "tal-confidence",
]


def test_required_decisions_are_present(iraq):
    assert set(REQUIRED) <= {d.id for d in iraq.decisions}
    for decision in iraq.decisions:
        assert decision.articles and decision.sources
        assert sum(r.default for r in decision.readings) == 1
        assert all(r.sources for r in decision.readings)


def test_house_sizes_with_the_2014_conflict(iraq):
    assert dict(iraq.house_sizes) == {
        "2005-01": 275,
        "2005-12": 275,
        "2010": 325,
        "2014": 328,
        "2018": 329,
        "2021": 329,
        "2025": 329,
    }
    entry = next(e for e in iraq.house.sizes if e.election == "2014")
    assert entry.alternatives == (329,) and "CONFLICT" in entry.note


def test_house_sizes_agree_with_the_bundled_laws(iraq):
    for election, size in iraq.house_sizes.items():
        assert packs.load().law(election).house_size == size, election


def test_speaker_is_an_absolute_majority_of_all_members(iraq):
    speaker = iraq.decision("speaker")
    assert speaker.articles == ("55",)
    assert speaker.session == "first-session"
    assert speaker.threshold == MAJORITY
    assert speaker.threshold_seats(329) == 165
    assert speaker.threshold_seats(329, present=228) == 165  # basis members: attendance is irrelevant
    assert speaker.runoff is None  # the text describes none


def test_president_default_quorum_is_two_thirds_of_members(iraq):
    president = iraq.decision("president")
    default = president.reading()
    assert default.id == "fsc-16-2022"
    assert default.quorum == TWO_THIRDS and default.threshold == TWO_THIRDS
    assert "16-federal-2022" in default.rulings
    assert president.quorum_seats(329) == 220
    assert president.threshold_seats(329) == 220
    assert iraq.ruling("16-federal-2022").number == "16/Federal/2022"
    assert iraq.ruling("16-federal-2022").date == "2022-02-03"
    # 26 Mar 2022: 202 present, short of the 220 quorum; 110 absentees block the session
    assert not president.passes(329, present=202, votes=202)
    assert not president.passes(329, present=219, votes=219)
    assert president.passes(329, present=220, votes=220)
    # before the ruling: the ordinary quorum, the same two-thirds vote
    assert president.quorum_seats(329, reading="art-59-quorum") == 165
    assert president.threshold_seats(329, reading="art-59-quorum") == 220


def test_president_runoff_keeps_the_quorum_and_needs_a_majority_of_those_present(iraq):
    runoff = iraq.decision("president").runoff
    assert runoff is not None and runoff.candidates == 2 and runoff.articles == ("70(2)",)
    assert {r.id for r in runoff.readings} == {r.id for r in iraq.decision("president").readings}
    assert runoff.quorum_seats(329) == 220
    assert runoff.reading().threshold == Requirement(share=Fraction(1, 2), basis="present", rule="more-than")
    # 13 Oct 2022: Rashid 162 of 269 present
    assert runoff.threshold_seats(329, present=269) == 135
    assert runoff.passes(329, present=269, votes=162)
    assert runoff.quorum_seats(329, reading="art-59-quorum") == 165


def test_confidence_keeps_both_readings_with_members_as_default(iraq):
    confidence = iraq.decision("confidence")
    assert confidence.articles == ("76(4)",)
    assert [r.id for r in confidence.readings] == ["members", "present"]
    assert confidence.reading().id == "members"
    assert confidence.threshold_seats(329, present=253) == 165
    assert confidence.threshold_seats(329, present=253, reading="present") == 127
    assert "https://en.alghadeertv.iq/archives/15353" in confidence.reading("present").sources
    with pytest.raises(UnknownNameError, match="did you mean 'present'"):
        confidence.reading("presnt")


def test_no_confidence_routes(iraq):
    pm = iraq.decision("no-confidence-pm")
    assert pm.threshold_seats(329) == 165
    assert [r.id for r in pm.requests_for()] == ["president", "one-fifth"]
    assert pm.requests_for()[1].signatures(329) == 66
    assert [r.id for r in pm.requests_for("presidential-request")] == ["president"]
    minister = iraq.decision("no-confidence-minister")
    assert minister.threshold_seats(329) == 165
    assert [r.signatures(329) for r in minister.requests] == [None, 50]


def test_dissolution_keeps_both_routes(iraq):
    dissolution = iraq.decision("dissolution")
    assert dissolution.threshold_seats(329) == 165
    assert dissolution.reading().id == "vote-required"
    default_routes = dissolution.requests_for()
    assert [r.id for r in default_routes] == ["one-third", "prime-minister"]
    assert default_routes[0].signatures(329) == 110
    assert all(r.vote for r in default_routes)
    harb = dissolution.requests_for("harb-2010")
    assert [r.vote for r in harb] == [True, False]


def test_ordinary_decisions(iraq):
    ordinary = iraq.decision("ordinary")
    assert ordinary.quorum_seats(329) == 165
    assert ordinary.threshold_seats(329, present=165) == 83
    assert ordinary.threshold_seats(329, present=165, reading="members") == 165
    assert not ordinary.passes(329, present=164, votes=164)


def test_presidency_council_and_tal(iraq):
    council = iraq.decision("presidency-council")
    assert council.elections == ("2005-12",) and council.threshold_seats(275) == 184
    tal = iraq.decision("tal-confidence")
    assert {r.id for r in tal.readings} == {"simple-majority", "two-thirds"}
    assert tal.quorum_seats(275) is None
    # 28 Apr 2005: 180 in favour of 185 present
    assert tal.passes(275, present=185, votes=180, reading="simple-majority")
    assert not tal.passes(275, present=185, votes=180, reading="two-thirds")
    assert [d.id for d in iraq.decisions_for("2005-01")] == [
        "tal-presidency-council",
        "tal-confidence",
        "tal-veto-override",
    ]
    assert "president" in {d.id for d in iraq.decisions_for("2021")}
    assert "president" not in {d.id for d in iraq.decisions_for("2005-12")}


@pytest.mark.parametrize(
    ("deadline_id", "article", "days", "start", "end"),
    [
        ("art-54-first-session", "54", 15, "results-ratified", "first-session"),
        ("art-72-president", "72(2)(b)", 30, "first-session", "president-elected"),
        ("art-76-1-designation", "76(1)", 15, "president-elected", "pm-designated"),
        ("art-76-2-cabinet", "76(2)", 30, "pm-designated", "cabinet-named"),
        ("art-76-3-new-nominee", "76(3)", 15, "designation-failed", "pm-designated"),
        ("art-76-5-new-nominee", "76(5)", 15, "confidence-refused", "pm-designated"),
        ("art-81-vacancy", "81", 15, "pm-post-vacant", "pm-designated"),
        ("art-64-2-elections", "64(2)", 60, "dissolution", "general-election"),
    ],
)
def test_deadlines(iraq, deadline_id, article, days, start, end):
    deadline = iraq.deadline(deadline_id)
    assert (deadline.article, deadline.days, deadline.start, deadline.end) == (article, days, start, end)
    assert deadline.kind == "within" and deadline.sources
    events = {e.id for e in iraq.events}
    assert deadline.start in events and deadline.end in events


def test_deadline_extendability(iraq):
    assert iraq.deadline("art-54-first-session").extendable is False
    assert iraq.deadline("art-72-president").extendable is None
    assert iraq.deadline("art-61-8-b-wait").kind == "not-before"


def test_largest_bloc_rule_and_rulings(iraq):
    bloc = iraq.largest_bloc
    assert bloc is not None and bloc.counted_at == "first-session"
    assert {"25-federal-2010", "45-tc-2014"} <= set(bloc.rulings)
    assert "first session" in iraq.largest_bloc_rule
    assert iraq.ruling("25-federal-2010").date == "2010-03-25"
    assert iraq.ruling("fsc-2026-art-72-request").status == "pending"
    assert all(r.sources and r.summary for r in iraq.rulings)


def test_unknown_names_suggest(iraq):
    with pytest.raises(UnknownNameError, match="did you mean 'president'"):
        iraq.decision("presidnet")
    with pytest.raises(UnknownNameError, match="art-72-president"):
        iraq.deadline("art-72-presidnet")


def test_load_is_cached_and_frozen(iraq):
    assert packs.load().constitution() is iraq
    with pytest.raises(TypeError):
        iraq.decisions["x"] = iraq.decision("speaker")  # type: ignore[index]


def test_bundled_file_loads_as_a_user_file(tmp_path):
    text = resources.files("muhasasa").joinpath("packs/iraq/parliament/constitution.toml").read_text("utf-8")
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    mine = packs.load().constitution_file(path)
    assert mine.decision("president").quorum_seats(329) == 220
    assert mine.source == str(path)


# --------------------------------------------------------------------------- strict loading

MINIMAL = """\
id = "test"
title = "A test constitution"
sources = ["https://example.org/c"]

[[frameworks]]
id = "c"
title = "The constitution"
elections = ["e1"]
sources = ["https://example.org/c"]

[[events]]
id = "start"
title = "Start"

[[events]]
id = "end"
title = "End"

[house]
article = "1"
rule = "One seat per 100,000"
sources = ["https://example.org/c"]

[[house.sizes]]
election = "e1"
size = 329
sources = ["https://example.org/c"]

[[decisions]]
id = "vote"
title = "A vote"
articles = ["2"]
framework = "c"
voters = "The house"
sources = ["https://example.org/c"]

[[decisions.readings]]
id = "a"
default = true
quorum = { share = "1/2", basis = "members", rule = "more-than" }
threshold = { share = "2/3", basis = "members", rule = "at-least" }
sources = ["https://example.org/c"]

[[decisions.readings]]
id = "b"
threshold = { share = "1/2", basis = "present", rule = "more-than" }
sources = ["https://example.org/c"]

[[deadlines]]
id = "d"
article = "3"
framework = "c"
days = 15
start = "start"
end = "end"
extendable = "unknown"
sources = ["https://example.org/c"]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "constitution.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    lines = text.splitlines()
    hits = [n for n, line in enumerate(lines, 1) if fragment in line]
    return hits[occurrence - 1]


def test_minimal_file_loads(tmp_path):
    constitution = packs.load().constitution_file(_write(tmp_path, MINIMAL))
    vote = constitution.decision("vote")
    assert vote.threshold_seats(329) == 220
    assert vote.threshold_seats(329, present=300, reading="b") == 151
    assert constitution.largest_bloc is None and constitution.largest_bloc_rule is None


def test_unknown_key_with_suggestion(tmp_path):
    text = MINIMAL.replace('id = "b"\n', 'id = "b"\ndefualt = false\n')
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        packs.load().constitution_file(path)
    error = caught.value
    assert error.source == str(path)
    assert error.field == "decisions[vote].readings[b].defualt"
    assert error.line == _line_of(text, "defualt")
    assert "did you mean 'default'" in str(error)


def test_float_share_is_refused(tmp_path):
    text = MINIMAL.replace('threshold = { share = "2/3"', "threshold = { share = 0.6667")
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        packs.load().constitution_file(path)
    error = caught.value
    assert error.source == str(path)
    assert error.field == "decisions[vote].readings[a].threshold.share"
    assert error.line == _line_of(text, "0.6667")
    assert "float" in error.problem and "quote it" in error.problem


def test_share_above_one_is_refused(tmp_path):
    text = MINIMAL.replace('threshold = { share = "2/3"', 'threshold = { share = "3/2"')
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        packs.load().constitution_file(path)
    error = caught.value
    assert error.field == "decisions[vote].readings[a].threshold.share"
    assert error.line == _line_of(text, '"3/2"')
    assert "(0, 1]" in error.problem


def test_integer_share_must_be_text(tmp_path):
    text = MINIMAL.replace('threshold = { share = "2/3"', "threshold = { share = 1")
    with pytest.raises(InputError, match="give the share as text"):
        packs.load().constitution_file(_write(tmp_path, text))


def test_missing_default_reading(tmp_path):
    text = MINIMAL.replace("default = true\n", "")
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        packs.load().constitution_file(path)
    error = caught.value
    assert error.source == str(path)
    assert error.field == "decisions[vote].readings"
    assert error.line == _line_of(text, "[[decisions.readings]]")
    assert "default" in error.problem


def test_two_default_readings(tmp_path):
    text = MINIMAL.replace('id = "b"\n', 'id = "b"\ndefault = true\n')
    with pytest.raises(InputError) as caught:
        packs.load().constitution_file(_write(tmp_path, text))
    assert caught.value.field == "decisions[vote].readings[b].default"
    assert caught.value.line == _line_of(text, "default = true", 2)


def test_quorum_of_those_present_is_refused(tmp_path):
    text = MINIMAL.replace(
        'quorum = { share = "1/2", basis = "members"', 'quorum = { share = "1/2", basis = "present"'
    )
    with pytest.raises(InputError) as caught:
        packs.load().constitution_file(_write(tmp_path, text))
    assert caught.value.field == "decisions[vote].readings[a].quorum.basis"


def test_unknown_basis_suggests(tmp_path):
    text = MINIMAL.replace('basis = "present"', 'basis = "presnt"')
    with pytest.raises(InputError, match="did you mean 'present'"):
        packs.load().constitution_file(_write(tmp_path, text))


def test_unknown_event_in_a_deadline(tmp_path):
    text = MINIMAL.replace('end = "end"', 'end = "ennd"')
    with pytest.raises(UnknownNameError) as caught:
        packs.load().constitution_file(_write(tmp_path, text))
    assert caught.value.field == "deadlines[d].end"
    assert caught.value.line == _line_of(text, 'end = "ennd"')
    assert "did you mean 'end'" in str(caught.value)


def test_unknown_framework_and_bad_extendable(tmp_path):
    with pytest.raises(UnknownNameError, match="framework"):
        packs.load().constitution_file(
            _write(tmp_path, MINIMAL.replace('framework = "c"\nvoters', 'framework = "k"\nvoters'))
        )
    with pytest.raises(InputError, match="extendable must be true, false"):
        packs.load().constitution_file(
            _write(tmp_path, MINIMAL.replace('extendable = "unknown"', 'extendable = "maybe"'))
        )


def test_missing_key_and_bad_toml(tmp_path):
    with pytest.raises(InputError, match="missing required key 'voters'"):
        packs.load().constitution_file(_write(tmp_path, MINIMAL.replace('voters = "The house"\n', "")))
    broken = MINIMAL.replace('voters = "The house"', 'voters = = "The house"')
    with pytest.raises(InputError, match="not valid TOML") as caught:
        packs.load().constitution_file(_write(tmp_path, broken))
    assert caught.value.line == _line_of(broken, "voters = =")
    with pytest.raises(InputError, match="cannot read"):
        packs.load().constitution_file(tmp_path / "absent.toml")


def test_runoff_needs_the_same_readings(tmp_path):
    runoff = """
[decisions.runoff]
id = "vote-runoff"
title = "Second round"
articles = ["2(2)"]
candidates = 2
sources = ["https://example.org/c"]

[[decisions.runoff.readings]]
id = "a"
default = true
threshold = { share = "1/2", basis = "present", rule = "more-than" }
sources = ["https://example.org/c"]
"""
    text = MINIMAL.replace("\n[[deadlines]]", runoff + "\n[[deadlines]]")
    with pytest.raises(InputError) as caught:
        packs.load().constitution_file(_write(tmp_path, text))
    assert caught.value.field == "decisions[vote].runoff.readings"
    assert "missing b" in caught.value.problem
    fixed = text.replace(
        "\n[[deadlines]]",
        '\n[[decisions.runoff.readings]]\nid = "b"\n'
        'threshold = { share = "1/2", basis = "present", rule = "more-than" }\n'
        'sources = ["https://example.org/c"]\n\n[[deadlines]]',
    )
    vote = packs.load().constitution_file(_write(tmp_path, fixed)).decision("vote")
    assert vote.runoff is not None and vote.runoff.threshold_seats(329, present=269, reading="b") == 135
