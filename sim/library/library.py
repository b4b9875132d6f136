"""The ``Library``: everything the engines use, read once from a data folder, cross-checked, and frozen.

A library holds the rulebooks of both regimes, the agencies and their edges, the region packs, the
needs, the generator's profiles and names, the interview bank, the rubric, the form layout, the
message texts, and a catalog of the scenario and exercise folders. Engines are handed a library;
they read no file and keep no global state. Values derived from a library (referral graphs, service
paths, rule traces) are memoised in ``library.cache``, so two libraries never share answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from sim.cases.names import NameData, name_data
from sim.cases.profiles import FACTS_OF_STORY, InterviewFile, ProfilesFile
from sim.cases.regions import RegionPack, read_region_packs
from sim.errors import DataError, Problem, SimError, UnknownIdError
from sim.law.citations import in_force_on
from sim.law.decision_points import DECISION_POINTS
from sim.law.needs import Need, NeedsFile
from sim.law.primitives import Bilingual
from sim.law.referral import (
    AgenciesFile,
    agency_label,
    build_referral_graph,
    path_deadline_hours,
    providers,
    read_agencies,
    service_path,
)
from sim.law.rulebook import RegimeRules, Rulebook, read_rulebook
from sim.library.catalog import Catalog
from sim.library.messages import read_messages
from sim.locations import PACKAGED_DATA, exercise_dir, scenario_dir
from sim.parsing import read_document, validate
from sim.training.answers import ANSWER_MODELS
from sim.training.forms import FormsFile, OptionSource, choices
from sim.training.rubric import FeedbackFile, Rubric

if TYPE_CHECKING:
    from sim.cases.generator import CaseGenerator


@dataclass(frozen=True, eq=False)
class Library:
    """The law and data the engines work from. Build one with ``Library.from_folder`` or ``packaged_library()``.

    Examples
    --------
    >>> from datetime import date
    >>> from sim.library import packaged_library
    >>> lib = packaged_library()
    >>> lib.rules_on(date(2016, 5, 1)).regime, lib.rules_on(date(2025, 7, 1)).regime
    ('A', 'B')
    >>> sorted(lib.graph("B").successors("commune_pc"))[:2]
    ['commune_health_station', 'commune_police']
    """

    rulebook: Rulebook
    agencies: AgenciesFile
    needs: dict[str, Need]
    regions: dict[str, RegionPack]
    default_region: str
    names: NameData
    profiles: ProfilesFile
    interview: InterviewFile
    rubric: Rubric
    feedback: dict[str, Bilingual]
    messages: dict[str, Bilingual]
    forms: FormsFile
    scenario_dir: Path
    exercise_dir: Path
    cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    catalog: Catalog = field(init=False, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (for a worker process) without its memos: they hold functions and are rebuilt on first use."""
        return {**self.__dict__, "cache": {}}

    def __post_init__(self) -> None:
        object.__setattr__(self, "catalog", Catalog(self, self.scenario_dir, self.exercise_dir))
        problems = _cross_check(self)
        if problems:
            raise DataError(problems)

    # building ----------------------------------------------------------------------------------
    @classmethod
    def from_folder(
        cls,
        data: str | Path = PACKAGED_DATA,
        *,
        scenarios: str | Path | None = None,
        exercises: str | Path | None = None,
    ) -> Library:
        """Read a data folder laid out like ``sim/data`` (a trainer's own copy, or a test's changed one).

        Parameters
        ----------
        data : path
            The folder with ``rulebook/``, ``agencies.yaml``, ``regions/``, ``names/`` and the other files.
        scenarios, exercises : path, optional
            The scenario and exercise folders (default: ``$TROVE_SCENARIO_DIR`` / ``$TROVE_EXERCISE_DIR``
            or the bundled ones).

        Raises
        ------
        DataError
            Every problem in every file, located as ``file:line:col field: message (hint)``.

        Examples
        --------
        >>> from sim.locations import PACKAGED_DATA
        >>> Library.from_folder(PACKAGED_DATA).default_region
        'lam-dong-binh-thuan'
        """
        base = Path(data)
        agencies = read_agencies(base / "agencies.yaml")
        regions, default_region = read_region_packs(base / "regions")
        return cls(
            rulebook=read_rulebook(base / "rulebook", set(agencies.agencies)),
            agencies=agencies,
            needs=validate(NeedsFile, read_document(base / "needs.yaml")).needs,
            regions=regions,
            default_region=default_region,
            names=name_data(read_document(base / "names" / "vietnamese-names.yaml").data),
            profiles=validate(ProfilesFile, read_document(base / "profiles.yaml")),
            interview=validate(InterviewFile, read_document(base / "interview.yaml")),
            rubric=validate(Rubric, read_document(base / "rubric.yaml")),
            feedback=validate(FeedbackFile, read_document(base / "feedback.yaml")).messages,
            messages=read_messages(base / "messages.yaml"),
            forms=validate(FormsFile, read_document(base / "forms.yaml")),
            scenario_dir=Path(scenarios) if scenarios else scenario_dir(),
            exercise_dir=Path(exercises) if exercises else exercise_dir(),
        )

    def replace(self, **parts: Any) -> Library:
        """A new library with some parts replaced (cross-checks run again, nothing memoised is shared).

        >>> from sim.library import packaged_library
        >>> lib = packaged_library()
        >>> lib.replace(default_region="binh-thuan").default_region, lib.default_region
        ('binh-thuan', 'lam-dong-binh-thuan')
        """
        unknown = set(parts) - {f.name for f in fields(self) if f.init} | ({"cache"} & set(parts))
        if unknown:
            raise SimError(f"a library has no replaceable part {', '.join(sorted(unknown))}")
        return replace(self, cache={}, **parts)

    def with_regime(self, rules: RegimeRules) -> Library:
        """A new library whose rulebook has ``rules`` in place of the regime with the same id ("what if" studies).

        >>> from sim.law.primitives import Deadline
        >>> from sim.library import packaged_library
        >>> lib = packaged_library()
        >>> a = lib.rulebook.for_regime("A")
        >>> five_days = Deadline(kind="days", amount=5)
        >>> verifiers = [v.model_copy(update={"deadline": five_days}) for v in a.verification.verifiers]
        >>> verification = a.verification.model_copy(update={"verifiers": verifiers})
        >>> changed = lib.with_regime(a.model_copy(update={"verification": verification}))
        >>> changed.rulebook.for_regime("A").verification.verifiers[0].deadline.label("en")
        'within 5 days'
        """
        return self.replace(rulebook=self.rulebook.with_regime(rules))

    # the law on a date -------------------------------------------------------------------------
    @property
    def version(self) -> str:
        """The rulebook version stored with every attempt."""
        return self.rulebook.version

    def rules_on(self, day: date) -> RegimeRules:
        """The regime in force on ``day``: the one place a date becomes a regime.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> lib = packaged_library()
        >>> from datetime import date
        >>> lib.rules_on(date(2025, 6, 30)).regime, lib.rules_on(date(2025, 7, 1)).regime
        ('A', 'B')
        """
        rules = self.cache.get(("rules_on", day))
        if rules is None:
            rules = self.cache["rules_on", day] = self.rulebook.for_date(day)
        return rules

    def critical_errors_on(self, day: date) -> frozenset[str]:
        """The critical errors a text in force on ``day`` forbids: only these can be at risk or flagged.

        >>> from sim.library import packaged_library
        >>> from datetime import date
        >>> lib = packaged_library()
        >>> "E11" in lib.critical_errors_on(date(2016, 5, 1)), "E11" in lib.critical_errors_on(date(2017, 7, 1))
        (False, True)
        """
        found = self.cache.get(("critical_errors_on", day))
        if found is None:
            book = self.rulebook
            found = self.cache["critical_errors_on", day] = frozenset(
                code for code, e in book.critical_errors.items() if in_force_on(e.basis, book.texts, day)
            )
        return found

    def graph(self, regime: str, names: dict[str, str] | None = None) -> nx.MultiDiGraph:
        """The frozen referral graph of a regime (``names`` fills ``{province}`` … in labels), built once.

        Raises
        ------
        SimError
            For a regime the rulebook does not have.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> lib = packaged_library()
        >>> G = lib.graph("A")
        >>> G.number_of_nodes(), lib.graph("A") is G, sorted(G.successors("commune_pc"))[:2]
        (18, True, ['commune_health_station', 'commune_police'])
        """
        key = ("graph", regime, tuple(sorted((names or {}).items())))
        G = self.cache.get(key)
        if G is None:
            if regime not in {r.regime for r in self.rulebook.regimes}:
                raise SimError(f"unknown regime {regime!r} (use A or B)")
            G = self.cache[key] = build_referral_graph(self.agencies, regime, names)
        return G

    def graph_on(self, day: date) -> nx.MultiDiGraph:
        """The referral graph of ``day``: its regime's agencies and hand-overs that existed then, built once per era.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> lib = packaged_library()
        >>> from datetime import date
        >>> "district_police" in lib.graph_on(date(2025, 2, 28)), "district_police" in lib.graph_on(date(2025, 3, 1))
        (True, False)
        >>> lib.graph_on(date(2016, 5, 1)) is lib.graph_on(date(2024, 5, 1))  # nothing dated changed between them
        True
        """
        G = self.cache.get(("graph_on_day", day))
        if G is None:
            regime = self.rules_on(day).regime
            key = ("graph_on", regime, self._era(day))
            G = self.cache.get(key)
            if G is None:
                G = self.cache[key] = build_referral_graph(self.agencies, regime, on=day)
            self.cache["graph_on_day", day] = G
        return G

    def _era(self, day: date) -> tuple[bool, ...]:
        """Which dated agencies, hand-overs and services are in force on ``day``: days with the same era share a graph."""
        agencies = self.agencies.agencies.values()
        return (
            tuple(a.exists_on(day) for a in agencies if a.exists)
            + tuple(e.in_force_on(day) for e in self.agencies.edges if e.in_force)
            + tuple(since <= day for a in agencies for s in a.services_from.values() for since in s.values())
        )

    def service_path_on(self, day: date, service: str) -> tuple[str, ...] | None:
        """The shortest referral path to the nearest provider of ``service`` in the graph of ``day``, memoised.

        >>> from datetime import date
        >>> from sim.library import packaged_library
        >>> lib = packaged_library()
        >>> lib.service_path_on(date(2025, 2, 28), "verification")[-1], lib.service_path_on(date(2025, 3, 1), "verification")[-1]
        ('district_police', 'provincial_police')
        """
        G = self.graph_on(day)
        key = ("service_path_on", G, service)  # a graph per era: days of one era share the answer
        if key not in self.cache:
            path = service_path(G, service)
            self.cache[key] = tuple(path) if path else None
        return self.cache[key]

    def path_deadline_hours(self, regime: str, path: list[str]) -> float | None:
        """The hours the law allows along a referral path of a regime (see ``sim.law.referral``), memoised.

        >>> from sim.library import packaged_library
        >>> packaged_library().path_deadline_hours("A", ["commune_pc", "district_labour_office", "district_police"])
        480.0
        """
        key = ("path_deadline_hours", regime, tuple(path))
        if key not in self.cache:
            self.cache[key] = path_deadline_hours(self.graph(regime), path)
        return self.cache[key]

    def providers(self, regime: str, service: str) -> frozenset[str]:
        """The agencies that deliver ``service`` in a regime (e.g. the shelter facilities), memoised.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> lib = packaged_library()
        >>> sorted(lib.providers("A", "shelter"))
        ['social_assistance_facility', 'victim_support_facility']
        """
        key = ("providers", regime, service)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = frozenset(providers(self.graph(regime), service))
        return found

    def agency_label(self, agency_id: str) -> Bilingual:
        """An agency's name outside any region, in both languages.

        Raises
        ------
        UnknownIdError
            For an id ``agencies.yaml`` does not define (with "did you mean").

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> lib = packaged_library()
        >>> lib.agency_label("commune_police")
        Bilingual(vi='Công an xã', en='commune police')
        """
        if agency_id not in self.agencies.agencies:
            raise UnknownIdError("agency", agency_id, list(self.agencies.agencies))
        return agency_label(self.agencies.agencies[agency_id])

    # places and cases --------------------------------------------------------------------------
    def region(self, pack_id: str) -> RegionPack:
        """A region pack by id, with "did you mean" for an unknown id.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> lib = packaged_library()
        >>> lib.region("binh-thuan").province
        'Bình Thuận'
        >>> lib.region("binh-thaun")
        Traceback (most recent call last):
        ...
        sim.errors.UnknownIdError: unknown region 'binh-thaun' (did you mean 'binh-thuan' or 'lam-dong-binh-thuan'?)
        """
        if pack_id not in self.regions:
            raise UnknownIdError("region", pack_id, list(self.regions))
        return self.regions[pack_id]

    def region_on(self, day: date) -> RegionPack:
        """The default region if it covers ``day``, else the first pack that does (e.g. Bình Thuận before 2025).

        Raises
        ------
        SimError
            If no region pack covers ``day``.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> lib = packaged_library()
        >>> from datetime import date
        >>> lib.region_on(date(2016, 5, 1)).id, lib.region_on(date(2026, 1, 1)).id
        ('binh-thuan', 'lam-dong-binh-thuan')
        """
        default = self.regions[self.default_region]
        if default.covers(day):
            return default
        for pack_id in sorted(self.regions):
            if self.regions[pack_id].covers(day):
                return self.regions[pack_id]
        raise SimError(f"no region pack covers {day.isoformat()} (add one to regions/packs.yaml)")

    def case_generator(self) -> CaseGenerator:
        """This library's case generator (one ``Faker('vi_VN')``, reused for every case).

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> lib = packaged_library()
        >>> generator = lib.case_generator()
        >>> generator is lib.case_generator()
        True
        >>> generator.generate(lib.catalog.scenario("forced-marriage-2016"), seed=1).case_id
        'forced-marriage-2016-1'
        """
        from sim.cases.generator import CaseGenerator  # Faker loads only when a case is first generated

        generator = self.cache.get("case_generator")
        if generator is None:
            generator = self.cache["case_generator"] = CaseGenerator(self)
        return generator


