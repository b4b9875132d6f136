"""Scenarios and exercises: the YAML files trainers write, validated with every problem located.

>>> from sim.library import packaged_library
>>> lib = packaged_library()
>>> s = lib.catalog.scenario("forced-marriage-2016")
>>> lib.rules_on(s.date).regime, s.region
('A', 'binh-thuan')
"""

from __future__ import annotations

import random
from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import Field, create_model

from sim.cases.case import EntryRoute, Household, Sex, Threat
from sim.cases.profiles import FACTS_OF_STORY
from sim.errors import DataError, Problem, SimError
from sim.law.decision_points import DECISION_POINTS, DecisionPoint
from sim.law.primitives import Bilingual, Regime, Strict, Title
from sim.parsing import SourceDoc, unknown_id_problem, validate

if TYPE_CHECKING:
    from sim.library import Library

SLUG = r"^[a-z0-9][a-z0-9-]*$"


class FixedFacts(Strict):
    """Facts a scenario pins down. Any fact left out is drawn by the generator.

    ``acts``, ``means`` and ``purposes`` replace the profile's (``means: []``: none recorded);
    ``story_on_file: false`` makes all three unknown (not asked, not told). ``certified_months_ago``
    dates the victim documents that many months before the case. ``age_at_start``,
    ``parent_suspected`` (implies ``family_suspected``) and ``asks_for_support`` are never drawn:
    left out, they take the case format's defaults.
    """

    profile: str | None = None
    commune: str | None = None
    entry_route: EntryRoute | None = None
    sex: Sex | None = None
    age: int | None = Field(default=None, ge=0, le=100)
    nationality: Literal["vietnamese", "stateless_resident", "foreign"] | None = None
    ethnicity: Literal["Kinh", "Chăm"] | None = None
    household: Household | None = None
    can_write: bool | None = None
    destination: str | None = None
    months_away: int | None = Field(default=None, ge=0, le=240)
    documents: list[str] | None = None
    threats: list[Threat] | None = None
    trafficker_nearby: bool | None = None
    family_suspected: bool | None = None
    parent_suspected: bool | None = None
    child_at_serious_risk: bool | None = None
    accompanying_children: int | None = Field(default=None, ge=0, le=4)
    needs: list[str] | None = None
    wishes_shelter: bool | None = None
    has_home: bool | None = None
    refuses_protection: bool | None = None
    acts: list[str] | None = None
    means: list[str] | None = None
    purposes: list[str] | None = None
    story_on_file: bool | None = None
    age_at_start: int | None = Field(default=None, ge=0, le=100)
    certified_months_ago: int | None = Field(default=None, ge=0, le=240)
    asks_for_support: bool | None = None


# The facts a variant may take from ``Scenario.vary``: those that change what is right, so that the correct
# answers of one variant are not those of another. Story facts (profile, acts, means, purposes) are not among
# them: a profile's stories already vary.
NOT_VARIED = ("profile", "commune", "sex", "nationality", "ethnicity", "destination", "family_suspected")
NOT_VARIED += ("parent_suspected", "acts", "means", "purposes", "story_on_file")  # the story's facts
VARIED_FACTS = tuple(name for name in FixedFacts.model_fields if name not in NOT_VARIED)
VariedFacts = create_model(
    "VariedFacts",
    __base__=Strict,
    __doc__="One set of facts a variant may take (``Scenario.vary``), as ``FixedFacts`` writes them.",
    **{name: (FixedFacts.model_fields[name].annotation, FixedFacts.model_fields[name]) for name in VARIED_FACTS},
)


FactName = Literal[
    "profile",
    "commune",
    "entry_route",
    "sex",
    "age",
    "nationality",
    "ethnicity",
    "household",
    "can_write",
    "destination",
    "months_away",
    "documents",
    "threats",
    "trafficker_nearby",
    "family_suspected",
    "child_at_serious_risk",
    "accompanying_children",
    "needs",
    "wishes_shelter",
    "has_home",
    "refuses_protection",
    "name",
]


class RubricWeight(Strict):
    """A scenario's own weight for one decision point (0–100 points), replacing the rubric's."""

    weight: float = Field(ge=0, le=100)


