"""The case generator: Faker ``vi_VN`` plus our name provider, profiles and region packs.

Same scenario and seed → the same case, byte for byte. Every person is marked fictional.

>>> from sim.library import packaged_library
>>> lib = packaged_library()
>>> s = lib.catalog.scenario("scam-compound-2025")
>>> generate_case(s, lib, seed=7) == generate_case(s, lib, seed=7)
True
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date
from string import Formatter
from typing import TYPE_CHECKING, Any

from faker import Faker

from sim.cases.case import Case, Document, Observable, Person, Place, Question, Truth
from sim.cases.names import VietnameseNameProvider
from sim.cases.profiles import FACTS_OF_STORY, Address, BankQuestion, Generation, Profile, ProfilesFile, Story
from sim.cases.regions import Commune, RegionPack
from sim.cases.scenario import Scenario
from sim.errors import SeedError
from sim.law.primitives import Bilingual, add_months

if TYPE_CHECKING:
    from sim.library import Library

MAX_SEED = 2**63 - 1
EN_VARIANTS = ("destination", "job", "arrival", "country")  # placeholders whose English text is filled from "<name>_en"


def check_seed(seed: object) -> int:
    """Return ``seed`` if it is a whole number from 0 to ``MAX_SEED``; raise a clear error otherwise.

    Raises
    ------
    SeedError
        For a bool, a non-integer or a number out of range, saying what a seed looks like.

    Examples
    --------
    >>> check_seed(7)
    7
    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    sim.errors.SeedError: seed must be a whole number from 0 to 9223372036854775807, got -1 (e.g. --seed 7)
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise SeedError(f"seed must be a whole number from 0 to {MAX_SEED}, got {seed!r} (e.g. --seed 7)")
    return seed


class CaseGenerator:
    """Owns one ``Faker('vi_VN')`` and re-seeds it per case; cheap to reuse for many cases of one library.

    ``Library.case_generator()`` keeps one per library; build your own only to generate in another thread.
    """

    def __init__(self, library: Library) -> None:
        self.library = library
        self.fake = Faker("vi_VN")
        # Bind the vi_VN generator and our provider once: Faker's proxy lookup costs on every call.
        self.faker = self.fake["vi_VN"]
        self.names = VietnameseNameProvider(self.faker, library.names)
        self.faker.add_provider(self.names)
        self._communes: dict[tuple[str, date], tuple[Commune, ...]] = {}

    def communes(self, pack: RegionPack, day: date) -> tuple[Commune, ...]:
        """The pack's units on ``day``, kept per generator (a case draws from them).

        Examples
        --------
        >>> from datetime import date
        >>> from sim.library import packaged_library
        >>> lib = packaged_library()
        >>> generator, pack = CaseGenerator(lib), lib.region("binh-thuan")
        >>> units = generator.communes(pack, date(2016, 5, 1))
        >>> len(units), units is generator.communes(pack, date(2016, 5, 1))
        (127, True)
        """
        key = (pack.id, day)
        found = self._communes.get(key)
        if found is None:
            found = self._communes[key] = pack.communes_on(day)
        return found

    def generate(self, scenario: Scenario, *, seed: int) -> Case:
        """One case of ``scenario``; same seed, same case (the Faker generator is re-seeded first).

        Raises
        ------
        SeedError
            If ``seed`` is not a whole number from 0 to ``MAX_SEED``.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> lib = packaged_library()
        >>> scenario = lib.catalog.scenario("forced-marriage-2016")
        >>> generator = CaseGenerator(lib)
        >>> case = generator.generate(scenario, seed=7)
        >>> case.case_id, case == generate_case(scenario, lib, seed=7)
        ('forced-marriage-2016-7', True)
        """
        seed = check_seed(seed)
        self.faker.seed_instance(seed)
        return _build(scenario.for_seed(seed), seed, self, self.faker.random)