def _cross_check(library: Library) -> list[Problem]:
    """Ids one file uses that another must define: interview errors, profile vocabulary, forms, default region."""
    book = library.rulebook
    problems: list[Problem] = []
    if library.default_region not in library.regions:
        problems.append(
            Problem(
                "regions/packs.yaml",
                None,
                None,
                "default",
                f"unknown region {library.default_region!r}",
                f"use one of {', '.join(sorted(library.regions))}",
            )
        )
    for qid, question in library.interview.questions.items():
        if question.critical_error and question.critical_error not in book.critical_errors:
            problems.append(
                Problem(
                    "interview.yaml",
                    None,
                    None,
                    f"questions.{qid}.critical_error",
                    f"unknown critical error {question.critical_error!r}",
                    "use an id of rulebook/critical-errors.yaml",
                )
            )
    problems += _duties_of_agencies_that_exist(library)
    vocabulary = book.vocabulary
    for pid, profile in library.profiles.profiles.items():
        for i, story in enumerate(profile.stories):
            for kind in FACTS_OF_STORY:
                for value in getattr(story, kind):
                    if value not in getattr(vocabulary, kind):
                        problems.append(
                            Problem(
                                "profiles.yaml",
                                None,
                                None,
                                f"profiles.{pid}.stories.{i}.{kind}",
                                f"unknown {kind[:-1]} {value!r}",
                                "use an id of rulebook/vocabulary.yaml",
                            )
                        )
    missing = [dp for dp in DECISION_POINTS if dp not in library.forms.decision_points]
    if missing:
        problems.append(
            Problem(
                "forms.yaml", None, None, "decision_points", f"no form for {', '.join(missing)}", "add a form for each"
            )
        )
    for dp, specs in library.forms.decision_points.items():
        model_fields = ANSWER_MODELS[dp].model_fields
        for i, spec in enumerate(specs):
            where = f"decision_points.{dp}[{i}]"
            if spec.field not in model_fields:
                problems.append(
                    Problem(
                        "forms.yaml",
                        None,
                        None,
                        f"{where}.field",
                        f"{dp} answers have no field {spec.field!r}",
                        f"use one of {', '.join(model_fields)}",
                    )
                )
            if spec.options == "choices" and spec.field in model_fields:
                for value in choices(dp, spec.field):
                    if f"opt_{spec.field}_{value}" not in library.messages:
                        problems.append(
                            Problem(
                                "messages.yaml",
                                None,
                                None,
                                f"messages.opt_{spec.field}_{value}",
                                "missing label",
                                f"add opt_{spec.field}_{value}: {{vi: …, en: …}}",
                            )
                        )
            if isinstance(spec.options, OptionSource):
                for agency in spec.options.agencies or []:
                    if agency not in library.agencies.agencies:
                        problems.append(
                            Problem(
                                "forms.yaml", None, None, f"{where}.options.agencies", f"unknown agency {agency!r}", ""
                            )
                        )
                kind = spec.options.vocabulary
                if kind is not None and not hasattr(vocabulary, kind):
                    problems.append(
                        Problem(
                            "forms.yaml", None, None, f"{where}.options.vocabulary", f"unknown vocabulary {kind!r}", ""
                        )
                    )
    return problems


def _duties_of_agencies_that_exist(library: Library) -> list[Problem]:
    """A dated duty (a verifier, an initial-verification partner) may name an agency only while it exists."""
    problems = []
    agencies = library.agencies.agencies
    for rules in library.rulebook.regimes:
        dated = [("verification.verifiers", i, d) for i, d in enumerate(rules.verification.verifiers)]
        dated += [("initial_verification.partners", i, d) for i, d in enumerate(rules.initial_verification.partners)]
        for path, i, duty in dated:
            first = max(filter(None, (duty.from_, rules.effective_from)))
            last = min(filter(None, (duty.until, rules.effective_to, date.max)))
            agency = agencies.get(duty.agency)
            if agency and not (agency.exists_on(first) and agency.exists_on(last)):
                problems.append(
                    Problem(
                        f"rulebook/{rules.id}.yaml",
                        None,
                        None,
                        f"{path}[{i}].agency",
                        f"{duty.agency!r} does not exist on every day from {first} to {last} (agencies.yaml `exists`)",
                        "date the duty with from/until, or name the agency that held it",
                    )
                )
    return problems