class Scenario(Strict):
    """A scenario file: its date, region and regime, the facts fixed or drawn, the decision points asked, the goals."""

    schema_version: Literal[1]
    id: str = Field(pattern=SLUG)
    version: str
    title: Title
    description: Bilingual
    date: date
    regime: Regime | None = None
    region: str
    profile_mix: dict[str, float] | None = None
    fixed: FixedFacts = FixedFacts()
    vary: list[VariedFacts] = Field(default_factory=list)  # each variant takes one set (by its seed) over `fixed`
    random_facts: list[FactName] | Literal["all"] = "all"
    decision_points: list[DecisionPoint] = Field(default_factory=lambda: list(DECISION_POINTS), min_length=1)
    difficulty: Literal["basic", "intermediate", "advanced"]
    objectives: list[Bilingual] = Field(min_length=1)
    language: Literal["vi", "en"] = "vi"
    rubric: dict[DecisionPoint, RubricWeight] = Field(default_factory=dict)

    def is_random(self, fact: str) -> bool:
        """Whether the generator draws ``fact`` at random (otherwise it takes the profile's most typical value).

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> s = packaged_library().catalog.scenario("forced-marriage-2016")
        >>> s.is_random("age"), s.is_random("sex")
        (True, False)
        """
        return self.random_facts == "all" or fact in self.random_facts

    def for_seed(self, seed: int) -> Scenario:
        """The scenario a variant is drawn from: ``fixed`` with one of the ``vary`` sets over it, chosen by the
        seed with a ``random.Random`` of its own (so a scenario without ``vary`` draws exactly as before).

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> s = packaged_library().catalog.scenario("forced-marriage-2016")
        >>> sorted({s.for_seed(seed).fixed.accompanying_children for seed in range(20)}), s.fixed.needs is None
        ([0, 1], True)
        >>> s.for_seed(3) == s.for_seed(3)
        True
        """
        if not self.vary:
            return self
        chosen = self.vary[random.Random(f"{seed}:vary").randrange(len(self.vary))]
        fixed = self.fixed.model_copy(update=chosen.model_dump(exclude_none=True))
        return self.model_copy(update={"fixed": fixed})


class ExerciseItem(Strict):
    """One scenario of an exercise, and how many cases (variants, each with its own seed) to play of it."""

    scenario: str
    variants: int = Field(default=1, ge=1, le=20)


class Exercise(Strict):
    """An exercise file: the scenarios a trainee plays in order, an optional time limit, the pass mark and the mode.

    ``mode``: ``practice`` (the default) shows the feedback and the correct answers on submission;
    ``assessment`` shows the score at once and the correct answers and explanations only once the trainer
    releases them, and gives each person one attempt.
    """

    schema_version: Literal[1]
    id: str = Field(pattern=SLUG)
    version: str
    title: Title
    description: Bilingual
    scenarios: list[ExerciseItem] = Field(min_length=1)
    time_limit_minutes: int | None = Field(default=None, ge=1, le=600)
    pass_mark: float = Field(ge=0, le=100)
    language: Literal["vi", "en"] = "vi"
    mode: Literal["practice", "assessment"] = "practice"


def check_scenario(doc: SourceDoc, library: Library) -> list[Problem]:
    """Cross-reference checks on the raw document, so they run even when the schema check failed.

    Profiles, documents, needs, acts, means, purposes, the region and the commune must exist in ``library``; the region must cover
    the date, and a regime given must be the one in force on it.

    Examples
    --------
    >>> from sim.library import packaged_library
    >>> from sim.parsing import parse_document
    >>> lib = packaged_library()
    >>> text = (lib.catalog.scenario_dir / "forced-marriage-2016.yaml").read_text(encoding="utf-8")
    >>> check_scenario(parse_document(text, "s.yaml"), lib)
    []
    >>> doc = parse_document(text.replace("region: binh-thuan", "region: lam-dong-binh-thuan"), "s.yaml")
    >>> [(p.line, p.path, p.message) for p in check_scenario(doc, lib)]
    [(11, 'region', "region 'lam-dong-binh-thuan' covers 2025-07-01–…, not 2016-09-12")]
    """
    raw = doc.data if isinstance(doc.data, dict) else {}
    fixed = raw.get("fixed") if isinstance(raw.get("fixed"), dict) else {}
    problems: list[Problem] = []
    profiles = list(library.profiles.profiles)
    book = library.rulebook
    pack_ids = sorted(library.regions)

    def unknown(loc: tuple, kind: str, value: object, known: list[str]) -> None:
        if isinstance(value, str) and value not in known:
            problems.append(unknown_id_problem(doc, loc, kind, value, known))

    for key in raw.get("profile_mix") or {} if isinstance(raw.get("profile_mix"), dict) else {}:
        unknown(("profile_mix", key), "profile", key, profiles)
    unknown(("fixed", "profile"), "profile", fixed.get("profile"), profiles)
    for key, kind, known in (
        ("documents", "document", list(book.vocabulary.documents)),
        ("needs", "need", list(library.needs)),
        ("acts", "act", list(book.vocabulary.acts)),
        ("means", "means", list(book.vocabulary.means)),
        ("purposes", "purpose", list(book.vocabulary.purposes)),
    ):
        for i, value in enumerate(fixed.get(key) or [] if isinstance(fixed.get(key), list) else []):
            unknown(("fixed", key, i), kind, value, known)
        for n, alternative in enumerate(raw.get("vary") if isinstance(raw.get("vary"), list) else []):
            values = alternative.get(key) if isinstance(alternative, dict) else None
            for i, value in enumerate(values if isinstance(values, list) else []):
                unknown(("vary", n, key, i), kind, value, known)
    problems += _stories_for_fixed_facts(doc, raw, fixed, library)
    day, region = raw.get("date"), raw.get("region")
    if not isinstance(day, date):
        return problems
    try:
        rules = library.rules_on(day)
    except SimError as exc:
        first = library.rulebook.regimes[0].effective_from.isoformat()
        values = (("day", day.isoformat()), ("first", first))
        return [*problems, doc.problem(("date",), str(exc), kind="no_rulebook", values=values)]
    if raw.get("regime") in ("A", "B") and raw["regime"] != rules.regime:
        problems.append(
            doc.problem(
                ("regime",),
                f"the date {day} falls under regime {rules.regime}, not {raw['regime']}",
                f"change the date or set regime: {rules.regime}",
                kind="regime_mismatch",
                values=(("day", day.isoformat()), ("law", rules.regime), ("given", str(raw["regime"]))),
            )
        )
    if isinstance(region, str):
        if region not in pack_ids:
            unknown(("region",), "region", region, pack_ids)
        elif not library.region(region).covers(day):
            pack = library.region(region)
            problems.append(
                doc.problem(
                    ("region",),
                    f"region {region!r} covers {pack.valid_from}–{pack.valid_to or '…'}, not {day}",
                    "regions on that date: "
                    + ", ".join(pid for pid, p in sorted(library.regions.items()) if p.covers(day)),
                )
            )
        else:
            unknown(
                ("fixed", "commune"),
                "commune",
                fixed.get("commune"),
                [c.name for c in library.region(region).communes_on(day)],
            )
    return problems


