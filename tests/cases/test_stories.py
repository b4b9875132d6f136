"""The story a person tells and the signs the answer key expects come from one draw and never disagree.

A small lexicon of Vietnamese cue words stands for a reader of the story: a story that records a means or
act must say it, and a story that does not must not say it (the trial found "dọa gửi ảnh" told while the key
said "no need to choose threat", and "bố con nhận tiền" told while the key had no sale).
"""

from __future__ import annotations

import re

import pytest

from sim.cases.generator import generate_cases
from sim.parsing import parse_document

# fact → the words a reader takes as telling it (lower case, in the Vietnamese templates)
TOLD_BY = {
    ("means", "threat"): r"dọa",
    ("means", "debt_bondage"): r"nợ",
    ("means", "force"): r"đánh|điện giật",
    ("means", "deception"): r"hứa|lừa|đến nơi|không có việc",
    ("means", "abuse_of_vulnerability"): r"nghèo|không có tiền",
    ("acts", "sell"): r"(?<!buôn )bán|nhận tiền|đã trả tiền|lấy tiền",
    ("purposes", "sexual_exploitation"): r"tiếp khách|sờ soạng",
    ("purposes", "forced_marriage"): r"làm vợ|lấy chồng",
    ("purposes", "forced_childbirth"): r"sinh con",
    ("purposes", "forced_crime"): r"lừa người ta|lừa đảo",
}
# cues whose absence is checked too: the words are specific enough that telling them means the fact
ONLY_WHEN_RECORDED = {("means", "threat"), ("means", "debt_bondage"), ("means", "force"), ("acts", "sell")}
ONLY_WHEN_RECORDED |= {("purposes", p) for p in ("sexual_exploitation", "forced_marriage", "forced_childbirth")}


def _stories(library):
    return [
        pytest.param(story, id=f"{pid}-{i}")
        for pid, profile in library.profiles.profiles.items()
        for i, story in enumerate(profile.stories)
    ]


def pytest_generate_tests(metafunc):
    if "story" in metafunc.fixturenames:
        from sim.library import packaged_library

        metafunc.parametrize("story", _stories(packaged_library()))


def test_a_story_tells_every_fact_it_records_and_no_other(story):
    said = " ".join(part.vi for part in (story.journey, story.work, story.control)).lower()
    text = " ".join(s for s in re.split(r"(?<=[.;])\s+", said) if "không ai" not in s)  # "nobody threatened me"
    for (kind, fact), cue in TOLD_BY.items():
        recorded = fact in getattr(story, kind)
        told = re.search(cue, text) is not None
        if recorded:
            assert told, f"{kind} {fact} is recorded but the story never tells it ({cue!r}): {text}"
        elif (kind, fact) in ONLY_WHEN_RECORDED:
            assert not told, f"the story tells {kind} {fact} ({cue!r}) but does not record it: {text}"


@pytest.mark.parametrize("scenario_id", ["parent-sold-child-2026", "threats-to-relatives-2026", "bride-for-money-2021"])
def test_every_generated_case_shows_the_facts_of_the_story_it_tells(library, scenario_id):
    scenario = library.catalog.scenario(scenario_id)
    stories = library.profiles.profiles[scenario.fixed.profile].stories
    for case in generate_cases(scenario, library, 20, seed=1):
        told = [s for s in stories if case.truth.story.vi.startswith(s.journey.vi.split("{")[0])]
        facts = (case.truth.acts, case.truth.means, case.truth.purposes)
        assert any((s.acts, s.means, s.purposes) == facts for s in told), case.case_id


def test_a_parent_suspected_of_selling_the_child_tells_the_sale(library):
    scenario = library.catalog.scenario("parent-sold-child-2026")
    for case in generate_cases(scenario, library, 10, seed=2):
        assert "sell" in case.truth.acts
        assert "Bố em nhận tiền" in case.truth.story.vi


def test_a_scenario_fixing_facts_no_story_tells_is_reported_where(library):
    from sim.cases.scenario import check_scenario

    text = (library.catalog.scenario_dir / "bride-for-money-2021.yaml").read_text(encoding="utf-8")
    doc = parse_document(text.replace("  means: []", "  means: [force, threat]"), "bride.yaml")
    [problem] = [p for p in check_scenario(doc, library) if "no story" in p.message]
    assert problem.path == "fixed.acts" and problem.line is not None
    assert "profiles.yaml" in problem.hint
