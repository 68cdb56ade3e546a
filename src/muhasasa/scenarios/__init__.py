"""Scenario files: declarative what-ifs on an election, validated, and the vote table they give.

A scenario is a TOML file. It names a **base** election of the record, optionally another
electoral **law** (any law of the pack, or a law file of the user's), the **uncertainty**
around the votes for :mod:`muhasasa.montecarlo`, and **interventions** applied in order to
the stage they touch:

.. code-block:: toml

    title = "2025 with a higher turnout in the south"
    base = "2025"                 # an election id of the record
    law = "2018"                  # optional: a law id of the pack, or a path to a law file
    level = "governorate"         # optional: "auto" (default), "governorate" or "national"

    [uncertainty]                 # optional; every number is text, so it stays exact
    model = "dirichlet"           # "none" | "dirichlet" | "logit-normal" | "multinomial"
    concentration = "2000"        # dirichlet: the shares' concentration (larger = surer)
    # sigma = "0.1"               # logit-normal: spread of each list's log-share
    # correlation = "0.5"         # logit-normal: correlation of a list's effects across governorates
    # ballots = "5000"            # multinomial: ballots drawn per district (default: all of them)
    # ties = "law"                # "law" (the law's tie rule) or "lot"

    [[interventions]]
    kind = "turnout"
    points = "+10"                # or factor = "1.2"
    scope = ["governorate=Basra", "governorate=Dhi Qar"]

Intervention kinds and their stage (``scope`` is ``"national"``, ``"governorate=<name>"`` or
``"community=<name>"``, or an array of them):

==============  ==========  ============================================================
kind            stage       keys
==============  ==========  ============================================================
``swing``       votes       ``list`` or ``lists`` (or a community scope), ``mode``
                            (``uniform`` | ``proportional``), ``points``, ``scope``,
                            ``from`` (the lists that lose; default: all others)
``turnout``     votes       ``points`` or ``factor``, ``scope``
``boycott``     votes       ``list``/``lists`` or a community scope, ``share`` (default 1),
                            ``scope``: that share of the votes stays home
``withdraw``    votes       ``list``/``lists``, ``scope``: the list does not stand
``merge``       votes       ``lists``, ``into``, ``name``
``split``       votes       ``list``, ``into = { id = "share", ... }``
``law``         seats       ``law`` (id or path): the law the seats are allocated under
``resignation`` seats       ``list`` (and ``seats``): the seats are vacated and refilled by
                            the law's vacancy rule; or ``without``: a recorded
                            resignation event of the formation cycle did not happen
``blocs``       blocs       ``map`` (a bundled map id or date) or ``file``
``convention``  formation   ``lifted = true`` (a user's convention ``file`` is refused until
                            the formation model can take one)
``veto``        formation   ``target``, ``by``, ``day``; or ``without``: a recorded
                            outside veto did not happen
==============  ==========  ============================================================

Loading is strict (:mod:`muhasasa.packs.toml`): unknown keys get the key's line and a
suggestion, floats are refused ("quote it"), nothing is evaluated. Names are checked
against the base: an unknown list or governorate, a swing that leaves negative votes, a
law whose data the base cannot supply (SNTV needs candidates) are :class:`InputError`\\ s
that name the file, the line and the field.

**The vote table.** :func:`load_scenario` builds the scenario's base vote table, one row
per district and one column per list, integer votes, and applies the vote interventions to
it. Which table depends on what the record holds (:class:`VoteTable` says which, and why):

* ``governorate``, exact: every district of the law has usable governorate votes (the
  record itemizes every seat-winning list, and the law's own computation agrees with the
  official seats);
* ``governorate``, partial (``level = "governorate"``): the districts with usable votes are
  simulated; the others are *held* at their official seats (no uncertainty there), which
  is approximate and labelled so;
* ``national``, approximate: one national district with the law's general seats, from the
  national votes of the lists, or from their published vote shares times the valid (or
  cast) votes where votes are not itemized; reserved minority seats are held;
* ``official``: the law needs candidate votes (SNTV) that the record lacks: the official
  seats are held and only the later stages (blocs, games, formation) are simulated.

Valid votes not itemized by list (``residual``) are never allocated: they count only in
totals (thresholds, quotas), as in :func:`muhasasa.allocate`.

The package is split by concern: :mod:`~muhasasa.scenarios.spec` (the file's schema and the
validated values), :mod:`~muhasasa.scenarios.load` (reading and checking a file),
:mod:`~muhasasa.scenarios.table` (the base vote table) and :mod:`~muhasasa.scenarios.apply`
(the vote interventions).

>>> s = parse_scenario('base = "2025"\\nlevel = "governorate"\\n', "inline.toml")
>>> t = s.table
>>> t.level, t.exact, len(t.districts), int(t.seats.sum() + t.held.sum())
('governorate', False, 5, 329)
"""

from __future__ import annotations

from muhasasa.scenarios.load import load_scenario, parse_scenario
from muhasasa.scenarios.spec import (
    KINDS,
    MODELS,
    Formation,
    Intervention,
    Place,
    Scenario,
    Uncertainty,
    VoteTable,
)

__all__ = [
    "KINDS",
    "MODELS",
    "Formation",
    "Intervention",
    "Place",
    "Scenario",
    "Uncertainty",
    "VoteTable",
    "load_scenario",
    "parse_scenario",
]
