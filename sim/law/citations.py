"""Citations of the law: which text, which article, clause and point, in force when, and how it is written.

The data stores the reference's dotted form (``article: '19.1.b'`` = point b, clause 1, Article 19); a
list or range (``'32, 33'``, ``'24.4–24.5'``) is read as one citation per article. A provision with no
known article is written in words (``provision:``). Rendering follows Vietnamese legal writing, smallest
unit first ("điểm b khoản 1 Điều 19 Nghị định số 09/2013/NĐ-CP"); the reference's source tags
(``[S1]``, ``[A5]``) are kept apart in ``sources`` and never appear in rendered text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from sim.law.primitives import Bilingual, Status, Strict

_ARTICLE = re.compile(r"^(?P<article>\d+[a-z]?)(?:\.(?P<clause>\d+[a-z]?))?(?:\.(?P<point>[a-zđ]))?$")
_RANGE = re.compile(r"^(?P<stem>(?:\d+\.)*)(?P<first>\d+)[–-](?:(?P=stem))?(?P<last>\d+)$")


class LegalText(Strict):
    """A legal text (or a guidance document) that rules cite: its names and the days it was in force.

    ``kind: guidance`` marks handbooks and practice principles, which have no articles and no force of
    law. ``in_force_status`` says how sure the dates are (the reference gives most of them; a date taken
    from the text itself but not from the reference is *inferred*).

    >>> t = LegalText(vi="Nghị định số 56/2017/NĐ-CP", en="Decree No. 56/2017/ND-CP", in_force={"from": date(2017, 7, 1)})
    >>> t.in_force_on(date(2017, 6, 30)), t.in_force_on(date(2017, 7, 1))
    (False, True)
    """

    vi: str
    en: str
    kind: Literal["law", "guidance"] = "law"
    in_force: dict[Literal["from", "to"], date] = Field(default_factory=dict)
    in_force_status: Status = "confirmed"
    status_note: str = ""

    def in_force_on(self, day: date) -> bool:
        """Whether the text was in force on ``day`` (guidance, with no dates, always "is").

        >>> LegalText(vi="x", en="x", in_force={"to": date(2025, 6, 30)}).in_force_on(date(2025, 7, 1))
        False
        """
        return self.in_force.get("from", date.min) <= day <= self.in_force.get("to", date.max)


class Citation(Strict):
    """One legal basis: a text and an article (clause, point), or a provision in words, with source tags.

    >>> c = Citation(text="decree-09-2013", article="19.1.b", sources=["S20"])
    >>> c.article_number, c.clause, c.point
    ('19', '1', 'b')
    """

    text: str
    article: str | None = None
    provision: Bilingual | None = None
    amended_in: int | None = None
    amended_by: str | None = None
    article_inferred: bool = False
    sources: list[str] = Field(default_factory=list)

    @field_validator("article")
    @classmethod
    def _dotted(cls, value: str | None) -> str | None:
        if value is not None and not _ARTICLE.match(value):
            raise ValueError(
                f"{value!r} is not an article in the dotted form (write '24', '24.3' or '19.1.b'; "
                "a list '32, 33' or a range '24.4–24.5' is read as one citation per article; "
                "a provision with no known article goes in `provision: {vi: …, en: …}`)"
            )
        return value

    @model_validator(mode="after")
    def _article_or_provision(self) -> Citation:
        if self.article is None and self.provision is None:
            raise ValueError("a citation needs an article or a provision in words (`provision: {vi: …, en: …}`)")
        return self

    @property
    def article_number(self) -> str | None:
        """The article ("Điều"), e.g. ``'19'`` of ``'19.1.b'``."""
        return _ARTICLE.match(self.article)["article"] if self.article else None

    @property
    def clause(self) -> str | None:
        """The clause ("khoản"), e.g. ``'1'`` of ``'19.1.b'``, or None."""
        return _ARTICLE.match(self.article)["clause"] if self.article else None

    @property
    def point(self) -> str | None:
        """The point ("điểm"), e.g. ``'b'`` of ``'19.1.b'``, or None."""
        return _ARTICLE.match(self.article)["point"] if self.article else None

    def render(self, texts: dict[str, LegalText], lang: str = "vi") -> str:
        """The citation as Vietnamese (or English) legal writing, without source tags.

        >>> texts = {"d09": LegalText(vi="Nghị định số 09/2013/NĐ-CP", en="Decree No. 09/2013/ND-CP")}
        >>> c = Citation(text="d09", article="19.1.b", sources=["S20"])
        >>> c.render(texts, "vi")
        'điểm b khoản 1 Điều 19 Nghị định số 09/2013/NĐ-CP'
        >>> c.render(texts, "en")
        'point b, clause 1, Article 19 of Decree No. 09/2013/ND-CP'
        >>> Citation(text="d09", provision={"vi": "quy định về Tổng đài 111", "en": "provision on hotline 111"}).render(texts)
        'Nghị định số 09/2013/NĐ-CP, quy định về Tổng đài 111 (chưa xác định điều)'
        """
        en = lang == "en"
        source = texts[self.text]
        name = source.en if en else source.vi
        if self.amended_by:
            amender = texts[self.amended_by]
            name += f", as amended by {amender.en}" if en else f", được sửa đổi, bổ sung bởi {amender.vi}"
        elif self.amended_in:
            name += f", as amended in {self.amended_in}" if en else f", được sửa đổi, bổ sung năm {self.amended_in}"
        if self.article is None:
            words = self.provision.get(lang)
            text = (
                f"{name}, {words}"
                if source.kind == "guidance"
                else f"{name}, {words} " + ("(article not identified)" if en else "(chưa xác định điều)")
            )
            return text[:1].upper() + text[1:] if en else text  # "The Law on …, provision …"
        units = [
            ("point", "điểm", self.point),
            ("clause", "khoản", self.clause),
            ("Article", "Điều", self.article_number),
        ]
        present = [(en_word, vi_word, value) for en_word, vi_word, value in units if value]
        if en:
            text = ", ".join(f"{w} {v}" for w, _, v in present) + f" of {name}"
        else:
            text = " ".join(f"{w} {v}" for _, w, v in present) + f" {name}"
        if self.article_inferred:
            text += " (article number inferred)" if en else " (số điều suy luận)"
        return text

    def to_dict(self, texts: dict[str, LegalText]) -> dict[str, Any]:
        """The structured citation of ``trove assess`` / ``trove score`` JSON, rendered in both languages.

        >>> texts = {"d09": LegalText(vi="Nghị định số 09/2013/NĐ-CP", en="Decree No. 09/2013/ND-CP",
        ...                           in_force={"from": date(2013, 4, 15), "to": date(2025, 6, 30)})}
        >>> d = Citation(text="d09", article="19.1.b", sources=["S20"]).to_dict(texts)
        >>> d["article"], d["clause"], d["point"], d["in_force_from"], d["in_force_to"], d["sources"]
        ('19', '1', 'b', '2013-04-15', '2025-06-30', ['S20'])
        """
        span = texts[self.text].in_force
        return {
            "text": self.text,
            "article": self.article_number,
            "clause": self.clause,
            "point": self.point,
            "provision": self.provision.model_dump() if self.provision else None,
            "in_force_from": span["from"].isoformat() if "from" in span else None,
            "in_force_to": span["to"].isoformat() if "to" in span else None,
            "sources": list(self.sources),
            "vi": self.render(texts, "vi"),
            "en": self.render(texts, "en"),
        }


def _articles(article: str) -> list[str]:
    """A list or range of articles in the dotted form, one per article: ``'24.4–24.5'`` → ``['24.4', '24.5']``."""
    found = []
    for part in (p.strip() for p in article.split(",")):
        span = _RANGE.match(part)
        if span:
            found += [f"{span['stem']}{n}" for n in range(int(span["first"]), int(span["last"]) + 1)]
        else:
            found.append(part)
    return found


def _one_per_article(value: Any) -> Any:
    """Before validation: a citation of several articles becomes one citation per article."""
    if not isinstance(value, list):
        return value
    expanded = []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("article"), str) and re.search(r"[,–]", item["article"]):
            expanded += [{**item, "article": a} for a in _articles(item["article"])]
        else:
            expanded.append(item)
    return expanded


Basis = Annotated[list[Citation], BeforeValidator(_one_per_article)]
"""A rule's legal basis: citations, read one per article (see the module docstring)."""


