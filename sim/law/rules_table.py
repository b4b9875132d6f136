"""The rulebook as one table a lawyer reviews line by line (``trove rules --format md`` → docs/rules-table.md).

Every rule of every regime, and every critical error, with its plain sentence, its citations (Vietnamese
legal style, with the reference's source tags), the dates its texts were in force, and its status.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pydantic import BaseModel

from sim.law.citations import Cited, LegalText
from sim.law.rulebook import RegimeRules, Rulebook

# Lists whose items are named by a field rather than by their position.
_ITEM_NAMES = ("support", "document", "agency")


def rules_of(regime: RegimeRules) -> Iterator[tuple[str, Cited]]:
    """Every rule of a regime (anything with a basis and a status), named by its path in the file.

    >>> from sim.library import packaged_library
    >>> names = [name for name, _ in rules_of(packaged_library().rulebook.for_regime("A"))]
    >>> names[:3]
    ['identification', 'identification.means_rule', 'identification.sufficient_acts']
    >>> "entitlements.medical" in names and "children.emergency" in names
    True
    """
    yield from _walk(regime, "")


def _walk(model: BaseModel, prefix: str) -> Iterator[tuple[str, Cited]]:
    for field in type(model).model_fields:
        value = getattr(model, field)
        path = f"{prefix}{field}"
        if isinstance(value, Cited):
            yield path, value
            yield from _walk(value, f"{path}.")
        elif isinstance(value, BaseModel):
            yield from _walk(value, f"{path}.")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    name = next((getattr(item, k) for k in _ITEM_NAMES if hasattr(item, k)), i)
                    item_path = f"{path}.{name}"
                    if isinstance(item, Cited):
                        yield item_path, item
                    yield from _walk(item, f"{item_path}.")


def _span(text: LegalText) -> str:
    def day(d: date | None) -> str:
        return f"{d.day:02d}/{d.month:02d}/{d.year}" if d else "…"

    if not text.in_force:
        return "—"
    span = f"{day(text.in_force.get('from'))} – {day(text.in_force.get('to'))}"
    return span + (" (suy luận)" if text.in_force_status == "inferred" else "")


def _cell(value: str) -> str:
    return " ".join(value.split()).replace("|", "\\|")


def rules_table_md(rulebook: Rulebook) -> str:
    """The whole rulebook as a Markdown document, one table per regime plus the critical errors.

    >>> from sim.library import packaged_library
    >>> table = rules_table_md(packaged_library().rulebook)
    >>> [line.split(" | ")[4] for line in table.splitlines() if line.startswith("| identification.means_rule |")]
    ['inferred', 'confirmed']
    >>> "khoản 3 Điều 24 Luật Phòng, chống mua bán người số 66/2011/QH12 [S1]" in table
    True
    """
    texts = rulebook.texts
    lines = [
        "# Rules table",
        "",
        "Generated from `sim/data/rulebook/` by `trove rules --format md`; do not edit by hand (CI fails when",
        "it is stale). One row per rule: what it requires in plain words, its citations with the legal",
        "reference's source tags, the dates each cited text is in force, and its status in the reference.",
        "",
    ]
    header = [
        "| Rule | Plain sentence | Citations | Texts in force | Status | Note |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for regime in rulebook.regimes:
        until = regime.effective_to.isoformat() if regime.effective_to else "…"
        lines += [
            f"## {regime.title.vi}",
            "",
            f"`{regime.id}` version {regime.version}: {regime.effective_from} – {until}",
            "",
        ]
        lines += header
        for name, rule in rules_of(regime):
            lines.append(_row(name, rule, texts))
        lines.append("")
    lines += ["## Lỗi nghiêm trọng (critical errors)", "", *header]
    for code in sorted(rulebook.critical_errors, key=lambda c: int(c[1:])):
        error = rulebook.critical_errors[code]
        status = "confirmed" if error.kind == "L" else "practice"
        lines.append(
            _row(f"{code} ({error.decision_point}): {error.vi}", error, texts, plain=error.plain.vi, status=status)
        )
    return "\n".join(lines) + "\n"


def _row(name: str, rule, texts: dict[str, LegalText], *, plain: str | None = None, status: str | None = None) -> str:
    cites = "<br>".join(
        c.render(texts, "vi") + (" " + "".join(f"[{s}]" for s in c.sources) if c.sources else "") for c in rule.basis
    )
    spans = "<br>".join(dict.fromkeys(f"{c.text}: {_span(texts[c.text])}" for c in rule.basis))
    sentence = plain if plain is not None else (rule.plain.vi if getattr(rule, "plain", None) else "")
    note = getattr(rule, "note", "")
    cells = [name, sentence, cites, spans, status or rule.status, note]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"
