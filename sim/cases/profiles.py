"""The generator's calibrated profiles (``profiles.yaml``) and interview bank (``interview.yaml``).

Data models only; ``sim.cases.generator`` draws cases from them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.law.primitives import Bilingual, Strict


class NeedsSpec(Strict):
    """A profile's needs: those every case has, and the chance of each of the others."""

    always: list[str] = Field(default_factory=list)
    sometimes: dict[str, float] = Field(default_factory=dict)


FACTS_OF_STORY = ("acts", "means", "purposes")


class Story(Strict):
    """One telling of a profile's case: the trafficking facts it shows and the person's words for each part.

    The answer key's signs come from the same story the person tells, so the two never disagree. A story of
    ``weight`` 0 is told only when a scenario fixes its facts; a ``parent_sold`` story only, and always, when a
    parent is suspected of selling the child.
    """

    weight: float = Field(default=1, ge=0)
    acts: list[str]
    means: list[str]
    purposes: list[str]
    parent_sold: bool = False
    journey: Bilingual
    work: Bilingual
    control: Bilingual


class Address(Strict):
    """How the officer and the person address each other from an age on (vietnamese-style.md §3.3, inferred)."""

    from_age: int = Field(ge=0)
    female: str
    male: str
    self_word: str  # what the person calls themself


class Profile(Strict):
    """One calibrated kind of case: its share of cases, the ranges and chances facts are drawn with, and its texts."""

    vi: str
    en: str
    share: float = Field(ge=0)
    sex: dict[Literal["female", "male"], float]
    age: tuple[int, int]
    destinations: dict[str, float]
    nationality: Literal["vietnamese", "foreign"] = "vietnamese"
    countries: dict[str, float] = Field(default_factory=dict)
    months_away: tuple[int, int]
    recruiters: list[str]
    entry_routes: dict[str, float]
    threat: float = Field(ge=0, le=1)
    trafficker_nearby: float = Field(ge=0, le=1)
    family_suspected: float = Field(ge=0, le=1)
    children: float = Field(ge=0, le=1)
    child_at_serious_risk: float = Field(default=0.0, ge=0, le=1)
    needs: NeedsSpec
    wishes_shelter: float = Field(ge=0, le=1)
    job: Bilingual
    first_statement: Bilingual
    appearance: Bilingual
    stories: list[Story] = Field(min_length=1)

    def stories_telling(self, pinned: dict[str, list[str]], *, parent_sold: bool) -> list[Story]:
        """The stories that tell exactly the facts ``pinned`` (acts, means, purposes) and a parent's sale or not.

        >>> from sim.library import packaged_library
        >>> marriage = packaged_library().profiles.profiles["forced_marriage_china"]
        >>> [s.acts for s in marriage.stories_telling({"means": []}, parent_sold=False)]
        [['recruit', 'transport', 'sell'], ['recruit', 'transport']]
        """
        return [
            s
            for s in self.stories
            if s.parent_sold == parent_sold and all(sorted(getattr(s, k)) == sorted(v) for k, v in pinned.items())
        ]


class Generation(Strict):
    """Draws shared by every profile (``generation`` in ``profiles.yaml``; each value's status is noted there)."""

    cham_share: float = Field(ge=0, le=1)
    household_weights: dict[Literal["poor", "near_poor", "not_poor"], float]
    second_child: float = Field(ge=0, le=1)
    max_child_age: int = Field(ge=0)
    homeless: float = Field(ge=0, le=1)
    refuses_protection: float = Field(ge=0, le=1)
    writes_from_age: int = Field(ge=0)
    cannot_write: dict[Literal["Kinh", "other"], float]
    phone_from_age: int = Field(ge=0)
    foreign_document: float = Field(ge=0, le=1)
    national_id: float = Field(ge=0, le=1)
    threats: list[list[Literal["to_person", "to_relatives"]]]
    abroad_only_routes: list[str]
    brought_by: dict[str, str]
    foreign_given_names: list[str]
    languages: dict[str, str]
    elder_language: dict[str, str]
    elder_from_age: int
    country_names_en: dict[str, str]
    domestic_destination: Bilingual
    address: list[Address] = Field(min_length=1)  # by ascending from_age; the first starts at 0
    foreign_address: Address
    arrival: dict[str, Bilingual]  # how the person says they came back, by entry route
    untold_first_statement: Bilingual  # the first words of a person who does not retell the story
    household_labels: dict[Literal["poor", "near_poor", "not_poor", "unknown"], Bilingual]
    need_list: Bilingual
    no_needs: Bilingual
    untold_story: Bilingual  # the truth's story when a scenario says no story is on file


class ProfilesFile(Strict):
    """The ``profiles.yaml`` document: shared draws, documents per entry route, recruiter labels and the profiles."""

    schema_version: Literal[1]
    generation: Generation
    entry_route_documents: dict[str, list[str]]
    recruiters: dict[str, Bilingual]
    profiles: dict[str, Profile]


class BankQuestion(Strict):
    """One question of the interview bank: its text, minutes, what it reveals, its answer id, its critical error."""

    category: str
    minutes: int
    text: Bilingual
    reveals: list[str] = Field(default_factory=list)
    answer: str
    critical_error: str | None = None
    harmful_when: Literal["family_suspected_or_trafficker_nearby"] | None = None


class InterviewFile(Strict):
    """The ``interview.yaml`` document: the question bank and the answer texts, by answer id and variant."""

    schema_version: Literal[1]
    questions: dict[str, BankQuestion]
    answers: dict[str, dict[str, Bilingual]]