def in_force_on(citations: list[Citation] | tuple[Citation, ...], texts: dict[str, LegalText], day: date) -> tuple:
    """The citations whose text was in force on ``day`` (a 2016 case is not judged under a 2017 decree).

    >>> texts = {"old": LegalText(vi="a", en="a", in_force={"to": date(2025, 6, 30)}),
    ...          "new": LegalText(vi="b", en="b", in_force={"from": date(2025, 7, 1)})}
    >>> cites = [Citation(text="old", article="1"), Citation(text="new", article="2")]
    >>> [c.text for c in in_force_on(cites, texts, date(2025, 6, 30))]
    ['old']
    """
    return tuple(c for c in citations if texts[c.text].in_force_on(day))


def render_all(citations: Iterable[Citation], texts: dict[str, LegalText], lang: str = "vi") -> str:
    """Several citations as one legal reference: clauses of the same article of the same text are written
    together ("khoản 1 và khoản 2 Điều 7 Nghị định …"), the rest joined by "; "; a citation repeated is written once.

    >>> texts = {"d62": LegalText(vi="Nghị định số 62/2012/NĐ-CP", en="Decree No. 62/2012/ND-CP")}
    >>> both = [Citation(text="d62", article="7.1"), Citation(text="d62", article="7.2")]
    >>> render_all(both, texts, "vi")
    'khoản 1 và khoản 2 Điều 7 Nghị định số 62/2012/NĐ-CP'
    >>> render_all(both, texts, "en")
    'clauses 1 and 2, Article 7 of Decree No. 62/2012/ND-CP'
    >>> render_all([*both, both[0]], texts, "vi")
    'khoản 1 và khoản 2 Điều 7 Nghị định số 62/2012/NĐ-CP'
    """
    groups: dict[tuple, list[Citation]] = {}
    seen: set[str] = set()
    for c in citations:
        if c.render(texts, lang) in seen:
            continue
        seen.add(c.render(texts, lang))
        whole = c.clause is None or c.point is not None or c.article_inferred or c.amended_by or c.amended_in
        key = (c.text, c.article, c.provision and c.provision.vi) if whole else (c.text, c.article_number)
        groups.setdefault(key, []).append(c)
    parts = []
    for group in groups.values():
        first = group[0].render(texts, lang)
        if len(group) == 1:
            parts.append(first)
            continue
        clauses = [c.clause for c in group]
        if lang == "en":
            joined = ", ".join(clauses[:-1]) + f" and {clauses[-1]}"
            parts.append(first.replace(f"clause {clauses[0]}, ", f"clauses {joined}, ", 1))
        else:
            joined = " và ".join(f"khoản {k}" for k in clauses)
            parts.append(first.replace(f"khoản {clauses[0]} ", f"{joined} ", 1))
    return "; ".join(parts)


class Cited(Strict):
    """Mixin for every rule: its legal basis, its status in the reference, and what it requires in plain words.

    ``plain`` is the one sentence a commune officer reads before the citation (both languages); ``note``
    is for trainers and lawyers (why the status is what it is).
    """

    basis: Basis
    status: Status
    plain: Bilingual | None = None
    note: str = ""
