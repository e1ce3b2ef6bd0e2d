"""The review taxonomies as data: what ships, and how a DISARM release is read.

Every function here works on a model class passed in, so the data migration (historical model)
and the import action (live model) load terms the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import stix2
from stix2.exceptions import STIXError

DISARM_FIXTURE = Path(__file__).parent / "data" / "disarm.json"
DISARM_SOURCE = "DISARM Foundation, DISARM Red Framework, CC BY-SA 4.0 (disarm.foundation)"
DSA_SOURCE = "EU DSA Transparency Database, statement of reasons schema v2 (2025)"

VERDICTS = [
    ("false", "False", "The claim is inaccurate; the evidence contradicts it."),
    ("misleading", "Misleading", "Accurate elements presented so as to give a false impression."),
    ("missing_context", "Missing context", "Could mislead without information it leaves out."),
    ("true", "True", "The claim is accurate."),
    ("unverifiable", "Unverifiable", "Not enough public evidence to establish it either way."),
    ("satire", "Satire", "Humour or parody that a reasonable reader would not take as fact."),
    ("not_in_scope", "Not in scope", "Not an election-related harm this coalition assesses."),
]

SEVERITIES = [
    ("1", "Low", "Limited reach and no realistic prospect of harm to voters or candidates."),
    (
        "2",
        "Moderate",
        "Could mislead some voters or demean a group or candidate; spreading slowly.",
    ),
    (
        "3",
        "High",
        "Likely to stop people voting, to intimidate a candidate or election worker, or spreading "
        "fast; or targets a vulnerable group.",
    ),
    (
        "4",
        "Severe",
        "Incites violence, threatens life or the integrity of the vote itself (results, polling "
        "stations on voting day); needs action within hours.",
    ),
]

DSA_CATEGORIES = [
    ("STATEMENT_CATEGORY_ANIMAL_WELFARE", "Animal welfare"),
    ("STATEMENT_CATEGORY_CONSUMER_INFORMATION", "Consumer information infringements"),
    ("STATEMENT_CATEGORY_CYBER_VIOLENCE", "Cyber violence"),
    ("STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN", "Cyber violence against women"),
    ("STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", "Data protection and privacy"),
    ("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", "Illegal or harmful speech"),
    ("STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS", "Intellectual property"),
    (
        "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
        "Negative effects on civic discourse or elections",
    ),
    ("STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE", "Not specified in the notice"),
    ("STATEMENT_CATEGORY_OTHER_VIOLATION_TC", "Other violation of terms and conditions"),
    ("STATEMENT_CATEGORY_PROTECTION_OF_MINORS", "Protection of minors"),
    ("STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY", "Risk for public security"),
    ("STATEMENT_CATEGORY_SCAMS_AND_FRAUD", "Scams and fraud"),
    ("STATEMENT_CATEGORY_SELF_HARM", "Self-harm"),
    ("STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS", "Unsafe and prohibited products"),
    ("STATEMENT_CATEGORY_VIOLENCE", "Violence"),
]


class DisarmError(ValueError):
    """The file is not a DISARM STIX 2.1 bundle; the message says what is wrong."""


@dataclass(frozen=True)
class DisarmEntry:
    code: str  # TA01, T0002, T0002.001
    name: str
    parent: str = ""  # a technique's tactic, or a sub-technique's technique


def _external_id(obj: Any) -> str:
    for reference in obj.get("external_references", []) or []:
        if reference.get("external_id"):
            return str(reference["external_id"])
    return ""


def parse_disarm_bundle(text: str) -> tuple[list[DisarmEntry], list[DisarmEntry]]:
    """(tactics, techniques) from DISARM's STIX 2.1 bundle: tactics are `x-mitre-tactic`,
    techniques `attack-pattern` (their tactic from the kill-chain phase; sub-techniques
    under their technique)."""
    try:
        bundle = stix2.parse(text, allow_custom=True)
    except (STIXError, ValueError) as error:
        raise DisarmError(f"not a STIX 2.1 bundle: {error}") from None
    objects = list(getattr(bundle, "objects", None) or bundle.get("objects", []) or [])
    tactics = {
        str(obj.get("x_mitre_shortname", "")): DisarmEntry(_external_id(obj), str(obj["name"]))
        for obj in objects
        if obj["type"] == "x-mitre-tactic" and _external_id(obj)
    }
    techniques = []
    for obj in objects:
        code = _external_id(obj) if obj["type"] == "attack-pattern" else ""
        if not code:
            continue
        phases = obj.get("kill_chain_phases") or []
        tactic = tactics.get(str(phases[0]["phase_name"])) if phases else None
        parent = code.split(".")[0] if "." in code else (tactic.code if tactic else "")
        techniques.append(DisarmEntry(code, str(obj["name"]), parent))
    if not tactics or not techniques:
        raise DisarmError("the bundle holds no DISARM tactics (x-mitre-tactic) or techniques")
    return sorted(tactics.values(), key=lambda t: t.code), sorted(techniques, key=lambda t: t.code)


def shipped_disarm() -> tuple[list[DisarmEntry], list[DisarmEntry]]:
    data = json.loads(DISARM_FIXTURE.read_text())
    return (
        [DisarmEntry(**row) for row in data["tactics"]],
        [DisarmEntry(**row) for row in data["techniques"]],
    )


def upsert(term_model: Any, scheme: str, rows: list[tuple[str, str, str, str]], source: str) -> int:
    """Create or update terms of one scheme from (code, label, definition, parent code) rows;
    returns how many were new. A parent code names a DISARM tactic or technique."""
    created = 0
    parents = {
        term.code: term
        for term in term_model.objects.filter(scheme__in=("disarm_tactic", "disarm_technique"))
    }
    for position, (code, label, definition, parent_code) in enumerate(rows):
        term, is_new = term_model.objects.update_or_create(
            scheme=scheme,
            code=code,
            defaults={
                "label": label[:200],
                "definition": definition,
                "position": position,
                "source": source,
                "parent": parents.get(parent_code) if parent_code else None,
                "active": True,
            },
        )
        if scheme.startswith("disarm"):
            parents[code] = term
        created += is_new
    return created


def load_disarm(
    term_model: Any, tactics: list[DisarmEntry], techniques: list[DisarmEntry]
) -> tuple[int, int]:
    """(new tactics, new techniques). Techniques come parents first (T0002 before T0002.001)."""
    new_tactics = upsert(
        term_model, "disarm_tactic", [(t.code, t.name, "", "") for t in tactics], DISARM_SOURCE
    )
    ordered = sorted(techniques, key=lambda t: ("." in t.code, t.code))
    new_techniques = upsert(
        term_model,
        "disarm_technique",
        [(t.code, t.name, "", t.parent) for t in ordered],
        DISARM_SOURCE,
    )
    return new_tactics, new_techniques