def _stories_for_fixed_facts(doc: SourceDoc, raw: dict, fixed: dict, library: Library) -> list[Problem]:
    """Every profile the scenario can draw must have a story telling the facts it fixes (one draw: story = key)."""
    pinned = {k: v for k in FACTS_OF_STORY if isinstance(v := fixed.get(k), list)}
    parent = fixed.get("parent_suspected") is True
    if not pinned and not parent:
        return []
    known = library.profiles.profiles
    mix = raw.get("profile_mix") if isinstance(raw.get("profile_mix"), dict) else known
    drawn = [fixed["profile"]] if isinstance(fixed.get("profile"), str) else list(mix)
    problems = []
    for pid in drawn:
        if pid in known and not known[pid].stories_telling(pinned, parent_sold=parent):
            told = "; ".join(
                f"{', '.join(s.acts) or '—'} / {', '.join(s.means) or '—'} / {', '.join(s.purposes) or '—'}"
                for s in known[pid].stories
                if s.parent_sold == parent
            )
            where = next((("fixed", k) for k in pinned), ("fixed", "parent_suspected"))
            problems.append(
                doc.problem(
                    where,
                    f"no story of profile {pid!r} tells these facts"
                    + (" with a parent selling the child" if parent else ""),
                    f"fix acts / means / purposes to one the profile tells ({told}), or add a story to profiles.yaml",
                    kind="no_story_parent" if parent else "no_story",
                    values=(("profile", pid),),
                )
            )
    return problems


def check_exercise(doc: SourceDoc, scenario_ids: list[str]) -> list[Problem]:
    """Every scenario an exercise lists must be one of ``scenario_ids`` (checked on the raw document).

    Examples
    --------
    >>> from sim.parsing import parse_document
    >>> doc = parse_document("scenarios:\\n- scenario: forced-marriage-2061\\n", "e.yaml")
    >>> [(p.line, p.path, p.message, p.hint) for p in check_exercise(doc, ["forced-marriage-2016"])]
    [(2, 'scenarios[0].scenario', "unknown scenario 'forced-marriage-2061'", "did you mean 'forced-marriage-2016'?")]
    """
    items = doc.data.get("scenarios") if isinstance(doc.data, dict) else None
    problems = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        value = item.get("scenario") if isinstance(item, dict) else None
        if isinstance(value, str) and value not in scenario_ids:
            problems.append(unknown_id_problem(doc, ("scenarios", i, "scenario"), "scenario", value, scenario_ids))
    return problems


def validate_all(model: type, doc: SourceDoc, cross_checks: list[Problem]) -> tuple[object | None, list[Problem]]:
    """Schema validation plus cross-checks, every problem together, sorted by position.

    Returns
    -------
    tuple of (model or None, list of Problem)
        The validated value (``None`` if the schema check failed) and every problem, sorted by line and column.

    Examples
    --------
    >>> from sim.library import packaged_library
    >>> from sim.parsing import parse_document
    >>> lib = packaged_library()
    >>> text = (lib.catalog.scenario_dir / "forced-marriage-2016.yaml").read_text(encoding="utf-8")
    >>> doc = parse_document(text.replace("difficulty:", "dificulty:"), "s.yaml")
    >>> scenario, problems = validate_all(Scenario, doc, check_scenario(doc, lib))
    >>> scenario, [p.format() for p in problems]  # doctest: +NORMALIZE_WHITESPACE
    (None, ["s.yaml:2:1: required field 'difficulty' is missing (add difficulty: …)",
            "s.yaml:28:1 dificulty: unknown field (did you mean 'difficulty'?)"])
    """
    try:
        value, problems = validate(model, doc), []
    except DataError as exc:
        value, problems = None, list(exc.problems)
    problems += cross_checks
    return value, sorted(problems, key=lambda p: (p.line or 0, p.col or 0))