def generate_case(scenario: Scenario, library: Library, *, seed: int) -> Case:
    """Generate one case of ``scenario`` from the profiles, regions and interview bank of ``library``.

    Parameters
    ----------
    scenario : Scenario
        What the trainer fixed and what is drawn at random.
    library : Library
        The data the case is made from (profiles, region packs, names, interview bank, vocabulary).
    seed : int
        Keyword-only, a whole number from 0 to 2**63 − 1: same scenario, library and seed give the same case.

    Examples
    --------
    >>> from sim.library import packaged_library
    >>> lib = packaged_library()
    >>> case = generate_case(lib.catalog.scenario("forced-marriage-2016"), lib, seed=7)
    >>> case.case_id, case.fictional
    ('forced-marriage-2016-7', True)
    """
    return library.case_generator().generate(scenario, seed=seed)


def case_seed(seed: int, index: int) -> int:
    """Seed of the ``index``-th case of a batch started from ``seed`` (stable across runs).

    >>> case_seed(7, 0), case_seed(7, 1)
    (7, 1000010)
    """
    return (check_seed(seed) + index * 1_000_003) % (MAX_SEED + 1)


def generate_cases(scenario: Scenario, library: Library, count: int, *, seed: int) -> Iterator[Case]:
    """``count`` cases; case i is ``generate_case(scenario, library, seed=case_seed(seed, i))``.

    >>> from sim.library import packaged_library
    >>> lib = packaged_library()
    >>> [c.seed for c in generate_cases(lib.catalog.scenario("forced-marriage-2016"), lib, 2, seed=7)]
    [7, 1000010]
    """
    generator = library.case_generator()
    for index in range(count):
        yield generator.generate(scenario, seed=case_seed(seed, index))


def _weighted(rnd: random.Random, options: dict[str, float]) -> str:
    keys = list(options)
    return rnd.choices(keys, weights=[options[k] for k in keys])[0]


def _typical(options: dict[str, float]) -> str:
    return max(options, key=lambda k: options[k])


