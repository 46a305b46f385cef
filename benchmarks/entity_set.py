"""The generated entity set: the held-out file has no entity annotations, so we make our own.

Utterances come from templates such as "tarvitsen {service} {municipality}", filled with a
municipality in one of the forms of tests/data/municipality_forms.yml (inflected, lower case,
misspelt, Swedish, Sámi; the form's case picks a template it fits) and, in most templates, a
service in one of the four case forms of benchmarks/data/forms.yml. Each utterance's gold
entities are the (municipality code, service id) it was built from; one in ten utterances is a
negative with no municipality or service at all ("asun Oulussa", "paljonko kello on"). Scored by
(entity type, value) per utterance: what the dialogue gets, whatever the span.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import yaml

from benchmarks.resolution import SERVICE_CASES, read_forms
from bot.catalogue.seed import read_seed
from bot.config import PROJECT_ROOT

MUNICIPALITY_FORMS = PROJECT_ROOT / "tests" / "data" / "municipality_forms.yml"
SEED = 6
# (municipality case, service case or None, template)
TEMPLATES = [
    ("locative", None, "asun {M}"),
    ("locative", "partitive", "tarvitsen {S} {M}"),
    ("locative", "nominative", "paljonko {S} maksaa {M}"),
    ("locative", "partitive", "äiti tarvitsisi {S} hän asuu {M}"),
    ("elative", None, "soitan {M} mistä saan apua"),
    ("elative", "partitive", "haen {S} {M}"),
    ("illative", None, "muutin juuri {M}"),
    ("illative", "partitive", "isä muuttaa {M} ja tarvitsee {S}"),
    ("genitive", "nominative", "mikä on {M} {S}"),
    ("genitive", "illative", "miten pääsen {M} {S}"),
    ("nominative", None, "{M}"),
    ("nominative", "nominative", "{S} {M}"),
]
NEGATIVES = [
    "mikä on huomisen sää", "paljonko kello on", "kiitos hei", "asun Oulussa",
    "kemia oli koulussa vaikeaa", "hyvää päivää", "muutin Helsinkiin", "olen kotoisin Kuopiosta",
    "en tiedä mitä tehdä", "voinko puhua ihmisen kanssa",
]
_LOCATIVE = ("ssa", "ssä", "lla", "llä", "sa", "sä", "la", "lä")
_ELATIVE = ("sta", "stä", "lta", "ltä")


@dataclass(frozen=True)
class EntityUtterance:
    text: str
    gold: frozenset[tuple[str, str]]  # (entity, value)


def municipality_forms_by_case() -> dict[str, list[tuple[str, str]]]:
    """(code, form) by case. The file lists locative, elative, illative, genitive and the
    lower-case nominative first; later forms (typos, Swedish, Sámi) are placed by ending."""
    forms = yaml.safe_load(MUNICIPALITY_FORMS.read_text(encoding="utf-8"))["municipalities"]
    foreign = {
        (m.get(k) or "").lower()
        for m in read_seed()["municipalities"] for k in ("name_sv", "name_se")
    }
    by_case: dict[str, list[tuple[str, str]]] = {}
    order = ("locative", "elative", "illative", "genitive", "nominative")
    for code, names in forms.items():
        for i, form in enumerate(names):
            if form.lower() in foreign:
                case = "nominative"
            elif i < len(order):
                case = order[i]
            elif form.lower().endswith(_ELATIVE):
                case = "elative"
            elif form.lower().endswith(_LOCATIVE):
                case = "locative"
            elif form.lower().endswith("lle"):
                case = "illative"
            else:
                case = "nominative"
            by_case.setdefault(case, []).append((str(code), form))
    return by_case


def entity_utterances(count: int, forms_path: Path | None = None) -> list[EntityUtterance]:
    rng = random.Random(SEED)
    municipalities = municipality_forms_by_case()
    services = read_forms()["services"]
    utterances = []
    for n in range(count):
        if n % 10 == 9:
            utterances.append(EntityUtterance(NEGATIVES[(n // 10) % len(NEGATIVES)], frozenset()))
            continue
        m_case, s_case, template = rng.choice(TEMPLATES)
        code, form = rng.choice(municipalities[m_case])
        gold = {("municipality", code)}
        service_form = ""
        if s_case:
            service_id = rng.choice(sorted(services))
            service_form = services[service_id][SERVICE_CASES.index(s_case)]
            gold.add(("service", service_id))
        utterances.append(
            EntityUtterance(template.format(M=form, S=service_form), frozenset(gold))
        )
    return utterances


def entity_scores(
    utterances: list[EntityUtterance], predicted: list[set[tuple[str, str]]]
) -> dict:
    """Precision, recall and F1 per entity type over (utterance, type, value)."""
    scores = {}
    for entity in ("municipality", "service"):
        tp = fp = fn = 0
        for utterance, found in zip(utterances, predicted, strict=True):
            gold = {g for g in utterance.gold if g[0] == entity}
            got = {p for p in found if p[0] == entity}
            tp += len(gold & got)
            fp += len(got - gold)
            fn += len(gold - got)
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else None
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision and recall else (0.0 if recall == 0 else None)
        )
        scores[entity] = {
            "precision": precision, "recall": recall, "f1": f1,
            "true_positives": tp, "false_positives": fp, "false_negatives": fn,
        }
    return scores
