"""The referral graph of agencies (networkx) and the queries over it.

A MultiDiGraph keyed by purpose (two agencies may be joined for several purposes).
Nodes are agency ids with level, sector, names and the services they deliver in the regime;
edges are hand-overs and referrals with purpose, deadline and legal basis.

>>> from sim.library import packaged_library
>>> G = packaged_library().graph("B")
>>> notified_agencies(G)
['provincial_health_dept']
>>> service_path(G, "legal_aid")
['commune_pc', 'provincial_health_dept', 'legal_aid_centre']
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Literal

import networkx as nx
from pydantic import Field

from sim.errors import DataError, Problem
from sim.law.citations import Cited
from sim.law.primitives import Bilingual, Deadline, Regime, Strict
from sim.parsing import read_document, unknown_id_problem, validate

ROOT = "commune_pc"


class Agency(Strict):
    """An agency of ``agencies.yaml``: its names (with region placeholders), level, sector and services per regime."""

    vi: str
    en: str
    level: Literal["commune", "local", "district", "province", "central"]
    sector: str
    regimes: list[Regime]
    services: dict[Regime, list[str]] = Field(default_factory=dict)
    exists: dict[Literal["from", "until"], date] = Field(default_factory=dict)  # e.g. district police until 2025-02-28
    exists_basis: str = ""  # the source of the dates (a reference tag), when there are any
    services_from: dict[Regime, dict[str, date]] = Field(default_factory=dict)  # services taken on at a date

    def exists_on(self, day: date) -> bool:
        """Whether the agency existed on ``day`` (no dates: throughout its regimes).

        >>> from datetime import date
        >>> from sim.library import packaged_library
        >>> police = packaged_library().agencies.agencies["district_police"]
        >>> police.exists_on(date(2025, 2, 28)), police.exists_on(date(2025, 3, 1))
        (True, False)
        """
        return self.exists.get("from", date.min) <= day <= self.exists.get("until", date.max)


class Edge(Cited):
    """A hand-over or referral between two agencies: its purpose, deadline, regimes and legal basis."""

    from_: str = Field(alias="from")
    to: str
    purpose: str
    deadline: Deadline | None = None
    regimes: list[Regime]
    in_force: dict[Literal["from", "until"], date] = Field(default_factory=dict)  # a hand-over of a period only

    def in_force_on(self, day: date) -> bool:
        """Whether the hand-over existed on ``day`` (no dates: throughout its regimes).

        >>> from datetime import date
        >>> from sim.library import packaged_library
        >>> to_province = [e for e in packaged_library().agencies.edges if e.in_force]
        >>> [(e.to, e.in_force_on(date(2025, 2, 28)), e.in_force_on(date(2025, 3, 1))) for e in to_province]
        [('provincial_police', False, True)]
        """
        return self.in_force.get("from", date.min) <= day <= self.in_force.get("until", date.max)


class AgenciesFile(Strict):
    """The ``agencies.yaml`` document: agencies by id and the edges between them."""

    schema_version: Literal[1]
    agencies: dict[str, Agency]
    edges: list[Edge]


def read_agencies(path: Path) -> AgenciesFile:
    """Read ``agencies.yaml`` and check that every edge joins two agencies of its regimes.

    Parameters
    ----------
    path : Path
        The ``agencies.yaml`` file.

    Returns
    -------
    AgenciesFile
        The validated agencies and edges, for ``build_referral_graph``.

    Raises
    ------
    DataError
        Every invalid field, unknown agency id (with "did you mean") and edge whose regimes an end lacks.

    Examples
    --------
    >>> from sim.locations import PACKAGED_DATA
    >>> data = read_agencies(PACKAGED_DATA / "agencies.yaml")
    >>> len(data.agencies), data.agencies["district_police"].regimes
    (19, ['A'])
    """
    doc = read_document(path)
    data = validate(AgenciesFile, doc)
    problems: list[Problem] = []
    for i, edge in enumerate(data.edges):
        for end, key in ((edge.from_, "from"), (edge.to, "to")):
            if end not in data.agencies:
                problems.append(unknown_id_problem(doc, ("edges", i, key), "agency", end, list(data.agencies)))
            elif not set(edge.regimes) <= set(data.agencies[end].regimes):
                problems.append(
                    doc.problem(
                        ("edges", i, "regimes"),
                        f"agency {end!r} does not exist in every regime of this edge",
                        f"{end} exists in {data.agencies[end].regimes}",
                    )
                )
    if problems:
        raise DataError(problems)
    return data


# The words that fill an agency's place placeholders when no region names them ("Công an huyện", "district police").
GENERIC_PLACES = {
    "vi": {"commune": "xã", "district": "huyện", "province": ""},
    "en": {"commune": "commune", "district": "district", "province": "provincial"},
}


def build_referral_graph(
    data: AgenciesFile, regime: str, names: dict[str, str] | None = None, *, on: date | None = None
) -> nx.MultiDiGraph:
    """The frozen graph of one regime; ``names`` fills ``{commune}``, ``{district}``, ``{province}`` in labels.

    With ``on``, the graph of that day: agencies that did not exist then and hand-overs not in force are left
    out, and services an agency took on by then are added (district police gone from 1 Mar 2025).

    Use ``Library.graph``, which builds each graph once; call ``.copy()`` for one you may change.

    Parameters
    ----------
    data : AgenciesFile
        The agencies and edges, as ``read_agencies`` returns them.
    regime : str
        ``"A"`` or ``"B"``: only agencies and edges of this regime are kept.
    names : dict, optional
        Place names for the label placeholders (default: the generic words of ``GENERIC_PLACES`` per language).
    on : date, optional
        The day (default: every agency and hand-over the regime ever had).

    Returns
    -------
    nx.MultiDiGraph
        A frozen graph: nodes carry ``vi``, ``en``, ``level``, ``sector`` and ``services``; edges are keyed
        by purpose and carry ``deadline``, ``basis`` and ``status``.

    Examples
    --------
    >>> from sim.library import packaged_library
    >>> G = build_referral_graph(packaged_library().agencies, "B", {"commune": "xã Phan Rí Cửa"})
    >>> G.nodes["commune_pc"]["vi"], G.number_of_nodes(), nx.is_frozen(G)
    ('UBND xã Phan Rí Cửa', 14, True)
    """
    vi_fill, en_fill = GENERIC_PLACES["vi"] | dict(names or {}), GENERIC_PLACES["en"] | dict(names or {})
    G = nx.MultiDiGraph(regime=regime)
    for agency_id, agency in data.agencies.items():
        if regime in agency.regimes and (on is None or agency.exists_on(on)):
            taken_on = [s for s, since in agency.services_from.get(regime, {}).items() if on and since <= on]
            G.add_node(
                agency_id,
                vi=_tidy(agency.vi.format(**vi_fill)),
                en=_tidy(agency.en.format(**en_fill)),
                level=agency.level,
                sector=agency.sector,
                services=tuple(agency.services.get(regime, ())) + tuple(taken_on),
            )
    for edge in data.edges:
        if regime in edge.regimes and (on is None or edge.in_force_on(on)) and edge.from_ in G and edge.to in G:
            G.add_edge(
                edge.from_,
                edge.to,
                key=edge.purpose,
                purpose=edge.purpose,
                deadline=edge.deadline,
                basis=tuple(edge.basis),
                status=edge.status,
            )
    return nx.freeze(G)


def agency_label(agency: Agency) -> Bilingual:
    """The bilingual name of an agency outside any region (placeholders filled with generic words).

    >>> from sim.library import packaged_library
    >>> agency_label(packaged_library().agencies.agencies["district_labour_office"]).en
    'district Labour, Invalids and Social Affairs office'
    """
    return Bilingual(
        vi=_tidy(agency.vi.format(**GENERIC_PLACES["vi"])), en=_tidy(agency.en.format(**GENERIC_PLACES["en"]))
    )


def _tidy(text: str) -> str:
    return " ".join(text.split())


def notified_agencies(G: nx.MultiDiGraph, source: str = ROOT) -> list[str]:
    """Agencies the commune must notify (edges with purpose ``notify``), sorted.

    >>> from sim.library import packaged_library
    >>> notified_agencies(packaged_library().graph("A"))
    ['district_labour_office']
    """
    return sorted(t for _, t, p in G.out_edges(source, data="purpose") if p == "notify")


def providers(G: nx.MultiDiGraph, service: str) -> list[str]:
    """Agencies that deliver ``service`` in this graph, sorted.

    >>> from sim.library import packaged_library
    >>> providers(packaged_library().graph("A"), "shelter")
    ['social_assistance_facility', 'victim_support_facility']
    """
    return sorted(n for n, s in G.nodes(data="services") if service in s)


def service_path(G: nx.MultiDiGraph, service: str, source: str = ROOT) -> list[str] | None:
    """Shortest referral path from the commune to the nearest provider of ``service``.

    The commune itself counts when it delivers the service. Returns None when unreachable.

    >>> from sim.library import packaged_library
    >>> G = packaged_library().graph("A")
    >>> service_path(G, "shelter")
    ['commune_pc', 'district_labour_office', 'social_assistance_facility']
    >>> service_path(G, "essential_needs"), service_path(G, "no_such_service")
    (['commune_pc'], None)
    """
    targets = providers(G, service)
    if source in targets:
        return [source]
    best: list[str] | None = None
    paths = nx.single_source_shortest_path(G, source)
    for target in targets:
        if target in paths and (best is None or len(paths[target]) < len(best)):
            best = paths[target]
    return best


def path_deadline_hours(G: nx.MultiDiGraph, path: list[str]) -> float | None:
    """The time the law allows along a referral path: the sum of its hand-over deadlines, in simulated hours.

    Hand-overs without a deadline count as 0; an unconfirmed deadline makes the total unknown (None).

    >>> from sim.library import packaged_library
    >>> path_deadline_hours(packaged_library().graph("A"), ["commune_pc", "district_labour_office", "district_police"])
    480.0
    """
    total = 0.0
    for u, v in pairwise(path):
        known = [d.hours() for d in (data.get("deadline") for data in G.get_edge_data(u, v).values()) if d is not None]
        if any(h is None for h in known):
            return None
        total += min((h for h in known if h is not None), default=0.0)
    return total


def check_referral_plan(
    G: nx.MultiDiGraph,
    chosen: list[str],
    needed: list[str],
    source: str = ROOT,
    elapsed_hours: dict[str, float] | None = None,
    correct_paths: dict[str, list[str] | None] | None = None,
    path_hours: Callable[[list[str]], float | None] | None = None,
) -> dict[str, dict]:
    """Whether a plan (a set of chosen agencies) reaches every needed service, and in time.

    A service counts as reached when a chosen agency (or the commune) delivers it and is reachable
    from the commune through chosen agencies only. With ``elapsed_hours`` (simulated hours taken to
    refer, per service), ``in_time`` compares them with the deadlines along the path. ``correct_paths``
    (the rule engine's paths, per service) saves searching for the shortest path again, and
    ``path_hours`` (a memoised ``path_deadline_hours`` over ``G``) summing the deadlines again.

    >>> from sim.library import packaged_library
    >>> G = packaged_library().graph("A")
    >>> r = check_referral_plan(G, ["district_labour_office", "social_assistance_facility"], ["shelter", "loan"])
    >>> r["shelter"]["reached"], r["loan"]["reached"]
    (True, False)
    """
    parents = _reach(G, set(chosen) | {source}, source)
    result: dict[str, dict] = {}
    for service in needed:
        via = sorted(a for a in parents if service in G.nodes[a]["services"])
        path = _path_to(parents, via[0]) if via else None
        taken = (elapsed_hours or {}).get(service)
        allowed = (path_hours(path) if path_hours else path_deadline_hours(G, path)) if path else None
        in_time = None if path is None or allowed is None or taken is None else taken <= allowed
        correct = (
            correct_paths[service] if correct_paths and service in correct_paths else service_path(G, service, source)
        )
        result[service] = {
            "reached": bool(via),
            "via": via,
            "path": path,
            "correct_path": list(correct) if correct else None,
            "deadline_hours": allowed,
            "in_time": in_time,
        }
    return result


def plan_paths(G: nx.MultiDiGraph, chosen: list[str], source: str = ROOT) -> list[list[str]]:
    """The path from the commune to each chosen agency that the plan itself reaches.

    >>> from sim.library import packaged_library
    >>> plan_paths(packaged_library().graph("B"), ["provincial_health_dept", "legal_aid_centre", "district_police"])
    [['commune_pc', 'provincial_health_dept'], ['commune_pc', 'provincial_health_dept', 'legal_aid_centre']]
    """
    parents = _reach(G, set(chosen) | {source}, source)
    return [_path_to(parents, a) for a in chosen if a in parents]


def _reach(G: nx.MultiDiGraph, allowed: set[str], source: str) -> dict[str, str | None]:
    """Breadth-first search from ``source`` through ``allowed`` nodes only; returns each reached node's parent."""
    parents: dict[str, str | None] = {source: None}
    frontier = [source]
    while frontier:
        nxt = []
        for node in frontier:
            for succ in G.succ[node]:
                if succ in allowed and succ not in parents:
                    parents[succ] = node
                    nxt.append(succ)
        frontier = nxt
    return parents


def _path_to(parents: dict[str, str | None], node: str) -> list[str]:
    path = [node]
    while (parent := parents[path[-1]]) is not None:
        path.append(parent)
    return path[::-1]