def _build(scenario: Scenario, seed: int, tools: CaseGenerator, rnd: random.Random) -> Case:
    library = tools.library
    data = library.profiles
    g = data.generation
    fixed = scenario.fixed

    def pick(fact: str, random_value: Callable[[], Any], typical_value: Callable[[], Any]) -> Any:
        value = getattr(fixed, fact, None)
        if value is not None:
            return value
        return random_value() if scenario.is_random(fact) else typical_value()

    mix = scenario.profile_mix or {k: p.share for k, p in data.profiles.items()}
    profile_id = pick("profile", lambda: _weighted(rnd, mix), lambda: _typical(mix))
    profile = data.profiles[profile_id]
    pack = library.region(scenario.region)
    communes = tools.communes(pack, scenario.date)
    commune = (
        _find_commune(communes, fixed.commune)
        if fixed.commune
        else (rnd.choice(communes) if scenario.is_random("commune") else communes[0])
    )

    sex = pick("sex", lambda: _weighted(rnd, profile.sex), lambda: _typical(profile.sex))
    age = pick("age", lambda: rnd.randint(*profile.age), lambda: (profile.age[0] + profile.age[1]) // 2)
    nationality = pick("nationality", lambda: profile.nationality, lambda: profile.nationality)
    foreign = nationality == "foreign"
    ethnicity = (
        "Kinh"
        if foreign
        else pick("ethnicity", lambda: "Chăm" if rnd.random() < g.cham_share else "Kinh", lambda: "Kinh")
    )
    household = pick("household", lambda: _weighted(rnd, g.household_weights), lambda: "poor")
    destination = pick(
        "destination", lambda: _weighted(rnd, profile.destinations), lambda: _typical(profile.destinations)
    )
    months = pick("months_away", lambda: rnd.randint(*profile.months_away), lambda: profile.months_away[0])
    if fixed.age is None:  # nobody is trafficked younger than the profile's youngest age
        age = max(age, profile.age[0] + months // 12)
    entry_route = pick(
        "entry_route", lambda: _weighted(rnd, profile.entry_routes), lambda: _typical(profile.entry_routes)
    )
    if destination == "domestic" and entry_route in g.abroad_only_routes and fixed.entry_route is None:
        entry_route = "self_report"
    threats = pick("threats", lambda: _draw_threats(rnd, profile.threat, g.threats), lambda: [])
    nearby = pick("trafficker_nearby", lambda: rnd.random() < profile.trafficker_nearby, lambda: False)
    parent_suspected = bool(fixed.parent_suspected)
    family_suspected = parent_suspected or pick(
        "family_suspected", lambda: rnd.random() < profile.family_suspected, lambda: False
    )
    at_risk = (
        pick("child_at_serious_risk", lambda: rnd.random() < profile.child_at_serious_risk, lambda: False)
        if age < 18
        else bool(fixed.child_at_serious_risk)
    )
    n_children = pick(
        "accompanying_children",
        lambda: (1 + (rnd.random() < g.second_child)) if rnd.random() < profile.children else 0,
        lambda: 0,
    )
    has_home = pick("has_home", lambda: rnd.random() > g.homeless, lambda: True)
    wishes_shelter = pick(
        "wishes_shelter", lambda: rnd.random() < profile.wishes_shelter or not has_home, lambda: not has_home
    )
    refuses = pick("refuses_protection", lambda: rnd.random() < g.refuses_protection, lambda: False)
    can_write = pick(
        "can_write",
        lambda: age >= g.writes_from_age and rnd.random() > g.cannot_write["Kinh" if ethnicity == "Kinh" else "other"],
        lambda: True,
    )
    country = _weighted(rnd, profile.countries) if foreign and profile.countries else "Việt Nam"

    told = _choose_story(rnd, profile, scenario)
    on_file = fixed.story_on_file is not False
    acts, means, purposes = (told.acts, told.means, told.purposes) if on_file else (None, None, None)
    recruiter = rnd.choice(profile.recruiters)

    documents = pick(
        "documents",
        lambda: _draw_documents(rnd, data, entry_route, foreign),
        lambda: data.entry_route_documents.get(entry_route, []),
    )
    needs = pick("needs", lambda: _draw_needs(rnd, profile), lambda: list(profile.needs.always))
    needs = _needs_with_context(
        needs, foreign=foreign, wishes_shelter=wishes_shelter, has_home=has_home, fixed=fixed.needs is not None
    )

    place = Place(
        province=pack.province,
        district=_district(commune),
        commune=commune.full_name,
        commune_code=commune.code,
        street=f"{rnd.randint(1, 250)} {tools.faker.street_name()}",
    )
    primary = _person(
        tools.names,
        g,
        rnd,
        "p1",
        "primary",
        sex,
        age,
        ethnicity,
        nationality,
        country,
        household,
        can_write,
        place,
        foreign,
        with_phone=age >= g.phone_from_age,
    )
    persons = [primary]
    for i in range(n_children):
        child_age = rnd.randint(0, min(g.max_child_age, max(0, months // 12)))
        child_sex = rnd.choice(("female", "male"))
        child = _person(
            tools.names,
            g,
            rnd,
            f"c{i + 1}",
            "accompanying_child",
            child_sex,
            child_age,
            ethnicity,
            "vietnamese",
            "Việt Nam",
            household,
            False,
            place,
            False,
            with_phone=False,
            family=primary.family_name,
        )
        persons.append(child)

    fill = _fill(profile, data, destination, recruiter, country, months, _address(g, age, foreign), sex, entry_route)
    parts = (told.journey, told.work, told.control)
    story = (
        _format(Bilingual(vi=" ".join(p.vi for p in parts), en=" ".join(p.en for p in parts)), fill)
        if on_file
        else g.untold_story
    )
    truth = Truth(
        profile=profile_id,
        acts=acts,
        means=means,
        purposes=purposes,
        destination=destination,
        months_away=months,
        recruiter=recruiter,
        threats=threats,
        trafficker_nearby=nearby,
        family_suspected=family_suspected,
        parent_suspected=parent_suspected,
        child_at_serious_risk=at_risk,
        needs=needs,
        wishes_shelter=wishes_shelter,
        has_home=has_home,
        refuses_protection=refuses,
        asks_for_support=fixed.asks_for_support is not False,
        age_at_start=fixed.age_at_start,
        story=story,
    )
    observable = Observable(
        first_statement=_format(profile.first_statement if on_file else g.untold_first_statement, fill),
        appearance=profile.appearance,
        documents=[Document(kind=k, issued=_issued(k, scenario, library)) for k in documents],
        brought_by=g.brought_by.get(entry_route),
    )
    interview = _interview(library, told, fill, truth, primary, documents, household)
    return Case(
        case_id=f"{scenario.id}-{seed}",
        scenario_id=scenario.id,
        scenario_version=scenario.version,
        seed=seed,
        date=scenario.date,
        region=scenario.region,
        commune=place,
        entry_route=entry_route,
        persons=persons,
        observable=observable,
        truth=truth,
        interview=interview,
    )


def _issued(kind: str, scenario: Scenario, library: Library) -> date | None:
    """The issue date of a victim document when the scenario fixes how long ago the person was certified."""
    months = scenario.fixed.certified_months_ago
    if months is None or kind not in {d.document for d in library.rules_on(scenario.date).victim_documents.documents}:
        return None
    return add_months(scenario.date, -months)


def _find_commune(communes: list[Commune], name: str) -> Commune:
    return next(c for c in communes if c.name == name)


def _district(commune: Commune) -> str | None:
    return f"{commune.district_type} {commune.district}" if commune.district else None


def _draw_threats(rnd: random.Random, p: float, choices: list[list[str]]) -> list[str]:
    if rnd.random() >= p:
        return []
    return list(rnd.choice(choices))


def _draw_documents(rnd: random.Random, data: ProfilesFile, entry_route: str, foreign: bool) -> list[str]:
    documents = list(data.entry_route_documents.get(entry_route, []))
    if foreign:
        if rnd.random() < data.generation.foreign_document:
            documents.append("unlegalised_foreign_document")
    elif rnd.random() < data.generation.national_id:
        documents.append("national_id")
    return documents


def _draw_needs(rnd: random.Random, profile: Profile) -> list[str]:
    return list(profile.needs.always) + [n for n, p in profile.needs.sometimes.items() if rnd.random() < p]


def _needs_with_context(
    needs: list[str], *, foreign: bool, wishes_shelter: bool, has_home: bool, fixed: bool
) -> list[str]:
    if fixed:
        return list(dict.fromkeys(needs))
    out = list(needs)
    if foreign:
        out.append("interpreter")
    if (wishes_shelter or not has_home) and "shelter" not in out:
        out.append("shelter")
    if not wishes_shelter and has_home and "shelter" in out:
        out.remove("shelter")
    return list(dict.fromkeys(out))


def _person(
    names: VietnameseNameProvider,
    g: Generation,
    rnd: random.Random,
    pid: str,
    role: str,
    sex: str,
    age: int,
    ethnicity: str,
    nationality: str,
    country: str,
    household: str,
    can_write: bool,
    home: Place,
    foreign: bool,
    *,
    with_phone: bool,
    family: str | None = None,
) -> Person:
    if foreign:
        given = rnd.choice(g.foreign_given_names)
        return Person(
            id=pid,
            role=role,
            full_name=given,
            family_name="",
            given_name=given,
            sex=sex,
            age=age,
            nationality="foreign",
            country=country,
            ethnicity="—",
            language=g.languages.get(country, "other"),
            can_write=can_write,
            phone=None,
            home=None,
            household="unknown",
        )
    name = names.cham_name(sex) if ethnicity == "Chăm" else names.vietnamese_name(sex)
    family_name = family or name.family
    full = " ".join(x for x in (family_name, name.middle, name.given) if x)
    return Person(
        id=pid,
        role=role,
        full_name=full,
        family_name=family_name,
        given_name=name.given,
        sex=sex,
        age=age,
        nationality=nationality,
        country=country,
        ethnicity=ethnicity,
        language=g.elder_language.get(ethnicity, "vi") if age >= g.elder_from_age else "vi",
        can_write=can_write,
        phone=names.vietnamese_mobile() if with_phone else None,
        home=home,
        household=household,
    )


def _choose_story(rnd: random.Random, profile: Profile, scenario: Scenario) -> Story:
    """The story the person tells, drawn once: the signs in the answer key are the facts of this story.

    A scenario that fixes acts, means or purposes chooses among the stories that tell exactly those facts
    (``check_scenario`` reports a scenario none fits); a suspected parent chooses the parent's stories.
    """
    fixed = scenario.fixed
    pinned = {k: v for k in FACTS_OF_STORY if (v := getattr(fixed, k)) is not None}
    fitting = profile.stories_telling(pinned, parent_sold=bool(fixed.parent_suspected))
    if not fitting:
        raise LookupError(f"no story of the profile fits the facts of scenario {scenario.id!r}")
    weights = [s.weight for s in fitting] if any(s.weight for s in fitting) else [1.0] * len(fitting)
    return rnd.choices(fitting, weights)[0] if scenario.is_random("profile") else fitting[weights.index(max(weights))]


def _address(g: Generation, age: int, foreign: bool) -> Address:
    """The words the officer and the person use for the person (vietnamese-style.md §3.3)."""
    return g.foreign_address if foreign else [a for a in g.address if a.from_age <= age][-1]


def _fill(
    profile: Profile,
    data: ProfilesFile,
    destination: str,
    recruiter: str,
    country: str,
    months: int,
    address: Address,
    sex: str,
    entry_route: str,
) -> dict[str, str]:
    g = data.generation
    place_vi = g.domestic_destination.vi if destination == "domestic" else destination
    place_en = (
        g.domestic_destination.en if destination == "domestic" else g.country_names_en.get(destination, destination)
    )
    who = data.recruiters[recruiter]
    title = getattr(address, sex)
    words = {"self": address.self_word, "Self": _capital(address.self_word)}
    arrival = g.arrival[entry_route]
    return words | {
        "title": title,
        "They": f"{_capital(title)} ấy",
        "arrival": arrival.vi.format_map(words),
        "arrival_en": arrival.en,
        "destination": place_vi,
        "destination_en": place_en,
        "recruiter_vi": who.vi,
        "recruiter_en": who.en,
        "Recruiter_vi": _capital(who.vi),
        "Recruiter_en": _capital(who.en),
        "job": profile.job.vi,
        "job_en": profile.job.en,
        "country": country,
        "country_en": g.country_names_en.get(country, country),
        "months": str(months),
    }


def _format(text: Bilingual, fill: dict[str, str]) -> Bilingual:
    """``text`` with its placeholders filled, the English from the ``_en`` variants where there are any."""
    en_fill = fill | {k: fill[f"{k}_en"] for k in EN_VARIANTS if k in fill}
    return Bilingual(vi=_capital(text.vi.format_map(fill)), en=_capital(text.en.format_map(en_fill)))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _interview(
    library: Library,
    story: Story,
    fill: dict[str, str],
    truth: Truth,
    primary: Person,
    documents: list[str],
    household: str,
) -> list[Question]:
    bank = library.interview
    doc_labels = library.rulebook.vocabulary.documents
    # Questions are immutable and repeat across cases: share them, and the placeholders each one fills
    # (generation speed). Both memos live on the library, so two libraries never share them.
    shared = library.cache.setdefault("questions", {})
    placeholders = library.cache.setdefault("placeholders", {})
    needs_labels = _need_labels(library, tuple(truth.needs))
    g = library.profiles.generation
    household_label = g.household_labels[household]
    values = fill | {
        "age": str(primary.age),
        "needs_vi": needs_labels.vi.format(Self=fill["Self"]),
        "needs_en": needs_labels.en,
        "documents_vi": ", ".join(doc_labels[d].vi for d in documents),
        "documents_en": ", ".join(doc_labels[d].en for d in documents),
        "home": primary.home.commune if primary.home else "—",
        "household_vi": household_label.vi,
        "household_en": household_label.en,
    }
    questions = []
    for qid, q in bank.questions.items():
        answer = _answer(q.answer, q.reveals, story, bank.answers, truth, primary, documents)
        harmful = (
            q.critical_error
            if q.critical_error and (q.harmful_when is None or truth.family_suspected or truth.trafficker_nearby)
            else None
        )
        used = placeholders.get((qid, answer))
        if used is None:
            used = placeholders[qid, answer] = _placeholders(q.text.vi, q.text.en, answer.vi, answer.en)
        key = (qid, answer, harmful, tuple(values[k] for k in used))
        question = shared.get(key)
        if question is None:
            question = shared[key] = _question(qid, q, answer, harmful, dict(zip(used, key[-1], strict=True)))
        questions.append(question)
    return questions


def _question(
    qid: str, q: BankQuestion, answer: Bilingual, critical_error: str | None, fill: dict[str, str]
) -> Question:
    return Question(
        id=qid,
        category=q.category,
        text=_format(q.text, fill),
        answer=_format(answer, fill),
        reveals=list(q.reveals),
        minutes=q.minutes,
        critical_error=critical_error,
    )


def _placeholders(*templates: str) -> tuple[str, ...]:
    """The names the templates fill (with the English variants the English text needs), sorted."""
    names = {name for t in templates for _, name, _, _ in Formatter().parse(t) if name}
    names |= {f"{k}_en" for k in EN_VARIANTS if k in names}
    return tuple(sorted(names))


def _answer(
    key: str,
    reveals: list[str],
    story: Story,
    answers: dict[str, dict[str, Bilingual]],
    truth: Truth,
    primary: Person,
    documents: list[str],
) -> Bilingual:
    if key.startswith("profile."):
        untold = any(getattr(truth, k, ()) is None for k in reveals if k in ("acts", "means", "purposes"))
        return answers["untold"]["base"] if untold else getattr(story, key.split(".", 1)[1])
    variants = answers[key]
    if key == "documents":
        return variants["some" if documents else "none"]
    if key == "threats":
        base = variants["to_relatives" if "to_relatives" in truth.threats else "to_person" if truth.threats else "none"]
        return _join(base, variants["nearby"]) if truth.trafficker_nearby else base
    if key == "family":
        suspected = "parent" if truth.parent_suspected else "suspected"
        if truth.family_suspected:
            return variants[suspected]
        return variants["no_home" if not truth.has_home else "safe" if primary.home else "abroad"]
    if key == "wishes":
        base = variants["shelter" if truth.wishes_shelter else "home"]
        base = _join(base, variants["refuse"]) if truth.refuses_protection else base
        return base if truth.asks_for_support else _join(base, variants["declines_support"])
    if key == "child":
        return variants["adult" if primary.age >= 18 else "at_risk" if truth.child_at_risk else "minor"]
    return variants["base"]


def _join(a: Bilingual, b: Bilingual) -> Bilingual:
    return Bilingual(vi=a.vi + b.vi, en=a.en + b.en)


def _need_labels(library: Library, needs: tuple[str, ...]) -> Bilingual:
    key = ("need_labels", needs)
    found = library.cache.get(key)
    if found is None:
        found = library.cache[key] = _need_labels_of(library, needs)
    return found


def _need_labels_of(library: Library, needs: tuple[str, ...]) -> Bilingual:
    catalogue = library.needs
    known = [catalogue[n] for n in needs if n in catalogue]
    g = library.profiles.generation
    if not known:
        return g.no_needs  # its "{Self}" is filled per case
    return Bilingual(
        vi=g.need_list.vi.format(items=", ".join(n.vi.lower() for n in known), Self="{Self}"),
        en=g.need_list.en.format(items=", ".join(n.en.lower() for n in known)),
    )
